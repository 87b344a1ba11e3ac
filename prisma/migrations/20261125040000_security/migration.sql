-- Security and access (issue 4): users, sessions, API keys with roles, custom roles, approval requests (two-person
-- rule), encrypted personal data with blind indexes, and the hash-chained audit trail anchored through the ledger.

-- Custom roles of a company; the built-in roles are declared in code (api/src/security/permissions.ts).
CREATE TABLE roles (
  id           TEXT PRIMARY KEY,
  company_id   TEXT NOT NULL REFERENCES companies (id),
  name         TEXT NOT NULL,
  permissions  TEXT[] NOT NULL,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (company_id, name)
);

-- People. company_id NULL: platform staff. Personal fields are AES-256-GCM ciphertexts (key version inside);
-- *_bidx are keyed blind indexes (HMAC) for finding a user by login without decrypting.
CREATE TABLE users (
  id             TEXT PRIMARY KEY,
  company_id     TEXT REFERENCES companies (id),
  name_ct        BYTEA NOT NULL,
  mobile_ct      BYTEA,
  mobile_bidx    BYTEA UNIQUE,
  email_ct       BYTEA,
  email_bidx     BYTEA UNIQUE,
  password_hash  TEXT NOT NULL,               -- argon2id, PHC string
  roles          TEXT[] NOT NULL DEFAULT '{}',
  status         TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  failed_logins  INTEGER NOT NULL DEFAULT 0,
  locked_until   TIMESTAMPTZ,
  created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
  CHECK (mobile_ct IS NOT NULL OR email_ct IS NOT NULL)
);
CREATE INDEX users_company ON users (company_id);

-- Login sessions: only the token's sha256 is stored.
CREATE TABLE sessions (
  id          TEXT PRIMARY KEY,
  token_hash  BYTEA NOT NULL UNIQUE,
  user_id     TEXT NOT NULL REFERENCES users (id),
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  expires_at  TIMESTAMPTZ NOT NULL,
  revoked_at  TIMESTAMPTZ,
  ip          TEXT,
  user_agent  TEXT
);
CREATE INDEX sessions_user ON sessions (user_id) WHERE revoked_at IS NULL;

-- Machine access: scoped by roles, revocable, stored hashed. created_by NULL: issued by the platform operator.
CREATE TABLE api_keys (
  id          TEXT PRIMARY KEY,
  company_id  TEXT NOT NULL REFERENCES companies (id),
  name        TEXT NOT NULL,
  prefix      TEXT NOT NULL,
  key_hash    BYTEA NOT NULL UNIQUE,
  roles       TEXT[] NOT NULL,
  created_by  TEXT,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  expires_at  TIMESTAMPTZ,
  revoked_at  TIMESTAMPTZ
);
CREATE INDEX api_keys_company ON api_keys (company_id);

-- Each company's registration key becomes its first API key, with the company-admin role.
INSERT INTO api_keys (id, company_id, name, prefix, key_hash, roles, created_at)
  SELECT 'k_' || substr(md5(id), 1, 16), id, 'registration key', api_key_prefix, api_key_hash, ARRAY['company_admin'], created_at FROM companies;
ALTER TABLE companies DROP COLUMN api_key_hash, DROP COLUMN api_key_prefix;

-- Requests that need a second person: submitted by one principal, approved or rejected by another.
CREATE TABLE approval_requests (
  id            TEXT PRIMARY KEY,
  company_id    TEXT NOT NULL REFERENCES companies (id),
  kind          TEXT NOT NULL CHECK (kind IN ('role_grant')),
  subject_id    TEXT NOT NULL,
  payload       JSONB NOT NULL,
  status        TEXT NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'approved', 'rejected', 'cancelled')),
  submitted_by  TEXT NOT NULL,               -- the person (user id, or api key id for machine access)
  submitted_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  decided_by    TEXT,
  decided_at    TIMESTAMPTZ,
  reason        TEXT
);
CREATE INDEX approval_requests_company ON approval_requests (company_id, status);

-- A repair shop's installation record: the car and its owner, personal data encrypted, searchable by blind index.
CREATE TABLE installations (
  id                 TEXT PRIMARY KEY,
  company_id         TEXT NOT NULL REFERENCES companies (id),
  gtin               CHAR(14) NOT NULL,
  serial             TEXT NOT NULL,
  ledger_seq         BIGINT NOT NULL,
  vin_ct             BYTEA NOT NULL,
  vin_bidx           BYTEA NOT NULL,
  owner_name_ct      BYTEA,
  owner_mobile_ct    BYTEA,
  owner_mobile_bidx  BYTEA,
  installed_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX installations_company ON installations (company_id, installed_at);
CREATE INDEX installations_vin ON installations (vin_bidx);
CREATE INDEX installations_mobile ON installations (owner_mobile_bidx);

-- The audit trail: every write, reveal, export and refused cross-tenant access. hash = sha256(prev_hash ‖ entry),
-- so an edited or deleted entry breaks the chain; checkpoints put the head hash on the provenance ledger.
CREATE TABLE audit_head (
  id         SMALLINT PRIMARY KEY CHECK (id = 1),
  last_seq   BIGINT NOT NULL,
  last_hash  BYTEA NOT NULL
);
INSERT INTO audit_head (id, last_seq, last_hash) VALUES (1, 0, '\x0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE audit_log (
  seq          BIGINT PRIMARY KEY,
  at           TIMESTAMPTZ NOT NULL,
  company_id   TEXT,                          -- the tenant whose data it concerns (NULL: platform)
  actor_type   TEXT NOT NULL,                 -- user | api_key | operator | system | anonymous
  actor_id     TEXT,
  action       TEXT NOT NULL,                 -- e.g. user.create, personal_data.reveal, tenant.cross_access
  resource     TEXT NOT NULL,
  resource_id  TEXT,
  outcome      TEXT NOT NULL CHECK (outcome IN ('ok', 'denied')),
  ip           TEXT,
  user_agent   TEXT,
  request_id   TEXT,
  changes      JSONB,                         -- { field: { before, after } }, personal data masked
  prev_hash    BYTEA NOT NULL,
  hash         BYTEA NOT NULL UNIQUE
);
CREATE INDEX audit_log_company ON audit_log (company_id, seq);
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION ledger_reject_change();

-- Each checkpoint: the audit head at audit_seq, recorded as a ledger event (ledger_seq) and anchored with its batch.
CREATE TABLE audit_checkpoints (
  audit_seq   BIGINT PRIMARY KEY,
  audit_hash  BYTEA NOT NULL,
  ledger_seq  BIGINT NOT NULL UNIQUE,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The platform itself is a ledger actor: it signs audit checkpoints.
ALTER TABLE ledger_actors DROP CONSTRAINT ledger_actors_kind_check;
ALTER TABLE ledger_actors ADD CONSTRAINT ledger_actors_kind_check CHECK (kind IN ('manufacturer', 'distributor', 'repair_shop', 'platform'));
