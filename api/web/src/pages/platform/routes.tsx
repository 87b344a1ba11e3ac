import {
  ApartmentOutlined,
  BarcodeOutlined,
  BookOutlined,
  CalendarOutlined,
  KeyOutlined,
  LinkOutlined,
  SolutionOutlined,
} from "@ant-design/icons";
import { lazy } from "react";
import type { ConsoleRoute } from "../../app/routes";

/** Screens for: platform (the operator's staff). */
export const platformRoutes: ConsoleRoute[] = [
  {
    path: "/platform/companies",
    titleKey: "menu.companies",
    icon: <ApartmentOutlined />,
    permission: "company:administer",
    kinds: ["platform"],
    quickLink: true,
    element: lazy(() => import("./Companies")),
  },
  {
    // Issue 17: the review queue of self-registered companies (入驻审核, DECISIONS 98).
    path: "/platform/onboarding",
    titleKey: "menu.platformOnboarding",
    icon: <SolutionOutlined />,
    permission: "company_application:view",
    kinds: ["platform"],
    quickLink: true,
    element: lazy(() => import("./Onboarding")),
  },
  {
    path: "/platform/gs1-prefixes",
    titleKey: "menu.gs1",
    icon: <BarcodeOutlined />,
    permission: "gs1_prefix:approve",
    kinds: ["platform"],
    element: lazy(() => import("./Gs1Prefixes")),
  },
  {
    path: "/platform/chain",
    titleKey: "menu.chain",
    icon: <LinkOutlined />,
    kinds: ["platform"],
    element: lazy(() => import("./ChainHealth")),
  },
  {
    path: "/platform/encryption-keys",
    titleKey: "menu.encryption",
    icon: <KeyOutlined />,
    permission: "encryption_key:configure",
    kinds: ["platform"],
    element: lazy(() => import("./EncryptionKeys")),
  },
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
