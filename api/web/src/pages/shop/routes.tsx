import {
  CarOutlined,
  FileSearchOutlined,
  SafetyCertificateOutlined,
  SearchOutlined,
  ShoppingCartOutlined,
  ToolOutlined,
} from "@ant-design/icons";
import { lazy } from "react";
import type { ConsoleRoute } from "../../app/routes";

const SHOP = ["repair_shop"] as const;

/** Screens for: repair_shop (DECISIONS 68). */
export const shopRoutes: ConsoleRoute[] = [
  {
    path: "/shop/search",
    titleKey: "menu.shop.search",
    icon: <SearchOutlined />,
    permission: "catalog:view",
    kinds: SHOP,
    quickLink: true,
    element: lazy(() => import("./Search")),
  },
  {
    path: "/shop/orders",
    titleKey: "menu.shop.orders",
    icon: <ShoppingCartOutlined />,
    permission: "order:view",
    kinds: SHOP,
    quickLink: true,
    element: lazy(() => import("./Orders")),
  },
  {
    path: "/shop/orders/:id",
    titleKey: "menu.shop.order",
    permission: "order:view",
    kinds: SHOP,
    hideInMenu: true,
    element: lazy(() => import("./OrderDetail")),
  },
  {
    path: "/shop/rfqs",
    titleKey: "menu.shop.rfqs",
    icon: <FileSearchOutlined />,
    permission: "rfq:view",
    kinds: SHOP,
    element: lazy(() => import("./Rfqs")),
  },
  {
    path: "/shop/install",
    titleKey: "menu.shop.install",
    icon: <ToolOutlined />,
    permission: "installation:create",
    kinds: SHOP,
    quickLink: true,
    element: lazy(() => import("./Install")),
  },
  {
    path: "/shop/verify",
    titleKey: "menu.shop.verify",
    icon: <SafetyCertificateOutlined />,
    kinds: SHOP,
    quickLink: true,
    element: lazy(() => import("./Verify")),
  },
  {
    path: "/shop/installations",
    titleKey: "menu.shop.installations",
    icon: <CarOutlined />,
    permission: "installation:view",
    kinds: SHOP,
    element: lazy(() => import("./Installations")),
  },
];
