-- Failures by reason kept as counters (docs/api.md: FailureReasons), like those of migration
-- 20261127000001, and an index that lists a product's devices in their order.

-- A batch's FAILED tasks by reason code ('' for none): the dashboard asks after every change,
-- and a large batch can have hundreds of thousands of failed tasks to count.
CREATE TABLE job_failure_counts (
    job_id      TEXT NOT NULL,
    reason_code TEXT NOT NULL,
    count       INTEGER NOT NULL,
    PRIMARY KEY (job_id, reason_code)
) WITHOUT ROWID;

-- Batches made before this table existed.
INSERT INTO job_failure_counts (job_id, reason_code, count)
    SELECT job_id, coalesce(reason_code, ''), count(*) FROM tasks WHERE status = 'FAILED'
    GROUP BY job_id, coalesce(reason_code, '');

CREATE TRIGGER failure_count_new_task AFTER INSERT ON tasks
WHEN NEW.status = 'FAILED'
BEGIN
    INSERT INTO job_failure_counts (job_id, reason_code, count) VALUES (NEW.job_id, coalesce(NEW.reason_code, ''), 1)
        ON CONFLICT (job_id, reason_code) DO UPDATE SET count = count + 1;
END;

-- A task that fails, stops having failed (a retry) or fails for another reason; every UPDATE
-- of tasks that sets a state, the engine's bulk ones included, names the status column.
CREATE TRIGGER failure_count_task_change AFTER UPDATE OF status, reason_code ON tasks
WHEN (OLD.status = 'FAILED' OR NEW.status = 'FAILED')
    AND (OLD.status <> NEW.status OR OLD.reason_code IS NOT NEW.reason_code)
BEGIN
    UPDATE job_failure_counts SET count = count - 1
        WHERE OLD.status = 'FAILED' AND job_id = OLD.job_id AND reason_code = coalesce(OLD.reason_code, '');
    -- Reasons a batch no longer fails for would only be read past.
    DELETE FROM job_failure_counts
        WHERE OLD.status = 'FAILED' AND job_id = OLD.job_id AND reason_code = coalesce(OLD.reason_code, '')
          AND count <= 0;
    INSERT INTO job_failure_counts (job_id, reason_code, count)
        SELECT NEW.job_id, coalesce(NEW.reason_code, ''), 1 WHERE NEW.status = 'FAILED'
        ON CONFLICT (job_id, reason_code) DO UPDATE SET count = count + 1;
END;

-- QueryDevice lists a product's devices oldest first: walked in this order, a page (of every
-- device, or of a common version's) is found without sorting all of the product's devices.
CREATE INDEX devices_in_list_order ON devices (product_key, utc_create, device_name);
