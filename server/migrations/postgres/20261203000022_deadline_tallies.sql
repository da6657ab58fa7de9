-- Orders waiting for approval per hour of their deadline, and how many of them nobody is
-- assigned (issue 14): the overview's and the inbox's "overdue", "due soon" and "unassigned"
-- counted every pending order in their range, a cost that grew with the orders waiting (4.5 times
-- the overview's at a million orders). Whole hours are read from here, only the partial hours at
-- a range's ends from `orders`. A trigger per statement keeps it over the statement's transition
-- tables, as the other tallies (rows upserted in key order); an hour without pending orders has
-- no row, so the table holds the hours that have work, not the history. A test compares it with
-- a recount from `orders`.
--
-- Lock order: PostgreSQL fires a statement's triggers by name, so these are named to fire after
-- `orders_tally_*` (the per-state rows). A batch of new orders is many statements in one
-- transaction: its first locks the "pending" state row, each later one more deadline hours. A
-- decision's single update, had it locked its hour first, would then wait for that state row
-- while the batch waited for the hour (a deadlock). Every writer takes the state rows first.
--
-- The table is locked for the count, so a replica still on the old version cannot write an
-- order between the count and the triggers (counted by neither).
LOCK TABLE orders IN SHARE ROW EXCLUSIVE MODE;

CREATE TABLE deadline_tallies (
    hour        BIGINT PRIMARY KEY,  -- deadline_ms / 3,600,000
    orders      BIGINT NOT NULL,     -- pending (queue_rank 0) with a deadline in the hour
    unassigned  BIGINT NOT NULL      -- of those, assigned to nobody
);

INSERT INTO deadline_tallies (hour, orders, unassigned)
    SELECT deadline_ms / 3600000, COUNT(*), SUM(CASE WHEN assignee_id IS NULL THEN 1 ELSE 0 END)
    FROM orders WHERE queue_rank = 0 GROUP BY 1;

CREATE FUNCTION orders_deadline_changes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    added   TEXT := CASE WHEN TG_OP = 'DELETE' THEN 'SELECT * FROM orders WHERE false' ELSE 'SELECT * FROM added' END;
    removed TEXT := CASE WHEN TG_OP = 'INSERT' THEN 'SELECT * FROM orders WHERE false' ELSE 'SELECT * FROM removed' END;
BEGIN
    EXECUTE format($sql$
        INSERT INTO deadline_tallies AS t (hour, orders, unassigned)
        SELECT hour, SUM(delta), SUM(CASE WHEN nobody THEN delta ELSE 0 END) FROM (
            SELECT deadline_ms / 3600000 AS hour, assignee_id IS NULL AS nobody, 1 AS delta
            FROM (%s) AS a WHERE queue_rank = 0
            UNION ALL
            SELECT deadline_ms / 3600000, assignee_id IS NULL, -1
            FROM (%s) AS r WHERE queue_rank = 0
        ) AS changes
        GROUP BY hour
        HAVING SUM(delta) <> 0 OR SUM(CASE WHEN nobody THEN delta ELSE 0 END) <> 0
        ORDER BY hour
        ON CONFLICT (hour) DO UPDATE
            SET orders = t.orders + EXCLUDED.orders, unassigned = t.unassigned + EXCLUDED.unassigned
    $sql$, added, removed);
    IF TG_OP <> 'INSERT' THEN
        EXECUTE $sql$
            DELETE FROM deadline_tallies
            WHERE orders = 0 AND hour IN (SELECT deadline_ms / 3600000 FROM removed WHERE queue_rank = 0)
        $sql$;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER orders_tally_insert_hours AFTER INSERT ON orders
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION orders_deadline_changes();
CREATE TRIGGER orders_tally_update_hours AFTER UPDATE ON orders
    REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION orders_deadline_changes();
CREATE TRIGGER orders_tally_delete_hours AFTER DELETE ON orders
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION orders_deadline_changes();
