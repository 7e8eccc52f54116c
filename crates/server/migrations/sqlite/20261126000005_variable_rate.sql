-- The variable push rate (an extension, see docs/api.md). All NULL: the batch pushes at a
-- constant maximum_per_minute. Otherwise it starts at rate_start_per_minute and multiplies by
-- rate_growth_factor (in hundredths: 150 is 1.5) each time rate_growth_every more devices were
-- notified or succeeded (rate_growth_on), up to maximum_per_minute.
ALTER TABLE jobs ADD COLUMN rate_start_per_minute INTEGER;
ALTER TABLE jobs ADD COLUMN rate_growth_factor INTEGER;
ALTER TABLE jobs ADD COLUMN rate_growth_every INTEGER;
ALTER TABLE jobs ADD COLUMN rate_growth_on TEXT CHECK (rate_growth_on IN ('NOTIFIED', 'SUCCEEDED'));
