import { BookOutlined, CalendarOutlined } from "@ant-design/icons";
import { lazy } from "react";
import type { ConsoleRoute } from "../../app/routes";

/** Screens for: platform. */
export const platformRoutes: ConsoleRoute[] = [
  {
    // The catalogue team's search vocabulary (issue 13): editing it needs catalog:approve, which only the platform holds.
    path: "/platform/vocabulary",
    titleKey: "menu.platformVocabulary",
    icon: <BookOutlined />,
    permission: "catalog:approve",
    kinds: ["platform"],
    quickLink: true,
    element: lazy(() => import("./Vocabulary")),
  },
  {
    // Issue 14: the seasonal calendar (part type × province × month); editing needs seasonal_factor:edit.
    path: "/platform/seasonal-factors",
    titleKey: "menu.platformSeasonal",
    icon: <CalendarOutlined />,
    permission: "seasonal_factor:edit",
    kinds: ["platform"],
    element: lazy(() => import("./SeasonalFactors")),
  },
];
