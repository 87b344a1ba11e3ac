import type { ConsoleRoute } from "../../app/routes";

/**
 * Screens for: (auditor role; any kind). Add one entry per screen, e.g.
 * `{ path: "/auditor/example", titleKey: "menu.…", icon: <…Outlined />, permission: "…:view", kinds: [...], element: lazy(() => import("./Example")) }`
 */
export const auditorRoutes: ConsoleRoute[] = [];
