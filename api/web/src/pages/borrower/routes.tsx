import { AccountBookOutlined, BankOutlined } from "@ant-design/icons";
import { lazy } from "react";
import type { ConsoleRoute } from "../../app/routes";

const BORROWERS = ["manufacturer", "distributor", "repair_shop"] as const;

/** Screens for borrowers of order loans (issue 15, DECISIONS 106): distributors, repair shops, manufacturers. */
export const borrowerRoutes: ConsoleRoute[] = [
  {
    path: "/borrower/loans",
    titleKey: "menu.borrower.loans",
    icon: <BankOutlined />,
    permission: "loan:view",
    kinds: BORROWERS,
    element: lazy(() => import("./MyLoans")),
  },
  {
    path: "/borrower/loan-statement",
    titleKey: "menu.borrower.statement",
    icon: <AccountBookOutlined />,
    permission: "loan:view",
    kinds: BORROWERS,
    element: lazy(() => import("./LoanStatement")),
  },
];
