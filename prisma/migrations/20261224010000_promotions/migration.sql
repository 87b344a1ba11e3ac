-- Search-driven promotions (DECISIONS 95). Each logged search keeps its top hit, so demand can be read per SKU and
-- region; a promotion is a time-limited discount by one seller on one SKU for shops in a region (a GB/T 2260 prefix:
-- 2 digits a province, 4 a city, 6 a district), hidden from a deterministic hold-out group of shops.
ALTER TABLE catalog_searches ADD COLUMN top_sku_id BIGINT;
CREATE INDEX catalog_searches_top_sku ON catalog_searches (top_sku_id, at) WHERE top_sku_id IS NOT NULL;

CREATE TABLE promotions (
  id            TEXT PRIMARY KEY,
  seller_id     TEXT NOT NULL REFERENCES companies (id),
  sku_id        BIGINT NOT NULL,
  region_prefix TEXT NOT NULL CHECK (region_prefix ~ '^([0-9]{2}|[0-9]{4}|[0-9]{6})$'),
  percent_off   INTEGER CHECK (percent_off BETWEEN 1 AND 90),
  fen_off       BIGINT CHECK (fen_off > 0),
  starts_at     TIMESTAMPTZ NOT NULL,
  ends_at       TIMESTAMPTZ NOT NULL,
  holdout_pct   INTEGER NOT NULL CHECK (holdout_pct BETWEEN 1 AND 50),
  created_by    TEXT,
  created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  CHECK ((percent_off IS NULL) <> (fen_off IS NULL)),
  CHECK (ends_at > starts_at)
);
-- The price comparison's one lookup: running promotions of the SKUs compared.
CREATE INDEX promotions_sku_running ON promotions (sku_id, ends_at, starts_at);
CREATE INDEX promotions_seller ON promotions (seller_id, created_at DESC);
