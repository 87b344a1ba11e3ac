-- Order loans (issue 15, DECISIONS 105): a borrower finances an invoice of a delivered order — its receivable as the
-- seller, or its payable as the buyer — with a lender it consented to. The lender's credit officer proposes terms,
-- another person (its approver) approves, a third act disburses (not by the approver); repayments are partial;
-- interest accrues ACT/365 with the fraction of a fen carried (loan-math.ts). Money in integer fen.
CREATE TABLE loan_credit_limits (
  lender_id    TEXT NOT NULL REFERENCES companies (id),
  borrower_id  TEXT NOT NULL REFERENCES companies (id),
  limit_fen    BIGINT NOT NULL CHECK (limit_fen >= 0),
  set_by       TEXT NOT NULL,
  set_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (lender_id, borrower_id)
);

CREATE TABLE loans (
  id                  TEXT PRIMARY KEY,                                   -- ln_<16 hex>
  borrower_id         TEXT NOT NULL REFERENCES companies (id),
  lender_id           TEXT NOT NULL REFERENCES companies (id),
  invoice_id          TEXT NOT NULL REFERENCES invoices (id),
  side                TEXT NOT NULL CHECK (side IN ('receivable', 'payable')),
  status              TEXT NOT NULL CHECK (status IN
                        ('applied', 'proposed', 'approved', 'declined', 'withdrawn', 'disbursed', 'overdue', 'closed')),
  requested_fen       BIGINT NOT NULL CHECK (requested_fen > 0),
  amount_fen          BIGINT CHECK (amount_fen > 0),                      -- the proposed (then approved) principal
  rate_bp             INTEGER CHECK (rate_bp BETWEEN 0 AND 10000),        -- annual, basis points, ACT/365
  overdue_bp          INTEGER CHECK (overdue_bp BETWEEN 0 AND 10000),     -- added after the due date
  term_days           INTEGER NOT NULL CHECK (term_days BETWEEN 1 AND 366),
  note                TEXT,
  applied_by          TEXT NOT NULL,
  applied_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
  proposed_by         TEXT,
  proposed_at         TIMESTAMPTZ,
  approved_by         TEXT,
  approved_at         TIMESTAMPTZ,
  disbursed_by        TEXT,
  disbursed_on        DATE,                                               -- Asia/Shanghai calendar date
  due_date            DATE,
  ended_by            TEXT,                                               -- who declined or withdrew
  ended_reason        TEXT,
  principal_fen       BIGINT NOT NULL DEFAULT 0 CHECK (principal_fen >= 0),
  interest_fen        BIGINT NOT NULL DEFAULT 0 CHECK (interest_fen >= 0),
  carry               BIGINT NOT NULL DEFAULT 0 CHECK (carry >= 0 AND carry < 3650000), -- 1/3,650,000 fen
  accrued_to          DATE,                                               -- interest accrued for days before it
  interest_total_fen  BIGINT NOT NULL DEFAULT 0 CHECK (interest_total_fen >= 0),
  repaid_fen          BIGINT NOT NULL DEFAULT 0 CHECK (repaid_fen >= 0),
  version             INTEGER NOT NULL DEFAULT 1,
  CHECK (borrower_id <> lender_id),
  -- The two-person rule, in the database: the approver did not propose; the disbursement is not the approver's.
  CHECK (approved_by IS NULL OR approved_by <> proposed_by),
  CHECK (disbursed_by IS NULL OR disbursed_by <> approved_by),
  -- Every fen accounted for: disbursed + interest = repaid + outstanding.
  CHECK ((CASE WHEN disbursed_on IS NULL THEN 0 ELSE amount_fen END) + interest_total_fen
         = repaid_fen + principal_fen + interest_fen)
);
-- One live loan per invoice and borrower, whichever lender: the same trade is not financed twice.
CREATE UNIQUE INDEX loans_live_invoice ON loans (invoice_id, borrower_id)
  WHERE status IN ('applied', 'proposed', 'approved', 'disbursed', 'overdue');
CREATE INDEX loans_lender ON loans (lender_id, status);
CREATE INDEX loans_borrower ON loans (borrower_id, status);

CREATE TABLE loan_entries (
  id                TEXT PRIMARY KEY,                                     -- le_<16 hex>
  loan_id           TEXT NOT NULL REFERENCES loans (id),
  kind              TEXT NOT NULL CHECK (kind IN ('disbursement', 'repayment', 'waterfall')),
  amount_fen        BIGINT NOT NULL CHECK (amount_fen > 0),
  to_interest_fen   BIGINT NOT NULL DEFAULT 0 CHECK (to_interest_fen >= 0),
  to_principal_fen  BIGINT NOT NULL DEFAULT 0 CHECK (to_principal_fen >= 0),
  on_date           DATE NOT NULL,
  bank_ref          TEXT NOT NULL,
  recorded_by       TEXT NOT NULL,
  seq               BIGSERIAL,
  created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (loan_id, bank_ref),
  CHECK (kind = 'disbursement' OR to_interest_fen + to_principal_fen = amount_fen)
);
CREATE INDEX loan_entries_loan ON loan_entries (loan_id, on_date, seq);
