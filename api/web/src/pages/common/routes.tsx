import {
  ApiOutlined,
  AuditOutlined,
  BankOutlined,
  CheckSquareOutlined,
  DashboardOutlined,
  HomeOutlined,
  SafetyOutlined,
  TeamOutlined,
} from "@ant-design/icons";
import { lazy } from "react";
import type { ConsoleRoute } from "../../app/routes";

/** Screens for every company kind. */
export const commonRoutes: ConsoleRoute[] = [
  { path: "/", titleKey: "menu.home", icon: <HomeOutlined />, element: lazy(() => import("./Home")) },
  {
    path: "/company",
    titleKey: "menu.myCompany",
    icon: <BankOutlined />,
    permission: "company:view",
    quickLink: true,
    element: lazy(() => import("./MyCompany")),
  },
  {
    // Issue 17: the management cockpit — the platform's whole business, a company's own.
    path: "/cockpit",
    titleKey: "menu.cockpit",
    icon: <DashboardOutlined />,
    permission: "cockpit:view",
    kinds: ["manufacturer", "distributor", "platform"],
    quickLink: true,
    element: lazy(() => import("./Cockpit")),
  },
  // --- wcommon: users, roles, API keys, approvals, audit trail ---
  {
    path: "/users",
    titleKey: "menu.users",
    icon: <TeamOutlined />,
    permission: "user:view",
    element: lazy(() => import("./Users")),
  },
  {
    path: "/roles",
    titleKey: "menu.roles",
    icon: <SafetyOutlined />,
    permission: "role:view",
    element: lazy(() => import("./Roles")),
  },
  {
    path: "/api-keys",
    titleKey: "menu.apiKeys",
    icon: <ApiOutlined />,
    permission: "api_key:view",
    element: lazy(() => import("./ApiKeys")),
  },
  {
    path: "/approvals",
    titleKey: "menu.approvals",
    icon: <CheckSquareOutlined />,
    permission: "user:view",
    quickLink: true,
    element: lazy(() => import("./Approvals")),
  },
  {
    path: "/audit",
    titleKey: "menu.audit",
    icon: <AuditOutlined />,
    permission: "audit_log:view",
    element: lazy(() => import("./Audit")),
  },
];
