-- Safe rollouts (extension SafeRollout, docs/api.md): waves, an automatic pause, maintenance
-- windows. The same columns on both databases (migrations/sqlite). A batch without them
-- has NULL in every one and behaves as before.

-- The rules as given at creation: the API's parameters as JSON pairs (ota_model's
-- Safety::to_stored), read back by the same parser that checked them.
ALTER TABLE jobs ADD COLUMN safety TEXT COLLATE "C";
-- Waves: the running one (from 1), and since when its promotion rule holds (its soak).
ALTER TABLE jobs ADD COLUMN current_wave BIGINT;
ALTER TABLE jobs ADD COLUMN wave_rule_met BIGINT;
-- A pause: when, by whom ('RULE' or 'OPERATOR'), and for a rule the failures and the sample
-- that tripped it. NULL paused_at: not paused.
ALTER TABLE jobs ADD COLUMN paused_at BIGINT;
ALTER TABLE jobs ADD COLUMN paused_by TEXT COLLATE "C" CHECK (paused_by IN ('RULE', 'OPERATOR'));
ALTER TABLE jobs ADD COLUMN pause_failed BIGINT;
ALTER TABLE jobs ADD COLUMN pause_sample BIGINT;
-- A pause rule judges only tasks finished since the batch last resumed.
ALTER TABLE jobs ADD COLUMN judged_since BIGINT;
-- Maintenance windows, as the engine last found them: whether one is open and, if not, when
-- the next opens. Kept here so that pushes and task lists need no time zone arithmetic.
ALTER TABLE jobs ADD COLUMN in_window BOOLEAN;
ALTER TABLE jobs ADD COLUMN next_window BIGINT;

-- A task's wave, in a batch with waves; NULL for the tasks that failed at creation.
ALTER TABLE tasks ADD COLUMN wave BIGINT;
-- When the device finished the task (SUCCEEDED or FAILED through the engine): a pause rule's
-- sample is a batch's latest finishes.
ALTER TABLE tasks ADD COLUMN utc_finished BIGINT;

CREATE INDEX tasks_by_wave ON tasks (job_id, wave, status) WHERE wave IS NOT NULL;
CREATE INDEX tasks_finished ON tasks (job_id, utc_finished) WHERE utc_finished IS NOT NULL;
-- One failure reason's tasks of a batch, in order (ListOTATaskByJob's ReasonCode).
CREATE INDEX tasks_by_job_reason ON tasks (job_id, reason_code, seq) WHERE reason_code IS NOT NULL;
-- The running batches the engine guards (waves, pause rule, windows), looked at every tick.
CREATE INDEX jobs_guarded ON jobs (job_id) WHERE job_status = 'IN_PROGRESS' AND safety IS NOT NULL;

-- How many tasks of each wave are in each state, kept by the triggers below in the same
-- transaction as every change: a wave's promotion rule and the batch page read these, never
-- the tasks. A task's wave never changes.
CREATE TABLE job_wave_counts (
    job_id TEXT COLLATE "C" NOT NULL,
    wave   BIGINT NOT NULL,
    status TEXT COLLATE "C" NOT NULL,
    count  BIGINT NOT NULL,
    PRIMARY KEY (job_id, wave, status)
);

CREATE FUNCTION wave_task_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO job_wave_counts (job_id, wave, status, count) VALUES (NEW.job_id, NEW.wave, NEW.status, 1)
        ON CONFLICT (job_id, wave, status) DO UPDATE SET count = job_wave_counts.count + 1;
    RETURN NULL;
END $$;
CREATE TRIGGER wave_task_inserted AFTER INSERT ON tasks FOR EACH ROW
    WHEN (NEW.wave IS NOT NULL)
    EXECUTE FUNCTION wave_task_inserted();

CREATE FUNCTION wave_task_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE job_wave_counts SET count = count - 1 WHERE job_id = OLD.job_id AND wave = OLD.wave AND status = OLD.status;
    INSERT INTO job_wave_counts (job_id, wave, status, count) VALUES (NEW.job_id, NEW.wave, NEW.status, 1)
        ON CONFLICT (job_id, wave, status) DO UPDATE SET count = job_wave_counts.count + 1;
    RETURN NULL;
END $$;
CREATE TRIGGER wave_task_changed AFTER UPDATE OF status ON tasks FOR EACH ROW
    WHEN (OLD.status <> NEW.status AND NEW.wave IS NOT NULL)
    EXECUTE FUNCTION wave_task_changed();
