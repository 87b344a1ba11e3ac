-- Collateral valuation and margin calls (issue 15; DECISIONS 110). A lender agrees, per pledged warehouse receipt, the
-- amount it secures and the largest loan-to-value it accepts; the platform values the units the receipt still locks
-- at the shared pool's price and opens a margin call when the loan-to-value passes that ratio, closing it when the
-- value is back (or the receipt is released).
CREATE TABLE collateral_terms (
  receipt_id   TEXT PRIMARY KEY REFERENCES warehouse_receipts (id),
  lender_id    TEXT NOT NULL REFERENCES companies (id),
  secured_fen  BIGINT NOT NULL CHECK (secured_fen > 0),
  max_ltv_bp   INTEGER NOT NULL CHECK (max_ltv_bp BETWEEN 100 AND 10000),
  updated_by   TEXT NOT NULL,
  updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE margin_calls (
  id           TEXT PRIMARY KEY,                                   -- mc_<16 hex>
  receipt_id   TEXT NOT NULL REFERENCES warehouse_receipts (id),
  lender_id    TEXT NOT NULL REFERENCES companies (id),
  borrower_id  TEXT NOT NULL REFERENCES companies (id),
  value_fen    BIGINT NOT NULL,                                    -- the collateral's value when the call opened
  secured_fen  BIGINT NOT NULL,
  ltv_bp       INTEGER,                                            -- null: nothing of it could be valued
  max_ltv_bp   INTEGER NOT NULL,
  opened_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  closed_at    TIMESTAMPTZ,
  closed_reason TEXT CHECK (closed_reason IN ('cured', 'released', 'terms_changed'))
);
-- One open call per receipt: concurrent evaluations open it once.
CREATE UNIQUE INDEX margin_calls_open ON margin_calls (receipt_id) WHERE closed_at IS NULL;
CREATE INDEX margin_calls_lender ON margin_calls (lender_id, opened_at DESC);
