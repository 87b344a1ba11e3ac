import { createHash } from "node:crypto";
import { z } from "zod";
import { AppError, type Sql } from "../../../ledger-service/src/index.js";
import { uniqueViolation } from "./pg-errors.js";

const keyHeader = z.string().regex(/^[A-Za-z0-9_.:-]{8,128}$/, "8-128 letters, digits or _.:-");

/** The Idempotency-Key header, checked; undefined when the request has none. */
export function idempotencyKey(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const parsed = keyHeader.safeParse(value);
  if (!parsed.success)
    throw new AppError("IDEMPOTENCY.INVALID_KEY", `Idempotency-Key: ${parsed.error.issues[0]!.message}`, 400, {
      field: "Idempotency-Key",
    });
  return parsed.data;
}

/** What a write answered: stored with its Idempotency-Key and answered again on a retry. */
export interface Reply {
  status: number;
  body: unknown;
}

/** A unique violation on idempotent_requests: another request with this key committed first. */
const keyTaken = (e: unknown) => uniqueViolation(e, "idempotent_requests");

/**
 * Runs `work` once per (company, key). `work` must call `within(tx, reply)` inside its own transaction, so the
 * stored reply commits with the effect: a crash leaves both or neither. The same key with the same request answers
 * the stored reply; with another request, 422 IDEMPOTENCY.KEY_REUSED; two at once: one commits, the other rolls back
 * and answers the winner's reply. `op` names the operation, so one key cannot replay another kind of request.
 *
 * The reply is stored by a deferred insert (Sql.defer) sent with the transaction's other writes. With
 * `checkFirst: false` (for cheap work on hot paths) a request skips the look-up before `work`: a retry then finds the
 * key taken at that insert — or `work` refuses first (stock gone since, say) — rolls back, and answers what is stored.
 */
export async function idempotent(
  db: Sql,
  companyId: string,
  op: string,
  request: unknown,
  key: string | undefined,
  work: (within: (tx: Sql, reply: Reply) => Promise<void>) => Promise<Reply>,
  opts: { checkFirst: boolean } = { checkFirst: true },
): Promise<Reply> {
  if (!key) return work(async () => undefined);
  const hash = createHash("sha256")
    .update(`${op}\n${JSON.stringify(request)}`)
    .digest("hex");
  const replay = async (): Promise<Reply | null> => {
    const { rows } = await db.query<{ request_hash: string; status_code: number; response: unknown }>(
      "SELECT encode(request_hash, 'hex') AS request_hash, status_code, response FROM idempotent_requests WHERE company_id = $1 AND key = $2",
      [companyId, key],
    );
    const stored = rows[0];
    if (!stored) return null;
    if (stored.request_hash !== hash) {
      throw new AppError(
        "IDEMPOTENCY.KEY_REUSED",
        `Idempotency-Key ${key} was used for a different request; use a new key for a new request`,
        422,
        { field: "Idempotency-Key" },
      );
    }
    return {
      status: stored.status_code,
      body: typeof stored.response === "string" ? JSON.parse(stored.response) : stored.response,
    };
  };
  if (opts.checkFirst) {
    const earlier = await replay();
    if (earlier) return earlier;
  }
  try {
    return await work(async (tx, reply) => {
      await tx.defer(
        `INSERT INTO idempotent_requests (company_id, key, request_hash, status_code, response) VALUES ($1, $2, decode($3, 'hex'), $4, $5::jsonb)`,
        [companyId, key, hash, reply.status, JSON.stringify(reply.body)],
      );
    });
  } catch (e) {
    // Taken by an earlier or concurrent request: answer what it answered. Refused for another reason: a stored reply
    // (from an earlier success) still wins; otherwise the refusal stands.
    const stored = await replay().catch((r: unknown) => {
      if (r instanceof AppError) throw r; // the key was used for another request
      return null; // the look-up failed too: the original refusal is the answer
    });
    if (stored) return stored;
    if (keyTaken(e)) throw new Error(`Idempotency-Key ${key}: taken, but no stored reply`, { cause: e });
    throw e;
  }
}
