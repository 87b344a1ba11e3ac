import type { RequestHandler } from "express";
import { z } from "zod";
import { AppError } from "../../../../ledger-service/src/index.js";
import { parseDigitalLink } from "../../../../ledger-service/src/gs1/digital-link.js";
import { raw, responds } from "../../http/responds.js";
import { validate } from "../../http/validate.js";
import { scanParams, verdictSchema } from "./verify.schema.js";
import { bearer, type AccessService } from "../../security/access.js";
import { route, type RouteSpec } from "../../security/routes.js";
import type { OrgsService } from "../orgs/orgs.service.js";
import { FORM_PAGE_CSP, REPORTABLE, renderVerifyPage, type Lang } from "./verify.page.js";
import type { VerifyService } from "./verify.service.js";

type ReportLabel = {
  gtin: string;
  serial: string;
  lot?: string | undefined;
  signature?: string | undefined;
  verdict: string;
};

function location(raw: unknown): { lng: number; lat: number } | undefined {
  if (raw === undefined) return undefined;
  const m = typeof raw === "string" ? /^(-?\d{1,3}(?:\.\d+)?),(-?\d{1,2}(?:\.\d+)?)$/.exec(raw) : null;
  if (!m)
    throw new AppError(
      "VERIFY.INVALID_LOCATION",
      `loc must be "lng,lat" in GCJ-02 degrees, got ${JSON.stringify(raw)}`,
      400,
      { field: "loc" },
    );
  return { lng: Number(m[1]), lat: Number(m[2]) };
}

/**
 * The GS1 Digital Link resolver: `GET /01/{gtin}/21/{serial}?10={lot}&s={signature}` answers the verification page
 * (Simplified Chinese by default, `lang=en` for English) or, with `Accept: application/json`, the verdict as JSON.
 * Public and rate-limited; a logged-in company (Bearer API key) is recorded as the scanner.
 */
export function verifyRoutes(
  verify: VerifyService,
  orgs: OrgsService,
  access: AccessService,
  limit: RequestHandler,
  /** The report form's submission token for a label, verdict and client (ReportsService.pageToken). */
  pageToken: (label: ReportLabel, client: string) => string,
  /** The support assistant form's token vouching for the verdict shown (ScanSupportService.pageToken). */
  chatToken: (label: ReportLabel) => string,
): RouteSpec[] {
  const scanner = async (token: string | undefined) => {
    if (!token) return undefined;
    const p = await access.authenticate(token).catch(() => null); // a bad credential scans anonymously
    return p?.companyId ? orgs.get(p.companyId) : undefined;
  };
  const PUBLIC = {
    public: "the scan: anyone holding a part may check it; personal data is masked, rate-limited per client",
  };
  return [
    route(
      "get",
      "/01/:gtin/21/:serial",
      PUBLIC,
      "GS1 Digital Link resolver: the verification page or verdict",
      limit,
      // Digital Link qualifiers and attributes (lot, signature, lang, loc …) are parsed by the resolver itself.
      validate({ params: scanParams, query: z.record(z.string(), z.union([z.string(), z.array(z.string())])) }),
      responds(raw("text/html"), 200, { description: "the verification page (Accept: text/html, the default)" }),
      responds(verdictSchema, 200, { description: "the verdict (Accept: application/json)" }),
      async (req, res) => {
        const wantsJson = req.accepts(["text/html", "application/json"]) === "application/json";
        const { lang: rawLang, loc, ...linkQuery } = req.query as Record<string, unknown>;
        const lang: Lang =
          rawLang === "en" ||
          (rawLang === undefined && !req.acceptsLanguages("zh", "zh-CN") && req.acceptsLanguages("en") === "en")
            ? "en"
            : "zh";
        const link = parseDigitalLink(String(req.params.gtin), String(req.params.serial), linkQuery);
        const company = await scanner(bearer(req));
        const verdict = await verify.scan(link, { company, location: location(loc) });
        res.setHeader("Cache-Control", "no-store");
        res.vary("Accept");
        if (wantsJson) {
          res.json(verdict);
          return;
        }
        const params = new URLSearchParams(Object.entries(req.query as Record<string, string>));
        params.set("lang", lang === "zh" ? "en" : "zh");
        // A verdict that asks for a report carries the report form, which posts to this server (CSP form-action 'self').
        const form = REPORTABLE.has(verdict.verdict)
          ? {
              gtin: link.gtin,
              serial: link.serial,
              lot: link.lot,
              signature: link.signature,
              loc: typeof loc === "string" ? loc : undefined,
              submission: pageToken({ ...link, verdict: verdict.verdict }, req.ip ?? "unknown"),
            }
          : undefined;
        // Every page carries the support assistant's form (问售后助手), which posts to this server too.
        const label = { gtin: link.gtin, serial: link.serial, lot: link.lot, signature: link.signature };
        const chat = { ...label, verdict: verdict.verdict, page: chatToken({ ...label, verdict: verdict.verdict }) };
        res.setHeader("Content-Security-Policy", FORM_PAGE_CSP);
        res.type("html").send(renderVerifyPage(verdict, lang, `${req.path}?${params.toString()}`, form, chat));
      },
    ),
  ];
}
