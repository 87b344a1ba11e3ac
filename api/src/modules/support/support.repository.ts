import type { Sql } from "../../../../ledger-service/src/index.js";

export type ConversationStatus = "bot" | "waiting" | "claimed" | "closed";
export type HandoverReason = "asked" | "low_confidence" | "failed_twice";

export interface Lookup {
  at: string;
  kind: "order" | "orders" | "return" | "part" | "installation" | "article" | "verdict";
  /** What was asked for (order id, GTIN/serial, masked VIN, article id). */
  ref: string | null;
  found: boolean;
}

export interface ConversationRow {
  id: string;
  /** null: an anonymous visitor's conversation on the scan page (channel "scan"). */
  company_id: string | null;
  user_id: string | null;
  channel: "console" | "scan";
  gtin: string | null;
  serial: string | null;
  contact_ct: Uint8Array | null;
  status: ConversationStatus;
  failures: number;
  handover_reason: HandoverReason | null;
  handed_over_at: Date | null;
  agent_id: string | null;
  lookups: Lookup[];
  created_at: Date;
  updated_at: Date;
}

export interface MessageRow {
  id: string;
  author: "user" | "assistant" | "agent";
  body: string;
  intent: string | null;
  confidence: number | null;
  created_at: Date;
}

export interface ArticleRow {
  id: string;
  title: string;
  body: string;
  keywords: string[];
  published: boolean;
  updated_by: string;
  created_at: Date;
  updated_at: Date;
}

const CONV =
  "id, company_id, user_id, channel, gtin, serial, contact_ct, status, failures, handover_reason, handed_over_at, agent_id, lookups, created_at, updated_at";
const ART = "id, title, body, keywords, published, updated_by, created_at, updated_at";

/** The support tables: the only place that reads or writes them. Writes join the caller's transaction. */
export const supportRepository = {
  async createConversation(tx: Sql, c: { id: string; companyId: string; userId: string }) {
    await tx.query("INSERT INTO support_conversations (id, company_id, user_id) VALUES ($1, $2, $3)", [
      c.id,
      c.companyId,
      c.userId,
    ]);
  },

  /** An anonymous conversation about one part, from the scan page. */
  async createScanConversation(tx: Sql, c: { id: string; gtin: string; serial: string }) {
    await tx.query("INSERT INTO support_conversations (id, channel, gtin, serial) VALUES ($1, 'scan', $2, $3)", [
      c.id,
      c.gtin,
      c.serial,
    ]);
  },

  async setContact(tx: Sql, id: string, contactCt: Buffer) {
    await tx.query("UPDATE support_conversations SET contact_ct = $2, updated_at = now() WHERE id = $1", [
      id,
      contactCt,
    ]);
  },

  /** Claims a scan-page submission key for a conversation: false when that submission was recorded already. */
  async claimSubmission(tx: Sql, key: Buffer, conversationId: string): Promise<boolean> {
    const { rows } = await tx.query(
      "INSERT INTO support_scan_submissions (submission_key, conversation_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1",
      [key, conversationId],
    );
    return rows.length === 1;
  },

  async bySubmission(db: Sql, key: Buffer): Promise<string | null> {
    const { rows } = await db.query<{ conversation_id: string }>(
      "SELECT conversation_id FROM support_scan_submissions WHERE submission_key = $1",
      [key],
    );
    return rows[0]?.conversation_id ?? null;
  },

  async conversation(db: Sql, id: string, lock = false): Promise<ConversationRow | null> {
    const { rows } = await db.query<ConversationRow>(
      `SELECT ${CONV} FROM support_conversations WHERE id = $1${lock ? " FOR UPDATE" : ""}`,
      [id],
    );
    return rows[0] ?? null;
  },

  async conversationsOf(db: Sql, userId: string, companyId: string, limit: number): Promise<ConversationRow[]> {
    const { rows } = await db.query<ConversationRow>(
      `SELECT ${CONV} FROM support_conversations WHERE user_id = $1 AND company_id = $2 ORDER BY updated_at DESC, id LIMIT $3`,
      [userId, companyId, limit],
    );
    return rows;
  },

  async queue(db: Sql, statuses: ConversationStatus[], limit: number): Promise<ConversationRow[]> {
    const { rows } = await db.query<ConversationRow>(
      `SELECT ${CONV} FROM support_conversations WHERE status = ANY($1::text[]) ORDER BY handed_over_at NULLS LAST, id LIMIT $2`,
      [statuses, limit],
    );
    return rows;
  },

  async messages(db: Sql, conversationId: string): Promise<MessageRow[]> {
    const { rows } = await db.query<MessageRow>(
      "SELECT id::text AS id, author, body, intent, confidence, created_at FROM support_messages m WHERE m.conversation_id = $1 ORDER BY m.id",
      [conversationId],
    );
    return rows;
  },

  async addMessage(
    tx: Sql,
    m: { conversationId: string; author: MessageRow["author"]; body: string; intent?: string; confidence?: number },
  ) {
    await tx.query(
      "INSERT INTO support_messages (conversation_id, author, body, intent, confidence) VALUES ($1, $2, $3, $4, $5)",
      [m.conversationId, m.author, m.body, m.intent ?? null, m.confidence ?? null],
    );
  },

  async update(
    tx: Sql,
    id: string,
    set: {
      status?: ConversationStatus;
      failures?: number;
      handoverReason?: HandoverReason;
      handedOver?: boolean;
      agentId?: string;
      lookups?: Lookup[];
    },
  ) {
    await tx.query(
      `UPDATE support_conversations SET
         status = COALESCE($2, status),
         failures = COALESCE($3, failures),
         handover_reason = COALESCE($4, handover_reason),
         handed_over_at = CASE WHEN $5::boolean THEN now() ELSE handed_over_at END,
         agent_id = COALESCE($6, agent_id),
         lookups = COALESCE($7::jsonb, lookups),
         updated_at = now()
       WHERE id = $1`,
      [
        id,
        set.status ?? null,
        set.failures ?? null,
        set.handoverReason ?? null,
        set.handedOver ?? false,
        set.agentId ?? null,
        set.lookups ? JSON.stringify(set.lookups) : null,
      ],
    );
  },

  async articles(db: Sql, publishedOnly: boolean): Promise<ArticleRow[]> {
    const { rows } = await db.query<ArticleRow>(
      `SELECT ${ART} FROM support_articles ${publishedOnly ? "WHERE published" : ""} ORDER BY id`,
    );
    return rows;
  },

  async article(db: Sql, id: string): Promise<ArticleRow | null> {
    const { rows } = await db.query<ArticleRow>(`SELECT ${ART} FROM support_articles WHERE id = $1`, [id]);
    return rows[0] ?? null;
  },

  async insertArticle(
    tx: Sql,
    a: { id: string; title: string; body: string; keywords: string[]; published: boolean; updatedBy: string },
  ) {
    await tx.query(
      "INSERT INTO support_articles (id, title, body, keywords, published, updated_by) VALUES ($1, $2, $3, $4::text[], $5, $6)",
      [a.id, a.title, a.body, a.keywords, a.published, a.updatedBy],
    );
  },

  async updateArticle(
    tx: Sql,
    id: string,
    a: { title: string; body: string; keywords: string[]; published: boolean; updatedBy: string },
  ) {
    await tx.query(
      "UPDATE support_articles SET title = $2, body = $3, keywords = $4::text[], published = $5, updated_by = $6, updated_at = now() WHERE id = $1",
      [id, a.title, a.body, a.keywords, a.published, a.updatedBy],
    );
  },

  async deleteArticle(tx: Sql, id: string) {
    await tx.query("DELETE FROM support_articles WHERE id = $1", [id]);
  },
};
