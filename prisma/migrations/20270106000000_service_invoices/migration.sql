-- Service settlements in the finance ledger (issue 17, DECISIONS 114). An invoice comes from a delivered order
-- (DECISIONS 77) or from a service settlement: the provider's invoice to the shop for the service (its charge and any
-- damage claims) and the platform's commission invoice to the provider. The platform is no company: its invoices
-- have no seller (seller_id NULL), as a principal without a company is the platform. One invoice of each source per
-- settlement, by a unique constraint, so a retried settlement can never bill twice.
ALTER TABLE invoices ALTER COLUMN order_id DROP NOT NULL;
ALTER TABLE invoices ALTER COLUMN seller_id DROP NOT NULL;
ALTER TABLE invoices ADD COLUMN source TEXT NOT NULL DEFAULT 'order' CHECK (source IN ('order', 'service', 'commission'));
ALTER TABLE invoices ADD COLUMN settlement_id TEXT REFERENCES service_settlements (id);
ALTER TABLE invoices ADD CONSTRAINT invoices_source_shape CHECK (
  (source = 'order' AND order_id IS NOT NULL AND settlement_id IS NULL AND seller_id IS NOT NULL)
  OR (source = 'service' AND order_id IS NULL AND settlement_id IS NOT NULL AND seller_id IS NOT NULL)
  OR (source = 'commission' AND order_id IS NULL AND settlement_id IS NOT NULL AND seller_id IS NULL));
ALTER TABLE invoices ADD CONSTRAINT invoices_settlement_source UNIQUE (settlement_id, source);
CREATE INDEX invoices_platform ON invoices (due_date) WHERE seller_id IS NULL AND paid_fen < total_fen;

-- A service line names what was sold instead of a SKU.
ALTER TABLE invoice_lines ALTER COLUMN sku_id DROP NOT NULL;
ALTER TABLE invoice_lines ADD COLUMN description TEXT;
ALTER TABLE invoice_lines ADD CONSTRAINT invoice_lines_item CHECK ((sku_id IS NULL) <> (description IS NULL));
