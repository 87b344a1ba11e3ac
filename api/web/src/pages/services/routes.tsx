import {
  AccountBookOutlined,
  AppstoreOutlined,
  BookOutlined,
  CarOutlined,
  SendOutlined,
  ToolOutlined,
  SwapOutlined,
} from "@ant-design/icons";
import { lazy } from "react";
import type { ConsoleRoute } from "../../app/routes";

const PROVIDER = ["service_provider"] as const;
const SHOP = ["repair_shop"] as const;

/** The services marketplace (issue 17): a provider's catalogue, rentals and settlements; a shop's booking screens. */
export const servicesRoutes: ConsoleRoute[] = [
  {
    path: "/services/catalogue",
    titleKey: "menu.services.catalogue",
    icon: <AppstoreOutlined />,
    permission: "service_offering:view",
    kinds: PROVIDER,
    quickLink: true,
    element: lazy(() => import("./Catalogue")),
  },
  {
    path: "/services/rentals",
    titleKey: "menu.services.rentals",
    icon: <SwapOutlined />,
    permission: "service_booking:view",
    kinds: PROVIDER,
    element: lazy(() => import("./ProviderRentals")),
  },
  {
    path: "/services/deliveries",
    titleKey: "menu.services.deliveries",
    icon: <CarOutlined />,
    permission: "service_delivery:view",
    kinds: PROVIDER,
    element: lazy(() => import("./ProviderDeliveries")),
  },
  {
    path: "/services/settlements",
    titleKey: "menu.services.settlements",
    icon: <AccountBookOutlined />,
    permission: "service_settlement:view",
    kinds: ["service_provider", "platform"],
    element: lazy(() => import("./Settlements")),
  },
  {
    path: "/shop/training",
    titleKey: "menu.services.training",
    icon: <BookOutlined />,
    permission: "service_offering:view",
    kinds: SHOP,
    element: lazy(() => import("./ShopTraining")),
  },
  {
    path: "/shop/equipment",
    titleKey: "menu.services.equipment",
    icon: <ToolOutlined />,
    permission: "service_offering:view",
    kinds: SHOP,
    element: lazy(() => import("./ShopEquipment")),
  },
  {
    path: "/services/book-delivery",
    titleKey: "menu.services.bookDelivery",
    icon: <SendOutlined />,
    permission: "service_delivery:view",
    kinds: ["distributor", "repair_shop"],
    element: lazy(() => import("./BookDelivery")),
  },
];
