-- A batch's live view follows its own events: this index serves them without reading the
-- events of every other batch (SubscribeOTAEvents with JobId, catching up from a cursor).
CREATE INDEX events_by_job ON events (job_id, seq);
