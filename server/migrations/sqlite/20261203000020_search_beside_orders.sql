-- Nothing to do on SQLite: its search index already sits beside the orders and catches up after
-- the writes (migration 14). PostgreSQL's moves there with this version, kept in step.
SELECT 1;
