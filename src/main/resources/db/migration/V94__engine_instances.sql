-- The engine instances working on this database, each with its last sign of life (database time), so an instance can
-- tell work another live instance holds from work a dead one left, and share budgets by the number alive. Runs
-- unchanged on H2 (MODE=PostgreSQL) and PostgreSQL.
CREATE TABLE engine_instance (
    instance_id  VARCHAR(64)  NOT NULL,
    host         VARCHAR(255) NOT NULL,
    started_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    seen_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT engine_instance_pk PRIMARY KEY (instance_id)
);

-- Which instance claimed a replay job's item: one claimed by a live instance is in its hands, not interrupted.
ALTER TABLE replay_job_item ADD COLUMN claimed_by VARCHAR(64);
