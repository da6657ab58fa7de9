-- Indexes that serve each operator page at 100,000 orders and more (issue 14).
-- The inbox filtered by state, in queue order (deadline) and newest first: walked in order, no sort.
-- (Within one state the queue rank is the same for every order, so the deadline alone orders it.)
CREATE INDEX orders_state_queue ON orders (lifecycle_state, deadline_ms, subscription_id);
DROP INDEX orders_by_state;
CREATE INDEX orders_by_state ON orders (lifecycle_state, ordered_at_ms, subscription_id);
-- The inbox filtered by assignee ("mine", "nobody's") in queue order.
CREATE INDEX orders_assignee_queue ON orders (assignee_id, queue_rank, deadline_ms, subscription_id);
-- The overview's approval times: orders activated lately, read from the index alone.
CREATE INDEX orders_by_activation ON orders (valid_from_ms, ordered_at_ms);
-- Search: a substring of the contact e-mail or an ID, served by a trigram index instead of a scan
-- (pg_trgm is a trusted extension: the database's owner may create it).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX orders_search ON orders USING gin (
    (LOWER(COALESCE(contact_email, '')) || E'\n' || subscription_id || E'\n' || project_id || E'\n' || organization_id)
    gin_trgm_ops
);
