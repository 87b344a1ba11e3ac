import type { ConsoleRoute } from "../../app/routes";

/**
 * Screens for: repair_shop. Add one entry per screen, e.g.
 * `{ path: "/shop/example", titleKey: "menu.…", icon: <…Outlined />, permission: "…:view", kinds: [...], element: lazy(() => import("./Example")) }`
 */
export const shopRoutes: ConsoleRoute[] = [];
