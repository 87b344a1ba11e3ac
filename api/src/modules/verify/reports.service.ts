import { createHash, randomBytes } from "node:crypto";
import { AppError, auditTrail, type KeyVault, type Sql } from "../../../../ledger-service/src/index.js";
import { coarse } from "../../shared/geo.js";
import { maskEmail, maskMobile, normaliseEmail, normaliseMobile } from "../../security/personal-data.js";
import type { AuditContext, Principal } from "../../security/principal.js";
import { crossTenant, notFound } from "../../security/tenant.js";
import { reportsRepository as repo, type ReportRow } from "./reports.repository.js";
import type { ReportBody, ReportStatus } from "./reports.schema.js";

/** The declared life of a report: the brand owner or the platform takes it up, then confirms or dismisses it. */
export const REPORT_TRANSITIONS: Record<ReportStatus, readonly ReportStatus[]> = {
  new: ["reviewing"],
  reviewing: ["confirmed", "dismissed"],
  confirmed: [],
  dismissed: [],
};

/** What the reporter is told: the report's number and who it went to, nothing of anyone else's report. */
export interface FiledReport {
  id: string;
  status: ReportStatus;
  /** True when this submission had been recorded already (the same page's form sent again): nothing new was stored. */
  duplicate: boolean;
  routedTo: Array<"brand_owner" | "platform">;
  createdAt: string;
  /** The label as scanned, to link back to its scan page. */
  gtin: string;
  serial: string;
  lot: string | null;
  signature: string | null;
}

/** How a submission is recognised again: the page's token (body.submission), else the Idempotency-Key, else the request. */
export interface SubmissionOf {
  idempotencyKey?: string | undefined;
  /** The client (its IP address): with the day and the body, the key of a request that carries neither. */
  client: string;
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;

/**
 * Counterfeit reports filed from the public scan page. Each goes to the brand owner — the company owning the GTIN's
 * verified GS1 company prefix when it is filed — and to the platform. The reporter's contact is personal data:
 * encrypted at rest with the key vault (like VINs and car owners), masked unless revealed with personal_data:view.
 */
export class ReportsService {
  constructor(
    private readonly db: Sql,
    private readonly vault: KeyVault,
    /** The verified owner of a GTIN's GS1 company prefix (modules/gs1). */
    private readonly gtinOwner: (gtin: string) => Promise<{ companyId: string } | null>,
    /** A part's custody and recent scans, and its last company of record (VerifyService). */
    private readonly parts: {
      evidence(gtin: string, serial: string): Promise<{ custody: unknown[]; scans: unknown[] }>;
      lastHolder(gtin: string, serial: string): Promise<{ companyId: string; name: string; kind: string } | null>;
    } = {
      evidence: async () => ({ custody: [], scans: [] }),
      lastHolder: async () => null,
    },
  ) {}

  /** Parts whose counterfeit reports the brand owner confirmed (for credit profiles: who handled them). */
  confirmedParts(limit = 10_000): Promise<Array<{ gtin: string; serial: string }>> {
    return repo.confirmedParts(this.db, limit);
  }

  /**
   * What a report rests on: the report, the part's custody on the ledger and its recent scans (where, to 0.01°), how
   * many reports name the same serial, and its last company of record — for the brand owner and the platform.
   */
  async evidence(ctx: AuditContext, principal: Principal, id: string) {
    const row = await this.visible(ctx, principal, id);
    const [{ custody, scans }, lastHolder, sameSerial] = await Promise.all([
      this.parts.evidence(row.gtin, row.serial),
      this.parts.lastHolder(row.gtin, row.serial),
      repo.samePart(this.db, row.gtin, row.serial, principal.kind === "platform" ? null : row.brand_owner_id),
    ]);
    return { report: this.view(row, false), custody, scans, reportsOfSameSerial: sameSerial, lastHolder };
  }

  /**
   * Where reports repeat: places (0.01° cells) with at least `min` reports, last companies of record named by at least
   * `min` reports, and serials reported at least `min` times — over the last `days` days of the brand owner's reports
   * (the platform: all), the latest 2,000 at most.
   */
  async repeats(principal: Principal, q: { days: number; min: number }) {
    const rows = await repo.recent(
      this.db,
      principal.kind === "platform" ? null : (principal.companyId ?? ""),
      q.days,
      2000,
    );
    const places = new Map<string, { lng: number; lat: number; reports: number; serials: Set<string>; lastAt: Date }>();
    const parts = new Map<string, { gtin: string; serial: string; reports: number; places: Set<string> }>();
    for (const r of rows) {
      const part = `${r.gtin}/${r.serial}`;
      const p = parts.get(part) ?? { gtin: r.gtin, serial: r.serial, reports: 0, places: new Set<string>() };
      p.reports++;
      if (r.lng !== null && r.lat !== null) {
        const cell = `${r.lng.toFixed(2)},${r.lat.toFixed(2)}`;
        p.places.add(cell);
        const c = places.get(cell) ?? {
          lng: r.lng,
          lat: r.lat,
          reports: 0,
          serials: new Set<string>(),
          lastAt: r.created_at,
        };
        c.reports++;
        c.serials.add(part);
        places.set(cell, c);
      }
      parts.set(part, p);
    }
    const sellers = new Map<
      string,
      { companyId: string; name: string; kind: string; reports: number; serials: Set<string> }
    >();
    for (const p of parts.values()) {
      const holder = await this.parts.lastHolder(p.gtin, p.serial);
      if (!holder) continue;
      const s = sellers.get(holder.companyId) ?? { ...holder, reports: 0, serials: new Set<string>() };
      s.reports += p.reports;
      s.serials.add(`${p.gtin}/${p.serial}`);
      sellers.set(holder.companyId, s);
    }
    return {
      reportsConsidered: rows.length,
      locations: [...places.values()]
        .filter((c) => c.reports >= q.min)
        .sort((a, b) => b.reports - a.reports)
        .map((c) => ({
          location: { lng: c.lng, lat: c.lat },
          reports: c.reports,
          serials: c.serials.size,
          lastAt: new Date(c.lastAt).toISOString(),
        })),
      sellers: [...sellers.values()]
        .filter((s) => s.reports >= q.min)
        .sort((a, b) => b.reports - a.reports)
        .map((s) => ({
          companyId: s.companyId,
          name: s.name,
          kind: s.kind,
          reports: s.reports,
          serials: s.serials.size,
        })),
      serials: [...parts.values()]
        .filter((p) => p.reports >= q.min)
        .sort((a, b) => b.reports - a.reports)
        .map((p) => ({ gtin: p.gtin, serial: p.serial, reports: p.reports, places: p.places.size })),
    };
  }

  /**
   * The token the scan page's form carries: the same for the same label, verdict and client on one (UTC) day, so
   * going back (the page is re-rendered: it is not cached) and sending again is one report. Keyed with the vault's
   * blind-index key, so nobody can compute another client's token and file first under it.
   */
  pageToken(
    label: { gtin: string; serial: string; lot?: string | undefined; signature?: string | undefined; verdict: string },
    client: string,
    now = new Date(),
  ): string {
    const what = [label.gtin, label.serial, label.lot ?? null, label.signature ?? null, label.verdict, client];
    return this.vault
      .blindIndex("counterfeit_report.page", JSON.stringify([...what, now.toISOString().slice(0, 10)]))
      .toString("hex")
      .slice(0, 32);
  }

  async file(ctx: AuditContext, body: ReportBody, from: SubmissionOf): Promise<FiledReport> {
    const contact = body.contact === undefined ? null : normaliseContact(body.contact);
    const key = submissionKey(body, from);
    const known = await repo.bySubmission(this.db, key);
    if (known) return filed(known, true);
    const id = `cr_${randomBytes(8).toString("hex")}`;
    const owner = await this.gtinOwner(body.gtin);
    const [lng, lat] = body.loc ? body.loc.split(",").map(Number) : [null, null];
    let inserted = false;
    await this.db.transaction(async (tx) => {
      inserted = await repo.insert(tx, {
        id,
        submissionKey: key,
        gtin: body.gtin,
        serial: body.serial,
        lot: body.lot ?? null,
        signature: body.signature ?? null,
        verdict: body.verdict,
        note: body.note ?? null,
        contactCt: contact ? this.vault.seal(contact, `counterfeit_report:${id}:contact`) : null,
        lng: lng == null ? null : coarse(lng),
        lat: lat == null ? null : coarse(lat),
        brandOwnerId: owner?.companyId ?? null,
      });
      if (!inserted) return; // the same submission, committed meanwhile by a concurrent request
      await auditTrail.append(tx, {
        ...ctx,
        companyId: owner?.companyId ?? null,
        action: "counterfeit_report.create",
        resource: "counterfeit_report",
        resourceId: id,
        changes: {
          status: { after: "new" },
          gtin: { after: body.gtin },
          serial: { after: body.serial },
          verdict: { after: body.verdict },
        },
      });
    });
    return filed((await repo.bySubmission(this.db, key))!, !inserted);
  }

  /** The brand owner's reports (its GTINs), or every report for the platform; contacts masked unless `reveal`. */
  async list(
    ctx: AuditContext,
    principal: Principal,
    q: { status?: ReportStatus | undefined; gtin?: string | undefined; limit: number },
    reveal: boolean,
  ) {
    const rows = await repo.list(
      this.db,
      { ...(principal.kind === "platform" ? {} : { brandOwnerId: principal.companyId ?? "" }), ...q },
      q.limit,
    );
    const withContact = rows.filter((r) => r.contact_ct);
    if (reveal && withContact.length) await this.logReveal(ctx, principal, withContact);
    return rows.map((r) => this.view(r, reveal));
  }

  async get(ctx: AuditContext, principal: Principal, id: string, reveal: boolean) {
    const row = await this.visible(ctx, principal, id);
    if (reveal && row.contact_ct) await this.logReveal(ctx, principal, [row]);
    return this.view(row, reveal);
  }

  /** Moves a report along REPORT_TRANSITIONS (409 otherwise), with an audit entry in the same transaction. */
  async setStatus(
    ctx: AuditContext,
    principal: Principal,
    id: string,
    to: ReportStatus,
    resolution: string | undefined,
  ) {
    const row = await this.visible(ctx, principal, id);
    if (!REPORT_TRANSITIONS[row.status].includes(to)) {
      throw new AppError(
        "REPORT.INVALID_TRANSITION",
        `status: a ${row.status} report cannot become ${to} (allowed: ${REPORT_TRANSITIONS[row.status].join(", ") || "none, it is closed"})`,
        409,
        { field: "status", from: row.status, to },
      );
    }
    await this.db.transaction(async (tx) => {
      if (!(await repo.setStatus(tx, id, row.status, to, principal.person ?? principal.id, resolution ?? null)))
        throw new AppError("REPORT.CHANGED", `report ${id} changed meanwhile; read it again`, 409);
      await auditTrail.append(tx, {
        ...ctx,
        companyId: row.brand_owner_id,
        action: "counterfeit_report.status",
        resource: "counterfeit_report",
        resourceId: id,
        changes: {
          status: { before: row.status, after: to },
          ...(resolution ? { resolution: { after: resolution } } : {}),
        },
      });
    });
    return this.view((await repo.byId(this.db, id))!, false);
  }

  /** A report the principal may see: the platform sees all, a brand owner its own; another's answers 404 (logged). */
  private async visible(ctx: AuditContext, principal: Principal, id: string): Promise<ReportRow> {
    const row = await repo.byId(this.db, id);
    if (!row) throw notFound("counterfeit report", id);
    if (principal.kind !== "platform" && row.brand_owner_id !== principal.companyId)
      return crossTenant(this.db, ctx, principal, "counterfeit report", id, row.brand_owner_id);
    return row;
  }

  private async logReveal(ctx: AuditContext, principal: Principal, rows: ReportRow[]) {
    await this.db.transaction((tx) =>
      auditTrail.append(tx, {
        ...ctx,
        companyId: principal.companyId,
        action: "personal_data.reveal",
        resource: "counterfeit_report",
        resourceId: rows
          .map((r) => r.id)
          .join(",")
          .slice(0, 500),
        changes: { fields: { after: ["contact"] } },
      }),
    );
  }

  private view(r: ReportRow, reveal: boolean) {
    const contact = r.contact_ct ? this.vault.openText(r.contact_ct, `counterfeit_report:${r.id}:contact`) : null;
    return {
      id: r.id,
      gtin: r.gtin,
      serial: r.serial,
      lot: r.lot,
      signature: r.signature,
      verdict: r.verdict,
      note: r.note,
      contact: contact && (reveal ? contact : maskContact(contact)),
      location: r.lng === null || r.lat === null ? null : { lng: r.lng, lat: r.lat },
      brandOwnerId: r.brand_owner_id,
      status: r.status,
      resolution: r.resolution,
      decidedBy: r.decided_by,
      createdAt: new Date(r.created_at).toISOString(),
      updatedAt: new Date(r.updated_at).toISOString(),
      masked: !reveal,
    };
  }
}

/** A mainland mobile number (normalised to 11 digits) or an e-mail address (lower-cased); 400 naming `contact` else. */
function normaliseContact(raw: string): string {
  const mobile = normaliseMobile(raw);
  if (mobile) return mobile;
  if (EMAIL.test(raw.trim())) return normaliseEmail(raw);
  throw new AppError(
    "REQUEST.INVALID",
    "body.contact: a mainland China mobile number (11 digits) or an e-mail address, or leave it empty",
    400,
    { field: "contact" },
  );
}

const maskContact = (c: string) => (c.includes("@") ? maskEmail(c) : maskMobile(c));

function submissionKey(body: ReportBody, from: SubmissionOf): Buffer {
  const h = createHash("sha256");
  if (body.submission) h.update(`page\n${body.submission}`);
  else if (from.idempotencyKey) h.update(`key\n${from.idempotencyKey}`);
  else {
    // Neither: the same request from the same client on the same (UTC) day is the same report.
    const { submission: _, ...rest } = body;
    const fields = Object.fromEntries(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b)));
    h.update(`request\n${from.client}\n${new Date().toISOString().slice(0, 10)}\n${JSON.stringify(fields)}`);
  }
  return h.digest();
}

function filed(r: ReportRow, duplicate: boolean): FiledReport {
  return {
    id: r.id,
    status: r.status,
    duplicate,
    routedTo: r.brand_owner_id ? ["brand_owner", "platform"] : ["platform"],
    createdAt: new Date(r.created_at).toISOString(),
    gtin: r.gtin,
    serial: r.serial,
    lot: r.lot,
    signature: r.signature,
  };
}
