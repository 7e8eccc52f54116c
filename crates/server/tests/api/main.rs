//! The OTA API as a client sees it: real requests through the whole router, against a real
//! database and file store holding the demo dataset. One test binary, a module per area; run
//! on SQLite, and by `cargo xtask test` on PostgreSQL too (`database`), with an S3 test server
//! for package files in a bucket (`s3`).

mod access;
mod analysis;
mod audit;
mod basics;
mod broker_hooks;
mod database;
mod dry_run;
mod engine;
mod extensions;
mod firmware;
mod fleet;
mod job_edits;
mod jobs;
mod migrate;
mod modules;
mod races;
mod registry;
mod relay;
mod rollouts;
mod s3;
mod support;
mod tasks;
mod transport;
mod uploads;
