-- The audit log: one row per API call that changed something or was refused.
--
-- A change's row is written in the same transaction as the change (Store::begin on an audited
-- store), so a change is never without its record; the outcome is settled when the call ends.
-- Rows leave only by age (the retention, 400 days unless configured), never by count.
CREATE TABLE audit_events (
    event_id       INTEGER PRIMARY KEY AUTOINCREMENT,
    at             INTEGER NOT NULL,               -- epoch milliseconds
    request_id     TEXT NOT NULL UNIQUE,
    principal_type TEXT,                           -- 'AccessKey' or 'User'; NULL when unknown
    principal_name TEXT NOT NULL DEFAULT '',
    access_key_id  TEXT NOT NULL DEFAULT '',       -- as sent, even when unknown
    source_ip      TEXT NOT NULL DEFAULT '',
    action         TEXT NOT NULL DEFAULT '',
    instance_id    TEXT NOT NULL,
    target_type    TEXT,
    target_id      TEXT NOT NULL DEFAULT '',
    parameters     TEXT NOT NULL DEFAULT '[]',     -- JSON [[name, value], …], secrets removed
    outcome        TEXT NOT NULL,                  -- 'Success', 'Failed' or 'Refused'
    code           TEXT NOT NULL,
    error_message  TEXT
);

-- The log is read newest first within an instance, often narrowed to one target or principal.
CREATE INDEX audit_events_by_instance ON audit_events (instance_id, event_id);
CREATE INDEX audit_events_by_target ON audit_events (target_id, event_id);
CREATE INDEX audit_events_by_principal ON audit_events (principal_name, event_id);
CREATE INDEX audit_events_by_time ON audit_events (at);
