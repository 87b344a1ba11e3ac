-- Every scan of a label (issue 3): the clone rules read the recent scans of a part.
CREATE TABLE scans (
  id           BIGSERIAL PRIMARY KEY,
  part_key     BYTEA NOT NULL,
  scanned_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  lng          DOUBLE PRECISION,                 -- GCJ-02, rounded to 0.01° (about 1 km): coarse on purpose
  lat          DOUBLE PRECISION,
  company_id   TEXT,                             -- the scanning company when logged in
  verdict      TEXT NOT NULL
);
CREATE INDEX scans_part ON scans (part_key, scanned_at DESC);
