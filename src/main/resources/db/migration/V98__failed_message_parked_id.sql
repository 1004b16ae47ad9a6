-- A message parked on its channel's dead-letter destination (<topic|queue>.parked: its failure could not be stored
-- when it happened) is moved here once the store can take it. parked_id names that delivery (route and Kafka
-- record, or JMS message id): a parked message taken back twice (an instance stopped between storing it and
-- acknowledging it, or the delivery parked twice) still makes one row.
ALTER TABLE failed_message ADD COLUMN parked_id VARCHAR(1000);
CREATE UNIQUE INDEX failed_message_parked_idx ON failed_message (parked_id);
