import type { HealthReason, LedgerService } from "../../../../ledger-service/src/index.js";
import type { WebhooksService } from "../webhooks/webhooks.service.js";

const iso = (d: Date | string | number) => new Date(d).toISOString();
const seconds = (ms: number) => Math.round(ms / 100) / 10;
/**
 * Errors may quote an endpoint (an RPC URL can carry an API key, an address tells where the node runs): URLs and
 * host:port pairs are cut out before an error is shown on this public page.
 */
const withoutUrls = (s: string) =>
  s.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>)]+/gi, "<endpoint>").replace(
    // [v6]:port, IPv4[:port], localhost[:port], host.name:port
    /\[[0-9a-f:.]+\](:\d+)?|\b\d{1,3}(\.\d{1,3}){3}(:\d+)?\b|\blocalhost(:\d+)?\b|\b[a-z0-9-]+(\.[a-z0-9-]+)+:\d+\b/gi,
    "<endpoint>",
  );

/**
 * `GET /api/v1/health`: "ok", or "degraded" with one reason per thing that is behind — anchoring, on-chain lifecycle
 * writes, audit checkpoints, webhook deliveries, the chain itself — each with what is behind and since when. It never
 * shows the chain's RPC URL (issue 19): only whether the chain answers, its id and our contract addresses.
 */
export class HealthService {
  constructor(
    private readonly ledger: LedgerService,
    private readonly webhooks: WebhooksService,
  ) {}

  async report(now = Date.now()) {
    const cfg = this.ledger.config;
    const [ledger, status, hooks] = await Promise.all([
      this.ledger.health(now),
      this.ledger.status(),
      this.webhooks.backlog(),
    ]);
    const reasons: HealthReason[] = [...ledger.reasons];
    let chain: Record<string, unknown>;
    try {
      const ref = await this.ledger.chainRef();
      chain = { status: "up", chainId: ref.chainId, ...ref.addresses };
    } catch (e) {
      const since = this.ledger.chain.downSince ?? now;
      const detail = withoutUrls(((e as Error).message ?? String(e)).split("\n")[0]!);
      chain = { status: "down", since: iso(since), detail };
      reasons.push({
        code: "CHAIN.DOWN",
        component: "chain",
        message: `the chain does not answer: ${detail}`,
        behind: {},
        since: iso(since),
        lagSeconds: seconds(now - since),
      });
    }
    if (hooks.oldest && now - new Date(hooks.oldest).getTime() > cfg.HEALTH_WEBHOOK_LAG_MS) {
      const since = new Date(hooks.oldest).getTime();
      reasons.push({
        code: "WEBHOOKS.LAG",
        component: "webhooks",
        message: `${hooks.pending} webhook deliveries are not delivered, the oldest event from ${iso(since)}`,
        behind: { deliveries: hooks.pending },
        since: iso(since),
        lagSeconds: seconds(now - since),
        thresholdSeconds: seconds(cfg.HEALTH_WEBHOOK_LAG_MS),
        ...(hooks.lastError ? { lastError: withoutUrls(hooks.lastError) } : {}),
      });
    }
    for (const r of reasons) if (r.lastError) r.lastError = withoutUrls(r.lastError);
    return {
      status: reasons.length ? ("degraded" as const) : ("ok" as const),
      reasons,
      database: this.ledger.db.sql.engine,
      chain,
      ledger: { ...status, anchoring: status.pending > 0 ? "pending" : "up to date" },
      anchoring: ledger.anchoring,
      lifecycleWrites: ledger.lifecycle,
      auditCheckpoints: ledger.audit,
      webhooks: { pending: hooks.pending, oldest: hooks.oldest ? iso(hooks.oldest) : null },
    };
  }
}
