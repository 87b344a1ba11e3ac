-- Services marketplace (issue 17, DECISIONS 100-101): service providers (training, equipment rental, logistics) are a
-- company kind; they list courses with sessions and seats, and equipment rented by usage time or meter. Money in
-- integer fen. Settlements record the platform's commission per category, rounded half up once per settlement.
ALTER TABLE ledger_actors DROP CONSTRAINT ledger_actors_kind_check;
ALTER TABLE ledger_actors ADD CONSTRAINT ledger_actors_kind_check
  CHECK (kind IN ('manufacturer', 'distributor', 'repair_shop', 'lender', 'service_provider', 'platform'));
ALTER TABLE companies DROP CONSTRAINT companies_kind_check;
ALTER TABLE companies ADD CONSTRAINT companies_kind_check
  CHECK (kind IN ('manufacturer', 'distributor', 'repair_shop', 'lender', 'service_provider'));

-- The platform's commission per service category, in basis points (500 = 5%; the seed lowered it from 8%).
CREATE TABLE service_commission_rates (
  category    TEXT PRIMARY KEY CHECK (category IN ('training', 'equipment_rental', 'logistics')),
  rate_bp     INTEGER NOT NULL CHECK (rate_bp BETWEEN 0 AND 10000),
  updated_by  TEXT NOT NULL,
  updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
INSERT INTO service_commission_rates (category, rate_bp, updated_by)
VALUES ('training', 500, 'migration'), ('equipment_rental', 500, 'migration'), ('logistics', 500, 'migration');

CREATE TABLE service_courses (
  id           TEXT PRIMARY KEY,                                   -- crs_<16 hex>
  provider_id  TEXT NOT NULL REFERENCES companies (id),
  title        TEXT NOT NULL,
  description  TEXT,
  price_fen    BIGINT NOT NULL CHECK (price_fen > 0),              -- per seat
  created_by   TEXT NOT NULL,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX service_courses_provider ON service_courses (provider_id, created_at DESC);

-- A dated session of a course. seats_taken counts live enrolments; the check is the last guard against overbooking
-- (the enrolment's conditional UPDATE is the first).
CREATE TABLE service_sessions (
  id           TEXT PRIMARY KEY,                                   -- ses_<16 hex>
  course_id    TEXT NOT NULL REFERENCES service_courses (id),
  provider_id  TEXT NOT NULL REFERENCES companies (id),
  starts_at    TIMESTAMPTZ NOT NULL,
  ends_at      TIMESTAMPTZ NOT NULL,
  place        TEXT NOT NULL,
  seats        INTEGER NOT NULL CHECK (seats BETWEEN 1 AND 1000),
  seats_taken  INTEGER NOT NULL DEFAULT 0,
  status       TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'completed', 'cancelled')),
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  CHECK (ends_at > starts_at),
  CHECK (seats_taken BETWEEN 0 AND seats)
);
CREATE INDEX service_sessions_course ON service_sessions (course_id, starts_at);

CREATE TABLE service_enrolments (
  id           TEXT PRIMARY KEY,                                   -- enr_<16 hex>
  session_id   TEXT NOT NULL REFERENCES service_sessions (id),
  provider_id  TEXT NOT NULL REFERENCES companies (id),
  shop_id      TEXT NOT NULL REFERENCES companies (id),
  attendee     TEXT NOT NULL,
  price_fen    BIGINT NOT NULL CHECK (price_fen > 0),
  status       TEXT NOT NULL DEFAULT 'enrolled' CHECK (status IN ('enrolled', 'cancelled', 'attended')),
  created_by   TEXT NOT NULL,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- One live seat per attendee per session.
CREATE UNIQUE INDEX service_enrolments_live ON service_enrolments (session_id, shop_id, attendee)
  WHERE status = 'enrolled';
CREATE INDEX service_enrolments_shop ON service_enrolments (shop_id, created_at DESC);

CREATE TABLE service_equipment (
  id                TEXT PRIMARY KEY,                              -- eq_<16 hex>
  provider_id       TEXT NOT NULL REFERENCES companies (id),
  name              TEXT NOT NULL,
  kind              TEXT NOT NULL CHECK (kind IN ('lift', 'diagnostic_tool', 'other')),
  billing           TEXT NOT NULL CHECK (billing IN ('time', 'meter')),
  rate_fen          BIGINT NOT NULL CHECK (rate_fen > 0),          -- per hour (time) or per meter unit (meter)
  deposit_fen       BIGINT NOT NULL CHECK (deposit_fen >= 0),
  place             TEXT NOT NULL,
  status            TEXT NOT NULL DEFAULT 'available' CHECK (status IN ('available', 'rented', 'retired')),
  created_by        TEXT NOT NULL,
  created_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX service_equipment_provider ON service_equipment (provider_id, created_at DESC);

CREATE TABLE service_rentals (
  id            TEXT PRIMARY KEY,                                  -- rnt_<16 hex>
  equipment_id  TEXT NOT NULL REFERENCES service_equipment (id),
  provider_id   TEXT NOT NULL REFERENCES companies (id),
  shop_id       TEXT NOT NULL REFERENCES companies (id),
  status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'returned', 'settled')),
  billing       TEXT NOT NULL CHECK (billing IN ('time', 'meter')),
  rate_fen      BIGINT NOT NULL CHECK (rate_fen > 0),
  deposit_fen   BIGINT NOT NULL CHECK (deposit_fen >= 0),          -- held at start
  started_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  stopped_at    TIMESTAMPTZ,
  meter_start   BIGINT CHECK (meter_start >= 0),
  meter_end     BIGINT,
  usage         BIGINT CHECK (usage >= 0),                         -- minutes (time) or meter units (meter)
  charge_fen    BIGINT CHECK (charge_fen >= 0),
  started_by    TEXT NOT NULL,
  stopped_by    TEXT,
  CHECK ((billing = 'meter') = (meter_start IS NOT NULL)),
  CHECK (meter_end IS NULL OR meter_end >= meter_start),
  CHECK ((status = 'active') = (stopped_at IS NULL)),
  CHECK (status = 'active' OR charge_fen IS NOT NULL)
);
-- One live rental per piece of equipment.
CREATE UNIQUE INDEX service_rentals_live ON service_rentals (equipment_id) WHERE status = 'active';
CREATE INDEX service_rentals_shop ON service_rentals (shop_id, started_at DESC);
CREATE INDEX service_rentals_provider ON service_rentals (provider_id, started_at DESC);

-- Damage claims against a returned rental's deposit, filed by the provider before settlement.
CREATE TABLE service_damage_claims (
  id          TEXT PRIMARY KEY,                                    -- dmg_<16 hex>
  rental_id   TEXT NOT NULL REFERENCES service_rentals (id),
  amount_fen  BIGINT NOT NULL CHECK (amount_fen > 0),
  reason      TEXT NOT NULL,
  filed_by    TEXT NOT NULL,
  filed_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX service_damage_claims_rental ON service_damage_claims (rental_id);

-- Every state change of an enrolment or a rental, as orders' and returns' histories are kept.
CREATE TABLE service_events (
  id           BIGSERIAL PRIMARY KEY,
  subject_id   TEXT NOT NULL,                                      -- enr_… or rnt_…
  from_status  TEXT,
  to_status    TEXT NOT NULL,
  actor        TEXT NOT NULL,
  at           TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX service_events_subject ON service_events (subject_id, id);

-- One settlement per attended enrolment or settled rental: the platform's commission on the service charge (never on
-- damage claims), and for rentals what happened to the deposit. deposit + due = gross + claims + refund always.
CREATE TABLE service_settlements (
  id                  TEXT PRIMARY KEY,                            -- stl_<16 hex>
  subject_id          TEXT NOT NULL UNIQUE,                        -- enr_… or rnt_…
  provider_id         TEXT NOT NULL REFERENCES companies (id),
  shop_id             TEXT NOT NULL REFERENCES companies (id),
  category            TEXT NOT NULL CHECK (category IN ('training', 'equipment_rental', 'logistics')),
  gross_fen           BIGINT NOT NULL CHECK (gross_fen >= 0),
  commission_rate_bp  INTEGER NOT NULL CHECK (commission_rate_bp BETWEEN 0 AND 10000),
  commission_fen      BIGINT NOT NULL CHECK (commission_fen >= 0),
  net_fen             BIGINT NOT NULL CHECK (net_fen >= 0),
  deposit_fen         BIGINT NOT NULL CHECK (deposit_fen >= 0),
  claims_fen          BIGINT NOT NULL CHECK (claims_fen >= 0),
  refund_fen          BIGINT NOT NULL CHECK (refund_fen >= 0),
  due_fen             BIGINT NOT NULL CHECK (due_fen >= 0),        -- what the shop still owes beyond its deposit
  settled_by          TEXT NOT NULL,
  settled_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
  CHECK (net_fen + commission_fen = gross_fen),
  CHECK (deposit_fen + due_fen = gross_fen + claims_fen + refund_fen),
  CHECK (refund_fen = 0 OR due_fen = 0)
);
CREATE INDEX service_settlements_provider ON service_settlements (provider_id, settled_at DESC);
