-- Issue 16: the support assistant. A conversation belongs to one company's user; the assistant answers from that
-- company's own data and from the platform's knowledge base, and hands over to a person of the platform's support
-- queue. Text is stored masked (mobile numbers, VINs): the conversation is a record people read, not a vault.
CREATE TABLE support_conversations (
  id               TEXT PRIMARY KEY,
  company_id       TEXT NOT NULL REFERENCES companies (id),
  user_id          TEXT NOT NULL,
  status           TEXT NOT NULL DEFAULT 'bot' CHECK (status IN ('bot', 'waiting', 'claimed', 'closed')),
  -- consecutive answers the assistant could not give (two: to a person)
  failures         INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
  handover_reason  TEXT CHECK (handover_reason IN ('asked', 'low_confidence', 'failed_twice')),
  handed_over_at   TIMESTAMPTZ,
  agent_id         TEXT,
  -- what the assistant looked up for this conversation (order ids, serials, articles), for the person taking over
  lookups          JSONB NOT NULL DEFAULT '[]',
  created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX support_conversations_user ON support_conversations (user_id, updated_at DESC);
CREATE INDEX support_conversations_queue ON support_conversations (status, handed_over_at) WHERE status IN ('waiting', 'claimed');

CREATE TABLE support_messages (
  id               BIGSERIAL PRIMARY KEY,
  conversation_id  TEXT NOT NULL REFERENCES support_conversations (id),
  author           TEXT NOT NULL CHECK (author IN ('user', 'assistant', 'agent')),
  body             TEXT NOT NULL CHECK (char_length(body) <= 4000),
  intent           TEXT,
  confidence       DOUBLE PRECISION,
  created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX support_messages_conversation ON support_messages (conversation_id, id);

-- Policy answers the platform's support team writes (returns, warranty, delivery, invoices …).
CREATE TABLE support_articles (
  id          TEXT PRIMARY KEY,
  title       TEXT NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
  body        TEXT NOT NULL CHECK (char_length(body) BETWEEN 1 AND 4000),
  keywords    TEXT[] NOT NULL DEFAULT '{}',
  published   BOOLEAN NOT NULL DEFAULT true,
  updated_by  TEXT NOT NULL,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
