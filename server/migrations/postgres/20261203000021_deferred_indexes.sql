-- The definitions of the `orders` indexes a first sync on SQLite defers (`db/bulk_load.rs`, issue
-- 14). PostgreSQL never defers its indexes; the table is kept so both engines have one schema.
CREATE TABLE deferred_indexes (
    name        TEXT PRIMARY KEY NOT NULL,
    definition  TEXT NOT NULL
);
