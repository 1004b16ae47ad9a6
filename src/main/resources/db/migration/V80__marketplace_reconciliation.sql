-- External Marketplace role: reconciliation per marketplace connection. Runs unchanged on H2 (MODE=PostgreSQL) and
-- PostgreSQL.
-- The last reconciliation run of each marketplace connection, and when the next is due. A run is claimed by the
-- instance whose UPDATE moves next_due_at (so one instance runs it); run_id grows with every run, and the offers flow
-- counts what it did with each SKU of the run (republished, unchanged, delisted, failed) against that run id.
CREATE TABLE marketplace_reconciliation (
    connection_id  VARCHAR(32)   NOT NULL,
    run_id         BIGINT        NOT NULL,
    run_trigger    VARCHAR(16),
    status         VARCHAR(16)   NOT NULL,
    error          VARCHAR(2000),
    started_at     TIMESTAMP WITH TIME ZONE,
    listed_at      TIMESTAMP WITH TIME ZONE,
    next_due_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    skus_read      INTEGER       NOT NULL,
    queued         INTEGER       NOT NULL,
    republished    INTEGER       NOT NULL,
    unchanged      INTEGER       NOT NULL,
    delisted       INTEGER       NOT NULL,
    failed         INTEGER       NOT NULL,
    CONSTRAINT marketplace_reconciliation_pk PRIMARY KEY (connection_id)
);

-- What was last published for a listing, as a digest of the sink's body without its changedAt: a reconciliation
-- skips a SKU whose new offer has the same digest.
ALTER TABLE marketplace_listing ADD COLUMN offer_digest VARCHAR(64);
