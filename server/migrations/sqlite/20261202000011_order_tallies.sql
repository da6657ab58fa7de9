-- The overview's figures kept up to date as orders change (issue 14), instead of counted from
-- every order ever seen on each visit: orders per lifecycle state, and activations per UTC day
-- and approval time (tenths of an hour, the overview's precision). Triggers keep them, so every
-- writer (sync, decisions, tests, a future one) keeps them right; a test compares them with a
-- recount from `orders`.
CREATE TABLE order_state_tallies (
    lifecycle_state TEXT    PRIMARY KEY NOT NULL,
    orders          INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE activation_tallies (
    day     INTEGER NOT NULL,  -- valid_from_ms / 86,400,000
    tenths  INTEGER NOT NULL,  -- (valid_from_ms - ordered_at_ms) / 360,000, none below 0
    orders  INTEGER NOT NULL,
    PRIMARY KEY (day, tenths)
) WITHOUT ROWID;

-- Moves on whenever the activation tallies change: the overview keeps the figures it computed
-- from them until it does (or the day changes).
CREATE TABLE tally_generations (
    tally       TEXT    PRIMARY KEY NOT NULL,
    generation  INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO tally_generations (tally, generation) VALUES ('activations', 0);

INSERT INTO order_state_tallies (lifecycle_state, orders)
    SELECT lifecycle_state, COUNT(*) FROM orders GROUP BY lifecycle_state;
INSERT INTO activation_tallies (day, tenths, orders)
    SELECT valid_from_ms / 86400000,
           CASE WHEN valid_from_ms > ordered_at_ms THEN (valid_from_ms - ordered_at_ms) / 360000 ELSE 0 END,
           COUNT(*)
    FROM orders WHERE valid_from_ms IS NOT NULL GROUP BY 1, 2;

CREATE TRIGGER orders_tally_insert AFTER INSERT ON orders BEGIN
    INSERT INTO order_state_tallies (lifecycle_state, orders) VALUES (NEW.lifecycle_state, 1)
        ON CONFLICT (lifecycle_state) DO UPDATE SET orders = orders + 1;
    INSERT INTO activation_tallies (day, tenths, orders)
        SELECT NEW.valid_from_ms / 86400000,
               CASE WHEN NEW.valid_from_ms > NEW.ordered_at_ms THEN (NEW.valid_from_ms - NEW.ordered_at_ms) / 360000 ELSE 0 END,
               1
        WHERE NEW.valid_from_ms IS NOT NULL
        ON CONFLICT (day, tenths) DO UPDATE SET orders = orders + 1;
    UPDATE tally_generations SET generation = generation + 1
        WHERE tally = 'activations' AND NEW.valid_from_ms IS NOT NULL;
END;

CREATE TRIGGER orders_tally_delete AFTER DELETE ON orders BEGIN
    UPDATE order_state_tallies SET orders = orders - 1 WHERE lifecycle_state = OLD.lifecycle_state;
    UPDATE activation_tallies SET orders = orders - 1
        WHERE OLD.valid_from_ms IS NOT NULL
          AND day = OLD.valid_from_ms / 86400000
          AND tenths = CASE WHEN OLD.valid_from_ms > OLD.ordered_at_ms THEN (OLD.valid_from_ms - OLD.ordered_at_ms) / 360000 ELSE 0 END;
    UPDATE tally_generations SET generation = generation + 1
        WHERE tally = 'activations' AND OLD.valid_from_ms IS NOT NULL;
END;

CREATE TRIGGER orders_tally_state AFTER UPDATE OF lifecycle_state ON orders
WHEN NEW.lifecycle_state IS NOT OLD.lifecycle_state BEGIN
    UPDATE order_state_tallies SET orders = orders - 1 WHERE lifecycle_state = OLD.lifecycle_state;
    INSERT INTO order_state_tallies (lifecycle_state, orders) VALUES (NEW.lifecycle_state, 1)
        ON CONFLICT (lifecycle_state) DO UPDATE SET orders = orders + 1;
END;

CREATE TRIGGER orders_tally_activation AFTER UPDATE OF valid_from_ms, ordered_at_ms ON orders
WHEN NEW.valid_from_ms IS NOT OLD.valid_from_ms OR NEW.ordered_at_ms IS NOT OLD.ordered_at_ms BEGIN
    UPDATE activation_tallies SET orders = orders - 1
        WHERE OLD.valid_from_ms IS NOT NULL
          AND day = OLD.valid_from_ms / 86400000
          AND tenths = CASE WHEN OLD.valid_from_ms > OLD.ordered_at_ms THEN (OLD.valid_from_ms - OLD.ordered_at_ms) / 360000 ELSE 0 END;
    INSERT INTO activation_tallies (day, tenths, orders)
        SELECT NEW.valid_from_ms / 86400000,
               CASE WHEN NEW.valid_from_ms > NEW.ordered_at_ms THEN (NEW.valid_from_ms - NEW.ordered_at_ms) / 360000 ELSE 0 END,
               1
        WHERE NEW.valid_from_ms IS NOT NULL
        ON CONFLICT (day, tenths) DO UPDATE SET orders = orders + 1;
    UPDATE tally_generations SET generation = generation + 1 WHERE tally = 'activations';
END;

-- The activations are read from the tallies now: the index that served the count goes, and
-- with it its cost on every write.
DROP INDEX orders_by_activation;
