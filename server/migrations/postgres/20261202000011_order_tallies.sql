-- The overview's figures kept up to date as orders change (issue 14), instead of counted from
-- every order ever seen on each visit: orders per lifecycle state, and activations per UTC day
-- and approval time (tenths of an hour, the overview's precision). Triggers keep them, so every
-- writer (sync, decisions, tests, a future one) keeps them right; a test compares them with a
-- recount from `orders`. The triggers run once per statement over its transition tables: a batch
-- of a thousand new orders costs one grouped upsert, not a thousand. Rows are upserted in key
-- order, so two writers lock tally rows in the same order and cannot deadlock on them.
CREATE TABLE order_state_tallies (
    lifecycle_state TEXT   PRIMARY KEY,
    orders          BIGINT NOT NULL
);

CREATE TABLE activation_tallies (
    day     BIGINT NOT NULL,  -- valid_from_ms / 86,400,000
    tenths  BIGINT NOT NULL,  -- (valid_from_ms - ordered_at_ms) / 360,000, none below 0
    orders  BIGINT NOT NULL,
    PRIMARY KEY (day, tenths)
);

-- Moves on whenever the activation tallies change: the overview keeps the figures it computed
-- from them until it does (or the day changes).
CREATE TABLE tally_generations (
    tally       TEXT   PRIMARY KEY,
    generation  BIGINT NOT NULL
);
INSERT INTO tally_generations (tally, generation) VALUES ('activations', 0);

INSERT INTO order_state_tallies (lifecycle_state, orders)
    SELECT lifecycle_state, COUNT(*) FROM orders GROUP BY lifecycle_state;
INSERT INTO activation_tallies (day, tenths, orders)
    SELECT valid_from_ms / 86400000,
           CASE WHEN valid_from_ms > ordered_at_ms THEN (valid_from_ms - ordered_at_ms) / 360000 ELSE 0 END,
           COUNT(*)
    FROM orders WHERE valid_from_ms IS NOT NULL GROUP BY 1, 2;

-- Adds the rows a statement inserted (`added`) and takes away those it deleted (`removed`); an
-- update does both. An INSERT trigger has no `removed` table and a DELETE trigger no `added`,
-- so the statements are built with an empty set in their place.
CREATE FUNCTION orders_tally_changes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed BIGINT;
    added   TEXT := CASE WHEN TG_OP = 'DELETE' THEN 'SELECT * FROM orders WHERE false' ELSE 'SELECT * FROM added' END;
    removed TEXT := CASE WHEN TG_OP = 'INSERT' THEN 'SELECT * FROM orders WHERE false' ELSE 'SELECT * FROM removed' END;
BEGIN
    EXECUTE format($sql$
        INSERT INTO order_state_tallies AS t (lifecycle_state, orders)
        SELECT lifecycle_state, SUM(delta) FROM (
            SELECT lifecycle_state, 1 AS delta FROM (%s) AS a
            UNION ALL
            SELECT lifecycle_state, -1 FROM (%s) AS r
        ) AS changes
        GROUP BY lifecycle_state HAVING SUM(delta) <> 0 ORDER BY lifecycle_state
        ON CONFLICT (lifecycle_state) DO UPDATE SET orders = t.orders + EXCLUDED.orders
    $sql$, added, removed);
    EXECUTE format($sql$
        INSERT INTO activation_tallies AS t (day, tenths, orders)
        SELECT day, tenths, SUM(delta) FROM (
            SELECT valid_from_ms / 86400000 AS day,
                   CASE WHEN valid_from_ms > ordered_at_ms THEN (valid_from_ms - ordered_at_ms) / 360000 ELSE 0 END AS tenths,
                   1 AS delta
            FROM (%s) AS a WHERE valid_from_ms IS NOT NULL
            UNION ALL
            SELECT valid_from_ms / 86400000,
                   CASE WHEN valid_from_ms > ordered_at_ms THEN (valid_from_ms - ordered_at_ms) / 360000 ELSE 0 END,
                   -1
            FROM (%s) AS r WHERE valid_from_ms IS NOT NULL
        ) AS changes
        GROUP BY day, tenths HAVING SUM(delta) <> 0 ORDER BY day, tenths
        ON CONFLICT (day, tenths) DO UPDATE SET orders = t.orders + EXCLUDED.orders
    $sql$, added, removed);
    GET DIAGNOSTICS changed = ROW_COUNT;
    IF changed > 0 THEN
        UPDATE tally_generations SET generation = generation + 1 WHERE tally = 'activations';
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER orders_tally_insert AFTER INSERT ON orders
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION orders_tally_changes();
CREATE TRIGGER orders_tally_update AFTER UPDATE ON orders
    REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION orders_tally_changes();
CREATE TRIGGER orders_tally_delete AFTER DELETE ON orders
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION orders_tally_changes();

-- The activations are read from the tallies now: the index that served the count goes, and
-- with it its cost on every write.
DROP INDEX orders_by_activation;
