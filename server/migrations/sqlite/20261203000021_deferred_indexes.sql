-- The definitions of the `orders` indexes a first sync into an empty table drops while it loads
-- and builds again at its end (`db/bulk_load.rs`, issue 14): kept in the transaction that drops
-- them, so a process that stops mid-load builds them at its next start.
CREATE TABLE deferred_indexes (
    name        TEXT PRIMARY KEY NOT NULL,
    definition  TEXT NOT NULL
) WITHOUT ROWID;
