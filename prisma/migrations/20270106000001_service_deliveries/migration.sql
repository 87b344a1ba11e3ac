-- Logistics offerings (issue 17, DECISIONS 115): a provider's delivery tariff (同城配送: a base fee plus per km and per
-- kg, over a service area of province, city or district codes), and deliveries booked for one warehouse's shipment
-- of an order. The charge is fixed from the tariff at booking (a copy of its prices is kept on the delivery) and
-- settled with the logistics commission when the provider delivers.
CREATE TABLE service_delivery_tariffs (
  id           TEXT PRIMARY KEY,                                    -- trf_<16 hex>
  provider_id  TEXT NOT NULL REFERENCES companies (id),
  name         TEXT NOT NULL,
  base_fen     BIGINT NOT NULL CHECK (base_fen >= 0),
  per_km_fen   BIGINT NOT NULL CHECK (per_km_fen >= 0),
  per_kg_fen   BIGINT NOT NULL CHECK (per_kg_fen >= 0),
  area_codes   TEXT[] NOT NULL CHECK (cardinality(area_codes) BETWEEN 1 AND 100),  -- GB/T 2260
  created_by   TEXT NOT NULL,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  CHECK (base_fen + per_km_fen + per_kg_fen > 0)
);
CREATE INDEX service_delivery_tariffs_provider ON service_delivery_tariffs (provider_id, created_at DESC);

CREATE TABLE service_deliveries (
  id             TEXT PRIMARY KEY,                                  -- dlv_<16 hex>
  tariff_id      TEXT NOT NULL REFERENCES service_delivery_tariffs (id),
  provider_id    TEXT NOT NULL REFERENCES companies (id),
  customer_id    TEXT NOT NULL REFERENCES companies (id),           -- who booked and pays: the buyer or the seller
  order_id       TEXT NOT NULL REFERENCES orders (id),
  location_id    TEXT NOT NULL REFERENCES supplier_locations (id),  -- the warehouse the shipment leaves from
  pickup_name    TEXT NOT NULL,
  pickup_region  CHAR(6) NOT NULL,
  drop_name      TEXT NOT NULL,                                     -- the buyer
  drop_region    CHAR(6) NOT NULL,
  drop_lng       DOUBLE PRECISION NOT NULL,                         -- GCJ-02, the order's ship-to point
  drop_lat       DOUBLE PRECISION NOT NULL,
  distance_m     INTEGER NOT NULL CHECK (distance_m >= 0),          -- warehouse to ship-to, as the order allocated
  weight_g       INTEGER NOT NULL CHECK (weight_g > 0),
  base_fen       BIGINT NOT NULL CHECK (base_fen >= 0),
  per_km_fen     BIGINT NOT NULL CHECK (per_km_fen >= 0),
  per_kg_fen     BIGINT NOT NULL CHECK (per_kg_fen >= 0),
  charge_fen     BIGINT NOT NULL CHECK (charge_fen >= base_fen),
  status         TEXT NOT NULL DEFAULT 'requested'
                   CHECK (status IN ('requested', 'accepted', 'picked_up', 'delivered', 'cancelled')),
  created_by     TEXT NOT NULL,
  created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
  CHECK (provider_id <> customer_id)
);
-- One live delivery per shipment (an order's warehouse).
CREATE UNIQUE INDEX service_deliveries_live ON service_deliveries (order_id, location_id) WHERE status <> 'cancelled';
CREATE INDEX service_deliveries_customer ON service_deliveries (customer_id, created_at DESC);
CREATE INDEX service_deliveries_provider ON service_deliveries (provider_id, created_at DESC);
