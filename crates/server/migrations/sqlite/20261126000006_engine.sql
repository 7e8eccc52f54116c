-- What the rollout engine looks for many times a second, each found without a scan.

-- Waiting automatic retries, by when they fall due.
CREATE INDEX tasks_retry_due ON tasks (utc_next_attempt) WHERE utc_next_attempt IS NOT NULL;
-- Updating tasks with a timeout, by when it runs out.
CREATE INDEX tasks_timeout_due ON tasks (utc_first_progress + timeout_in_minutes * 60000)
    WHERE status = 'IN_PROGRESS' AND timeout_in_minutes IS NOT NULL AND utc_first_progress IS NOT NULL;
-- Scheduled batches, by start and by forced end.
CREATE INDEX jobs_planned ON jobs (schedule_time) WHERE job_status = 'PLANNED';
CREATE INDEX jobs_running_until ON jobs (schedule_finish_time)
    WHERE job_status = 'IN_PROGRESS' AND schedule_finish_time IS NOT NULL;
