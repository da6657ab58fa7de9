-- A first sync of many orders (`db/bulk_load.rs`, issue 14). `deferred_indexes` holds the indexes
-- SQLite drops while it loads an empty table (PostgreSQL never defers its indexes; the table is
-- kept so both engines have one schema). `first_loads`: its one row says a first load is
-- unfinished; while it stands new orders are not announced one by one, and the run that finishes
-- the load announces them all in one mail, deleting the row in that same transaction.
CREATE TABLE deferred_indexes (
    name        TEXT PRIMARY KEY NOT NULL,
    definition  TEXT NOT NULL
);

CREATE TABLE first_loads (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    started_at_ms  BIGINT NOT NULL
);
