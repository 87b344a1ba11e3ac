-- Issue 17: the management cockpit's rollups (DECISIONS 88). Day buckets (Asia/Shanghai dates) refreshed incrementally:
-- a refresh reads each source past its watermark, marks the days those rows touch, and recomputes only those days.
-- Views read these tables, never the event tables (drill-down pages read the rows behind one number).

-- How far each source has been read: the highest id (ledger: seq) seen; for counterfeit reports, which carry no
-- serial id, the latest created_at read in microseconds since 1970.
CREATE TABLE cockpit_watermarks (
  source        TEXT PRIMARY KEY,
  last_id       BIGINT NOT NULL DEFAULT 0,
  refreshed_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Units ordered per day, buyer's region (the buyer company's GB/T 2260 code) and SKU; unfilled = ordered − allocated.
-- Orders not cancelled, bucketed by the day they were placed.
CREATE TABLE cockpit_demand_day (
  day        DATE NOT NULL,
  region_code CHAR(6) NOT NULL,
  sku_id     BIGINT NOT NULL,
  orders     INTEGER NOT NULL,
  ordered    INTEGER NOT NULL,
  unfilled   INTEGER NOT NULL,
  PRIMARY KEY (day, region_code, sku_id)
);
CREATE INDEX cockpit_demand_day_sku ON cockpit_demand_day (sku_id, day);

-- Units allocated per day (order placed), warehouse and SKU, orders not cancelled: what each seller sold.
CREATE TABLE cockpit_sales_day (
  day          DATE NOT NULL,
  seller_id    TEXT NOT NULL,
  location_id  TEXT NOT NULL,
  sku_id       BIGINT NOT NULL,
  units        INTEGER NOT NULL,
  lines        INTEGER NOT NULL,
  PRIMARY KEY (day, location_id, sku_id)
);
CREATE INDEX cockpit_sales_day_seller ON cockpit_sales_day (seller_id, day);

-- Catalogue searches per day and searcher's region (GB/T 2260); `empty` found nothing.
CREATE TABLE cockpit_search_day (
  day        DATE NOT NULL,
  region_code CHAR(6) NOT NULL,
  searches   INTEGER NOT NULL,
  empty      INTEGER NOT NULL,
  PRIMARY KEY (day, region_code)
);

-- Net on-hand change per day, warehouse and SKU (stock movements): on hand at a day's end = now − later changes.
CREATE TABLE cockpit_stock_day (
  day          DATE NOT NULL,
  location_id  TEXT NOT NULL,
  sku_id       BIGINT NOT NULL,
  delta        INTEGER NOT NULL,
  PRIMARY KEY (day, location_id, sku_id)
);

-- Active buyers per day and scope ('*' the platform, or a seller): repurchase counts buyers active on ≥ 2 days.
CREATE TABLE cockpit_buyer_day (
  day       DATE NOT NULL,
  scope     TEXT NOT NULL,
  buyer_id  TEXT NOT NULL,
  orders    INTEGER NOT NULL,
  PRIMARY KEY (day, scope, buyer_id)
);
CREATE INDEX cockpit_buyer_day_scope ON cockpit_buyer_day (scope, day);

-- Additive parts of each ratio KPI per day and scope ('*' or a company id): the period's value is Σnum / Σden.
CREATE TABLE cockpit_kpi_day (
  day     DATE NOT NULL,
  scope   TEXT NOT NULL,
  metric  TEXT NOT NULL,
  num     DOUBLE PRECISION NOT NULL,
  den     DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (day, scope, metric)
);
CREATE INDEX cockpit_kpi_day_scope ON cockpit_kpi_day (scope, metric, day);

-- Reading a day of each source goes through an index.
CREATE INDEX orders_created ON orders (created_at);
CREATE INDEX order_events_status_at ON order_events (to_status, at);
CREATE INDEX catalog_searches_at ON catalog_searches (at);
CREATE INDEX scans_at ON scans (scanned_at);
CREATE INDEX stock_movements_at ON stock_movements (at);
CREATE INDEX counterfeit_reports_created ON counterfeit_reports (created_at);
CREATE INDEX ledger_events_custody_at ON ledger_events (recorded_at) WHERE step IN (2, 3);
CREATE INDEX order_parts_part ON order_parts (gtin, serial);
