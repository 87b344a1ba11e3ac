-- Issue 17: the cockpit's stock figures (turnover, slow movers, regional stock) and the SKU sets of each scope are
-- computed at refresh time into these tables, so that no view reads `stock` or the event tables (DECISIONS 102).

-- On hand at each day's end (Asia/Shanghai) per scope ('*' the platform, else the warehouse's company), the positive
-- balances of stock lines only, split by the day each line last sold on or before that day ('-infinity': never).
-- A period [from, to]'s slow movers are the units of day `to` whose last sale is before `from`.
CREATE TABLE cockpit_stock_idle_day (
  scope      TEXT NOT NULL,
  day        DATE NOT NULL,
  last_sale  DATE NOT NULL,
  units      BIGINT NOT NULL,
  PRIMARY KEY (scope, day, last_sale)
);

-- Units sold (allocated on orders not cancelled, by the day the order was placed) per day and scope ('*' or seller).
CREATE TABLE cockpit_sold_day (
  scope  TEXT NOT NULL,
  day    DATE NOT NULL,
  units  BIGINT NOT NULL,
  PRIMARY KEY (scope, day)
);

-- Stock at the last refresh per scope and warehouse region: a company's own warehouses, and for a manufacturer also
-- shared pools of its SKUs.
CREATE TABLE cockpit_stock_region (
  scope        TEXT NOT NULL,
  region_code  CHAR(6) NOT NULL,
  on_hand      BIGINT NOT NULL,
  available    BIGINT NOT NULL,
  PRIMARY KEY (scope, region_code)
);

-- The SKUs a company's demand is read for, at the last refresh: a manufacturer's own (catalogue owner or product
-- maker), another company's those it holds stock of.
CREATE TABLE cockpit_scope_sku (
  scope   TEXT NOT NULL,
  sku_id  BIGINT NOT NULL,
  PRIMARY KEY (scope, sku_id)
);

-- A stock line's latest sale before a day, by index.
CREATE INDEX cockpit_sales_day_line ON cockpit_sales_day (location_id, sku_id, day);

-- The days `cockpit_stock_idle_day` holds (a day with no positive balance has no rows): a day before `first_day` has
-- its balances, a day after `last_day` (the last refresh's today) its balances. One row.
CREATE TABLE cockpit_stock_span (
  id         INTEGER PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  first_day  DATE NOT NULL,
  last_day   DATE NOT NULL
);
