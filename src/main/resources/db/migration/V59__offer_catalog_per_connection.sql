-- Where a SKU stands in each marketplace's catalog, per connection: one ERP catalog change is one binding check (and
-- suggestion) per seller connection, and each marketplace answers on its own. No row: pending there (never sent).
-- The SKU's ERP facts (catalog version, product, category) stay one per SKU in offer_sync. The status a SKU had before
-- connections existed is connection "default"'s. Runs unchanged on H2 (MODE=PostgreSQL) and PostgreSQL.
CREATE TABLE offer_catalog (
    connection_id VARCHAR(32)              NOT NULL,
    sku_id        VARCHAR(100)             NOT NULL,
    status        VARCHAR(20)              NOT NULL,
    reason        TEXT,
    blocked_by    VARCHAR(500),
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT offer_catalog_pk PRIMARY KEY (connection_id, sku_id),
    CONSTRAINT offer_catalog_status_ck CHECK (status IN ('PENDING', 'SUGGESTED', 'BOUND', 'ERROR'))
);
INSERT INTO offer_catalog (connection_id, sku_id, status, reason, blocked_by, updated_at)
    SELECT 'default', sku_id, catalog_status, reason, blocked_by, updated_at FROM offer_sync;
-- the recheck timer's suggested SKUs and the retry of blocked ones, per connection; the ops list's status counts
CREATE INDEX offer_catalog_status_idx ON offer_catalog (status, updated_at);
-- a SKU's statuses across connections (the ops view of one SKU, reconciliation)
CREATE INDEX offer_catalog_sku_idx ON offer_catalog (sku_id);
-- the old status's check and index go first (H2 refuses to drop a column an index names)
ALTER TABLE offer_sync DROP CONSTRAINT offer_sync_status_ck;
DROP INDEX offer_sync_status_idx;
ALTER TABLE offer_sync DROP COLUMN catalog_status;
ALTER TABLE offer_sync DROP COLUMN reason;
ALTER TABLE offer_sync DROP COLUMN blocked_by;
