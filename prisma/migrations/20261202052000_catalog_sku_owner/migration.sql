-- Issue 19: a master SKU is edited only by its brand owner or the platform's catalogue team. The company that created
-- a SKU (NULL: the platform, and every row created before this migration) owns it unless its GTIN is under another
-- company's verified GS1 prefix; other companies' rows for it become listings of it, never overwrites.
ALTER TABLE catalog_skus ADD COLUMN owner_company_id TEXT REFERENCES companies (id);
