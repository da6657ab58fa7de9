-- SQLite's migration 24 widens the queue index with the fields a search tests, so that a common
-- term is tested in the index. PostgreSQL reads each order's row before testing a condition
-- unless the whole query is read from an index, which the inbox's is not: nothing to change here.
SELECT 1;
