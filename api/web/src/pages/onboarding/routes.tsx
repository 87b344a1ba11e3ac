import { SolutionOutlined } from "@ant-design/icons";
import { lazy } from "react";
import type { ConsoleRoute } from "../../app/routes";

/**
 * Screens for: a company's admin following its application to join (入驻审核, DECISIONS 98). The registration page
 * itself is public (/console/register, shown by App.tsx without the layout).
 */
export const onboardingRoutes: ConsoleRoute[] = [
  {
    path: "/onboarding/application",
    titleKey: "menu.onboardingApplication",
    icon: <SolutionOutlined />,
    permission: "company:view",
    kinds: ["manufacturer", "distributor", "repair_shop", "service_provider"],
    element: lazy(() => import("./MyApplication")),
  },
];
