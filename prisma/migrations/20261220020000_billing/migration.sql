-- Billing (issue 15, DECISIONS 77): payment terms per (seller, customer), one invoice per seller per delivered order,
-- payments against invoices (partial, each with its bank reference once). Money in integer fen; prices are
-- tax-inclusive (含税价) and the VAT inside an invoice's total is rounded half up once, on the total.
CREATE TABLE payment_terms (
  seller_id         TEXT NOT NULL REFERENCES companies (id),
  buyer_id          TEXT NOT NULL REFERENCES companies (id),
  kind              TEXT NOT NULL CHECK (kind IN ('cash', 'net')),
  days              INTEGER NOT NULL CHECK (days IN (0, 30, 60, 90)),     -- 月结 30/60/90; 0 for cash
  credit_limit_fen  BIGINT CHECK (credit_limit_fen >= 0),                 -- NULL: no limit
  updated_by        TEXT NOT NULL,
  updated_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (seller_id, buyer_id),
  CHECK ((kind = 'cash') = (days = 0))
);

CREATE TABLE invoices (
  id            TEXT PRIMARY KEY,                                 -- inv_<16 hex>
  order_id      TEXT NOT NULL REFERENCES orders (id),
  seller_id     TEXT NOT NULL REFERENCES companies (id),
  buyer_id      TEXT NOT NULL REFERENCES companies (id),
  einvoice_no   TEXT,                                             -- the tax authority's e-invoice number, a reference
  total_fen     BIGINT NOT NULL CHECK (total_fen > 0),            -- tax-inclusive
  tax_rate_bp   INTEGER NOT NULL CHECK (tax_rate_bp BETWEEN 0 AND 10000),
  tax_fen       BIGINT NOT NULL CHECK (tax_fen >= 0),
  net_fen       BIGINT NOT NULL CHECK (net_fen >= 0),
  paid_fen      BIGINT NOT NULL DEFAULT 0 CHECK (paid_fen >= 0),
  issue_date    DATE NOT NULL,                                    -- Asia/Shanghai calendar date
  due_date      DATE NOT NULL,
  terms         TEXT NOT NULL,                                    -- 'cash' | 'net30' | 'net60' | 'net90' at issue
  issued_by     TEXT NOT NULL,
  created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (order_id, seller_id),
  CHECK (net_fen + tax_fen = total_fen),
  CHECK (paid_fen <= total_fen),
  CHECK (due_date >= issue_date)
);
CREATE INDEX invoices_seller ON invoices (seller_id, due_date) WHERE paid_fen < total_fen;
CREATE INDEX invoices_buyer ON invoices (buyer_id, due_date) WHERE paid_fen < total_fen;

CREATE TABLE invoice_lines (
  invoice_id      TEXT NOT NULL REFERENCES invoices (id),
  line_no         INTEGER NOT NULL,
  sku_id          BIGINT NOT NULL,
  quantity        INTEGER NOT NULL CHECK (quantity > 0),
  unit_price_fen  BIGINT NOT NULL CHECK (unit_price_fen > 0),
  amount_fen      BIGINT NOT NULL CHECK (amount_fen = quantity * unit_price_fen),
  PRIMARY KEY (invoice_id, line_no)
);

CREATE TABLE invoice_payments (
  id           TEXT PRIMARY KEY,                                  -- pay_<16 hex>
  invoice_id   TEXT NOT NULL REFERENCES invoices (id),
  amount_fen   BIGINT NOT NULL CHECK (amount_fen > 0),
  bank_ref     TEXT NOT NULL,
  paid_on      DATE NOT NULL,
  recorded_by  TEXT NOT NULL,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (invoice_id, bank_ref)
);
