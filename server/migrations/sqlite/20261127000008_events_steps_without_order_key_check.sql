-- PostgreSQL drops the per-row check of events' and order steps' orders here (a lookup and a
-- KEY SHARE lock each, a third of a full sync's database time). SQLite keeps its checks: there
-- they are a cheap in-process lookup. Nothing changes in this schema.
SELECT 1;
