-- Issue 12: counterfeit reports from the public scan page. A mechanic whose scan says the code is unknown, a suspected
-- copy or a part already installed reports it; the report goes to the brand owner (the company owning the GTIN's
-- verified GS1 company prefix when it was filed) and to the platform. What the label said is kept as scanned.
-- The reporter's contact is personal data: AES-256-GCM ciphertext (contact_ct), masked unless revealed.
CREATE TABLE counterfeit_reports (
  id              TEXT PRIMARY KEY,
  -- sha256 of the page's submission token, the Idempotency-Key, or the request itself: a resubmit records nothing new.
  submission_key  BYTEA NOT NULL UNIQUE,
  gtin            TEXT NOT NULL CHECK (gtin ~ '^[0-9]{14}$'),
  serial          TEXT NOT NULL,
  lot             TEXT,
  signature       TEXT,
  verdict         TEXT NOT NULL
                  CHECK (verdict IN ('GENUINE', 'GENUINE_PENDING_ANCHOR', 'UNKNOWN', 'ALREADY_INSTALLED', 'SUSPECT_CLONE')),
  note            TEXT CHECK (char_length(note) <= 500),
  contact_ct      BYTEA,
  -- GCJ-02, rounded to 0.01° like the scan log.
  lng             DOUBLE PRECISION,
  lat             DOUBLE PRECISION,
  brand_owner_id  TEXT REFERENCES companies (id),
  status          TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'reviewing', 'confirmed', 'dismissed')),
  resolution      TEXT CHECK (char_length(resolution) <= 500),
  decided_by      TEXT,
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX counterfeit_reports_owner ON counterfeit_reports (brand_owner_id, created_at DESC);
CREATE INDEX counterfeit_reports_status ON counterfeit_reports (status, created_at DESC);
CREATE INDEX counterfeit_reports_part ON counterfeit_reports (gtin, serial);
