-- Webhooks (issue 6): a company subscribes a URL to event types; events are written to an outbox in the
-- transaction of the change they describe, and delivered at least once, signed, with retries and backoff.

CREATE TABLE webhook_subscriptions (
  id          TEXT PRIMARY KEY,
  company_id  TEXT NOT NULL REFERENCES companies (id),
  url         TEXT NOT NULL,
  events      TEXT[] NOT NULL,                 -- patterns: order.created, order.*, stock.*, *
  secret_ct   BYTEA NOT NULL,                  -- the HMAC secret, AES-256-GCM under the key ring (shown once)
  active      BOOLEAN NOT NULL DEFAULT true,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX webhook_subscriptions_company ON webhook_subscriptions (company_id) WHERE active;

CREATE TABLE webhook_events (
  id          TEXT PRIMARY KEY,                -- evt_…: the id receivers deduplicate on
  company_id  TEXT NOT NULL,
  type        TEXT NOT NULL,
  payload     JSONB NOT NULL,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE webhook_deliveries (
  id               BIGSERIAL PRIMARY KEY,
  event_id         TEXT NOT NULL REFERENCES webhook_events (id),
  subscription_id  TEXT NOT NULL REFERENCES webhook_subscriptions (id),
  status           TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  last_status      INTEGER,
  last_error       TEXT,
  delivered_at     TIMESTAMPTZ,
  UNIQUE (event_id, subscription_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_subscription ON webhook_deliveries (subscription_id, id);
