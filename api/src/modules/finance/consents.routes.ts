import { validate } from "../../http/validate.js";
import { responds } from "../../http/responds.js";
import { auditContext, principalOf } from "../../security/principal.js";
import { route, type RouteSpec } from "../../security/routes.js";
import type { Company } from "../orgs/orgs.service.js";
import {
  borrowerParams,
  borrowerProfileSchema,
  creditSchema,
  consentListResponse,
  consentParams,
  consentSchema,
  grantConsentBody,
  type GrantConsentBody,
} from "./consents.schema.js";
import type { ConsentsService } from "./consents.service.js";

export function consentsRoutes(consents: ConsentsService): RouteSpec[] {
  return [
    route(
      "post",
      "/api/v1/finance/consents",
      { permission: "credit_consent:create" },
      "Let a named lender see my company's credit profile (until revoked; audited)",
      responds(consentSchema, 201),
      validate({ body: grantConsentBody }),
      async (req, res) => {
        res
          .status(201)
          .json(
            await consents.grant(
              auditContext(req, res),
              principalOf(res),
              res.locals.company as Company | undefined,
              (res.locals.body as GrantConsentBody).lenderId,
            ),
          );
      },
    ),
    route(
      "get",
      "/api/v1/finance/consents",
      { permission: "credit_consent:view" },
      "Consents my company granted (a borrower) or holds (a lender), live and revoked",
      responds(consentListResponse),
      async (_req, res) => {
        res.json({ consents: await consents.list(principalOf(res)) });
      },
    ),
    route(
      "post",
      "/api/v1/finance/consents/:id/revoke",
      { permission: "credit_consent:cancel" },
      "Revoke a consent my company granted: the lender sees nothing of it from now on",
      responds(consentSchema),
      validate({ params: consentParams }),
      async (req, res) => {
        res.json(
          await consents.revoke(auditContext(req, res), principalOf(res), (res.locals.params as { id: string }).id),
        );
      },
    ),
    route(
      "get",
      "/api/v1/finance/credit-profile",
      { permission: "credit_consent:view" },
      "My company's credit profile: the score a lender I consent to sees, every factor with its weight",
      responds(creditSchema),
      async (_req, res) => {
        res.json(await consents.own(res.locals.company as Company | undefined));
      },
    ),
    route(
      "get",
      "/api/v1/finance/borrowers/:companyId/profile",
      { permission: "credit_profile:view" },
      "A borrower's credit profile, for a lender it consented to (404 without a live consent, like an unknown company)",
      responds(borrowerProfileSchema),
      validate({ params: borrowerParams }),
      async (req, res) => {
        res.json(
          await consents.profile(
            auditContext(req, res),
            principalOf(res),
            (res.locals.params as { companyId: string }).companyId,
          ),
        );
      },
    ),
  ];
}
