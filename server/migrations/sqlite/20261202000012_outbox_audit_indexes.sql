-- The audit log by actor, and the outbox's lists, served by an index each (issue 14) rather than
-- read from every event or job: an operator's events newest first; a kind of job newest first
-- (webhook deliveries); and the jobs that failed and wait or gave up, newest first (few). The
-- last is written as "neither running nor done" (the same as queued or dead, by the table's
-- check) so that SQLite takes it instead of walking every queued job by `jobs_due`.
CREATE INDEX events_by_actor ON events (actor, id);
CREATE INDEX jobs_by_kind ON jobs (kind, created_at_ms, id);
CREATE INDEX jobs_failed ON jobs (updated_at_ms) WHERE last_error IS NOT NULL AND state <> 'running' AND state <> 'done';
