-- Safe rollouts (extension SafeRollout, docs/api.md): waves, an automatic pause, maintenance
-- windows. The same columns on both databases (migrations/postgres). A batch without them
-- has NULL in every one and behaves as before.

-- The rules as given at creation: the API's parameters as JSON pairs (ota_model's
-- Safety::to_stored), read back by the same parser that checked them.
ALTER TABLE jobs ADD COLUMN safety TEXT;
-- Waves: the running one (from 1), and since when its promotion rule holds (its soak).
ALTER TABLE jobs ADD COLUMN current_wave INTEGER;
ALTER TABLE jobs ADD COLUMN wave_rule_met INTEGER;
-- A pause: when, by whom ('RULE' or 'OPERATOR'), and for a rule the failures and the sample
-- that tripped it. NULL paused_at: not paused.
ALTER TABLE jobs ADD COLUMN paused_at INTEGER;
ALTER TABLE jobs ADD COLUMN paused_by TEXT CHECK (paused_by IN ('RULE', 'OPERATOR'));
ALTER TABLE jobs ADD COLUMN pause_failed INTEGER;
ALTER TABLE jobs ADD COLUMN pause_sample INTEGER;
-- A pause rule judges only tasks finished since the batch last resumed.
ALTER TABLE jobs ADD COLUMN judged_since INTEGER;
-- Maintenance windows, as the engine last found them: whether one is open and, if not, when
-- the next opens. Kept here so that pushes and task lists need no time zone arithmetic.
ALTER TABLE jobs ADD COLUMN in_window BOOLEAN;
ALTER TABLE jobs ADD COLUMN next_window INTEGER;

-- A task's wave, in a batch with waves; NULL for the tasks that failed at creation.
ALTER TABLE tasks ADD COLUMN wave INTEGER;
-- When the device finished the task (SUCCEEDED or FAILED through the engine): a pause rule's
-- sample is a batch's latest finishes.
ALTER TABLE tasks ADD COLUMN utc_finished INTEGER;

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
    job_id TEXT NOT NULL,
    wave   INTEGER NOT NULL,
    status TEXT NOT NULL,
    count  INTEGER NOT NULL,
    PRIMARY KEY (job_id, wave, status)
) WITHOUT ROWID;

CREATE TRIGGER count_new_wave_task AFTER INSERT ON tasks
WHEN NEW.wave IS NOT NULL
BEGIN
    INSERT INTO job_wave_counts (job_id, wave, status, count) VALUES (NEW.job_id, NEW.wave, NEW.status, 1)
        ON CONFLICT (job_id, wave, status) DO UPDATE SET count = count + 1;
END;

CREATE TRIGGER count_wave_task_status_change AFTER UPDATE OF status ON tasks
WHEN OLD.status <> NEW.status AND NEW.wave IS NOT NULL
BEGIN
    UPDATE job_wave_counts SET count = count - 1 WHERE job_id = OLD.job_id AND wave = OLD.wave AND status = OLD.status;
    INSERT INTO job_wave_counts (job_id, wave, status, count) VALUES (NEW.job_id, NEW.wave, NEW.status, 1)
        ON CONFLICT (job_id, wave, status) DO UPDATE SET count = count + 1;
END;
