-- Dealer onboarding (入驻审核, DECISIONS 98): a company that registers itself is pending until two people of the
-- platform approve its application; only an approved company trades. Every company that exists already was registered
-- by the platform's operator (or the demo seed) and stays approved: the column's default.
ALTER TABLE companies ADD COLUMN onboarding TEXT NOT NULL DEFAULT 'approved'
  CHECK (onboarding IN ('pending', 'approved'));

-- One application per self-registered company. round counts submissions (a resubmission after a refusal is round 2 …);
-- approval_id is the two-person request the first approver filed (status first_approved); the licence is a file under
-- DATA_DIR/uploads/licences named by its SHA-256.
CREATE TABLE company_applications (
  id                TEXT PRIMARY KEY,
  company_id        TEXT NOT NULL UNIQUE REFERENCES companies (id),
  status            TEXT NOT NULL DEFAULT 'submitted'
                      CHECK (status IN ('submitted', 'first_approved', 'approved', 'refused')),
  round             INTEGER NOT NULL DEFAULT 1 CHECK (round >= 1),
  licence_sha256    CHAR(64) NOT NULL,
  licence_type      TEXT NOT NULL CHECK (licence_type IN ('image/jpeg', 'image/png', 'application/pdf')),
  licence_bytes     INTEGER NOT NULL CHECK (licence_bytes > 0),
  approval_id       TEXT,
  first_approved_by TEXT,
  decided_by        TEXT,
  decided_at        TIMESTAMPTZ,
  reason            TEXT,
  submitted_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX company_applications_queue ON company_applications (status, submitted_at);

-- What happened to an application, step by step (the applicant's status page and the reviewers' history).
CREATE TABLE company_application_steps (
  application_id TEXT NOT NULL REFERENCES company_applications (id),
  seq            INTEGER NOT NULL,
  round          INTEGER NOT NULL,
  step           TEXT NOT NULL CHECK (step IN ('submitted', 'first_approved', 'approved', 'refused', 'withdrawn')),
  actor          TEXT,
  reason         TEXT,
  at             TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (application_id, seq)
);

-- The second approval is a request of the two-person rule; it belongs to the platform (no company).
ALTER TABLE approval_requests ALTER COLUMN company_id DROP NOT NULL;
ALTER TABLE approval_requests DROP CONSTRAINT approval_requests_kind_check;
ALTER TABLE approval_requests ADD CONSTRAINT approval_requests_kind_check
  CHECK (kind IN ('role_grant', 'role_change', 'replenishment_buy', 'company_onboarding'));
CREATE INDEX approval_requests_platform ON approval_requests (status, submitted_at) WHERE company_id IS NULL;
