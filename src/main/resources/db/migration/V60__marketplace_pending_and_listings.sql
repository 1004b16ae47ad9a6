-- External Marketplace role. Runs unchanged on H2 (MODE=PostgreSQL) and PostgreSQL.
-- Affiliate notifications waiting out their coalescing window, one row per (connection, VTEX SKU): further
-- notifications of the SKU join the row (the latest values win) until due_at, when one offer update goes out.
-- version grows with every notification joined, so a row is only deleted once what it held was handed on.
CREATE TABLE marketplace_pending (
    connection_id  VARCHAR(32)  NOT NULL,
    sku_id         VARCHAR(64)  NOT NULL,
    product_id     VARCHAR(64),
    is_active      BOOLEAN,
    removed        BOOLEAN      NOT NULL,
    date_modified  TIMESTAMP WITH TIME ZONE,
    due_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    version        BIGINT       NOT NULL,
    CONSTRAINT marketplace_pending_pk PRIMARY KEY (connection_id, sku_id)
);
CREATE INDEX marketplace_pending_due_idx ON marketplace_pending (due_at);

-- Each SKU's listing on its external marketplace, per connection: listed, delisted, or error with the reason
-- (blocked_by names the missing mapping entry), with the values last published.
CREATE TABLE marketplace_listing (
    connection_id  VARCHAR(32)   NOT NULL,
    sku_id         VARCHAR(64)   NOT NULL,
    product_id     VARCHAR(64),
    status         VARCHAR(16)   NOT NULL,
    reason         VARCHAR(2000),
    blocked_by     VARCHAR(500),
    active         BOOLEAN,
    price          BIGINT,
    list_price     BIGINT,
    stock          INTEGER,
    changed_at     TIMESTAMP WITH TIME ZONE,
    updated_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT marketplace_listing_pk PRIMARY KEY (connection_id, sku_id)
);
CREATE INDEX marketplace_listing_status_idx ON marketplace_listing (connection_id, status);
