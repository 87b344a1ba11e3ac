import { AuditOutlined, FundOutlined, SafetyCertificateOutlined } from "@ant-design/icons";
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
  {
    path: "/lender/applications",
    titleKey: "menu.lender.applications",
    icon: <AuditOutlined />,
    permission: "loan:view",
    kinds: ["lender"],
    element: lazy(() => import("./Applications")),
  },
  {
    path: "/lender/portfolio",
    titleKey: "menu.lender.portfolio",
    icon: <FundOutlined />,
    permission: "loan:view",
    kinds: ["lender"],
    element: lazy(() => import("./Portfolio")),
  },
  {
    path: "/lender/loan-statement",
    titleKey: "menu.lender.statement",
    icon: <FundOutlined />,
    permission: "loan:view",
    kinds: ["lender"],
    element: lazy(() => import("../borrower/LoanStatement")),
  },
];
