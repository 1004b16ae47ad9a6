-- Orders carry their connection (bridge.connections.<id>, README "Connections"): the marketplace that placed them.
-- Orders placed before connections existed belong to connection "default". Two marketplaces may use the same order id,
-- so a marketplace order id is unique per connection. The order's other rows (reservations, timeline, marketplace
-- calls) reference seller_order.order_id, which stays unique across connections: they need no column of their own.
-- Runs unchanged on H2 (MODE=PostgreSQL) and PostgreSQL.
ALTER TABLE seller_order ADD COLUMN connection_id VARCHAR(32) DEFAULT 'default' NOT NULL;
ALTER TABLE seller_order DROP CONSTRAINT seller_order_marketplace_uk;
-- marketplace_order_id first: lookups by the marketplace's id alone (ops, ERP events) use the same index.
ALTER TABLE seller_order ADD CONSTRAINT seller_order_marketplace_uk UNIQUE (marketplace_order_id, connection_id);
-- The ops list filtered by connection, and the open orders per connection (GET /ops/api/connections).
CREATE INDEX seller_order_connection_idx ON seller_order (connection_id, status);
