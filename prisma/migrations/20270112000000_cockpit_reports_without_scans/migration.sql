-- DECISIONS 123: the KPI rollup dropped a day's counterfeit reports when no verification scan fell on that day (it
-- kept only parts with a denominator). Reading the reports from the start again marks every day they touch dirty, so
-- the next refresh recomputes those days with the reports kept.
UPDATE cockpit_watermarks SET last_id = 0 WHERE source = 'counterfeit_reports';
