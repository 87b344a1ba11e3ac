import { SafetyCertificateOutlined } from "@ant-design/icons";
import { lazy } from "react";
import type { ConsoleRoute } from "../../app/routes";

/** Screens for lenders (banks, factoring companies; issue 15). */
export const lenderRoutes: ConsoleRoute[] = [
  {
    path: "/lender/collateral",
    titleKey: "menu.collateral",
    icon: <SafetyCertificateOutlined />,
    permission: "warehouse_receipt:view",
    kinds: ["lender"],
    element: lazy(() => import("./Collateral")),
  },
];
