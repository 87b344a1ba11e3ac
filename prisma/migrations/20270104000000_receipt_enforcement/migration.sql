-- Enforcement of a pledged warehouse receipt (issue 15, DECISIONS 112): the lender transfers the goods to its nominee.
-- One approver of the lender starts it naming the nominee (a distributor or repair shop) and one of its warehouses,
-- a second approver confirms (two-person rule, a CHECK), then an undo window runs during which the lender can cancel;
-- after it the transfer completes: the serials are released on the ledger (the lender signs) and shipped to the
-- nominee (the borrower's key, which the platform keeps, signs), the quantities leave the borrower's warehouse and
-- enter the nominee's by stock movements, and the receipt ends `enforced`.
ALTER TABLE warehouse_receipts DROP CONSTRAINT warehouse_receipts_status_check;
ALTER TABLE warehouse_receipts ADD CONSTRAINT warehouse_receipts_status_check
  CHECK (status IN ('issued', 'pledged', 'released', 'cancelled', 'enforcing', 'enforced'));

CREATE TABLE receipt_enforcements (
  id                   TEXT PRIMARY KEY,                                   -- enf_<16 hex>
  receipt_id           TEXT NOT NULL REFERENCES warehouse_receipts (id),
  lender_id            TEXT NOT NULL REFERENCES companies (id),
  borrower_id          TEXT NOT NULL REFERENCES companies (id),
  nominee_id           TEXT NOT NULL REFERENCES companies (id),
  nominee_location_id  TEXT NOT NULL REFERENCES supplier_locations (id),
  status               TEXT NOT NULL CHECK (status IN ('proposed', 'confirmed', 'transferring', 'completed', 'cancelled')),
  reason               TEXT NOT NULL,
  undo_hours           INTEGER NOT NULL CHECK (undo_hours BETWEEN 1 AND 168),
  undo_until           TIMESTAMPTZ,                                        -- set by the confirmation
  started_by           TEXT NOT NULL,
  confirmed_by         TEXT,
  cancelled_by         TEXT,
  completed_by         TEXT,
  created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
  CHECK (confirmed_by IS NULL OR confirmed_by <> started_by),
  CHECK (nominee_id <> borrower_id),
  CHECK (status IN ('proposed', 'cancelled') OR (confirmed_by IS NOT NULL AND undo_until IS NOT NULL))
);
-- One live enforcement per receipt: concurrent starts make one.
CREATE UNIQUE INDEX receipt_enforcements_live ON receipt_enforcements (receipt_id)
  WHERE status IN ('proposed', 'confirmed', 'transferring');
CREATE INDEX receipt_enforcements_lender ON receipt_enforcements (lender_id, created_at DESC);
CREATE INDEX receipt_enforcements_party ON receipt_enforcements (borrower_id, created_at DESC);

-- A serial under an enforcing receipt may change stage only to be shipped by its holder (the transfer to the nominee),
-- and that shipment commits only in the transaction that also frees the serial from the receipt: a deferred check at
-- commit refuses any change of a serial still locked, whichever path made it.
CREATE OR REPLACE FUNCTION ledger_parts_receipt_lock() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r TEXT; s TEXT;
BEGIN
  SELECT p.receipt_id, w.status INTO r, s FROM warehouse_receipt_parts p JOIN warehouse_receipts w ON w.id = p.receipt_id
   WHERE p.gtin = NEW.gtin AND p.serial = NEW.serial AND p.released_at IS NULL;
  IF r IS NOT NULL AND NOT (s = 'enforcing' AND NEW.stage = 4 AND NEW.holder = OLD.holder) THEN
    RAISE EXCEPTION 'RECEIPT.PART_LOCKED: part %/% is locked by warehouse receipt %; it moves only after the receipt releases it', NEW.gtin, NEW.serial, r
      USING ERRCODE = 'PLLCK';
  END IF;
  RETURN NEW;
END $$;

CREATE FUNCTION ledger_parts_receipt_lock_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r TEXT;
BEGIN
  SELECT receipt_id INTO r FROM warehouse_receipt_parts
   WHERE gtin = NEW.gtin AND serial = NEW.serial AND released_at IS NULL;
  IF r IS NOT NULL THEN
    RAISE EXCEPTION 'RECEIPT.PART_LOCKED: part %/% is locked by warehouse receipt %; it moves only after the receipt releases it', NEW.gtin, NEW.serial, r
      USING ERRCODE = 'PLLCK';
  END IF;
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER ledger_parts_receipt_lock_at_commit AFTER UPDATE OF stage, holder ON ledger_parts
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN (NEW.stage IS DISTINCT FROM OLD.stage OR NEW.holder IS DISTINCT FROM OLD.holder)
  EXECUTE FUNCTION ledger_parts_receipt_lock_at_commit();

-- Credit limits on 月结 terms are enforced when an order is placed (DECISIONS 112): what a buyer owes a seller counts
-- its orders in flight not yet invoiced; this index finds a buyer's orders in flight without reading its history.
CREATE INDEX orders_buyer_in_flight ON orders (buyer_id)
  WHERE status IN ('placed', 'allocated', 'partially_fulfilled', 'picking', 'shipped', 'delivered');
