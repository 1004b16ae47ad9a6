-- What each engine instance counted per minute for the dashboard (flows in, out and failed with their latency
-- buckets; VTEX 429 answers), so the dashboard of any instance shows the last hour of the whole cluster. Each
-- instance writes its own recent minutes (SharedCounts) and reads those of the others; rows older than an hour are
-- deleted. Runs unchanged on H2 (MODE=PostgreSQL) and PostgreSQL.
CREATE TABLE dashboard_minute (
    instance_id     VARCHAR(64)   NOT NULL,
    -- flow:<flow name>, or vtex-429
    series          VARCHAR(255)  NOT NULL,
    -- a connection id, or * for the engine-wide figure
    connection_id   VARCHAR(100)  NOT NULL,
    -- minutes since the epoch (UTC)
    at_minute       BIGINT        NOT NULL,
    -- the counters of the series in that minute, comma-separated
    counts          VARCHAR(1000) NOT NULL,
    last_success_at TIMESTAMP WITH TIME ZONE,
    CONSTRAINT dashboard_minute_pk PRIMARY KEY (instance_id, series, connection_id, at_minute)
);
CREATE INDEX dashboard_minute_by_minute ON dashboard_minute (at_minute);
