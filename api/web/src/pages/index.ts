import type { ConsoleRoute } from "../app/routes";
import { aftersalesRoutes } from "./aftersales/routes";
import { auditorRoutes } from "./auditor/routes";
import { borrowerRoutes } from "./borrower/routes";
import { commonRoutes } from "./common/routes";
import { distributorRoutes } from "./distributor/routes";
import { lenderRoutes } from "./lender/routes";
import { manufacturerRoutes } from "./manufacturer/routes";
import { onboardingRoutes } from "./onboarding/routes";
import { platformRoutes } from "./platform/routes";
import { servicesRoutes } from "./services/routes";
import { shopRoutes } from "./shop/routes";
import { supportRoutes } from "./support/routes";

/** Every screen, in menu order. A registry per kind; the layout filters by the user's kind and permissions. */
export const allRoutes: ConsoleRoute[] = [
  ...commonRoutes,
  ...onboardingRoutes,
  ...manufacturerRoutes,
  ...distributorRoutes,
  ...shopRoutes,
  ...aftersalesRoutes,
  ...borrowerRoutes,
  ...lenderRoutes,
  ...servicesRoutes,
  ...auditorRoutes,
  ...platformRoutes,
  ...supportRoutes,
];
