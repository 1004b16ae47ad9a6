-- The local state the fulfillment simulation answers from, and the orders VTEX places with us as External Seller.

-- One row per seller SKU: price (integer cents), activity, dimensions, and the units held by open orders.
CREATE TABLE offer_projection (
    sku_id             VARCHAR(100)             PRIMARY KEY,
    price              BIGINT,
    list_price         BIGINT,
    price_valid_until  TIMESTAMP WITH TIME ZONE,
    active             BOOLEAN                  NOT NULL,
    measurement_unit   VARCHAR(20)              NOT NULL,
    unit_multiplier    INTEGER                  NOT NULL,
    weight_grams       INTEGER,
    height_cm          NUMERIC(10, 2),
    width_cm           NUMERIC(10, 2),
    length_cm          NUMERIC(10, 2),
    held               INTEGER                  NOT NULL DEFAULT 0,
    updated_at         TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Stock per SKU and warehouse, as last reported by the ERP.
CREATE TABLE offer_stock (
    sku_id       VARCHAR(100)             NOT NULL REFERENCES offer_projection (sku_id),
    warehouse_id VARCHAR(100)             NOT NULL,
    quantity     INTEGER                  NOT NULL,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (sku_id, warehouse_id)
);

CREATE SEQUENCE seller_order_seq START WITH 1000;

-- Orders placed by the marketplace. The unique marketplace order id makes placement idempotent; the answer given
-- is stored so a repeat gets exactly the same one.
CREATE TABLE seller_order (
    order_id                      VARCHAR(50)              PRIMARY KEY,
    marketplace_order_id          VARCHAR(100)             NOT NULL,
    marketplace_order_group       VARCHAR(100),
    marketplace_services_endpoint VARCHAR(2000),
    status                        VARCHAR(30)              NOT NULL,
    order_json                    TEXT                     NOT NULL,
    response_json                 TEXT                     NOT NULL,
    lock_expires_at               TIMESTAMP WITH TIME ZONE,
    created_at                    TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at                    TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT seller_order_marketplace_uk UNIQUE (marketplace_order_id)
);
CREATE INDEX seller_order_lock_idx ON seller_order (status, lock_expires_at);

-- Units an order holds: OPEN until fulfil (expires with the order's lockTTL), COMMITTED after fulfil until the ERP
-- takes the order over, RELEASED when cancelled, expired or handed over.
CREATE TABLE stock_reservation (
    order_id   VARCHAR(50)              NOT NULL REFERENCES seller_order (order_id),
    sku_id     VARCHAR(100)             NOT NULL,
    quantity   INTEGER                  NOT NULL,
    status     VARCHAR(20)              NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (order_id, sku_id)
);
