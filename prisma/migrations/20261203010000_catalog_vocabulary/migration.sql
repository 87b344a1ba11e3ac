-- Issue 13: the search vocabulary as data. Brands are learned from every SKU import (each spelling a file used);
-- synonyms and colloquial names (a term → part types, a side, a kind of part, or nothing: a filler word) are kept
-- by the platform's catalogue team (CSV import and edits through the API), seeded here. Number typos are found
-- through a trigram index (a bounded candidate set that does not depend on the query plan).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;

CREATE TABLE catalog_brands (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  names      TEXT[] NOT NULL DEFAULT '{}',
  source     TEXT NOT NULL DEFAULT 'import',
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE catalog_synonyms (
  term       TEXT PRIMARY KEY,
  part_types TEXT[] NOT NULL DEFAULT '{}',
  position   TEXT CHECK (position IN ('前', '后')),
  sku_kind   TEXT CHECK (sku_kind IN ('oe', 'aftermarket', 'reman', 'used')),
  source     TEXT NOT NULL DEFAULT 'seed',
  updated_by TEXT,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX catalog_numbers_norm_trgm ON catalog_numbers USING gin (norm gin_trgm_ops);

INSERT INTO catalog_synonyms (term, part_types, position, sku_kind) VALUES
  ('headlight', '{headlamp}', NULL, NULL), ('head light', '{headlamp}', NULL, NULL), ('head lamp', '{headlamp}', NULL, NULL),
  ('headlight assembly', '{headlamp}', NULL, NULL), ('前灯', '{headlamp}', NULL, NULL),
  ('tail light', '{tail_lamp}', NULL, NULL), ('taillight', '{tail_lamp}', NULL, NULL), ('tail lamp', '{tail_lamp}', NULL, NULL), ('rear lamp', '{tail_lamp}', NULL, NULL),
  ('cabin air filter', '{cabin_filter}', NULL, NULL), ('pollen filter', '{cabin_filter}', NULL, NULL), ('ac filter', '{cabin_filter}', NULL, NULL),
  ('engine air filter', '{air_filter}', NULL, NULL), ('gas filter', '{fuel_filter}', NULL, NULL),
  ('brake rotor', '{brake_disc}', NULL, NULL), ('brake disk', '{brake_disc}', NULL, NULL), ('rotor', '{brake_disc}', NULL, NULL),
  ('brake pads', '{brake_pad}', NULL, NULL), ('brake shoe', '{brake_pad}', NULL, NULL),
  ('wiper blade', '{wiper_blade}', NULL, NULL), ('windshield wiper', '{wiper_blade}', NULL, NULL),
  ('shock', '{shock_absorber}', NULL, NULL), ('strut', '{shock_absorber}', NULL, NULL), ('damper', '{shock_absorber}', NULL, NULL),
  ('o2 sensor', '{oxygen_sensor}', NULL, NULL), ('oxygen sensor', '{oxygen_sensor}', NULL, NULL), ('lambda sensor', '{oxygen_sensor}', NULL, NULL),
  ('serpentine belt', '{serpentine_belt}', NULL, NULL), ('drive belt', '{serpentine_belt}', NULL, NULL),
  ('engine mount', '{engine_mount}', NULL, NULL), ('control arm', '{control_arm}', NULL, NULL), ('ball joint', '{ball_joint}', NULL, NULL),
  ('clutch kit', '{clutch_kit}', NULL, NULL), ('side mirror', '{mirror}', NULL, NULL), ('wing mirror', '{mirror}', NULL, NULL), ('mirror', '{mirror}', NULL, NULL),
  ('bumper', '{bumper}', NULL, NULL), ('starter motor', '{starter}', NULL, NULL), ('antifreeze', '{coolant}', NULL, NULL),
  ('motor oil', '{engine_oil}', NULL, NULL), ('transmission fluid', '{atf}', NULL, NULL), ('timing belt', '{timing_belt}', NULL, NULL),
  ('headlight bulb', '{bulb}', NULL, NULL), ('headlamp bulb', '{bulb}', NULL, NULL), ('light bulb', '{bulb}', NULL, NULL),
  ('减震', '{shock_absorber}', NULL, NULL), ('减振', '{shock_absorber}', NULL, NULL), ('避震', '{shock_absorber}', NULL, NULL),
  ('三滤', '{oil_filter,air_filter,cabin_filter}', NULL, NULL), ('四滤', '{oil_filter,air_filter,cabin_filter,fuel_filter}', NULL, NULL),
  ('大灯泡', '{bulb}', NULL, NULL), ('大灯灯泡', '{bulb}', NULL, NULL), ('前大灯灯泡', '{bulb}', NULL, NULL),
  ('刹车皮', '{brake_pad}', NULL, NULL), ('雨刷', '{wiper_blade}', NULL, NULL),
  ('前面的', '{}', '前', NULL), ('前面', '{}', '前', NULL), ('前边的', '{}', '前', NULL), ('前边', '{}', '前', NULL), ('前轮', '{}', '前', NULL),
  ('后面的', '{}', '后', NULL), ('后面', '{}', '后', NULL), ('后边的', '{}', '后', NULL), ('后边', '{}', '后', NULL), ('后轮', '{}', '后', NULL),
  ('front', '{}', '前', NULL), ('rear', '{}', '后', NULL),
  ('原厂', '{}', NULL, 'oe'), ('原装', '{}', NULL, 'oe'), ('正厂', '{}', NULL, 'oe'), ('副厂', '{}', NULL, 'aftermarket'),
  ('拆车件', '{}', NULL, 'used'), ('拆车', '{}', NULL, 'used'), ('二手', '{}', NULL, 'used'), ('再制造', '{}', NULL, 'reman'),
  ('有没有', '{}', NULL, NULL), ('求购', '{}', NULL, NULL), ('请问', '{}', NULL, NULL), ('一套', '{}', NULL, NULL), ('一副', '{}', NULL, NULL),
  ('一个', '{}', NULL, NULL), ('配件', '{}', NULL, NULL), ('汽车', '{}', NULL, NULL), ('多少钱', '{}', NULL, NULL), ('适用', '{}', NULL, NULL);
