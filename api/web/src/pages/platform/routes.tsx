import type { ConsoleRoute } from "../../app/routes";

/**
 * Screens for: platform. Add one entry per screen, e.g.
 * `{ path: "/platform/example", titleKey: "menu.…", icon: <…Outlined />, permission: "…:view", kinds: [...], element: lazy(() => import("./Example")) }`
 */
export const platformRoutes: ConsoleRoute[] = [];
