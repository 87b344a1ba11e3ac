-- Requests for quotes (DECISIONS 94): a repair shop asks the suppliers within a radius that hold orderable stock of the
-- parts it needs; each such supplier is a recipient (its notification, and the only way it sees the request); each
-- recipient may quote once, until the request's window closes; the shop accepts one quote, which places an order.
-- expires_at is when an open or quoted request lapses: the window's close, or the last quote's validity if later.
CREATE TABLE rfqs (
  id                TEXT PRIMARY KEY,
  buyer_id          TEXT NOT NULL REFERENCES companies (id),
  status            TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'quoted', 'accepted', 'expired', 'cancelled')),
  vin               TEXT,
  lng               DOUBLE PRECISION NOT NULL,
  lat               DOUBLE PRECISION NOT NULL,
  radius_km         INTEGER NOT NULL CHECK (radius_km BETWEEN 1 AND 200),
  needed_by         DATE NOT NULL,
  note              TEXT,
  closes_at         TIMESTAMPTZ NOT NULL,
  expires_at        TIMESTAMPTZ NOT NULL,
  accepted_quote_id TEXT,
  order_id          TEXT,
  created_by        TEXT,
  created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX rfqs_buyer ON rfqs (buyer_id, created_at DESC);
CREATE INDEX rfqs_due ON rfqs (expires_at) WHERE status IN ('open', 'quoted');

-- One line per part asked for: the words or number typed, the SKU the catalogue search resolved, and the SKUs a quote
-- may name for it (the SKU and those sharing its OE numbers).
CREATE TABLE rfq_lines (
  rfq_id   TEXT NOT NULL REFERENCES rfqs (id),
  line_no  INTEGER NOT NULL,
  query    TEXT NOT NULL,
  sku_id   BIGINT NOT NULL,
  sku_ids  JSONB NOT NULL,
  quantity INTEGER NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (rfq_id, line_no)
);

CREATE TABLE rfq_recipients (
  rfq_id      TEXT NOT NULL REFERENCES rfqs (id),
  company_id  TEXT NOT NULL REFERENCES companies (id),
  distance_m  INTEGER NOT NULL,
  notified_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (rfq_id, company_id)
);
CREATE INDEX rfq_recipients_company ON rfq_recipients (company_id, notified_at DESC);

CREATE TABLE rfq_quotes (
  id               TEXT PRIMARY KEY,
  rfq_id           TEXT NOT NULL REFERENCES rfqs (id),
  supplier_id      TEXT NOT NULL REFERENCES companies (id),
  location_id      TEXT NOT NULL,
  delivery_minutes INTEGER NOT NULL CHECK (delivery_minutes > 0),
  valid_until      TIMESTAMPTZ NOT NULL,
  total_fen        BIGINT NOT NULL CHECK (total_fen > 0),
  note             TEXT,
  created_by       TEXT,
  created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (rfq_id, supplier_id)
);

CREATE TABLE rfq_quote_lines (
  quote_id       TEXT NOT NULL REFERENCES rfq_quotes (id),
  line_no        INTEGER NOT NULL,
  sku_id         BIGINT NOT NULL,
  unit_price_fen BIGINT NOT NULL CHECK (unit_price_fen > 0),
  PRIMARY KEY (quote_id, line_no)
);

CREATE TABLE rfq_events (
  id          BIGSERIAL PRIMARY KEY,
  rfq_id      TEXT NOT NULL REFERENCES rfqs (id),
  from_status TEXT,
  to_status   TEXT NOT NULL,
  actor       TEXT NOT NULL,
  at          TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX rfq_events_rfq ON rfq_events (rfq_id, id);
