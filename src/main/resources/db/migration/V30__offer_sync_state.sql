-- Seller sync state per SKU (issue 4): where the SKU stands with the marketplace, the ERP versions applied last
-- (older versions arriving later are ignored), the ERP values before rules, a price held by the guardrail, and what
-- the marketplace was last told (a notification goes out only when the exposed value differs).
CREATE TABLE offer_sync (
    sku_id            VARCHAR(100)             PRIMARY KEY,
    product_id        VARCHAR(100),
    category_id       VARCHAR(100),
    catalog_status    VARCHAR(20)              NOT NULL,
    reason            TEXT,
    blocked_by        VARCHAR(500),
    catalog_version   TIMESTAMP WITH TIME ZONE,
    price_version     TIMESTAMP WITH TIME ZONE,
    stock_version     TIMESTAMP WITH TIME ZONE,
    erp_price         BIGINT,
    erp_list_price    BIGINT,
    erp_stock         TEXT,
    held_price        BIGINT,
    held_reason       TEXT,
    notified_price    BIGINT,
    notified_quantity INTEGER,
    updated_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT offer_sync_status_ck CHECK (catalog_status IN ('PENDING', 'SUGGESTED', 'BOUND', 'ERROR'))
);
CREATE INDEX offer_sync_status_idx ON offer_sync (catalog_status, sku_id);
