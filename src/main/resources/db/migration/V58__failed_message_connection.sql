-- Each failed message belongs to the connection its message carried (header BridgeConnection); older rows and
-- messages without one are connection default's.
ALTER TABLE failed_message ADD COLUMN connection_id VARCHAR(32) DEFAULT 'default' NOT NULL;
CREATE INDEX failed_message_connection_ix ON failed_message (connection_id, status);
