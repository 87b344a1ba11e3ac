-- Shared inventory and orders (issue 6, part 1). Warehouses are the suppliers' stock locations of the catalogue
-- (supplier_locations: company, GCJ-02 point, region code); a warehouse joins the shared pool when its company says so.

ALTER TABLE supplier_locations ADD COLUMN shared BOOLEAN NOT NULL DEFAULT false;

-- Stock per SKU per warehouse. available = on_hand - reserved. Every change is a row of stock_movements in the same
-- transaction, so each balance is the sum of its movements.
CREATE TABLE stock (
  location_id    TEXT NOT NULL REFERENCES supplier_locations (id),
  sku_id         BIGINT NOT NULL,
  on_hand        INTEGER NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
  reserved       INTEGER NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  in_transit     INTEGER NOT NULL DEFAULT 0 CHECK (in_transit >= 0),
  reorder_point  INTEGER NOT NULL DEFAULT 0 CHECK (reorder_point >= 0),
  shared         BOOLEAN NOT NULL DEFAULT false,   -- this SKU of this warehouse is in the shared pool
  price_fen      BIGINT CHECK (price_fen > 0),     -- the pool price for other companies
  updated_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (location_id, sku_id),
  CHECK (reserved <= on_hand)
);
CREATE INDEX stock_sku ON stock (sku_id) WHERE shared;

CREATE TABLE stock_movements (
  id                BIGSERIAL PRIMARY KEY,
  location_id       TEXT NOT NULL,
  sku_id            BIGINT NOT NULL,
  on_hand_delta     INTEGER NOT NULL DEFAULT 0,
  reserved_delta    INTEGER NOT NULL DEFAULT 0,
  in_transit_delta  INTEGER NOT NULL DEFAULT 0,
  reason            TEXT NOT NULL CHECK (reason IN ('receipt', 'sale', 'transfer', 'adjustment', 'return', 'reservation', 'release')),
  ref               TEXT,                            -- order id, document id …
  at                TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX stock_movements_stock ON stock_movements (location_id, sku_id);

CREATE TABLE orders (
  id            TEXT PRIMARY KEY,
  buyer_id      TEXT NOT NULL REFERENCES companies (id),
  status        TEXT NOT NULL CHECK (status IN ('placed', 'allocated', 'partially_fulfilled', 'picking', 'shipped', 'delivered', 'completed', 'cancelled')),
  urgent        BOOLEAN NOT NULL DEFAULT false,
  policy        TEXT NOT NULL CHECK (policy IN ('all_or_nothing', 'partial')),
  ship_lng      DOUBLE PRECISION NOT NULL,
  ship_lat      DOUBLE PRECISION NOT NULL,
  total_fen     BIGINT NOT NULL DEFAULT 0,
  carrier       TEXT,
  tracking_no   TEXT,
  created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX orders_buyer ON orders (buyer_id, created_at);

CREATE TABLE order_lines (
  order_id   TEXT NOT NULL REFERENCES orders (id),
  line_no    INTEGER NOT NULL,
  sku_id     BIGINT NOT NULL,
  quantity   INTEGER NOT NULL CHECK (quantity > 0),
  allocated  INTEGER NOT NULL DEFAULT 0 CHECK (allocated >= 0),
  PRIMARY KEY (order_id, line_no)
);

-- Which warehouse serves how much of a line, at what price and distance.
CREATE TABLE order_allocations (
  order_id     TEXT NOT NULL REFERENCES orders (id),
  line_no      INTEGER NOT NULL,
  location_id  TEXT NOT NULL REFERENCES supplier_locations (id),
  seller_id    TEXT NOT NULL REFERENCES companies (id),
  quantity     INTEGER NOT NULL CHECK (quantity > 0),
  price_fen    BIGINT NOT NULL,
  distance_m   INTEGER NOT NULL,
  PRIMARY KEY (order_id, line_no, location_id)
);
CREATE INDEX order_allocations_seller ON order_allocations (seller_id);

-- Every status change, who made it and when.
CREATE TABLE order_events (
  id          BIGSERIAL PRIMARY KEY,
  order_id    TEXT NOT NULL REFERENCES orders (id),
  from_status TEXT,
  to_status   TEXT NOT NULL,
  actor       TEXT NOT NULL,
  at          TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX order_events_order ON order_events (order_id, id);
