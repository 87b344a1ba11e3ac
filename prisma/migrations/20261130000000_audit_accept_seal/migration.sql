-- The audit trail accepts, then seals (DECISIONS 29). An audited write inserts its entry here, in its own transaction,
-- without touching audit_head: writes no longer queue on one row until each commit's fsync. The sealer (the anchor
-- worker's tick, and every read of the trail) moves committed entries in id order into audit_log, assigning seq and
-- the hash chain under audit_head's lock, in one transaction per batch.
CREATE TABLE audit_pending (
  id           BIGSERIAL PRIMARY KEY,
  at           TIMESTAMPTZ NOT NULL,
  company_id   TEXT,
  actor_type   TEXT NOT NULL,
  actor_id     TEXT,
  action       TEXT NOT NULL,
  resource     TEXT NOT NULL,
  resource_id  TEXT,
  outcome      TEXT NOT NULL CHECK (outcome IN ('ok', 'denied')),
  ip           TEXT,
  user_agent   TEXT,
  request_id   TEXT,
  changes      JSONB
);
-- Accepted entries are never edited; the sealer deletes them as it chains them.
CREATE TRIGGER audit_pending_no_update BEFORE UPDATE ON audit_pending
  FOR EACH ROW EXECUTE FUNCTION ledger_reject_change();
