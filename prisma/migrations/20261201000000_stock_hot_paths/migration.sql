-- Every order, cancellation, shipment and receipt updates a stock row (reserved, on_hand, updated_at), and none of
-- those columns is indexed. With room left on each page the new row version stays on the same page (a HOT update:
-- no index entry, no new page touched); at the default fill of 100% the first update of every row moves it to another
-- page and adds an entry to each of stock's indexes.
ALTER TABLE stock SET (fillfactor = 70);

-- Shortage checks (transfers.repository.ts `shortages`) run for every company whose stock went down, a few times a
-- second under order load. Only rows with a reorder point can be short: index just those, so a check reads the
-- handful of rows that have one instead of the whole stock table.
CREATE INDEX stock_reorder ON stock (location_id) WHERE reorder_point > 0;
