-- Warehouse receipts and their pledges (issue 15, DECISIONS 75). A receipt is issued by the company holding stock at
-- one of its warehouses, over quantities of SKUs (and, for serialised parts, the serials themselves); from issue until
-- release those units are locked: not sellable, shippable, transferable, reservable, or lockable by another receipt.
-- The locks are enforced by the database itself, so a code path that forgets them fails instead of moving them:
--   * quantities: stock.locked, with CHECK (reserved + locked <= on_hand) — no reservation, sale, transfer or
--     adjustment can take a locked unit, and no second receipt can lock a unit already reserved or locked;
--   * serials: a unique index over live receipt parts (a serial is under at most one live receipt) and a trigger on
--     ledger_parts refusing any change of stage or holder (a shipment, an installation) of a locked serial.
ALTER TABLE stock ADD COLUMN locked INTEGER NOT NULL DEFAULT 0 CHECK (locked >= 0);
ALTER TABLE stock ADD CONSTRAINT stock_locked_within CHECK (reserved + locked <= on_hand);

ALTER TABLE stock_movements ADD COLUMN locked_delta INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stock_movements DROP CONSTRAINT stock_movements_reason_check;
ALTER TABLE stock_movements ADD CONSTRAINT stock_movements_reason_check
  CHECK (reason IN ('receipt', 'sale', 'transfer', 'adjustment', 'return', 'reservation', 'release', 'lock', 'unlock'));

CREATE TABLE warehouse_receipts (
  id           TEXT PRIMARY KEY,                                   -- wr_<16 hex>
  company_id   TEXT NOT NULL REFERENCES companies (id),            -- the holder of the goods (the borrower)
  location_id  TEXT NOT NULL REFERENCES supplier_locations (id),   -- the one warehouse the goods are at
  status       TEXT NOT NULL CHECK (status IN ('issued', 'pledged', 'released', 'cancelled')),
  lender_id    TEXT REFERENCES companies (id),                     -- set when pledged; kept after release
  issued_by    TEXT NOT NULL,
  pledged_by   TEXT,
  version      INTEGER NOT NULL DEFAULT 1,                         -- bumped at every change of its document
  digest       TEXT NOT NULL,                                      -- sha256 of the canonical document at `version`
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  CHECK (status <> 'pledged' OR lender_id IS NOT NULL)
);
CREATE INDEX warehouse_receipts_company ON warehouse_receipts (company_id, created_at DESC);
CREATE INDEX warehouse_receipts_lender ON warehouse_receipts (lender_id) WHERE lender_id IS NOT NULL;

-- Quantities per SKU: `quantity` is what the receipt still locks (partial releases lower it), `issued` what it began with.
CREATE TABLE warehouse_receipt_lines (
  receipt_id  TEXT NOT NULL REFERENCES warehouse_receipts (id),
  sku_id      BIGINT NOT NULL,
  issued      INTEGER NOT NULL CHECK (issued > 0),
  quantity    INTEGER NOT NULL CHECK (quantity >= 0),
  PRIMARY KEY (receipt_id, sku_id),
  CHECK (quantity <= issued)
);

-- Serials named by a receipt (each also counted in its SKU's line); released_at set when released.
CREATE TABLE warehouse_receipt_parts (
  receipt_id   TEXT NOT NULL REFERENCES warehouse_receipts (id),
  gtin         TEXT NOT NULL,
  serial       TEXT NOT NULL,
  sku_id       BIGINT NOT NULL,
  released_at  TIMESTAMPTZ,
  PRIMARY KEY (receipt_id, gtin, serial)
);
CREATE UNIQUE INDEX warehouse_receipt_parts_live ON warehouse_receipt_parts (gtin, serial) WHERE released_at IS NULL;

CREATE FUNCTION ledger_parts_receipt_lock() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r TEXT;
BEGIN
  SELECT receipt_id INTO r FROM warehouse_receipt_parts
   WHERE gtin = NEW.gtin AND serial = NEW.serial AND released_at IS NULL;
  IF r IS NOT NULL THEN
    RAISE EXCEPTION 'RECEIPT.PART_LOCKED: part %/% is locked by warehouse receipt %; it moves only after the receipt releases it', NEW.gtin, NEW.serial, r
      USING ERRCODE = 'PLLCK';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER ledger_parts_receipt_lock BEFORE UPDATE OF stage, holder ON ledger_parts
  FOR EACH ROW WHEN (NEW.stage IS DISTINCT FROM OLD.stage OR NEW.holder IS DISTINCT FROM OLD.holder)
  EXECUTE FUNCTION ledger_parts_receipt_lock();
