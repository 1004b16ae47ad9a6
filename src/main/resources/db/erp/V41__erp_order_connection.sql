-- ERP orders carry their connection (README "Connections"): the marketplace that placed them. Two marketplaces may use
-- the same marketplace order id, so it is unique per connection: each is an ERP order of its own. Orders written
-- before connections existed belong to connection "default". Runs unchanged on H2 (MODE=PostgreSQL) and PostgreSQL.
ALTER TABLE erp_order ADD COLUMN connection_id VARCHAR(32) DEFAULT 'default' NOT NULL;
ALTER TABLE erp_order DROP CONSTRAINT erp_order_marketplace_uk;
-- marketplace_order_id first: the sink's lookups (connection and marketplace order id) and an ERP's by the
-- marketplace's id alone use the same index.
ALTER TABLE erp_order ADD CONSTRAINT erp_order_marketplace_uk UNIQUE (marketplace_order_id, connection_id);
