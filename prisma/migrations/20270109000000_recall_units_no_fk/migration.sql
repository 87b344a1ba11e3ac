-- A recall's units are written only by its own trace, in the transaction that inserts the recall (DECISIONS 82), and
-- recalls are never deleted: the foreign key checked nothing the code does not, one trigger call per unit. On a
-- whole-GTIN recall of 100,000 units (npm run bench:recall) those checks were 0.6-1.2 s of a 3-6 s trace.
ALTER TABLE recall_units DROP CONSTRAINT recall_units_recall_id_fkey;
