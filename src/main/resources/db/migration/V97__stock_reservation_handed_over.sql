-- Units of an order the ERP has taken over stay held until the ERP's stock shows the order (issue 16; README
-- "Orders", HandoverHolds). stock_reservation.status: OPEN until fulfil, COMMITTED until the ERP acknowledges the
-- order, then HANDED_OVER (still held) until an ERP stock change of the SKU with a version after handover_from is
-- applied, bridge.orders.handover-hold passed since updated_at, or the order is cancelled; RELEASED after that.
-- handover_from: when the ERP write that the ERP acknowledged began. Runs unchanged on H2 (MODE=PostgreSQL) and
-- PostgreSQL.
ALTER TABLE stock_reservation ADD COLUMN handover_from TIMESTAMP WITH TIME ZONE;

-- The stock flow looks up the handed-over units of the SKUs it applies, the sweep those past the maximum.
CREATE INDEX stock_reservation_sku_idx ON stock_reservation (sku_id, status);
CREATE INDEX stock_reservation_status_idx ON stock_reservation (status, updated_at);
