import { BankOutlined, HomeOutlined } from "@ant-design/icons";
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
];
