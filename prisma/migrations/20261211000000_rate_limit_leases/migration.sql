-- How many tokens the last take of a bucket got: a process leases several at once and spends them in memory
-- (DECISIONS 66), so a busy credential is one upsert per lease, not one per request.
ALTER TABLE rate_limit_buckets ADD COLUMN taken INTEGER NOT NULL DEFAULT 0;
