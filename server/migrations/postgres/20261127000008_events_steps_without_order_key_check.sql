-- The audit trail and the orders' checklists no longer have PostgreSQL check each row's order.
-- Orders are never deleted, and every statement that adds an event or a step inserts or reads its
-- order in the same transaction; the per-row check (a lookup and a KEY SHARE lock on the order)
-- took a third of the database's time in a full sync of new orders. SQLite keeps its checks:
-- there they are a cheap in-process lookup.
ALTER TABLE events DROP CONSTRAINT events_subscription_id_fkey;
ALTER TABLE order_steps DROP CONSTRAINT order_steps_subscription_id_fkey;
