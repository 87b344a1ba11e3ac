-- Order loans before delivery and repayment schedules (issue 15, DECISIONS 116). A loan finances an invoice (as
-- before), a seller's confirmed order not yet delivered (`order`: linked to the seller's invoice when it is issued), or
-- a buyer's purchase order (`purchase_order`: the lender pays the seller on the buyer's behalf, booked as a payment of
-- the seller's invoice). Every loan names its order and its counterparty (the buyer for a seller's loan, the seller for
-- a buyer's), and the same trade is financed once per borrower whichever basis. Repaid in `instalments` by a plan
-- (bullet or equal principal, loan-schedule.ts); `next_due_date` is the earliest instalment with principal unpaid.
-- A cancelled order calls its loans: unpaid-out ones are withdrawn, disbursed ones fall due on the day (`called_on`).
ALTER TABLE loans
  ADD COLUMN basis           TEXT NOT NULL DEFAULT 'invoice' CHECK (basis IN ('invoice', 'order', 'purchase_order')),
  ADD COLUMN order_id        TEXT REFERENCES orders (id),
  ADD COLUMN counterparty_id TEXT REFERENCES companies (id),
  ADD COLUMN plan_kind       TEXT NOT NULL DEFAULT 'bullet' CHECK (plan_kind IN ('bullet', 'equal_principal')),
  ADD COLUMN instalments     INTEGER NOT NULL DEFAULT 1 CHECK (instalments BETWEEN 1 AND 36),
  ADD COLUMN next_due_date   DATE,
  ADD COLUMN called_on       DATE,
  ADD COLUMN called_reason   TEXT;

UPDATE loans l SET order_id = i.order_id,
                   counterparty_id = CASE WHEN l.side = 'receivable' THEN i.buyer_id ELSE i.seller_id END,
                   next_due_date = CASE WHEN l.status IN ('disbursed', 'overdue') THEN l.due_date END
  FROM invoices i WHERE i.id = l.invoice_id;

ALTER TABLE loans
  ALTER COLUMN order_id SET NOT NULL,
  ALTER COLUMN counterparty_id SET NOT NULL,
  ALTER COLUMN invoice_id DROP NOT NULL,
  ADD CHECK (basis <> 'invoice' OR invoice_id IS NOT NULL),
  ADD CHECK (basis <> 'purchase_order' OR side = 'payable'),
  ADD CHECK (basis <> 'order' OR side = 'receivable'),
  ADD CHECK (instalments <= term_days);

-- One live loan per trade side: an order's seller (or buyer) with that counterparty, whichever basis and lender.
CREATE UNIQUE INDEX loans_live_trade ON loans (order_id, borrower_id, counterparty_id)
  WHERE status IN ('applied', 'proposed', 'approved', 'disbursed', 'overdue');
CREATE INDEX loans_order ON loans (order_id);
