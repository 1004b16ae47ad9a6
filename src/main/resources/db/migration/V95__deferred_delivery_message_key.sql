-- Transient failures of a message read from a Kafka channel are deferred here instead of retried on the consumer
-- thread. message_key is the channel message key (header BridgeMessageKey): while a key has a row in a route, later
-- messages of that key are set aside behind it, so none overtakes it. released_at: sent back to the channel, the row
-- stays until that message has been worked (then deleted), so a message of the key arriving meanwhile still waits.
ALTER TABLE deferred_delivery ADD COLUMN message_key VARCHAR(500);
ALTER TABLE deferred_delivery ADD COLUMN released_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE deferred_delivery ADD COLUMN attempts INTEGER DEFAULT 0 NOT NULL;
CREATE INDEX deferred_delivery_key_idx ON deferred_delivery (route_id, message_key, id);
