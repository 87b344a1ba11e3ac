-- What a GTIN is (brand and product name), named by the manufacturer that mints it (issue 3). The catalog issue
-- grows this into master data; the scan page shows it.
CREATE TABLE products (
  gtin        CHAR(14) PRIMARY KEY,
  company_id  TEXT NOT NULL REFERENCES companies (id),
  brand       TEXT NOT NULL,
  name        TEXT NOT NULL,
  updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
