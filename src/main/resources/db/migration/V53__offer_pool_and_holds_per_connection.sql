-- One stock pool shared by every connection (README "Connections"): next to the stock the default connection's rules
-- expose (offer_stock), the projection keeps the ERP's own figures, so each connection's rules can be applied to them,
-- and the units held per connection, so each connection's allocation counts its own orders.
-- Runs unchanged on H2 (MODE=PostgreSQL) and PostgreSQL.

-- The ERP price before rules and the SKU's ERP category (price rules match on it), as the price flow last applied
-- them; NULL where the price was set directly (ops API) or before this version: the projection's price stands in.
ALTER TABLE offer_projection ADD COLUMN erp_price BIGINT;
ALTER TABLE offer_projection ADD COLUMN erp_list_price BIGINT;
ALTER TABLE offer_projection ADD COLUMN category_id VARCHAR(100);

-- The pool: the ERP's units per warehouse before any rule, as the stock flow last applied them. No rows where the
-- stock was set directly or before this version: the exposed stock then stands for the pool.
CREATE TABLE offer_pool (
    sku_id       VARCHAR(100)             NOT NULL REFERENCES offer_projection (sku_id),
    warehouse_id VARCHAR(100)             NOT NULL,
    quantity     INTEGER                  NOT NULL,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (sku_id, warehouse_id)
);

-- Units held by one connection's open orders. offer_projection.held stays the total over all connections (and its
-- row the lock every placement takes), so held = the sum of these rows.
CREATE TABLE offer_hold (
    sku_id        VARCHAR(100) NOT NULL REFERENCES offer_projection (sku_id),
    connection_id VARCHAR(32)  NOT NULL,
    held          INTEGER      NOT NULL,
    PRIMARY KEY (sku_id, connection_id)
);

-- Holds from before this version belong to the orders' connections (all "default" until connections existed).
INSERT INTO offer_hold (sku_id, connection_id, held)
SELECT r.sku_id, o.connection_id, SUM(r.quantity)
FROM stock_reservation r
JOIN seller_order o ON o.order_id = r.order_id
JOIN offer_projection p ON p.sku_id = r.sku_id
WHERE r.status IN ('OPEN', 'COMMITTED')
GROUP BY r.sku_id, o.connection_id;
