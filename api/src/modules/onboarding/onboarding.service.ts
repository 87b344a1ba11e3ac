import { randomBytes } from "node:crypto";
import { AppError, auditTrail, type Sql } from "../../../../ledger-service/src/index.js";
import { regions } from "../../shared/regions.js";
import { personOf, type AuditContext, type Principal } from "../../security/principal.js";
import { notFound } from "../../security/tenant.js";
import type { OrgsService } from "../orgs/orgs.service.js";
import { assertUscc } from "../orgs/uscc.js";
import type { ApprovalRow, UsersService } from "../users/users.service.js";
import { checkLicence, type LicenceStore, type StoredLicence } from "./licence-store.js";
import { applicationSideFor, type ApplicationStatus } from "./onboarding-states.js";
import { onboardingRepository as repo, type ApplicationRow } from "./onboarding.repository.js";
import type { ApplicationView, QueueQuery, Registration, Resubmission } from "./onboarding.schema.js";

const KIND = "company_onboarding";
/** Who registers themselves: nobody yet (the first admin is created by the registration). */
const APPLICANT: Principal = {
  type: "operator",
  id: "self-registration",
  person: null,
  companyId: null,
  kind: "platform",
  roles: [],
  permissions: new Set(),
};

/**
 * Dealer onboarding (入驻审核, DECISIONS 98): a company registers itself with its business licence and USCC and is
 * pending; a platform reviewer approves (which files a two-person request of kind company_onboarding) and a second,
 * different reviewer approves that request (here or in the approvals inbox) — the company then trades. Either refusal
 * carries a reason; a refused application is corrected and resubmitted. Every step is audited and kept as a step.
 */
export class OnboardingService {
  constructor(
    private readonly db: Sql,
    private readonly orgs: OrgsService,
    private readonly users: UsersService,
    private readonly licences: LicenceStore,
  ) {
    users.registerApprovalKind(KIND, (tx, ctx, approver, request) => this.secondApproval(tx, ctx, approver, request), {
      platform: true,
      onDecline: (tx, ctx, decider, request, decision, reason) =>
        this.declined(tx, ctx, decider, request, decision, reason),
    });
  }

  /** Checks and stores a licence scan; the registration (or a resubmission) then names it by its SHA-256. */
  async uploadLicence(ctx: AuditContext, declaredType: string | undefined, body: Uint8Array): Promise<StoredLicence> {
    const type = checkLicence(declaredType, body);
    const stored = await this.licences.put(type, body);
    await this.db.transaction((tx) =>
      auditTrail.append(tx, {
        ...ctx,
        companyId: null,
        action: "company_application.licence_upload",
        resource: "licence",
        resourceId: stored.sha256,
        changes: { type: { after: type }, bytes: { after: stored.bytes } },
      }),
    );
    return stored;
  }

  async register(ctx: AuditContext, input: Registration): Promise<{ application: ApplicationView; adminId: string }> {
    const uscc = assertUscc(input.uscc.toUpperCase(), "uscc");
    const licence = await this.licence(input.licence);
    const location = input.location ?? centreOf(input.regionCode);
    const id = `oa_${randomBytes(8).toString("hex")}`;
    const out = await this.orgs.register(
      ctx,
      APPLICANT,
      { ...input, uscc, location, admin: input.admin },
      {
        within: async (tx, companyId) => {
          await repo.insert(tx, { id, companyId, licence });
          await repo.addStep(tx, { applicationId: id, round: 1, step: "submitted", actor: null });
          await auditTrail.append(tx, {
            ...ctx,
            companyId,
            action: "company_application.submit",
            resource: "company_application",
            resourceId: id,
            changes: { status: { after: "submitted" }, round: { after: 1 }, licence: { after: licence.sha256 } },
          });
        },
      },
    );
    return { application: await this.get(id), adminId: (out.admin as { id: string }).id };
  }

  /** The caller's company's application (the applicant's status page). */
  async mine(principal: Principal): Promise<ApplicationView> {
    const row = principal.companyId ? await repo.byCompany(this.db, principal.companyId) : null;
    if (!row)
      throw new AppError(
        "ONBOARDING.NO_APPLICATION",
        "your company has no application: it was registered by the platform and may trade",
        404,
      );
    return (await this.views([row]))[0]!;
  }

  async mineLicence(principal: Principal): Promise<{ type: string; body: Buffer }> {
    const app = await this.mine(principal);
    return { type: app.licence.type, body: await this.licences.read(app.licence) };
  }

  async licenceOf(id: string): Promise<{ type: string; body: Buffer }> {
    const app = await this.get(id);
    return { type: app.licence.type, body: await this.licences.read(app.licence) };
  }

  /** A refused application, corrected (name, USCC, region, licence) and sent for review again: a new round. */
  async resubmit(ctx: AuditContext, principal: Principal, input: Resubmission): Promise<ApplicationView> {
    const current = await this.mine(principal);
    const uscc = assertUscc(input.uscc.toUpperCase(), "uscc");
    await this.orgs.assertUsccFree(uscc, current.companyId);
    const licence = await this.licence(input.licence);
    const location = input.location ?? centreOf(input.regionCode);
    await this.db.transaction(async (tx) => {
      const row = (await repo.byId(tx, current.id, true))!;
      assertTransition(row, "submitted", "applicant");
      await this.orgs.updatePending(tx, row.company_id, {
        name: input.name,
        uscc,
        regionCode: input.regionCode,
        lng: location.lng,
        lat: location.lat,
      });
      const round = row.round + 1;
      await repo.move(tx, row.id, row.status, "submitted", {
        round,
        licence,
        reason: null,
        decided_by: null,
        decided_at: null,
        approval_id: null,
        first_approved_by: null,
      });
      await repo.addStep(tx, { applicationId: row.id, round, step: "submitted", actor: principal.id });
      await auditTrail.append(tx, {
        ...ctx,
        companyId: row.company_id,
        action: "company_application.resubmit",
        resource: "company_application",
        resourceId: row.id,
        changes: {
          status: { before: row.status, after: "submitted" },
          round: { before: row.round, after: round },
          name: { before: current.company.name, after: input.name },
          uscc: { before: current.company.uscc, after: uscc },
          regionCode: { before: current.company.regionCode, after: input.regionCode },
          licence: { before: row.licence_sha256, after: licence.sha256 },
        },
      });
    });
    return this.get(current.id);
  }

  async queue(q: QueueQuery) {
    const { rows, total } = await repo.list(this.db, q);
    return { applications: await this.views(rows), total, limit: q.limit, offset: q.offset };
  }

  async get(id: string): Promise<ApplicationView> {
    const row = await repo.byId(this.db, id);
    if (!row) throw notFound("company application", id);
    return (await this.views([row]))[0]!;
  }

  /**
   * A reviewer approves: the first approval files the two-person request; the second (another person) approves that
   * request through the approvals mechanism, whose applier (secondApproval) lets the company trade.
   */
  async approve(ctx: AuditContext, principal: Principal, id: string): Promise<ApplicationView> {
    const app = await this.get(id);
    if (app.status === "first_approved" && app.approvalId) {
      await this.users.decide(ctx, principal, app.approvalId, "approved");
      return this.get(id);
    }
    const person = personOf(principal, "approve a company's application (a second person approves it too)");
    await this.db.transaction(async (tx) => {
      const row = await repo.byId(tx, id, true);
      if (!row) throw notFound("company application", id);
      assertTransition(row, "first_approved", "reviewer");
      const approvalId = await this.users.submitApproval(
        tx,
        ctx,
        principal,
        KIND,
        id,
        { companyId: row.company_id, round: row.round },
        { status: { before: "submitted", after: "approved" }, companyId: { after: row.company_id } },
      );
      await repo.move(tx, id, "submitted", "first_approved", { approval_id: approvalId, first_approved_by: person });
      await repo.addStep(tx, { applicationId: id, round: row.round, step: "first_approved", actor: person });
      await auditTrail.append(tx, {
        ...ctx,
        companyId: row.company_id,
        action: "company_application.first_approve",
        resource: "company_application",
        resourceId: id,
        changes: { status: { before: "submitted", after: "first_approved" }, approvalId: { after: approvalId } },
      });
    });
    return this.get(id);
  }

  /** A reviewer refuses with a reason: a submitted application at once, a first-approved one through its request. */
  async refuse(ctx: AuditContext, principal: Principal, id: string, reason: string): Promise<ApplicationView> {
    const app = await this.get(id);
    if (app.status === "first_approved" && app.approvalId) {
      await this.users.decide(ctx, principal, app.approvalId, "rejected", reason);
      return this.get(id);
    }
    const person = personOf(principal, "refuse a company's application");
    await this.db.transaction(async (tx) => {
      const row = await repo.byId(tx, id, true);
      if (!row) throw notFound("company application", id);
      assertTransition(row, "refused", "reviewer");
      await this.refuseRow(tx, ctx, row, person, reason);
    });
    return this.get(id);
  }

  /** The applier of an approved company_onboarding request: the application is approved, the company may trade. */
  private async secondApproval(tx: Sql, ctx: AuditContext, approver: Principal, request: ApprovalRow) {
    if (!approver.permissions.has("company_application:approve"))
      throw new AppError(
        "AUTH.FORBIDDEN",
        "approving a company's application needs permission company_application:approve",
        403,
        { needs: "company_application:approve" },
      );
    const row = await repo.byId(tx, request.subjectId, true);
    if (!row || row.approval_id !== request.id)
      throw new AppError(
        "APPROVAL.SUBJECT_GONE",
        `application ${request.subjectId} no longer waits for this request`,
        409,
      );
    assertTransition(row, "approved", "second_reviewer");
    const person = personOf(approver, "approve a company's application");
    await repo.move(tx, row.id, "first_approved", "approved", { decided_by: person, decided_at: "now" });
    await this.orgs.approve(tx, row.company_id);
    await repo.addStep(tx, { applicationId: row.id, round: row.round, step: "approved", actor: person });
    await auditTrail.append(tx, {
      ...ctx,
      companyId: row.company_id,
      action: "company_application.approve",
      resource: "company_application",
      resourceId: row.id,
      changes: {
        status: { before: "first_approved", after: "approved" },
        onboarding: { before: "pending", after: "approved" },
        approvedBy: { after: [row.first_approved_by, person] },
      },
    });
  }

  /** A company_onboarding request rejected (the application is refused) or cancelled by its submitter (withdrawn). */
  private async declined(
    tx: Sql,
    ctx: AuditContext,
    decider: Principal,
    request: ApprovalRow,
    decision: "rejected" | "cancelled",
    reason: string | null,
  ) {
    const row = await repo.byId(tx, request.subjectId, true);
    if (!row || row.approval_id !== request.id || row.status !== "first_approved") return;
    const person = personOf(decider, "decide a company's application");
    if (decision === "rejected") {
      if (!decider.permissions.has("company_application:reject"))
        throw new AppError(
          "AUTH.FORBIDDEN",
          "refusing an application needs permission company_application:reject",
          403,
          {
            needs: "company_application:reject",
          },
        );
      if (!reason?.trim())
        throw new AppError("ONBOARDING.REASON_REQUIRED", "a refusal gives the applicant its reason", 400, {
          field: "reason",
        });
      return this.refuseRow(tx, ctx, row, person, reason.trim());
    }
    await repo.move(tx, row.id, "first_approved", "submitted", { approval_id: null, first_approved_by: null });
    await repo.addStep(tx, { applicationId: row.id, round: row.round, step: "withdrawn", actor: person });
    await auditTrail.append(tx, {
      ...ctx,
      companyId: row.company_id,
      action: "company_application.withdraw_approval",
      resource: "company_application",
      resourceId: row.id,
      changes: { status: { before: "first_approved", after: "submitted" } },
    });
  }

  private async refuseRow(tx: Sql, ctx: AuditContext, row: ApplicationRow, person: string, reason: string) {
    if (!(await repo.move(tx, row.id, row.status, "refused", { decided_by: person, decided_at: "now", reason })))
      throw decidedMeanwhile(row.id);
    await repo.addStep(tx, { applicationId: row.id, round: row.round, step: "refused", actor: person, reason });
    await auditTrail.append(tx, {
      ...ctx,
      companyId: row.company_id,
      action: "company_application.refuse",
      resource: "company_application",
      resourceId: row.id,
      changes: { status: { before: row.status, after: "refused" }, reason: { after: reason } },
    });
  }

  private async licence(sha256: string): Promise<StoredLicence> {
    const found = await this.licences.find(sha256);
    if (!found)
      throw new AppError(
        "ONBOARDING.LICENCE_UNKNOWN",
        `no uploaded licence ${sha256}: upload it first (POST /api/v1/onboarding/licences)`,
        400,
        { field: "licence" },
      );
    return found;
  }

  private async views(rows: ApplicationRow[]): Promise<ApplicationView[]> {
    const steps = await repo.steps(
      this.db,
      rows.map((r) => r.id),
    );
    return Promise.all(
      rows.map(async (r) => {
        const c = await this.orgs.get(r.company_id);
        return {
          id: r.id,
          companyId: r.company_id,
          company: {
            name: c.name,
            uscc: c.uscc,
            kind: c.kind,
            regionCode: c.regionCode,
            lng: c.lng,
            lat: c.lat,
            onboarding: c.onboarding,
          },
          status: r.status,
          round: r.round,
          licence: { sha256: r.licence_sha256, type: r.licence_type as "image/png", bytes: r.licence_bytes },
          approvalId: r.approval_id,
          firstApprovedBy: r.first_approved_by,
          decidedBy: r.decided_by,
          decidedAt: r.decided_at?.toISOString() ?? null,
          reason: r.reason,
          submittedAt: r.submitted_at.toISOString(),
          updatedAt: r.updated_at.toISOString(),
          steps: steps.get(r.id)!.map((s) => ({
            seq: s.seq,
            round: s.round,
            step: s.step,
            actor: s.actor,
            reason: s.reason,
            at: s.at.toISOString(),
          })),
        };
      }),
    );
  }
}

/** 409 ONBOARDING.TRANSITION unless the declared table lets `side` move `row` to `to`. */
function assertTransition(row: ApplicationRow, to: ApplicationStatus, side: string) {
  if (applicationSideFor(row.status, to) !== side)
    throw new AppError(
      "ONBOARDING.TRANSITION",
      `application ${row.id} is ${row.status}; it cannot become ${to} by the ${side.replace("_", " ")}`,
      409,
      { from: row.status, to },
    );
}

const decidedMeanwhile = (id: string) =>
  new AppError("ONBOARDING.DECIDED", `application ${id} was decided meanwhile`, 409);

/** The GCJ-02 centre of a GB/T 2260 region (a registration without coordinates). */
function centreOf(code: string): { lng: number; lat: number } {
  const r = regions().find((x) => x.code === code);
  if (!r || r.lng === null || r.lat === null)
    throw new AppError("ONBOARDING.REGION_UNKNOWN", `no GB/T 2260 region ${code} with a known centre`, 400, {
      field: "regionCode",
    });
  return { lng: r.lng, lat: r.lat };
}
