-- The cockpit's period reads (DECISIONS 121) aggregate every rollup row of one or two periods: demand per
-- (day, region, SKU) for hot SKUs, risers and regional gaps; buyers per day for the repurchase rate; KPI parts per
-- day for the summary and channel health. Covering indexes let them read those rows from the index alone (an
-- index-only scan once VACUUM has marked the pages all-visible: a large refresh vacuums), where a bitmap or index scan
-- fetched each row from a heap in which the period's rows lie among other days' and scopes'. The buyer and KPI
-- indexes keep their names and keys and gain the columns those reads sum or count.
CREATE INDEX cockpit_demand_day_cover ON cockpit_demand_day (day) INCLUDE (sku_id, region_code, ordered, unfilled);

DROP INDEX cockpit_buyer_day_scope;
CREATE INDEX cockpit_buyer_day_scope ON cockpit_buyer_day (scope, day) INCLUDE (buyer_id);

DROP INDEX cockpit_kpi_day_scope;
CREATE INDEX cockpit_kpi_day_scope ON cockpit_kpi_day (scope, metric, day) INCLUDE (num, den);
