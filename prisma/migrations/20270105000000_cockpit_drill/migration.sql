-- The cockpit's drill-down pages read newest first by (time, id) from a cursor (DECISIONS 113): orders by
-- (created_at, id), which also serves every range read of the former index on created_at alone.
CREATE INDEX orders_created_id ON orders (created_at, id);
DROP INDEX IF EXISTS orders_created;

-- The drill-downs' totals come from cockpit_kpi_day: two counts no KPI part held yet, per day and scope, filled here
-- for the days already rolled up (the same SQL as DRILL_COUNTS in rollup.repository.ts; a refresh keeps them).
WITH placed AS (
  SELECT (o.created_at AT TIME ZONE 'Asia/Shanghai')::date AS day, o.* FROM orders o
   WHERE (o.created_at AT TIME ZONE 'Asia/Shanghai')::date IN (SELECT DISTINCT day FROM cockpit_kpi_day)
), parts AS (
  SELECT o.day, sc.scope, 'fill_rate:rows' AS metric, count(*)::float8 AS num, count(*)::float8 AS den
    FROM placed o CROSS JOIN LATERAL (SELECT '*'::text FROM order_allocations a WHERE a.order_id = o.id
                                      UNION SELECT a.seller_id FROM order_allocations a WHERE a.order_id = o.id) sc(scope)
   GROUP BY 1, 2
  UNION ALL
  SELECT o.day, sc.scope, 'urgent_fill:rows', count(*), count(*)
    FROM placed o CROSS JOIN LATERAL (
      SELECT '*'::text
      UNION SELECT c.owner_company_id FROM order_lines l JOIN catalog_skus c ON c.id = l.sku_id WHERE l.order_id = o.id
      UNION SELECT p.company_id FROM order_lines l JOIN products p ON p.sku_id = l.sku_id WHERE l.order_id = o.id) sc(scope)
   WHERE o.urgent AND sc.scope IS NOT NULL
   GROUP BY 1, 2
)
INSERT INTO cockpit_kpi_day (day, scope, metric, num, den) SELECT day, scope, metric, num, den FROM parts WHERE den > 0
ON CONFLICT (day, scope, metric) DO UPDATE SET num = EXCLUDED.num, den = EXCLUDED.den;
