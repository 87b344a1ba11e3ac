import {
  DatabaseOutlined,
  InboxOutlined,
  ScanOutlined,
  SendOutlined,
  ApiOutlined,
  SwapOutlined,
  SyncOutlined,
  ShoppingCartOutlined,
  LockOutlined,
} from "@ant-design/icons";
import { lazy } from "react";
import type { ConsoleRoute } from "../../app/routes";

/** Screens for distributors (and the carton screens manufacturers share: they send cartons too). */
export const distributorRoutes: ConsoleRoute[] = [
  {
    path: "/distributor/receive",
    titleKey: "menu.receiveCarton",
    icon: <ScanOutlined />,
    permission: "custody:create",
    kinds: ["distributor", "repair_shop"],
    quickLink: true,
    element: lazy(() => import("./ReceiveCarton")),
  },
  {
    path: "/cartons",
    titleKey: "menu.cartons",
    icon: <InboxOutlined />,
    permission: "part:view",
    kinds: ["manufacturer", "distributor"],
    element: lazy(() => import("./Cartons")),
  },
  {
    path: "/distributor/stock",
    titleKey: "menu.stock",
    icon: <DatabaseOutlined />,
    permission: "inventory:view",
    kinds: ["distributor", "manufacturer"],
    element: lazy(() => import("./Stock")),
  },
  {
    path: "/distributor/orders",
    titleKey: "menu.ordersToShip",
    icon: <SendOutlined />,
    permission: "order:view",
    kinds: ["distributor", "manufacturer"],
    element: lazy(() => import("./OrdersToShip")),
  },
  {
    path: "/distributor/webhooks",
    titleKey: "menu.webhooks",
    icon: <ApiOutlined />,
    permission: "webhook:view",
    kinds: ["distributor", "manufacturer"],
    element: lazy(() => import("./Webhooks")),
  },
  {
    path: "/distributor/transfers",
    titleKey: "menu.transfers",
    icon: <SwapOutlined />,
    permission: "inventory:view",
    kinds: ["distributor", "manufacturer"],
    element: lazy(() => import("./Transfers")),
  },
  {
    // Issue 15: warehouse receipts and the units they lock.
    path: "/distributor/warehouse-receipts",
    titleKey: "menu.warehouseReceipts",
    icon: <LockOutlined />,
    permission: "warehouse_receipt:view",
    kinds: ["distributor", "manufacturer"],
    element: lazy(() => import("./WarehouseReceipts")),
  },
  {
    path: "/distributor/sync-log",
    titleKey: "menu.syncLog",
    icon: <SyncOutlined />,
    permission: "inventory:view",
    kinds: ["distributor", "manufacturer"],
    element: lazy(() => import("./SyncLog")),
  },
  {
    // Issue 14: reorder points, proposals and the forecast chart per SKU × warehouse.
    path: "/distributor/replenishment",
    titleKey: "menu.replenishment",
    icon: <ShoppingCartOutlined />,
    permission: "replenishment:view",
    kinds: ["distributor", "manufacturer"],
    quickLink: true,
    element: lazy(() => import("./Replenishment")),
  },
];
