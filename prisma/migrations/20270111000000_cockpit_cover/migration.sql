-- The cockpit's period reads of demand (hot SKUs and risers, regional gaps: DECISIONS 121) aggregate every
-- (day, region, SKU) row of one or two periods. A covering index lets them read those rows from the index alone
-- (an index-only scan once VACUUM has marked the pages all-visible: the refresh vacuums after a large fill), about
-- half the time of the bitmap heap scan over the primary key they used before.
CREATE INDEX cockpit_demand_day_cover ON cockpit_demand_day (day) INCLUDE (sku_id, region_code, ordered, unfilled);
