-- Lenders (issue 15, DECISIONS 76): banks and factoring companies are registered by the platform like the other kinds.
-- They hold a ledger identity but no PartRegistry role (they never move parts).
ALTER TABLE ledger_actors DROP CONSTRAINT ledger_actors_kind_check;
ALTER TABLE ledger_actors ADD CONSTRAINT ledger_actors_kind_check
  CHECK (kind IN ('manufacturer', 'distributor', 'repair_shop', 'lender', 'platform'));
ALTER TABLE companies DROP CONSTRAINT companies_kind_check;
ALTER TABLE companies ADD CONSTRAINT companies_kind_check
  CHECK (kind IN ('manufacturer', 'distributor', 'repair_shop', 'lender'));

-- A borrower's consent that one lender sees its credit profile. Granted and revoked by the borrower; a revoked consent
-- stays as history. At most one live consent per (borrower, lender).
CREATE TABLE credit_consents (
  id           TEXT PRIMARY KEY,                          -- cc_<16 hex>
  borrower_id  TEXT NOT NULL REFERENCES companies (id),
  lender_id    TEXT NOT NULL REFERENCES companies (id),
  granted_by   TEXT NOT NULL,
  granted_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  revoked_by   TEXT,
  revoked_at   TIMESTAMPTZ,
  CHECK (borrower_id <> lender_id),
  CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
CREATE UNIQUE INDEX credit_consents_live ON credit_consents (borrower_id, lender_id) WHERE revoked_at IS NULL;
CREATE INDEX credit_consents_lender ON credit_consents (lender_id) WHERE revoked_at IS NULL;
