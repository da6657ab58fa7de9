-- Approvals and rejections go to STACKIT as jobs, queued in the same transaction as the order's
-- decision: this is the job that carries the order's current decision.
ALTER TABLE orders ADD COLUMN decision_job_id TEXT;

-- Plan changes: a new subscription for the same project and product after the old one was
-- cancelled follows that order; its plan is kept here so the inbox needs no join to say so.
ALTER TABLE orders ADD COLUMN replaces_subscription_id TEXT;
ALTER TABLE orders ADD COLUMN replaces_plan TEXT;
CREATE INDEX orders_by_replaced ON orders (replaces_subscription_id);

-- Leases: one replica at a time runs each scheduled task; a lease nobody renews runs out and
-- another replica takes the task over.
CREATE TABLE leases (
    name          TEXT   PRIMARY KEY NOT NULL,
    holder        TEXT   NOT NULL,
    expires_at_ms BIGINT NOT NULL
);

-- Every scheduled sync run: who ran it, when, and what it found.
CREATE TABLE sync_runs (
    id             TEXT   PRIMARY KEY NOT NULL,
    kind           TEXT   NOT NULL CHECK (kind IN ('full', 'pending')),
    holder         TEXT   NOT NULL,
    started_at_ms  BIGINT NOT NULL,
    finished_at_ms BIGINT,
    new_count      BIGINT NOT NULL DEFAULT 0,
    changed_count  BIGINT NOT NULL DEFAULT 0,
    unchanged_count BIGINT NOT NULL DEFAULT 0,
    error          TEXT
);
CREATE INDEX sync_runs_by_start ON sync_runs (kind, started_at_ms);
