-- After-sales, part 2 (issue 16): recalls. A manufacturer recalls a GTIN, a lot of it or a serial range; every unit the
-- ledger knows in that scope is traced forward to its current holder and, when installed, its installation (the VIN
-- stays encrypted in installations). Recalled units are blocked from orders until the recall closes.

CREATE TABLE recalls (
  id               TEXT PRIMARY KEY,                            -- rc_…
  manufacturer_id  TEXT NOT NULL REFERENCES companies (id),
  gtin             CHAR(14) NOT NULL,
  lot              TEXT,
  serial_from      TEXT,
  serial_to        TEXT,
  sku_id           BIGINT,                                      -- the catalogue SKU the GTIN is named as, if any
  reason           TEXT NOT NULL,
  status           TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  units            INTEGER NOT NULL DEFAULT 0,
  created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  CHECK ((serial_from IS NULL) = (serial_to IS NULL)),
  CHECK (serial_from IS NULL OR serial_from <= serial_to)
);
CREATE INDEX recalls_manufacturer ON recalls (manufacturer_id, created_at);
CREATE INDEX recalls_open_sku ON recalls (sku_id) WHERE status = 'open' AND lot IS NULL AND serial_from IS NULL;

-- Each recalled unit, where the trace found it, and how far the recall got with it.
CREATE TABLE recall_units (
  recall_id        TEXT NOT NULL REFERENCES recalls (id),
  gtin             CHAR(14) NOT NULL,
  serial           TEXT NOT NULL,
  lot              TEXT NOT NULL,
  holder_id        TEXT,                                        -- the company holding it (shipping: the shipper)
  stage            SMALLINT NOT NULL,
  installation_id  TEXT,                                        -- installed: the installation (VIN encrypted there)
  installer_id     TEXT,                                        -- … and the shop that installed it, notified
  progress         TEXT NOT NULL DEFAULT 'located' CHECK (progress IN ('located', 'returned', 'replaced', 'unreachable')),
  updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (recall_id, gtin, serial)
);
CREATE INDEX recall_units_part ON recall_units (gtin, serial);

-- Installations by part: a recall joins its units to their installations.
CREATE INDEX installations_part ON installations (gtin, serial);
