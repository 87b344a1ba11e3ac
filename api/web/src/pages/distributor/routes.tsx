import type { ConsoleRoute } from "../../app/routes";

/**
 * Screens for: distributor. Add one entry per screen, e.g.
 * `{ path: "/distributor/example", titleKey: "menu.…", icon: <…Outlined />, permission: "…:view", kinds: [...], element: lazy(() => import("./Example")) }`
 */
export const distributorRoutes: ConsoleRoute[] = [];
