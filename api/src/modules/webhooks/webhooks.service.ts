import { createHmac, randomBytes } from "node:crypto";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import ipaddr from "ipaddr.js";
import { AppError, auditTrail, logger, type KeyVault, type Sql } from "../../../../ledger-service/src/index.js";
import type { AuditContext, Principal } from "../../security/principal.js";
import { crossTenant, notFound } from "../../security/tenant.js";
import { webhooksRepository as repo, type DueDelivery } from "./webhooks.repository.js";
import { WebhookTargets, type Resolve } from "./webhook-target.js";

export interface WebhookOptions {
  /** First retry after this long; each further retry waits twice as long (capped at an hour). */
  retryBaseMs: number;
  /** Attempts before a delivery is marked failed. */
  maxAttempts: number;
  /** How long one POST may take. */
  timeoutMs: number;
  /** Networks an operator lets webhooks reach although they are not public (WEBHOOK_ALLOW_CIDRS). */
  allowCidrs?: readonly string[];
  /** How host names are resolved (the system resolver by default; tests pass their own). */
  resolve?: Resolve;
}

export const DEFAULT_WEBHOOK_OPTIONS: WebhookOptions = { retryBaseMs: 10_000, maxAttempts: 10, timeoutMs: 5_000 };

/** The signature header: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. */
export function signature(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/**
 * Webhooks for order, shipment and stock events. An event is written to the outbox in the transaction of the change
 * (`emit`), so a committed change always has its event and a rolled-back one never does. The dispatcher POSTs each
 * delivery as JSON with `PartLedger-Event-Id` (receivers dedupe on it: delivery is at least once),
 * `PartLedger-Event-Type` and `PartLedger-Signature`, and retries non-2xx answers and network errors with exponential
 * backoff. Each delivery's attempts, last status and error are readable by the subscriber.
 */
export class WebhooksService {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private readonly targets: WebhookTargets;

  constructor(
    private readonly db: Sql,
    private readonly vault: KeyVault,
    private readonly opts: WebhookOptions = DEFAULT_WEBHOOK_OPTIONS,
  ) {
    this.targets = new WebhookTargets(opts.allowCidrs, opts.resolve);
  }

  async subscribe(ctx: AuditContext, p: Principal, body: { url: string; events: string[] }) {
    if (!p.companyId) throw new AppError("ORG.REQUIRED", "webhooks belong to a company", 409);
    let url: URL;
    try {
      url = new URL(body.url);
    } catch {
      throw new AppError("WEBHOOK.INVALID_URL", `url: ${JSON.stringify(body.url.slice(0, 80))} is not a URL`, 400, {
        field: "url",
      });
    }
    if (url.protocol !== "https:" && url.protocol !== "http:")
      throw new AppError("WEBHOOK.INVALID_URL", `url: must be http(s), got ${url.protocol.replace(":", "")}`, 400, {
        field: "url",
      });
    if (url.username || url.password)
      throw new AppError(
        "WEBHOOK.INVALID_URL",
        "url: credentials in the URL would be stored in clear; authenticate with the signature",
        400,
        { field: "url" },
      );
    // Checked here and again at every delivery, after resolution (webhook-target.ts).
    await this.targets.check(url);
    const id = `wh_${randomBytes(8).toString("hex")}`;
    const secret = `whsec_${randomBytes(24).toString("base64url")}`;
    const row = await this.db.transaction(async (tx) => {
      const r = await repo.insertSubscription(tx, {
        id,
        companyId: p.companyId!,
        url: url.toString(),
        events: body.events,
        secretCt: this.vault.seal(secret, `webhook:${id}:secret`),
      });
      await auditTrail.append(tx, {
        ...ctx,
        companyId: p.companyId,
        action: "webhook.create",
        resource: "webhook",
        resourceId: id,
        changes: { url: { after: r.url }, events: { after: body.events } },
      });
      return r;
    });
    return { ...row, secret };
  }

  list(p: Principal) {
    return repo.subscriptions(this.db, p.companyId ?? "");
  }

  private async own(ctx: AuditContext, p: Principal, id: string) {
    const s = await repo.subscription(this.db, id);
    if (!s || !s.active) throw notFound("webhook", id);
    if (s.companyId !== p.companyId) await crossTenant(this.db, ctx, p, "webhook", id, s.companyId);
    return s;
  }

  async remove(ctx: AuditContext, p: Principal, id: string) {
    await this.own(ctx, p, id);
    await this.db.transaction(async (tx) => {
      await repo.deactivate(tx, id);
      await auditTrail.append(tx, {
        ...ctx,
        companyId: p.companyId,
        action: "webhook.delete",
        resource: "webhook",
        resourceId: id,
      });
    });
    return { id, active: false };
  }

  async deliveries(ctx: AuditContext, p: Principal, id: string, limit: number) {
    await this.own(ctx, p, id);
    return repo.deliveries(this.db, id, limit);
  }

  /** Writes events for these companies into the outbox, inside the caller's transaction. */
  emit(tx: Sql, type: string, companies: ReadonlyArray<string>, payload: unknown): Promise<void> {
    return repo.emit(
      tx,
      [...new Set(companies)].map((companyId) => ({
        id: `evt_${randomBytes(12).toString("hex")}`,
        companyId,
        type,
        payload,
      })),
    );
  }

  /** Like `emit`, one event per company each with a payload of its own, in one statement. */
  emitEach(tx: Sql, type: string, events: ReadonlyArray<{ companyId: string; payload: unknown }>): Promise<void> {
    if (!events.length) return Promise.resolve();
    return repo.emit(
      tx,
      events.map((e) => ({
        id: `evt_${randomBytes(12).toString("hex")}`,
        companyId: e.companyId,
        type,
        payload: e.payload,
      })),
    );
  }

  /** The outbox's undelivered backlog (the health endpoint). */
  backlog() {
    return repo.backlog(this.db);
  }

  /** Delivers what is due (one pass); returns how many were attempted. One pass runs at a time. */
  tick(): Promise<number> {
    if (!this.running) this.running = this.pass().finally(() => (this.running = null));
    return this.running;
  }

  start(intervalMs: number) {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick().catch(() => undefined), intervalMs);
    this.timer.unref();
  }

  async stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  private async pass(): Promise<number> {
    const due = await repo.claimDue(this.db, 50, this.opts.timeoutMs * 2);
    await Promise.all(due.map((d) => this.deliver(d)));
    return due.length;
  }

  private async deliver(d: DueDelivery) {
    const body = JSON.stringify({ id: d.eventId, type: d.type, createdAt: d.createdAt, data: d.payload });
    const t = Math.floor(Date.now() / 1000);
    const secret = this.vault.openText(d.secretCt, `webhook:${d.subscriptionId}:secret`);
    let status: number | null = null;
    let error: string;
    try {
      const headers = {
        "content-type": "application/json",
        "user-agent": "PartLedger-Webhooks/1",
        "partledger-event-id": d.eventId,
        "partledger-event-type": d.type,
        "partledger-signature": signature(secret, t, body),
      };
      status = await this.post(new URL(d.url), headers, body);
      if (status >= 200 && status < 300) {
        logger("webhooks").info({ delivery: d.id, event: d.eventId, status }, `webhook ${d.type} delivered`);
        return repo.delivered(this.db, d.id, status);
      }
      error = `HTTP ${status}`;
    } catch (e) {
      const err = e as Error & { code?: string };
      if (err instanceof AppError) error = `refused: ${err.message.replace(/^url: /, "")}`;
      else if (err.name === "TimeoutError") error = `no answer within ${this.opts.timeoutMs} ms`;
      else error = `could not connect: ${err.message}`;
    }
    const delay = Math.min(3_600_000, this.opts.retryBaseMs * 2 ** (d.attempts - 1));
    await repo.retryLater(this.db, d.id, status, error, delay, d.attempts >= this.opts.maxAttempts);
    logger("webhooks").warn(
      { delivery: d.id, event: d.eventId, status, attempt: d.attempts, error },
      `webhook ${d.type} not delivered`,
    );
  }

  /**
   * POSTs `body` and answers the status. The connection goes to the address the target check resolved and allowed
   * (its `lookup`); an IP-literal host is checked directly. Redirects are not followed.
   */
  private async post(url: URL, headers: Record<string, string>, body: string): Promise<number> {
    const host = url.hostname.replace(/^\[|\]$/g, "");
    if (ipaddr.isValid(host)) await this.targets.check(url);
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    return new Promise<number>((resolve, reject) => {
      const req = send(url, {
        method: "POST",
        headers: { ...headers, "content-length": Buffer.byteLength(body) },
        lookup: this.targets.lookup(),
      });
      const timeout = () => req.destroy(Object.assign(new Error("timeout"), { name: "TimeoutError" }));
      const timer = setTimeout(timeout, this.opts.timeoutMs);
      req.on("response", (res) => {
        res.resume();
        res.on("end", () => {
          clearTimeout(timer);
          resolve(res.statusCode ?? 0);
        });
        res.on("error", (e) => {
          clearTimeout(timer);
          reject(e);
        });
      });
      req.on("error", (e) => {
        clearTimeout(timer);
        reject(e);
      });
      req.end(body);
    });
  }
}
