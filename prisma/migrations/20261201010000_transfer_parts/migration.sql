-- Serialised parts travelling with a transfer between a company's warehouses: named at approval (shipped from the
-- source on the ledger), received at the destination on the ledger when the transfer is received.
ALTER TABLE stock_transfers ADD COLUMN parts JSONB NOT NULL DEFAULT '[]';
