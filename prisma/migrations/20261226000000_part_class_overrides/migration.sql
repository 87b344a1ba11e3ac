-- A company's own part class for a SKU (DECISIONS 92): replenishment infers critical / normal / slow from demand
-- (urgent share, selling days); the warehouse manager who knows a part stops cars overrides it here.
CREATE TABLE replenishment_part_classes (
  company_id  TEXT NOT NULL REFERENCES companies (id),
  sku_id      BIGINT NOT NULL,
  part_class  TEXT NOT NULL CHECK (part_class IN ('critical', 'normal', 'slow')),
  updated_by  TEXT,
  updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, sku_id)
);
