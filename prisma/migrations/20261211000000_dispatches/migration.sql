-- Cartons (DECISIONS 64): one row per POST /dispatches, written in the same transaction as its shipping events, so a
-- carton's code (its SSCC-18 when the sender holds a verified GS1 prefix, else its id) names the parts it holds and the
-- receiver takes them all in one call. `parts` is the list as shipped; received_* are set once, by the named receiver.
CREATE SEQUENCE dispatch_sscc_serial;
CREATE TABLE dispatches (
  id                    TEXT PRIMARY KEY,
  sscc                  TEXT UNIQUE CHECK (sscc ~ '^[0-9]{18}$'),
  from_company          TEXT NOT NULL REFERENCES companies (id),
  to_company            TEXT NOT NULL REFERENCES companies (id),
  location_id           TEXT NOT NULL,
  parts                 JSONB NOT NULL,
  part_count            INTEGER NOT NULL,
  submission_id         BIGINT NOT NULL,
  status                TEXT NOT NULL DEFAULT 'in_transit' CHECK (status IN ('in_transit', 'received')),
  created_by            TEXT,
  created_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
  received_at           TIMESTAMPTZ,
  received_by           TEXT,
  received_location_id  TEXT,
  receipt_submission_id BIGINT
);
CREATE INDEX dispatches_from ON dispatches (from_company, created_at DESC);
CREATE INDEX dispatches_to ON dispatches (to_company, created_at DESC);
