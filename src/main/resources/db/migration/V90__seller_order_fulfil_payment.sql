-- Payment data the marketplace shares on /fulfill (vtex-protocol.md §2.4, "share payment data"): the listed fields of
-- paymentData.payments[] and paymentData.connectorResponses, and transactionId, as JSON (FulfilPayment). Never card
-- data. Null when the marketplace shared none. Forwarded to the ERP as the order message's "payment".
ALTER TABLE seller_order ADD COLUMN fulfil_payment TEXT;
