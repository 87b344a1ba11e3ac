import { SafetyCertificateOutlined } from "@ant-design/icons";
import { lazy } from "react";
import type { ConsoleRoute } from "../../app/routes";

const Verify = lazy(() => import("./Verify"));

/**
 * Screens for: (auditor role; any kind). Verification is public by design (DECISIONS 62): the page needs no
 * permission, so the auditor role and every other signed-in user see it; /console/verify also works without login.
 */
export const auditorRoutes: ConsoleRoute[] = [
  {
    path: "/auditor/verify",
    titleKey: "menu.auditorVerify",
    icon: <SafetyCertificateOutlined />,
    quickLink: true,
    element: Verify,
  },
  // The public address, signed in or not (App.tsx shows it without the layout to a visitor).
  { path: "/verify", titleKey: "menu.auditorVerify", hideInMenu: true, element: Verify },
];
