import type { ComponentType, LazyExoticComponent, ReactNode } from "react";
import type { TenantKind } from "../api/types";
import type { MessageKey } from "../i18n";

/** What a company waiting for approval may use (the server's list: api/src/modules/onboarding/onboarding-gate.ts). */
const PENDING_MAY_USE = new Set(["company", "user", "role", "api_key", "audit_log"]);

/** Whether a pending company (入驻审核, DECISIONS 98) may open a screen: the API refuses it the others. */
export const openWhilePending = (r: Pick<ConsoleRoute, "permission">) =>
  !r.permission || PENDING_MAY_USE.has(r.permission.split(":")[0]!);

/**
 * One screen of the console. Registries in pages/<kind>/routes.tsx export arrays of these; pages/index.ts
 * concatenates them. Adding a screen = one file in pages/<kind>/ + one line in that registry.
 */
export interface ConsoleRoute {
  /** Under /console, e.g. "/shop/search" (":id" parameters allowed). */
  path: string;
  /** Menu entry and page title (a key of i18n/zh-CN.ts). */
  titleKey: MessageKey;
  icon?: ReactNode;
  /** The permission the API enforces for the screen's main call; the route and its menu entry hide without it. */
  permission?: string;
  /** Company kinds the screen is for (all when absent). */
  kinds?: readonly TenantKind[];
  /** Not in the side menu (detail pages reached by a link). */
  hideInMenu?: boolean;
  /** Also a quick link on the home page. */
  quickLink?: boolean;
  /** Always `lazy(() => import("./Screen"))`: every page is its own chunk. */
  element: LazyExoticComponent<ComponentType>;
}
