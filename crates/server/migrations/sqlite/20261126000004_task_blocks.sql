-- Deep pages of one state. A batch's tasks are numbered 1, 2, … (seq); for every block of
-- 1,024 consecutive numbers this table counts the block's tasks in each state. To find the
-- K-th task in a state, the store adds up block counts (under a thousand rows for a
-- million-task batch) and then skips fewer than 1,024 index entries, instead of K of them.
-- The block size is `TASK_BLOCK` in src/store/tasks.rs.
CREATE TABLE job_task_blocks (
    job_id TEXT NOT NULL,
    status TEXT NOT NULL,
    block  INTEGER NOT NULL,  -- (seq - 1) / 1024
    count  INTEGER NOT NULL,
    PRIMARY KEY (job_id, status, block)
) WITHOUT ROWID;

-- Databases made before this table existed.
INSERT INTO job_task_blocks (job_id, status, block, count)
    SELECT job_id, status, (seq - 1) / 1024, count(*) FROM tasks GROUP BY job_id, status, (seq - 1) / 1024;

-- Kept in the same transaction as every change, like the counters of migration 3.
CREATE TRIGGER block_count_new_task AFTER INSERT ON tasks
BEGIN
    INSERT INTO job_task_blocks (job_id, status, block, count) VALUES (NEW.job_id, NEW.status, (NEW.seq - 1) / 1024, 1)
        ON CONFLICT (job_id, status, block) DO UPDATE SET count = count + 1;
END;

CREATE TRIGGER block_count_task_status_change AFTER UPDATE OF status ON tasks
WHEN OLD.status <> NEW.status
BEGIN
    UPDATE job_task_blocks SET count = count - 1
        WHERE job_id = OLD.job_id AND status = OLD.status AND block = (OLD.seq - 1) / 1024;
    -- Empty blocks would only be read past.
    DELETE FROM job_task_blocks
        WHERE job_id = OLD.job_id AND status = OLD.status AND block = (OLD.seq - 1) / 1024 AND count = 0;
    INSERT INTO job_task_blocks (job_id, status, block, count) VALUES (NEW.job_id, NEW.status, (NEW.seq - 1) / 1024, 1)
        ON CONFLICT (job_id, status, block) DO UPDATE SET count = count + 1;
END;
