import {
  BarcodeOutlined,
  CloudSyncOutlined,
  PlusSquareOutlined,
  PrinterOutlined,
  SafetyCertificateOutlined,
  HeatMapOutlined,
} from "@ant-design/icons";
import { lazy } from "react";
import type { ConsoleRoute } from "../../app/routes";

const M = ["manufacturer"] as const;

/** Screens for: manufacturer (label clerk and admin). Dispatching cartons lives with the cartons screens. */
export const manufacturerRoutes: ConsoleRoute[] = [
  {
    path: "/manufacturer/mint",
    titleKey: "menu.mfr.mint",
    icon: <PlusSquareOutlined />,
    permission: "part:create",
    kinds: M,
    quickLink: true,
    element: lazy(() => import("./Mint")),
  },
  {
    path: "/manufacturer/runs",
    titleKey: "menu.mfr.runs",
    icon: <CloudSyncOutlined />,
    permission: "part:view",
    kinds: M,
    quickLink: true,
    element: lazy(() => import("./Runs")),
  },
  {
    path: "/manufacturer/labels",
    titleKey: "menu.mfr.labels",
    icon: <PrinterOutlined />,
    permission: "label:view",
    kinds: M,
    element: lazy(() => import("./Labels")),
  },
  {
    path: "/manufacturer/products",
    titleKey: "menu.mfr.products",
    icon: <BarcodeOutlined />,
    permission: "part:view",
    kinds: M,
    element: lazy(() => import("./Products")),
  },
  {
    path: "/manufacturer/prefixes",
    titleKey: "menu.mfr.prefixes",
    icon: <SafetyCertificateOutlined />,
    permission: "gs1_prefix:view",
    kinds: M,
    element: lazy(() => import("./Prefixes")),
  },
  {
    // Issue 14: forecast demand by province for one of my products (ECharts map, bundled outlines).
    path: "/manufacturer/regional-demand",
    titleKey: "menu.mfr.regional",
    icon: <HeatMapOutlined />,
    permission: "regional_demand:view",
    kinds: M,
    element: lazy(() => import("./RegionalDemand")),
  },
];
