-- After-sales, part 1 (issue 16): returns (RMA) per order line and per serial, the swap attempts they expose, and
-- compensation in seconds — rules set by the platform and each seller, and the refunds they credit (integer fen).

CREATE TABLE returns (
  id                   TEXT PRIMARY KEY,                          -- rma_…
  order_id             TEXT NOT NULL REFERENCES orders (id),
  line_no              INTEGER NOT NULL,
  sku_id               BIGINT NOT NULL,
  buyer_id             TEXT NOT NULL REFERENCES companies (id),   -- the order's buyer
  requester_id         TEXT NOT NULL REFERENCES companies (id),   -- the buyer, or the serial's later holder
  seller_id            TEXT NOT NULL REFERENCES companies (id),
  location_id          TEXT NOT NULL REFERENCES supplier_locations (id), -- the warehouse that served it: restock here
  gtin                 CHAR(14),
  serial               TEXT,
  quantity             INTEGER NOT NULL CHECK (quantity > 0),
  authorised_quantity  INTEGER CHECK (authorised_quantity > 0 AND authorised_quantity <= quantity),
  unit_price_fen       BIGINT NOT NULL CHECK (unit_price_fen >= 0),
  reason               TEXT NOT NULL CHECK (reason IN ('defective', 'wrong_part', 'damaged_in_transit', 'not_as_described', 'fitment_wrong', 'ordered_by_mistake')),
  status               TEXT NOT NULL CHECK (status IN ('requested', 'authorised', 'partially_authorised', 'refused', 'shipped_back', 'received', 'inspected', 'resolved', 'closed')),
  decision             TEXT NOT NULL DEFAULT 'manual' CHECK (decision IN ('manual', 'auto_approved')),
  inspection           TEXT CHECK (inspection IN ('sellable', 'damaged', 'defective_confirmed')),
  resolution           TEXT CHECK (resolution IN ('refund', 'replacement', 'repair', 'refusal')),
  custody              TEXT NOT NULL DEFAULT 'none' CHECK (custody IN ('none', 'ledger', 'off_ledger')),
  received_serial      TEXT,
  swap_evidence        JSONB,                                     -- a different unit came back: what and why
  restocked            INTEGER NOT NULL DEFAULT 0 CHECK (restocked >= 0),
  carrier              TEXT,
  tracking_no          TEXT,
  note                 TEXT,
  authorise_due        TIMESTAMPTZ NOT NULL,                      -- SLA: the seller decides by then
  refund_due           TIMESTAMPTZ,                               -- SLA: set at receipt
  created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
  CHECK ((gtin IS NULL) = (serial IS NULL)),
  CHECK (serial IS NULL OR quantity = 1)
);
-- One open return per serial: two requests at once for the same unit resolve once (the second meets this index).
CREATE UNIQUE INDEX returns_open_serial ON returns (gtin, serial) WHERE serial IS NOT NULL AND status NOT IN ('refused', 'closed');
CREATE INDEX returns_seller ON returns (seller_id, status, created_at);
CREATE INDEX returns_requester ON returns (requester_id, created_at);
CREATE INDEX returns_order_line ON returns (order_id, line_no);

CREATE TABLE return_events (
  id           BIGSERIAL PRIMARY KEY,
  return_id    TEXT NOT NULL REFERENCES returns (id),
  from_status  TEXT,
  to_status    TEXT NOT NULL,
  actor        TEXT NOT NULL,
  note         TEXT,
  at           TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX return_events_return ON return_events (return_id, id);

-- A serialised return refused because the unit is not the one sold (or a different one came back): the evidence,
-- for the seller and the platform.
CREATE TABLE return_swaps (
  id            TEXT PRIMARY KEY,                                 -- sw_…
  order_id      TEXT NOT NULL REFERENCES orders (id),
  return_id     TEXT REFERENCES returns (id),                     -- set when found at receipt
  seller_id     TEXT NOT NULL REFERENCES companies (id),
  requester_id  TEXT NOT NULL REFERENCES companies (id),
  gtin          CHAR(14) NOT NULL,
  serial        TEXT NOT NULL,
  kind          TEXT NOT NULL CHECK (kind IN ('unknown_serial', 'never_sold', 'other_order', 'not_received', 'not_held', 'different_serial')),
  evidence      JSONB NOT NULL,
  at            TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX return_swaps_seller ON return_swaps (seller_id, at);
CREATE INDEX return_swaps_requester ON return_swaps (requester_id, at);

-- Compensation rules: the platform's (owner_id 'platform') and each seller's. A return is approved automatically
-- only when both exist, are enabled and pass.
CREATE TABLE compensation_rules (
  owner_id              TEXT PRIMARY KEY,
  enabled               BOOLEAN NOT NULL DEFAULT true,
  reasons               TEXT[] NOT NULL,
  warranty_days         INTEGER NOT NULL CHECK (warranty_days >= 0),
  require_proven_unit   BOOLEAN NOT NULL DEFAULT true,
  max_installed_days    INTEGER CHECK (max_installed_days >= 0),   -- NULL: an installed unit never qualifies
  max_buyer_swaps       INTEGER NOT NULL DEFAULT 0 CHECK (max_buyer_swaps >= 0),
  max_buyer_refunds_30d INTEGER NOT NULL CHECK (max_buyer_refunds_30d >= 0),
  max_refund_fen        BIGINT NOT NULL CHECK (max_refund_fen >= 0),
  monthly_limit_fen     BIGINT NOT NULL CHECK (monthly_limit_fen >= 0),
  updated_by            TEXT NOT NULL,
  updated_at            TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Money credited to the requester for a return: one refund per return, ever (a retry cannot move money twice).
CREATE TABLE refunds (
  id           TEXT PRIMARY KEY,                                  -- rf_…
  return_id    TEXT NOT NULL UNIQUE REFERENCES returns (id),
  seller_id    TEXT NOT NULL REFERENCES companies (id),
  payee_id     TEXT NOT NULL REFERENCES companies (id),
  amount_fen   BIGINT NOT NULL CHECK (amount_fen > 0),
  kind         TEXT NOT NULL CHECK (kind IN ('auto', 'manual')),
  evidence     JSONB NOT NULL,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX refunds_seller ON refunds (seller_id, created_at);
CREATE INDEX refunds_payee ON refunds (payee_id, created_at);
