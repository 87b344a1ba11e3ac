-- Credit profiles (issue 15, DECISIONS 78) count a company's signed receiving submissions: one index entry per
-- submission (not per event), so appends pay little for it.
CREATE INDEX ledger_submissions_actor ON ledger_submissions (actor, recorded_at);
