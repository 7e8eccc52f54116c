-- Counts for the data-analysis extensions (docs/api.md: JobProgress, SourceVersions,
-- VersionDistribution). Like the counters of migration 3, each is kept by triggers in the same
-- transaction as the change it counts, so that the answers are exact and never scan tasks or
-- devices.

-- A batch's task counts over time, as changes: for each 10-second bucket (epoch ms floored to
-- 10,000; `PROGRESS_BUCKET_MILLIS` in ota_model::analysis) how many tasks entered (+) and left
-- (−) each state. Summed from the first bucket up to a time, they give the counts at that time;
-- summed over all buckets, the counts of job_task_counts.
CREATE TABLE job_progress (
    job_id TEXT NOT NULL,
    bucket INTEGER NOT NULL,
    status TEXT NOT NULL,
    delta  INTEGER NOT NULL,
    PRIMARY KEY (job_id, bucket, status)
) WITHOUT ROWID;

-- Batches made before this table existed: today's counts, at the batch's creation (so that
-- every point counts every task, rather than the batch seeming empty until now).
INSERT INTO job_progress (job_id, bucket, status, delta)
    SELECT c.job_id, j.utc_create - j.utc_create % 10000, c.status, c.count
    FROM job_task_counts c JOIN jobs j ON j.job_id = c.job_id
    WHERE c.count <> 0;

-- Every task insert and status update sets utc_create / utc_modified to the time of the change.
CREATE TRIGGER progress_new_task AFTER INSERT ON tasks
BEGIN
    INSERT INTO job_progress (job_id, bucket, status, delta)
        VALUES (NEW.job_id, NEW.utc_create - NEW.utc_create % 10000, NEW.status, 1)
        ON CONFLICT (job_id, bucket, status) DO UPDATE SET delta = delta + 1;
END;

CREATE TRIGGER progress_task_status_change AFTER UPDATE OF status ON tasks
WHEN OLD.status <> NEW.status
BEGIN
    INSERT INTO job_progress (job_id, bucket, status, delta)
        VALUES (NEW.job_id, NEW.utc_modified - NEW.utc_modified % 10000, OLD.status, -1)
        ON CONFLICT (job_id, bucket, status) DO UPDATE SET delta = delta - 1;
    INSERT INTO job_progress (job_id, bucket, status, delta)
        VALUES (NEW.job_id, NEW.utc_modified - NEW.utc_modified % 10000, NEW.status, 1)
        ON CONFLICT (job_id, bucket, status) DO UPDATE SET delta = delta + 1;
END;

-- A batch's tasks by the version their device started from and by state. A task's
-- src_version never changes; its state does.
CREATE TABLE job_source_counts (
    job_id      TEXT NOT NULL,
    src_version TEXT NOT NULL,
    status      TEXT NOT NULL,
    count       INTEGER NOT NULL,
    PRIMARY KEY (job_id, src_version, status)
) WITHOUT ROWID;

INSERT INTO job_source_counts (job_id, src_version, status, count)
    SELECT job_id, src_version, status, count(*) FROM tasks GROUP BY job_id, src_version, status;

CREATE TRIGGER source_count_new_task AFTER INSERT ON tasks
BEGIN
    INSERT INTO job_source_counts (job_id, src_version, status, count) VALUES (NEW.job_id, NEW.src_version, NEW.status, 1)
        ON CONFLICT (job_id, src_version, status) DO UPDATE SET count = count + 1;
END;

CREATE TRIGGER source_count_task_status_change AFTER UPDATE OF status ON tasks
WHEN OLD.status <> NEW.status
BEGIN
    UPDATE job_source_counts SET count = count - 1
        WHERE job_id = OLD.job_id AND src_version = OLD.src_version AND status = OLD.status;
    INSERT INTO job_source_counts (job_id, src_version, status, count) VALUES (NEW.job_id, NEW.src_version, NEW.status, 1)
        ON CONFLICT (job_id, src_version, status) DO UPDATE SET count = count + 1;
END;

-- How many of a product's devices last reported each version of each module: the version
-- distribution without a GROUP BY over a million devices.
CREATE TABLE module_version_counts (
    product_key TEXT NOT NULL,
    module_name TEXT NOT NULL,
    version     TEXT NOT NULL,
    count       INTEGER NOT NULL,
    PRIMARY KEY (product_key, module_name, version)
) WITHOUT ROWID;

INSERT INTO module_version_counts (product_key, module_name, version, count)
    SELECT product_key, module_name, version, count(*) FROM device_modules GROUP BY product_key, module_name, version;

CREATE TRIGGER module_version_count_new AFTER INSERT ON device_modules
BEGIN
    INSERT INTO module_version_counts (product_key, module_name, version, count)
        VALUES (NEW.product_key, NEW.module_name, NEW.version, 1)
        ON CONFLICT (product_key, module_name, version) DO UPDATE SET count = count + 1;
END;

-- A device reporting the version it had (the upsert's DO UPDATE) changes nothing.
CREATE TRIGGER module_version_count_change AFTER UPDATE OF product_key, module_name, version ON device_modules
WHEN OLD.product_key <> NEW.product_key OR OLD.module_name <> NEW.module_name OR OLD.version <> NEW.version
BEGIN
    UPDATE module_version_counts SET count = count - 1
        WHERE product_key = OLD.product_key AND module_name = OLD.module_name AND version = OLD.version;
    -- Versions nobody runs any more would only be read past.
    DELETE FROM module_version_counts
        WHERE product_key = OLD.product_key AND module_name = OLD.module_name AND version = OLD.version AND count = 0;
    INSERT INTO module_version_counts (product_key, module_name, version, count)
        VALUES (NEW.product_key, NEW.module_name, NEW.version, 1)
        ON CONFLICT (product_key, module_name, version) DO UPDATE SET count = count + 1;
END;

-- Also when a device goes, its rows with it (ON DELETE CASCADE fires this too).
CREATE TRIGGER module_version_count_gone AFTER DELETE ON device_modules
BEGIN
    UPDATE module_version_counts SET count = count - 1
        WHERE product_key = OLD.product_key AND module_name = OLD.module_name AND version = OLD.version;
    DELETE FROM module_version_counts
        WHERE product_key = OLD.product_key AND module_name = OLD.module_name AND version = OLD.version AND count = 0;
END;
