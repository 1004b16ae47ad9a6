-- External Marketplace role, orders.placement: order-integration (the asynchronous New Order Integration API). The
-- store answers the enqueue at once and posts the processing result later; these mark where such an order waits.
-- Runs unchanged on H2 (MODE=PostgreSQL) and PostgreSQL.

-- When the store's order integration took the order (SOI003, or EOI007 for one it had already): from then on the
-- order waits for the processing result, and is looked up once orders.result-timeout has passed without one.
ALTER TABLE seller_order ADD COLUMN integration_enqueued_at TIMESTAMP WITH TIME ZONE;
-- When the approval (PUT /api/order-integration/orders/status) was claimed, before the call: one status update per
-- approval, and its own wait for the ApproveOrder result.
ALTER TABLE seller_order ADD COLUMN approval_requested_at TIMESTAMP WITH TIME ZONE;
