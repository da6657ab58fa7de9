-- The inbox reads 50 rows out of many thousands: keep its sort keys on the row, indexed, instead
-- of computing them for every order on every page. queue_rank: 0 pending, 1 everything else.
ALTER TABLE orders ADD COLUMN deadline_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN queue_rank INTEGER NOT NULL DEFAULT 1;
UPDATE orders SET
    deadline_ms = ordered_at_ms + COALESCE(approval_timeout_secs, 2592000) * 1000,
    queue_rank = CASE WHEN lifecycle_state = 'SUBSCRIPTION_PENDING' THEN 0 ELSE 1 END;
CREATE INDEX orders_queue ON orders (queue_rank, deadline_ms, subscription_id);
CREATE INDEX orders_newest ON orders (ordered_at_ms, subscription_id);
CREATE INDEX order_steps_by_order ON order_steps (subscription_id, done_at_ms);
