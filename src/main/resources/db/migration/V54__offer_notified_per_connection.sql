-- What each marketplace was told last of a SKU (price in cents, exposed units), per connection: one ERP change is a
-- notification to every seller connection, and each is compared with what that marketplace knows. Values told before
-- connections existed were told to connection "default". Runs unchanged on H2 (MODE=PostgreSQL) and PostgreSQL.
CREATE TABLE offer_notified (
    connection_id     VARCHAR(32)  NOT NULL,
    sku_id            VARCHAR(100) NOT NULL,
    notified_price    BIGINT,
    notified_quantity INTEGER,
    CONSTRAINT offer_notified_pk PRIMARY KEY (connection_id, sku_id)
);
INSERT INTO offer_notified (connection_id, sku_id, notified_price, notified_quantity)
    SELECT 'default', sku_id, notified_price, notified_quantity FROM offer_sync
    WHERE notified_price IS NOT NULL OR notified_quantity IS NOT NULL;
-- a SKU's values across connections (the sync flows' check whether some marketplace still has to be told)
CREATE INDEX offer_notified_sku_idx ON offer_notified (sku_id);
ALTER TABLE offer_sync DROP COLUMN notified_price;
ALTER TABLE offer_sync DROP COLUMN notified_quantity;
