-- After-sales, part 3 (issue 16): photos on returns, and disputes between buyer and seller when a return is refused —
-- an evidence timeline, platform arbitration under the two-person rule (approval_requests), and a settling refund.

-- Photos on a return: the file lives under the photo directory (RETURN_PHOTOS_DIR); the row says what it is.
CREATE TABLE return_photos (
  id           TEXT PRIMARY KEY,                                  -- ph_…
  return_id    TEXT NOT NULL REFERENCES returns (id),
  company_id   TEXT NOT NULL REFERENCES companies (id),           -- the side that uploaded it
  media        TEXT NOT NULL CHECK (media IN ('image/jpeg', 'image/png', 'image/webp')),
  bytes        INTEGER NOT NULL CHECK (bytes > 0),
  sha256       CHAR(64) NOT NULL,
  file         TEXT NOT NULL,                                     -- relative to the photo directory
  uploaded_by  TEXT NOT NULL,
  at           TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (return_id, sha256)                                      -- the same picture twice is one photo
);

CREATE TABLE disputes (
  id            TEXT PRIMARY KEY,                                 -- dsp_…
  return_id     TEXT NOT NULL UNIQUE REFERENCES returns (id),     -- one dispute per return, ever
  requester_id  TEXT NOT NULL REFERENCES companies (id),
  seller_id     TEXT NOT NULL REFERENCES companies (id),
  status        TEXT NOT NULL CHECK (status IN ('open', 'under_review', 'proposed', 'settled', 'withdrawn')),
  reason        TEXT NOT NULL,
  claim_fen     BIGINT NOT NULL CHECK (claim_fen > 0),            -- what the requester asks for
  max_fen       BIGINT NOT NULL CHECK (max_fen > 0),              -- the most a settlement may refund
  arbiter       TEXT,                                             -- the platform person who took it
  proposal      JSONB,                                            -- {outcome, amountFen, note, by}
  approval_id   TEXT REFERENCES approval_requests (id),           -- the second person's request
  outcome       TEXT CHECK (outcome IN ('refund_full', 'refund_part', 'refusal_upheld')),
  outcome_fen   BIGINT CHECK (outcome_fen >= 0),
  refund_id     TEXT,
  opened_by     TEXT NOT NULL,
  created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  settled_at    TIMESTAMPTZ,
  CHECK (claim_fen <= max_fen)
);
CREATE INDEX disputes_status ON disputes (status, created_at);
CREATE INDEX disputes_requester ON disputes (requester_id, created_at);
CREATE INDEX disputes_seller ON disputes (seller_id, created_at);

-- The dispute's own timeline: status changes and messages from the requester, the seller and the platform.
CREATE TABLE dispute_events (
  id           BIGSERIAL PRIMARY KEY,
  dispute_id   TEXT NOT NULL REFERENCES disputes (id),
  kind         TEXT NOT NULL CHECK (kind IN ('status', 'message')),
  from_status  TEXT,
  to_status    TEXT,
  side         TEXT NOT NULL CHECK (side IN ('requester', 'seller', 'platform', 'system')),
  actor        TEXT NOT NULL,
  body         TEXT,
  at           TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX dispute_events_dispute ON dispute_events (dispute_id, id);

-- A dispute's refund goes through the same table as the return's: one refund per return and source, ever.
ALTER TABLE refunds ADD COLUMN settles TEXT NOT NULL DEFAULT 'return' CHECK (settles IN ('return', 'dispute'));
ALTER TABLE refunds DROP CONSTRAINT refunds_return_id_key;
ALTER TABLE refunds ADD CONSTRAINT refunds_return_settles UNIQUE (return_id, settles);
ALTER TABLE refunds DROP CONSTRAINT refunds_kind_check;
ALTER TABLE refunds ADD CONSTRAINT refunds_kind_check CHECK (kind IN ('auto', 'manual', 'dispute'));

-- The platform's own two-person requests (a dispute's outcome) have no company.
ALTER TABLE approval_requests ALTER COLUMN company_id DROP NOT NULL;
ALTER TABLE approval_requests DROP CONSTRAINT approval_requests_kind_check;
ALTER TABLE approval_requests ADD CONSTRAINT approval_requests_kind_check
  CHECK (kind IN ('role_grant', 'role_change', 'replenishment_buy', 'company_onboarding', 'dispute_outcome'));
