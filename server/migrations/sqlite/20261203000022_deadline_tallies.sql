-- Orders waiting for approval per hour of their deadline, and how many of them nobody is
-- assigned (issue 14): the overview's and the inbox's "overdue", "due soon" and "unassigned"
-- counted every pending order in their range, a cost that grew with the orders waiting (4.5 times
-- the overview's at a million orders). Whole hours are read from here, only the partial hours at
-- a range's ends from `orders`. Triggers keep it, as the other tallies; an hour without pending
-- orders has no row, so the table holds the hours that have work, not the history. A test
-- compares it with a recount from `orders`.
CREATE TABLE deadline_tallies (
    hour        INTEGER PRIMARY KEY NOT NULL,  -- deadline_ms / 3,600,000
    orders      INTEGER NOT NULL,              -- pending (queue_rank 0) with a deadline in the hour
    unassigned  INTEGER NOT NULL               -- of those, assigned to nobody
) WITHOUT ROWID;

INSERT INTO deadline_tallies (hour, orders, unassigned)
    SELECT deadline_ms / 3600000, COUNT(*), SUM(CASE WHEN assignee_id IS NULL THEN 1 ELSE 0 END)
    FROM orders WHERE queue_rank = 0 GROUP BY 1;

CREATE TRIGGER orders_deadline_insert AFTER INSERT ON orders WHEN NEW.queue_rank = 0 BEGIN
    INSERT INTO deadline_tallies (hour, orders, unassigned)
        VALUES (NEW.deadline_ms / 3600000, 1, NEW.assignee_id IS NULL)
        ON CONFLICT (hour) DO UPDATE SET orders = orders + 1, unassigned = unassigned + excluded.unassigned;
END;

CREATE TRIGGER orders_deadline_delete AFTER DELETE ON orders WHEN OLD.queue_rank = 0 BEGIN
    UPDATE deadline_tallies SET orders = orders - 1, unassigned = unassigned - (OLD.assignee_id IS NULL)
        WHERE hour = OLD.deadline_ms / 3600000;
    DELETE FROM deadline_tallies WHERE hour = OLD.deadline_ms / 3600000 AND orders = 0;
END;

CREATE TRIGGER orders_deadline_update AFTER UPDATE OF queue_rank, deadline_ms, assignee_id ON orders
WHEN (OLD.queue_rank = 0 OR NEW.queue_rank = 0)
 AND (NEW.queue_rank IS NOT OLD.queue_rank OR NEW.deadline_ms IS NOT OLD.deadline_ms
      OR (NEW.assignee_id IS NULL) IS NOT (OLD.assignee_id IS NULL)) BEGIN
    UPDATE deadline_tallies SET orders = orders - 1, unassigned = unassigned - (OLD.assignee_id IS NULL)
        WHERE OLD.queue_rank = 0 AND hour = OLD.deadline_ms / 3600000;
    DELETE FROM deadline_tallies WHERE OLD.queue_rank = 0 AND hour = OLD.deadline_ms / 3600000 AND orders = 0;
    INSERT INTO deadline_tallies (hour, orders, unassigned)
        SELECT NEW.deadline_ms / 3600000, 1, NEW.assignee_id IS NULL WHERE NEW.queue_rank = 0
        ON CONFLICT (hour) DO UPDATE SET orders = orders + 1, unassigned = unassigned + excluded.unassigned;
END;
