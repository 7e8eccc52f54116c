-- Where an upload's bytes lie when that is not simply its key: in a bucket each upload attempt
-- streams into an object of its own (key/attempt), and the one that completed is recorded here.
ALTER TABLE uploads ADD COLUMN stored_as TEXT COLLATE "C";
