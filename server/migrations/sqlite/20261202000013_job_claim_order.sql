-- The job runner claims the oldest due job: with `jobs_due` on (state, run_at_ms) the claim read
-- every due job and sorted them to find it (a batch of notices is queued at one instant, so the
-- index did not order them), 9 ms a claim with 18,000 notices queued after a first sync of
-- 100,000 orders and a scan of 200,000 at a million, for each of them. With the ID in the index,
-- the oldest is its first entry.
DROP INDEX jobs_due;
CREATE INDEX jobs_due ON jobs (state, run_at_ms, id);
