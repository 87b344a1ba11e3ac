-- PartLedger provenance ledger (issue 2). Applied by ledger-service/src/db/migrate.ts, on PostgreSQL and PGlite.

-- Companies as the ledger knows them: a chain identity and, when the platform keeps it, an encrypted key.
CREATE TABLE ledger_actors (
  id              TEXT PRIMARY KEY,
  name            TEXT NOT NULL,
  kind            TEXT NOT NULL CHECK (kind IN ('manufacturer', 'distributor', 'repair_shop')),
  address         TEXT NOT NULL UNIQUE,
  key_ciphertext  BYTEA,
  lifecycle_mode  TEXT NOT NULL DEFAULT 'anchored' CHECK (lifecycle_mode IN ('anchored', 'onchain')),
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One row: the ledger head. Appends lock it, so sequence numbers are contiguous and commit in order.
CREATE TABLE ledger_head (
  id        SMALLINT PRIMARY KEY CHECK (id = 1),
  last_seq  BIGINT NOT NULL
);
INSERT INTO ledger_head (id, last_seq) VALUES (1, 0);

-- A signed submission: the acting company's EIP-712 signature over the Merkle root of its events' hashes.
CREATE TABLE ledger_submissions (
  id           BIGSERIAL PRIMARY KEY,
  actor        TEXT NOT NULL,
  events_root  BYTEA NOT NULL,
  event_count  INTEGER NOT NULL CHECK (event_count > 0),
  signature    BYTEA NOT NULL,
  recorded_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The append-only event log. seq 1..n without gaps; batches are contiguous seq ranges. `fields` holds exactly the
-- signed ledger fields (LedgerFields); the EPCIS 2.0 ObjectEvent is rendered from them, never stored twice.
CREATE TABLE ledger_events (
  seq              BIGINT PRIMARY KEY,
  struct_hash      BYTEA NOT NULL UNIQUE,
  part_key         BYTEA NOT NULL,
  step             SMALLINT NOT NULL,
  actor            TEXT NOT NULL,
  submission_id    BIGINT NOT NULL REFERENCES ledger_submissions (id),
  submission_index INTEGER NOT NULL,
  fields           JSONB NOT NULL,
  recorded_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX ledger_events_part_key_seq ON ledger_events (part_key, seq);
CREATE INDEX ledger_events_submission ON ledger_events (submission_id, submission_index);

CREATE FUNCTION ledger_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'LEDGER.APPEND_ONLY: % on % is not allowed', TG_OP, TG_TABLE_NAME;
END $$;
CREATE TRIGGER ledger_events_append_only BEFORE UPDATE OR DELETE ON ledger_events
  FOR EACH ROW EXECUTE FUNCTION ledger_reject_change();
CREATE TRIGGER ledger_submissions_append_only BEFORE UPDATE OR DELETE ON ledger_submissions
  FOR EACH ROW EXECUTE FUNCTION ledger_reject_change();

-- Private step fields (a VIN …), encrypted; only their salted hash enters the signed event.
CREATE TABLE ledger_private_fields (
  struct_hash  BYTEA PRIMARY KEY,
  ciphertext   BYTEA NOT NULL
);

-- Each part's current head: stage, holder and the hash its next event must point back to.
CREATE TABLE ledger_parts (
  part_key        BYTEA PRIMARY KEY,
  gtin            TEXT NOT NULL,
  serial          TEXT NOT NULL,
  lot             TEXT NOT NULL,
  stage           SMALLINT NOT NULL,
  holder          TEXT NOT NULL,
  head_hash       BYTEA NOT NULL,
  head_seq        BIGINT NOT NULL,
  lifecycle_mode  TEXT NOT NULL CHECK (lifecycle_mode IN ('anchored', 'onchain'))
) WITH (fillfactor = 70); -- room on each page for HOT updates: a part's head changes at every step
-- part_key = keccak256("/01/{gtin}/21/{serial}") is the identity: looking a part up by GTIN and serial goes
-- through the primary key, and no second unique index slows every commissioning down.

-- Sealed batches and the anchoring state machine: sealed -> submitted -> confirmed -> final.
CREATE TABLE ledger_batches (
  id            BIGINT PRIMARY KEY,
  first_seq     BIGINT NOT NULL UNIQUE,
  last_seq      BIGINT NOT NULL UNIQUE,
  event_count   INTEGER NOT NULL CHECK (event_count > 0),
  root          BYTEA NOT NULL,
  tree          BYTEA NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('sealed', 'submitted', 'confirmed', 'final')),
  sealed_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
  tx_hash       TEXT,
  raw_tx        TEXT,
  tx_nonce      BIGINT,
  block_number  BIGINT,
  block_hash    TEXT,
  attempts      INTEGER NOT NULL DEFAULT 0,
  last_error    TEXT,
  updated_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  CHECK (last_seq - first_seq + 1 = event_count)
);
-- Proof generation reads a few 32-byte slices of `tree`; uncompressed external storage makes that cheap.
ALTER TABLE ledger_batches ALTER COLUMN tree SET STORAGE EXTERNAL;
CREATE INDEX ledger_batches_status ON ledger_batches (status) WHERE status <> 'final';

-- On-chain lifecycle writes (PartRegistry.advance), one per submission of an on-chain-mode actor.
CREATE TABLE ledger_chain_writes (
  submission_id  BIGINT PRIMARY KEY REFERENCES ledger_submissions (id),
  actor          TEXT NOT NULL,
  stage          SMALLINT NOT NULL,
  part_keys      BYTEA NOT NULL,
  status         TEXT NOT NULL CHECK (status IN ('pending', 'submitted', 'final')),
  tx_hash        TEXT,
  raw_tx         TEXT,
  tx_nonce       BIGINT,
  block_number   BIGINT,
  attempts       INTEGER NOT NULL DEFAULT 0,
  last_error     TEXT
);
CREATE INDEX ledger_chain_writes_open ON ledger_chain_writes (submission_id) WHERE status <> 'final';

-- Where the contracts live. A local chain that restarted empty gets a new deployment row.
CREATE TABLE ledger_deployments (
  id                 BIGSERIAL PRIMARY KEY,
  chain_id           BIGINT NOT NULL,
  genesis_hash       TEXT NOT NULL,
  anchor_registry    TEXT NOT NULL,
  part_registry      TEXT NOT NULL,
  deployed_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
