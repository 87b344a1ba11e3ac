-- Gas for companies' on-chain lifecycle writes (issue 18 item 7, DECISIONS "The platform funds company keys"). A
-- top-up is a value transfer from the platform signer to a platform-kept company key, stored signed before it is
-- sent (the anchoring discipline), so a crash neither loses nor repeats one. At most one is in flight at a time.
CREATE TABLE ledger_gas_topups (
  id           BIGSERIAL PRIMARY KEY,
  actor_id     TEXT NOT NULL,
  address      TEXT NOT NULL,
  -- The cost of the write that needed it, and what was sent (wei, as decimal text: beyond bigint on some chains).
  need_wei     NUMERIC(78, 0) NOT NULL,
  amount_wei   NUMERIC(78, 0) NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('submitted', 'final', 'failed')),
  tx_hash      TEXT NOT NULL,
  raw_tx       TEXT NOT NULL,
  tx_nonce     BIGINT NOT NULL,
  block_number BIGINT,
  last_error   TEXT,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX ledger_gas_topups_one_in_flight ON ledger_gas_topups ((true)) WHERE status = 'submitted';

-- Since when a lifecycle write waits, and when it last failed (the health endpoint reports both).
ALTER TABLE ledger_chain_writes ADD COLUMN created_at TIMESTAMPTZ NOT NULL DEFAULT now();
ALTER TABLE ledger_chain_writes ADD COLUMN last_error_at TIMESTAMPTZ;
