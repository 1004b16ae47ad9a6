-- External Marketplace role, orders.source rest-poll: where each connection's order feed was read up to. The cursor
-- the feed answered is kept once every order of its page is durable (in the order store, or in the failed-message
-- store), so a restart or a failed poll reads on from there. Runs unchanged on H2 (MODE=PostgreSQL) and PostgreSQL.
CREATE TABLE marketplace_order_cursor (
    connection_id  VARCHAR(32)   NOT NULL,
    cursor_value   VARCHAR(2000) NOT NULL,
    updated_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT marketplace_order_cursor_pk PRIMARY KEY (connection_id)
);
