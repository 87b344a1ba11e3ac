-- Transfers between a company's warehouses: proposed when available stock falls below the reorder point, approved by
-- a person other than the proposer, moved through in-transit (source on hand → destination in transit → on hand).
CREATE TABLE stock_transfers (
  id             TEXT PRIMARY KEY,
  company_id     TEXT NOT NULL REFERENCES companies (id),
  sku_id         BIGINT NOT NULL,
  from_location  TEXT NOT NULL REFERENCES supplier_locations (id),
  to_location    TEXT NOT NULL REFERENCES supplier_locations (id),
  quantity       INTEGER NOT NULL CHECK (quantity > 0),
  distance_m     INTEGER NOT NULL,
  status         TEXT NOT NULL CHECK (status IN ('proposed', 'in_transit', 'received', 'rejected')),
  proposed_by    TEXT NOT NULL,                  -- 'system' or the person who proposed it
  decided_by     TEXT,
  created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
  CHECK (from_location <> to_location)
);
CREATE UNIQUE INDEX stock_transfers_open ON stock_transfers (sku_id, to_location) WHERE status = 'proposed';
CREATE INDEX stock_transfers_company ON stock_transfers (company_id, created_at);

-- Serialised parts that travelled with an order: shipped by the seller (EPCIS shipping on the ledger), received by
-- the buyer on delivery (EPCIS receiving).
CREATE TABLE order_parts (
  order_id    TEXT NOT NULL REFERENCES orders (id),
  gtin        CHAR(14) NOT NULL,
  serial      TEXT NOT NULL,
  shipped_by  TEXT NOT NULL,
  PRIMARY KEY (order_id, gtin, serial)
);

-- Serials a company holds in stock (commissioned or received, not shipped or installed), for the stock-by-serial view.
CREATE INDEX ledger_parts_held ON ledger_parts (holder, gtin) WHERE stage IN (1, 2);
