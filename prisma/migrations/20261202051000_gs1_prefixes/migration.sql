-- Issue 19: a GTIN belongs to the owner of its GS1 company prefix. Manufacturers register their prefixes with the
-- reference of their GS1 licence (in China, the 中国商品条码系统成员证书 of GS1 China / 中国物品编码中心); the
-- platform operator verifies them. Prefixes are in GTIN-13 form (after a GTIN-14's indicator digit), 6-12 digits.
CREATE TABLE gs1_prefixes (
  id            TEXT PRIMARY KEY,
  company_id    TEXT NOT NULL REFERENCES companies (id),
  prefix        TEXT NOT NULL CHECK (prefix ~ '^[0-9]{6,12}$'),
  licence_ref   TEXT NOT NULL,
  status        TEXT NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'verified', 'rejected')),
  submitted_by  TEXT NOT NULL,
  submitted_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  decided_by    TEXT,
  decided_at    TIMESTAMPTZ,
  reason        TEXT
);
-- One verified owner per prefix (overlaps between companies are refused under a table lock when verifying).
CREATE UNIQUE INDEX gs1_prefixes_verified ON gs1_prefixes (prefix) WHERE status = 'verified';
-- A company files a prefix once while it is open.
CREATE UNIQUE INDEX gs1_prefixes_open ON gs1_prefixes (company_id, prefix) WHERE status IN ('submitted', 'verified');
CREATE INDEX gs1_prefixes_status ON gs1_prefixes (status, submitted_at);
