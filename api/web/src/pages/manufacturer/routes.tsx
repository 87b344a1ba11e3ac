import type { ConsoleRoute } from "../../app/routes";

/**
 * Screens for: manufacturer. Add one entry per screen, e.g.
 * `{ path: "/manufacturer/example", titleKey: "menu.…", icon: <…Outlined />, permission: "…:view", kinds: [...], element: lazy(() => import("./Example")) }`
 */
export const manufacturerRoutes: ConsoleRoute[] = [];
