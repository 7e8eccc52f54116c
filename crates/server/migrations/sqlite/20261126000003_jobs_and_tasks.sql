-- Batches (Alibaba: jobs), their per-device tasks, task counts and the change feed.

CREATE TABLE jobs (
    job_id               TEXT PRIMARY KEY,
    instance_id          TEXT NOT NULL REFERENCES instances (instance_id),
    firmware_id          TEXT NOT NULL REFERENCES firmware (firmware_id),
    product_key          TEXT NOT NULL REFERENCES products (product_key),
    job_type             TEXT NOT NULL CHECK (job_type IN ('VERFIY_FIRMWARE', 'UPGRADE_FIRMWARE')),
    selection_type       TEXT NOT NULL CHECK (selection_type IN ('STATIC', 'DYNAMIC')),
    target_selection     TEXT NOT NULL CHECK (target_selection IN ('ALL', 'SPECIFIC', 'GRAY', 'GROUP')),
    job_status           TEXT NOT NULL
                         CHECK (job_status IN ('PLANNED', 'IN_PROGRESS', 'COMPLETED', 'CANCELED')),
    job_desc             TEXT,
    gray_percent         TEXT,
    group_id             TEXT,
    group_type           TEXT,
    dynamic_mode         INTEGER,
    -- Scheduled static batches: start and forced end.
    schedule_time        INTEGER,
    schedule_finish_time INTEGER,
    retry_interval       INTEGER,
    retry_count          INTEGER,
    timeout_in_minutes   INTEGER,
    maximum_per_minute   INTEGER NOT NULL,
    overwrite_mode       INTEGER NOT NULL CHECK (overwrite_mode IN (1, 2)),
    need_push            INTEGER NOT NULL CHECK (need_push IN (0, 1)),
    need_confirm         INTEGER NOT NULL CHECK (need_confirm IN (0, 1)),
    download_protocol    TEXT NOT NULL CHECK (download_protocol IN ('HTTPS', 'MQTT')),
    multi_module_mode    INTEGER NOT NULL CHECK (multi_module_mode IN (0, 1)),
    utc_create           INTEGER NOT NULL,
    utc_modified         INTEGER NOT NULL,
    utc_start            INTEGER,
    utc_end              INTEGER
);
-- A package's batches, newest first; and the one running dynamic batch per package.
CREATE INDEX jobs_by_firmware ON jobs (firmware_id, utc_create DESC);
CREATE UNIQUE INDEX one_running_dynamic_job_per_firmware ON jobs (firmware_id)
    WHERE selection_type = 'DYNAMIC' AND job_status IN ('PLANNED', 'IN_PROGRESS');

CREATE TABLE job_src_versions (
    job_id   TEXT NOT NULL REFERENCES jobs (job_id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    version  TEXT NOT NULL,
    PRIMARY KEY (job_id, position)
) WITHOUT ROWID;

CREATE TABLE job_tags (
    job_id   TEXT NOT NULL REFERENCES jobs (job_id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    tag_key  TEXT NOT NULL,
    value    TEXT NOT NULL,
    PRIMARY KEY (job_id, position)
) WITHOUT ROWID;

-- One device's update within a batch. `seq` numbers a batch's tasks from 1 in creation order:
-- the stable order of every task list.
CREATE TABLE tasks (
    task_id            TEXT PRIMARY KEY,
    job_id             TEXT NOT NULL REFERENCES jobs (job_id),
    seq                INTEGER NOT NULL,
    firmware_id        TEXT NOT NULL,
    iot_id             TEXT NOT NULL REFERENCES devices (iot_id),
    product_key        TEXT NOT NULL,
    device_name        TEXT NOT NULL,
    module_name        TEXT NOT NULL,
    src_version        TEXT NOT NULL DEFAULT '',
    dest_version       TEXT NOT NULL,
    status             TEXT NOT NULL CHECK (status IN
                       ('CONFIRM', 'QUEUED', 'NOTIFIED', 'IN_PROGRESS', 'SUCCEEDED', 'FAILED', 'CANCELED')),
    -- 0–100, as last reported.
    progress           INTEGER NOT NULL DEFAULT 0,
    -- Why a task failed or was cancelled: a code (extension) and Alibaba's TaskDesc text.
    reason_code        TEXT,
    task_desc          TEXT,
    -- Minutes, copied from the batch when the task is created (a dynamic batch's timeout
    -- can change later, for new tasks only).
    timeout_in_minutes INTEGER,
    retries_used       INTEGER NOT NULL DEFAULT 0,
    utc_first_progress INTEGER,
    utc_next_attempt   INTEGER,
    utc_create         INTEGER NOT NULL,
    utc_modified       INTEGER NOT NULL,
    UNIQUE (job_id, seq)
);
-- Task lists: a batch's tasks, optionally of one state, in order; by device name.
CREATE INDEX tasks_by_job_status ON tasks (job_id, status, seq);
CREATE INDEX tasks_by_job_device ON tasks (job_id, device_name);
-- Unfinished tasks of a device: the one-task-per-device rule and the device's own view.
CREATE INDEX tasks_unfinished_by_device ON tasks (iot_id, module_name)
    WHERE status IN ('CONFIRM', 'QUEUED', 'NOTIFIED', 'IN_PROGRESS');
-- A device's batches.
CREATE INDEX tasks_by_device ON tasks (iot_id, job_id);

-- How many tasks of each batch, and of each package, are in each state. Kept by the triggers
-- below in the same transaction as every change, so that counts never need a scan.
CREATE TABLE job_task_counts (
    job_id TEXT NOT NULL,
    status TEXT NOT NULL,
    count  INTEGER NOT NULL,
    PRIMARY KEY (job_id, status)
) WITHOUT ROWID;

CREATE TABLE firmware_task_counts (
    firmware_id TEXT NOT NULL,
    status      TEXT NOT NULL,
    count       INTEGER NOT NULL,
    PRIMARY KEY (firmware_id, status)
) WITHOUT ROWID;

-- The change feed (an extension): one row per task state change and per batch state change,
-- numbered so that a client can resume after the last one it saw. Old rows are pruned.
CREATE TABLE events (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    instance_id TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('job', 'task')),
    job_id      TEXT NOT NULL,
    task_id     TEXT,
    iot_id      TEXT,
    status      TEXT NOT NULL,
    utc         INTEGER NOT NULL
);

CREATE TRIGGER count_new_task AFTER INSERT ON tasks
BEGIN
    INSERT INTO job_task_counts (job_id, status, count) VALUES (NEW.job_id, NEW.status, 1)
        ON CONFLICT (job_id, status) DO UPDATE SET count = count + 1;
    INSERT INTO firmware_task_counts (firmware_id, status, count) VALUES (NEW.firmware_id, NEW.status, 1)
        ON CONFLICT (firmware_id, status) DO UPDATE SET count = count + 1;
END;

CREATE TRIGGER count_task_status_change AFTER UPDATE OF status ON tasks
WHEN OLD.status <> NEW.status
BEGIN
    UPDATE job_task_counts SET count = count - 1 WHERE job_id = OLD.job_id AND status = OLD.status;
    INSERT INTO job_task_counts (job_id, status, count) VALUES (NEW.job_id, NEW.status, 1)
        ON CONFLICT (job_id, status) DO UPDATE SET count = count + 1;
    UPDATE firmware_task_counts SET count = count - 1
        WHERE firmware_id = OLD.firmware_id AND status = OLD.status;
    INSERT INTO firmware_task_counts (firmware_id, status, count) VALUES (NEW.firmware_id, NEW.status, 1)
        ON CONFLICT (firmware_id, status) DO UPDATE SET count = count + 1;
    INSERT INTO events (instance_id, kind, job_id, task_id, iot_id, status, utc)
        SELECT j.instance_id, 'task', NEW.job_id, NEW.task_id, NEW.iot_id, NEW.status, NEW.utc_modified
        FROM jobs j WHERE j.job_id = NEW.job_id;
END;

CREATE TRIGGER record_job_status_change AFTER UPDATE OF job_status ON jobs
WHEN OLD.job_status <> NEW.job_status
BEGIN
    INSERT INTO events (instance_id, kind, job_id, status, utc)
        VALUES (NEW.instance_id, 'job', NEW.job_id, NEW.job_status, NEW.utc_modified);
END;

CREATE TRIGGER record_new_job AFTER INSERT ON jobs
BEGIN
    INSERT INTO events (instance_id, kind, job_id, status, utc)
        VALUES (NEW.instance_id, 'job', NEW.job_id, NEW.job_status, NEW.utc_create);
END;
