-- Rate-limit token buckets shared by every API process on this database (DECISIONS: more than one API process).
-- UNLOGGED: no WAL for a row rewritten on every request; after a crash the table comes back empty, which only
-- refills every bucket.
CREATE UNLOGGED TABLE rate_limit_buckets (
  key     TEXT PRIMARY KEY,
  tokens  DOUBLE PRECISION NOT NULL,
  at      TIMESTAMPTZ NOT NULL,
  granted BOOLEAN NOT NULL                -- whether the last take found a token
);
CREATE INDEX rate_limit_buckets_at ON rate_limit_buckets (at);
