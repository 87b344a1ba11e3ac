-- Companies, their API keys, idempotent requests and mint runs (issue 3).

CREATE TABLE companies (
  id              TEXT PRIMARY KEY,              -- also the company's ledger actor id
  name            TEXT NOT NULL,
  uscc            CHAR(18) NOT NULL UNIQUE,      -- 统一社会信用代码, check character verified
  kind            TEXT NOT NULL CHECK (kind IN ('manufacturer', 'distributor', 'repair_shop')),
  region_code     CHAR(6) NOT NULL,              -- GB/T 2260
  lng             DOUBLE PRECISION NOT NULL,     -- GCJ-02
  lat             DOUBLE PRECISION NOT NULL,
  api_key_hash    BYTEA NOT NULL UNIQUE,         -- sha256 of the key; the key itself is shown once
  api_key_prefix  TEXT NOT NULL,
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- A request with an Idempotency-Key is recorded in the same transaction as its effect, with its response.
CREATE TABLE idempotent_requests (
  company_id    TEXT NOT NULL REFERENCES companies (id),
  key           TEXT NOT NULL,
  request_hash  BYTEA NOT NULL,
  status_code   INTEGER NOT NULL,
  response      JSONB NOT NULL,
  created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, key)
);

CREATE TABLE mint_runs (
  id               TEXT PRIMARY KEY,
  company_id       TEXT NOT NULL REFERENCES companies (id),
  gtin             CHAR(14) NOT NULL,
  lot              TEXT NOT NULL,
  production_date  DATE NOT NULL,
  serials          TEXT[] NOT NULL,
  submission_id    BIGINT NOT NULL,
  created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX mint_runs_company ON mint_runs (company_id, created_at);
