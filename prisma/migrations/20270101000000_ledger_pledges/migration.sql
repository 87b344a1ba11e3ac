-- Pledge and release as signed ledger events (issue 15, DECISIONS 107). A pledge does not move a part: its stage and
-- holder stay (PartRegistry is never told); pledge_step is the step of the part's head event when that event is a
-- pledge (5) or a release (6), else 0, so the ledger's transition check starts from it without reading the event.
ALTER TABLE ledger_parts ADD COLUMN pledge_step SMALLINT NOT NULL DEFAULT 0 CHECK (pledge_step IN (0, 5, 6));
-- A pledged part cannot change stage or holder whatever writes it (the receipt trigger guards the same units).
ALTER TABLE ledger_parts ADD CONSTRAINT ledger_parts_pledged_held CHECK (pledge_step <> 5 OR stage = 2);
