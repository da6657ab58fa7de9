-- Nothing to do on PostgreSQL: its trigram index `orders_search` (migration 10) serves search.
-- SQLite's full-text index beside the orders has the same version number, to keep the two
-- folders in step.
SELECT 1;
