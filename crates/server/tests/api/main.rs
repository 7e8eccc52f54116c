//! The OTA API as a client sees it: real requests through the whole router, against a real
//! SQLite database and file store holding the demo dataset. One test binary, a module per area.

mod access;
mod analysis;
mod audit;
mod basics;
mod dry_run;
mod engine;
mod extensions;
mod firmware;
mod fleet;
mod job_edits;
mod jobs;
mod modules;
mod races;
mod registry;
mod relay;
mod support;
mod tasks;
mod transport;
mod uploads;
