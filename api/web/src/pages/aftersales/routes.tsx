import { AlertOutlined, AuditOutlined, RollbackOutlined } from "@ant-design/icons";
import { lazy } from "react";
import type { ConsoleRoute } from "../../app/routes";

/** After-sales screens (issue 16): returns for buyers and sellers, disputes (and the platform's queue), recalls. */
export const aftersalesRoutes: ConsoleRoute[] = [
  {
    path: "/returns",
    titleKey: "menu.returns",
    icon: <RollbackOutlined />,
    permission: "return:view",
    kinds: ["manufacturer", "distributor", "repair_shop"],
    element: lazy(() => import("./Returns")),
  },
  {
    path: "/disputes",
    titleKey: "menu.disputes",
    icon: <AuditOutlined />,
    permission: "dispute:view",
    kinds: ["manufacturer", "distributor", "repair_shop", "platform"],
    element: lazy(() => import("./Disputes")),
  },
  {
    path: "/disputes/:id",
    titleKey: "menu.dispute",
    permission: "dispute:view",
    kinds: ["manufacturer", "distributor", "repair_shop", "platform"],
    hideInMenu: true,
    element: lazy(() => import("./DisputeDetail")),
  },
  {
    path: "/recalls",
    titleKey: "menu.recalls",
    icon: <AlertOutlined />,
    permission: "recall:create",
    kinds: ["manufacturer"],
    element: lazy(() => import("./Recalls")),
  },
  {
    path: "/recalls/affecting-me",
    titleKey: "menu.affectingRecalls",
    icon: <AlertOutlined />,
    permission: "recall:view",
    kinds: ["distributor", "repair_shop"],
    element: lazy(() => import("./AffectingRecalls")),
  },
];
