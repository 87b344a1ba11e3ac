-- Leaf version per batch (DECISIONS "Leaf v2"). Batches sealed before keep leaf v1 and stay verifiable; the sealer
-- names the version of every new batch explicitly (no default), so a batch can never be read with the wrong one.
ALTER TABLE ledger_batches ADD COLUMN leaf_version SMALLINT NOT NULL DEFAULT 1 CHECK (leaf_version IN (1, 2));
ALTER TABLE ledger_batches ALTER COLUMN leaf_version DROP DEFAULT;
