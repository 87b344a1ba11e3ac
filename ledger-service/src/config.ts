import ipaddr from "ipaddr.js";
import { z } from "zod";
import { AppError } from "./errors.js";
import { LOG_LEVELS } from "./log.js";

const isCidr = (c: string) => {
  try {
    ipaddr.parseCIDR(c);
    return true;
  } catch {
    return false;
  }
};
const hex32 = /^(0x)?[0-9a-fA-F]{64}$/;
const address = /^0x[0-9a-fA-F]{40}$/;

/** Every setting PartLedger reads from the environment, validated at boot. */
export const configSchema = z
  .object({
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL")
      .optional(),
    DATA_DIR: z.string().min(1).default("./var"),
    /** Where returns' photos are written (default DATA_DIR/return-photos). */
    RETURN_PHOTOS_DIR: z.string().min(1).optional(),
    /**
     * Returns' photos in an S3-compatible bucket instead of RETURN_PHOTOS_DIR: the service's endpoint URL, with
     * RETURN_PHOTOS_S3_BUCKET and the two keys (DECISIONS 118).
     */
    RETURN_PHOTOS_S3_URL: z.string().url().optional(),
    RETURN_PHOTOS_S3_BUCKET: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be a bucket name: 3-63 lower-case letters, digits, . and -")
      .optional(),
    RETURN_PHOTOS_S3_REGION: z.string().min(1).default("us-east-1"),
    RETURN_PHOTOS_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    RETURN_PHOTOS_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    /** Keys under this prefix, e.g. `partledger/` (default none). */
    RETURN_PHOTOS_S3_PREFIX: z.string().max(200).default(""),
    /** `true` for path-style requests (<url>/<bucket>/<key>), as MinIO and Ceph want; Aliyun OSS wants `false`. */
    RETURN_PHOTOS_S3_PATH_STYLE: z.enum(["true", "false"]).default("false"),
    /** The largest photo a return accepts, in bytes (default 5 MiB). */
    RETURN_PHOTO_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(50 * 1024 * 1024)
      .default(5 * 1024 * 1024),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    /** Where phones reach the verification page: the host printed in every label's QR code. */
    PUBLIC_BASE_URL: z.string().url().optional(),
    SCAN_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(120),
    /** Counterfeit reports a minute per client from the scan page. */
    REPORT_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(20),
    SUPPORT_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(20),
    /** Serve HTTPS (TLS 1.3 only) with this PEM certificate chain and key; both or neither. */
    TLS_CERT_FILE: z.string().min(1).optional(),
    TLS_KEY_FILE: z.string().min(1).optional(),
    /** Comma-separated browser origins allowed to call the API (CORS). */
    CORS_ORIGINS: z.string().optional(),
    /** Comma-separated networks (CIDR) webhooks may reach although not public, e.g. an on-premises ERP. */
    WEBHOOK_ALLOW_CIDRS: z
      .string()
      .refine(
        (v) => v.split(",").every((c) => c.trim() === "" || isCidr(c.trim())),
        "must be CIDR networks like 10.20.0.0/16,fd00:1::/48",
      )
      .optional(),
    CHAIN_RPC_URL: z.string().url().optional(),
    /**
     * The chain's JSON-RPC URL as auditors' browsers may reach it (the console's in-browser verifier): published by
     * GET /api/v1/verify/config. Never CHAIN_RPC_URL itself, which may carry a provider's key.
     */
    PUBLIC_CHAIN_RPC_URL: z.string().url().optional(),
    CHAIN_ID: z.coerce.number().int().min(1).optional(),
    CHAIN_SIGNER_KEY: z.string().regex(hex32, "must be a 32-byte hex private key").optional(),
    ANCHOR_REGISTRY_ADDRESS: z.string().regex(address, "must be a 0x address").optional(),
    PART_REGISTRY_ADDRESS: z.string().regex(address, "must be a 0x address").optional(),
    /** The block AnchorRegistry was deployed in (printed by `npm run deploy`), published in the trust anchor. */
    DEPLOYMENT_BLOCK: z.coerce.number().int().min(0).optional(),
    LOCAL_CHAIN_PORT: z.coerce.number().int().min(1).max(65535).default(8545),
    BATCH_MAX_EVENTS: z.coerce.number().int().min(1).max(100_000).default(10_000),
    BATCH_MAX_AGE_MS: z.coerce.number().int().min(0).default(5_000),
    CONFIRMATION_DEPTH: z.coerce.number().int().min(1).max(1000).default(2),
    /** How often the audit trail's head is checkpointed onto the ledger (when it has new entries). */
    AUDIT_CHECKPOINT_MS: z.coerce.number().int().min(0).default(60_000),
    WORKER_INTERVAL_MS: z.coerce.number().int().min(10).default(500),
    /** A company key short of its next on-chain write's cost is topped up to this many times that cost. */
    GAS_TOPUP_WRITES: z.coerce.number().int().min(1).max(10_000).default(20),
    /** /health turns "degraded" when an event waits longer than this to be anchored final (ms). */
    HEALTH_ANCHOR_LAG_MS: z.coerce.number().int().min(1).default(300_000),
    /** …when an on-chain lifecycle write waits longer than this (ms); a failing write counts at once. */
    HEALTH_LIFECYCLE_LAG_MS: z.coerce.number().int().min(1).default(300_000),
    /** …when a webhook delivery waits longer than this (ms). */
    HEALTH_WEBHOOK_LAG_MS: z.coerce.number().int().min(1).default(600_000),
    /** …when the audit trail's head is not checkpointed for this many AUDIT_CHECKPOINT_MS (or worker ticks). */
    HEALTH_CHECKPOINT_LAG_FACTOR: z.coerce.number().int().min(1).max(1000).default(3),
    /** Encryption keys as an environment secret: one 64-hex key (version 1) or a ring `1:<hex>,2:<hex>`. */
    LEDGER_MASTER_KEY: z
      .string()
      .regex(
        /^((0x)?[0-9a-fA-F]{64}|\d{1,5}:(0x)?[0-9a-fA-F]{64}(,\d{1,5}:(0x)?[0-9a-fA-F]{64})*)$/,
        "must be 64 hex characters, or versioned keys 1:<hex>,2:<hex>",
      )
      .optional(),
    /** Encryption keys in a file: lines `<version> <64 hex>`; the highest version encrypts new data. */
    LEDGER_KEY_FILE: z.string().min(1).optional(),
    /** How long a login session lasts (minutes). */
    SESSION_TTL_MINUTES: z.coerce.number().int().min(1).max(43_200).default(480),
    /** Failed logins in a row before an account is locked, and for how long (minutes). */
    LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
    LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
    /** Login attempts a minute per client address; authenticated requests a minute per key or session. */
    LOGIN_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(20),
    API_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(6000),
    PLATFORM_ADMIN_TOKEN: z.string().min(24, "must be at least 24 characters").optional(),
    /** Serve Prometheus metrics at GET /metrics on this port (its own listener, no credential); unset: none. */
    METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    METRICS_HOST: z.string().min(1).default("127.0.0.1"),
    /** JSON log lines at this level and above (pino): fatal, error, warn, info, debug, trace or silent. */
    LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
  })
  .superRefine((c, ctx) => {
    if (c.CHAIN_RPC_URL) {
      for (const name of ["CHAIN_SIGNER_KEY", "ANCHOR_REGISTRY_ADDRESS", "PART_REGISTRY_ADDRESS"] as const) {
        if (!c[name]) ctx.addIssue({ code: "custom", path: [name], message: "is required when CHAIN_RPC_URL is set" });
      }
    }
    if (c.RETURN_PHOTOS_S3_URL) {
      for (const name of [
        "RETURN_PHOTOS_S3_BUCKET",
        "RETURN_PHOTOS_S3_ACCESS_KEY_ID",
        "RETURN_PHOTOS_S3_SECRET_ACCESS_KEY",
      ] as const) {
        if (!c[name])
          ctx.addIssue({ code: "custom", path: [name], message: "is required when RETURN_PHOTOS_S3_URL is set" });
      }
      if (c.RETURN_PHOTOS_DIR)
        ctx.addIssue({
          code: "custom",
          path: ["RETURN_PHOTOS_DIR"],
          message: "set RETURN_PHOTOS_DIR or RETURN_PHOTOS_S3_URL, not both",
        });
    }
    if (Boolean(c.TLS_CERT_FILE) !== Boolean(c.TLS_KEY_FILE)) {
      ctx.addIssue({
        code: "custom",
        path: [c.TLS_CERT_FILE ? "TLS_KEY_FILE" : "TLS_CERT_FILE"],
        message: "TLS_CERT_FILE and TLS_KEY_FILE go together",
      });
    }
    if (c.DATABASE_URL && !c.LEDGER_MASTER_KEY && !c.LEDGER_KEY_FILE) {
      ctx.addIssue({
        code: "custom",
        path: ["LEDGER_MASTER_KEY"],
        message:
          "an encryption key is required with DATABASE_URL (company keys and personal data are encrypted with it): set LEDGER_MASTER_KEY or LEDGER_KEY_FILE; it never lives in the database",
      });
    }
    if (c.LEDGER_MASTER_KEY && c.LEDGER_KEY_FILE) {
      ctx.addIssue({
        code: "custom",
        path: ["LEDGER_KEY_FILE"],
        message: "set LEDGER_MASTER_KEY or LEDGER_KEY_FILE, not both",
      });
    }
  });

export type Config = z.infer<typeof configSchema>;

/** Parses `env`; a bad setting throws CONFIG.INVALID naming every variable that is wrong. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const relevant = Object.fromEntries(
    Object.keys(configSchema.shape).flatMap((k) => (env[k] === undefined || env[k] === "" ? [] : [[k, env[k]]])),
  );
  const parsed = configSchema.safeParse(relevant);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (i) => `${i.path.join(".")}: ${i.message} (got ${JSON.stringify(relevant[String(i.path[0])] ?? null)})`,
    );
    throw new AppError("CONFIG.INVALID", `invalid configuration:\n  ${lines.join("\n  ")}`, 500);
  }
  return parsed.data;
}
