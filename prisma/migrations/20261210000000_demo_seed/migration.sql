-- The demo world's journal (scripts/lib/demo-world.ts, DECISIONS 61): one row per finished step of `npm run seed`,
-- its result (ids, API keys, generated passwords) sealed with the ledger's key vault. A step with a row is not run
-- again, so a seed stopped halfway resumes; the row 'done' is written last and marks the world complete.
CREATE TABLE demo_seed_steps (
  step      TEXT PRIMARY KEY,
  result_ct BYTEA NOT NULL,
  done_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
