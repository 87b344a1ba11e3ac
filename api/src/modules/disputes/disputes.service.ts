import { randomBytes } from "node:crypto";
import { AppError, Stage, auditTrail, type Sql } from "../../../../ledger-service/src/index.js";
import type { AuditContext, Principal } from "../../security/principal.js";
import { crossTenant, notFound } from "../../security/tenant.js";
import { idempotent, type Reply } from "../../shared/idempotency.js";
import { uniqueViolation } from "../../shared/pg-errors.js";
import type { ReturnsService } from "../returns/returns.service.js";
import type { ApprovalRow, UsersService } from "../users/users.service.js";
import type { WebhooksService } from "../webhooks/webhooks.service.js";
import { APPROVAL_KIND, sidesFor, type DisputeSide, type DisputeStatus, type Outcome } from "./dispute-states.js";
import { disputesRepository as repo, type DisputePatch, type DisputeRow } from "./disputes.repository.js";

const hex = () => randomBytes(8).toString("hex");
const iso = (v: string | Date) => new Date(v).toISOString();
const STAGE_NAMES: Record<number, string> = {
  [Stage.Commissioned]: "commissioned",
  [Stage.Received]: "received",
  [Stage.Installed]: "installed",
  [Stage.Shipped]: "shipped",
};

export interface DisputeStep {
  to: DisputeStatus;
  outcome?: Outcome | undefined;
  amountFen?: number | undefined;
  note?: string | undefined;
}

type Evidence = NonNullable<Awaited<ReturnType<ReturnsService["evidence"]>>>;

/**
 * Disputes between a return's requester and its seller when the seller refused it (or authorised only part): an
 * evidence timeline (the return's history and photos, the serial's ledger events, messages from both sides and the
 * platform), arbitration by a platform person whose proposed outcome a second platform person approves in the shared
 * approvals inbox (the two-person rule, approval kind `dispute_outcome`), and a settlement that refunds through the
 * returns module's refunds — once, whatever is retried.
 */
export class DisputesService {
  constructor(
    private readonly db: Sql,
    private readonly returns: ReturnsService,
    private readonly users: UsersService,
    private readonly webhooks: WebhooksService,
  ) {
    users.registerApprovalKind(APPROVAL_KIND, (tx, ctx, approver, request) => this.settle(tx, ctx, approver, request), {
      platform: true,
    });
  }

  async open(
    ctx: AuditContext,
    p: Principal,
    body: { returnId: string; reason: string; claimFen?: number },
    key?: string,
  ) {
    const ev = await this.returns.evidence(body.returnId);
    if (!ev) throw notFound("return", body.returnId);
    if (ev.requesterId !== p.companyId) {
      if (ev.sellerId === p.companyId)
        throw new AppError("DISPUTE.NOT_REQUESTER", "only the return's requester opens a dispute over it", 403);
      await crossTenant(this.db, ctx, p, "return", body.returnId, ev.sellerId);
    }
    const maxFen = disputable(ev);
    const claimFen = body.claimFen ?? maxFen;
    if (claimFen > maxFen)
      throw new AppError(
        "DISPUTE.CLAIM_TOO_HIGH",
        `claimFen: the return allows at most ${maxFen} fen to be disputed, got ${claimFen}`,
        400,
        { field: "claimFen", max: maxFen },
      );
    return idempotent(this.db, p.companyId!, "dispute", body, key, (within) =>
      this.db
        .transaction(async (tx) => {
          const id = `dsp_${hex()}`;
          const actor = ctx.actorId ?? "unknown";
          await repo.insert(
            tx,
            {
              id,
              returnId: ev.id,
              requesterId: ev.requesterId,
              sellerId: ev.sellerId,
              reason: body.reason,
              claimFen,
              maxFen,
            },
            actor,
          );
          await this.webhooks.emit(tx, "dispute.opened", [ev.sellerId, ev.requesterId], {
            disputeId: id,
            returnId: ev.id,
            claimFen,
          });
          await auditTrail.append(tx, {
            ...ctx,
            companyId: ev.sellerId,
            action: "dispute.open",
            resource: "dispute",
            resourceId: id,
            changes: { status: { after: "open" }, claimFen: { after: claimFen }, returnId: { after: ev.id } },
          });
          const reply: Reply = { status: 201, body: await this.view(tx, id, ["requester"]) };
          await within(tx, reply);
          return reply;
        })
        .catch((e: unknown) => {
          if (uniqueViolation(e, "disputes_return_id_key"))
            throw new AppError("DISPUTE.ALREADY_OPEN", `return ${body.returnId} already has a dispute`, 409, {
              field: "returnId",
            });
          throw e;
        }),
    );
  }

  async list(p: Principal, q: { status?: DisputeStatus | undefined; limit: number }) {
    return repo.list(this.db, p.companyId, q);
  }

  async get(ctx: AuditContext, p: Principal, id: string) {
    const { sides } = await this.sidesOf(ctx, p, id);
    return this.view(this.db, id, sides);
  }

  /** A message on the dispute's timeline, from the requester, the seller or the platform. */
  async message(ctx: AuditContext, p: Principal, id: string, body: string) {
    const { row, sides } = await this.sidesOf(ctx, p, id);
    if (row.status === "settled" || row.status === "withdrawn")
      throw new AppError("DISPUTE.CLOSED", `dispute ${id} is ${row.status}; it takes no more messages`, 409);
    await this.db.transaction(async (tx) => {
      await repo.event(tx, id, { kind: "message", side: sides[0]!, actor: ctx.actorId ?? "unknown", body });
      await this.webhooks.emit(tx, "dispute.message", [row.sellerId, row.requesterId], { disputeId: id });
      await auditTrail.append(tx, {
        ...ctx,
        companyId: row.sellerId,
        action: "dispute.message",
        resource: "dispute",
        resourceId: id,
        changes: { side: { after: sides[0] } },
      });
    });
    return this.view(this.db, id, sides);
  }

  /** Moves a dispute along the declared table by the side it names; a proposal files the two-person request. */
  async transition(ctx: AuditContext, p: Principal, id: string, step: DisputeStep) {
    const { sides } = await this.sidesOf(ctx, p, id);
    return this.db.transaction(async (tx) => {
      const row = (await repo.get(tx, id, true))!;
      assertStep(row, step.to, sides);
      const actor = ctx.actorId ?? "unknown";
      if (step.to === "settled") {
        // Only the seller reaches this (the table): it concedes, no arbitration (DECISIONS 119).
        const amountFen = concession(row, step);
        await this.settleRow(tx, ctx, row, {
          side: "seller",
          actor: p.person ?? actor,
          outcome: step.outcome!,
          amountFen,
          note: step.note ?? null,
          evidence: { disputeId: row.id, concededBy: p.person ?? actor, side: "seller" },
        });
        return this.view(tx, id, sides);
      }
      const patch: DisputePatch = {};
      if (step.to === "under_review") {
        if (row.status === "proposed" && row.approvalId) {
          const status = await this.users.approvalStatus(row.approvalId, tx);
          if (status === "submitted" || status === "approved")
            throw new AppError(
              "DISPUTE.PROPOSAL_PENDING",
              `the proposal ${row.approvalId} is ${status}; it goes back to review only once rejected or withdrawn`,
              409,
              { approvalId: row.approvalId },
            );
          patch.approval_id = null;
        }
        patch.arbiter = p.person ?? actor;
      }
      if (step.to === "proposed") {
        if (!p.permissions.has("dispute:submit"))
          throw new AppError("DISPUTE.NOT_AN_ARBITER", "proposing an outcome needs dispute:submit", 403);
        const amountFen = amountOf(row, step);
        const proposal = { outcome: step.outcome!, amountFen, note: step.note ?? null, by: p.person ?? actor };
        patch.proposal = proposal;
        patch.approval_id = await this.users.submitApproval(
          tx,
          ctx,
          p,
          APPROVAL_KIND,
          row.id,
          { ...proposal, returnId: row.returnId },
          { outcome: { after: step.outcome }, amountFen: { after: amountFen }, disputeId: { after: row.id } },
        );
      }
      await repo.setStatus(tx, id, row.status, step.to, sides[0]!, actor, step.note ?? null, patch);
      await this.webhooks.emit(tx, `dispute.${step.to}`, [row.sellerId, row.requesterId], {
        disputeId: id,
        from: row.status,
        to: step.to,
      });
      await auditTrail.append(tx, {
        ...ctx,
        companyId: row.sellerId,
        action: `dispute.${step.to}`,
        resource: "dispute",
        resourceId: id,
        changes: {
          status: { before: row.status, after: step.to },
          ...(patch.proposal ? { proposal: { after: JSON.stringify(patch.proposal) } } : {}),
          ...(patch.approval_id ? { approvalId: { after: patch.approval_id } } : {}),
        },
      });
      return this.view(tx, id, sides);
    });
  }

  /**
   * The approval of a proposal (POST /approvals/{id}/approve by a second platform person), inside its transaction:
   * settles the dispute and refunds what was proposed. The approvals module decides a request once; the refund is
   * one per return and dispute at the database as well.
   */
  private async settle(tx: Sql, ctx: AuditContext, approver: Principal, request: ApprovalRow) {
    if (!approver.permissions.has("dispute:approve"))
      throw new AppError("DISPUTE.NOT_AN_ARBITER", "approving a dispute's outcome needs dispute:approve", 403);
    const row = await repo.get(tx, request.subjectId, true);
    if (!row) throw notFound("dispute", request.subjectId);
    if (row.status !== "proposed" || row.approvalId !== request.id)
      throw new AppError(
        "DISPUTE.NOT_PROPOSED",
        `dispute ${row.id} is ${row.status}; approval ${request.id} is not its open proposal`,
        409,
      );
    const proposal = row.proposal!;
    await this.settleRow(tx, ctx, row, {
      side: "system",
      actor: approver.person ?? ctx.actorId ?? "unknown",
      outcome: proposal.outcome,
      amountFen: proposal.amountFen,
      note: proposal.note,
      evidence: { disputeId: row.id, approvalId: request.id, proposedBy: proposal.by, approvedBy: approver.person },
    });
  }

  /**
   * Settles a locked dispute in `tx` — by the approval of a proposal (`system`) or by the seller's concession — and
   * refunds `amountFen` to the requester through the returns module's refunds (kind `dispute`, one per return: a
   * second settlement finds the first refund, never credits twice).
   */
  private async settleRow(
    tx: Sql,
    ctx: AuditContext,
    row: DisputeRow,
    s: {
      side: "system" | "seller";
      actor: string;
      outcome: Outcome;
      amountFen: number;
      note: string | null;
      evidence: Record<string, unknown>;
    },
  ) {
    let refundId: string | null = null;
    if (s.amountFen > 0) {
      const id = `rf_${hex()}`;
      const ev = (await this.returns.evidence(row.returnId, tx))!;
      const credited = await this.returns.creditDisputeRefund(tx, {
        refundId: id,
        returnId: row.returnId,
        sellerId: row.sellerId,
        payeeId: ev.requesterId,
        amountFen: s.amountFen,
        evidence: s.evidence,
      });
      refundId = credited ? id : ((await this.returns.disputeRefundOf(tx, row.returnId))?.id ?? null);
    }
    await repo.setStatus(tx, row.id, row.status, "settled", s.side, s.actor, s.note, {
      outcome: s.outcome,
      outcome_fen: s.amountFen,
      refund_id: refundId,
      settled_at: new Date().toISOString(),
    });
    await this.webhooks.emit(tx, "dispute.settled", [row.sellerId, row.requesterId], {
      disputeId: row.id,
      outcome: s.outcome,
      amountFen: s.amountFen,
      by: s.side === "seller" ? "seller" : "platform",
    });
    await auditTrail.append(tx, {
      ...ctx,
      companyId: row.sellerId,
      action: s.side === "seller" ? "dispute.concede" : "dispute.settled",
      resource: "dispute",
      resourceId: row.id,
      changes: {
        status: { before: row.status, after: "settled" },
        outcome: { after: s.outcome },
        refundFen: { after: s.amountFen },
        ...(s.side === "seller" ? { concededBy: { after: s.actor } } : { approvedBy: { after: s.actor } }),
      },
    });
  }

  private async sidesOf(ctx: AuditContext, p: Principal, id: string) {
    const row = await repo.get(this.db, id);
    if (!row) throw notFound("dispute", id);
    const sides: Array<Exclude<DisputeSide, "system">> = [];
    if (row.requesterId === p.companyId) sides.push("requester");
    if (row.sellerId === p.companyId) sides.push("seller");
    if (p.companyId === null && p.kind === "platform") sides.push("platform");
    if (!sides.length) await crossTenant(this.db, ctx, p, "dispute", id, row.sellerId);
    return { row, sides };
  }

  private async view(db: Sql, id: string, sides: Array<Exclude<DisputeSide, "system">>) {
    const row = (await repo.get(db, id))!;
    const ev = (await this.returns.evidence(row.returnId, db))!;
    const events = await repo.events(db, id);
    const timeline = [
      ...ev.history.map((h) => ({
        at: iso(h.at),
        kind: "return_status" as const,
        side: null,
        actor: h.actor,
        text: h.note,
        ref: h.to,
      })),
      ...ev.ledger.map((e) => ({
        at: iso(e.at),
        kind: "ledger" as const,
        side: null,
        actor: e.companyId,
        text: STAGE_NAMES[e.step] ?? `step ${e.step}`,
        ref: String(e.seq),
      })),
      ...ev.photos.map((f) => ({
        at: iso(f.at),
        kind: "photo" as const,
        side: f.companyId === ev.requesterId ? ("requester" as const) : ("seller" as const),
        actor: f.companyId,
        text: f.media,
        ref: f.id,
      })),
      ...events.map((e) => ({
        at: iso(e.at),
        kind: e.kind === "message" ? ("message" as const) : ("dispute_status" as const),
        side: e.side,
        actor: e.actor,
        text: e.body,
        ref: e.kind === "status" ? e.to : null,
      })),
    ].sort((a, b) => a.at.localeCompare(b.at));
    return {
      ...row,
      sides,
      approvalStatus: row.approvalId ? await this.users.approvalStatus(row.approvalId, db) : null,
      return: {
        id: ev.id,
        orderId: ev.orderId,
        lineNo: ev.lineNo,
        gtin: ev.gtin,
        serial: ev.serial,
        quantity: ev.quantity,
        authorisedQuantity: ev.authorisedQuantity,
        unitPriceFen: ev.unitPriceFen,
        reason: ev.reason,
        status: ev.status,
        resolution: ev.resolution,
        note: ev.note,
        refusal:
          ev.history.findLast((h) => h.to === "refused")?.note ??
          (ev.resolution === "refusal" ? (ev.history.findLast((h) => h.to === "resolved")?.note ?? null) : null),
      },
      timeline,
    };
  }
}

/** The fen a dispute over this return may recover; 409 when the return was not refused, in whole or part. */
function disputable(r: Evidence): number {
  const units =
    r.status === "refused" || (r.status === "closed" && r.authorisedQuantity === null && r.resolution === null)
      ? r.quantity
      : r.resolution === "refusal"
        ? (r.authorisedQuantity ?? r.quantity)
        : r.authorisedQuantity !== null && r.authorisedQuantity < r.quantity
          ? r.quantity - r.authorisedQuantity
          : 0;
  if (!units || r.unitPriceFen * units <= 0)
    throw new AppError(
      "DISPUTE.NOT_REFUSED",
      `return ${r.id} is ${r.status}${r.resolution ? ` (${r.resolution})` : ""}; ` +
        "only a refused or partly authorised return can be disputed",
      409,
      { field: "returnId", status: r.status },
    );
  return r.unitPriceFen * units;
}

/** The fen a proposal refunds: all the dispute allows, part of it, or nothing. */
function amountOf(row: DisputeRow, step: DisputeStep): number {
  if (!step.outcome)
    throw new AppError("DISPUTE.FIELD_REQUIRED", "outcome is required to propose one", 400, { field: "outcome" });
  if (step.outcome === "refund_full") return row.maxFen;
  if (step.outcome === "refusal_upheld") return 0;
  if (step.amountFen === undefined)
    throw new AppError("DISPUTE.FIELD_REQUIRED", "amountFen is required for a partial refund", 400, {
      field: "amountFen",
    });
  if (step.amountFen >= row.maxFen)
    throw new AppError(
      "DISPUTE.INVALID_AMOUNT",
      `amountFen: a partial refund is less than the ${row.maxFen} fen in dispute, got ${step.amountFen}`,
      400,
      { field: "amountFen", max: row.maxFen },
    );
  return step.amountFen;
}

/**
 * The fen a seller's concession refunds: the requester's whole claim (`refund_full`) or less (`refund_part`). A seller
 * does not "uphold its refusal" by conceding: that is the platform's outcome.
 */
function concession(row: DisputeRow, step: DisputeStep): number {
  if (!step.outcome)
    throw new AppError("DISPUTE.FIELD_REQUIRED", "outcome is required to concede (refund_full or refund_part)", 400, {
      field: "outcome",
    });
  if (step.outcome === "refusal_upheld")
    throw new AppError(
      "DISPUTE.INVALID_OUTCOME",
      "outcome: a seller concedes with refund_full (the requester's claim) or refund_part, got refusal_upheld",
      400,
      { field: "outcome" },
    );
  if (step.outcome === "refund_full") return row.claimFen;
  if (step.amountFen === undefined)
    throw new AppError("DISPUTE.FIELD_REQUIRED", "amountFen is required for a partial refund", 400, {
      field: "amountFen",
    });
  if (step.amountFen >= row.claimFen)
    throw new AppError(
      "DISPUTE.INVALID_AMOUNT",
      `amountFen: a partial concession is less than the ${row.claimFen} fen claimed, got ${step.amountFen}`,
      400,
      { field: "amountFen", max: row.claimFen },
    );
  return step.amountFen;
}

function assertStep(row: DisputeRow, to: DisputeStatus, sides: ReadonlyArray<DisputeSide>) {
  const needs = sidesFor(row.status, to).filter((s) => s !== "system");
  if (!sidesFor(row.status, to).length)
    throw new AppError(
      "DISPUTE.INVALID_TRANSITION",
      `dispute ${row.id} is ${row.status}; it cannot become ${to}`,
      409,
      {
        field: "to",
        from: row.status,
        to,
      },
    );
  if (!needs.some((s) => sides.includes(s)))
    throw new AppError(
      "DISPUTE.NOT_YOUR_STEP",
      needs.length
        ? `${row.status} → ${to} is the ${needs.join(" or ")}'s step; you are the dispute's ${sides.join(" and ")}`
        : `${row.status} → ${to} happens when a second platform person approves the proposal ` +
            "(POST /approvals/{id}/approve)",
      403,
      { field: "to" },
    );
}
