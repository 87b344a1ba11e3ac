import { BookOutlined, CustomerServiceOutlined, MessageOutlined, WarningOutlined } from "@ant-design/icons";
import { lazy } from "react";
import type { ConsoleRoute } from "../../app/routes";

/** Screens of issue 16's support: the assistant (company users), the queue and knowledge base (platform), counterfeit reports. */
export const supportRoutes: ConsoleRoute[] = [
  {
    path: "/support",
    titleKey: "menu.support",
    icon: <MessageOutlined />,
    permission: "support_chat:create",
    kinds: ["manufacturer", "distributor", "repair_shop"],
    element: lazy(() => import("./SupportChat")),
  },
  {
    path: "/counterfeit-reports",
    titleKey: "menu.counterfeitReports",
    icon: <WarningOutlined />,
    permission: "counterfeit_report:view",
    kinds: ["manufacturer", "platform"],
    element: lazy(() => import("./CounterfeitReports")),
  },
  {
    path: "/platform/support-queue",
    titleKey: "menu.supportQueue",
    icon: <CustomerServiceOutlined />,
    permission: "support_queue:view",
    kinds: ["platform"],
    quickLink: true,
    element: lazy(() => import("./SupportQueue")),
  },
  {
    path: "/platform/knowledge-base",
    titleKey: "menu.knowledgeBase",
    icon: <BookOutlined />,
    permission: "knowledge_base:view",
    kinds: ["platform"],
    element: lazy(() => import("./KnowledgeBase")),
  },
];
