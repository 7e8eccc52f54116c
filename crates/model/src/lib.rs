//! The vocabulary of the OTA API (Alibaba Cloud IoT Platform, version 2018-01-20) as Rust types.
//!
//! One source of truth for the console (wasm32) and the server (native): the enums with their
//! exact wire spellings, the response envelope and paging, each operation's request (parsed from
//! and written to RPC parameters, with the API's validation rules) and its response.

#[macro_use]
mod macros;

pub mod access;
pub mod actions;
pub mod analysis;
pub mod audit;
pub mod codes;
pub mod console_config;
mod decimal;
pub mod device;
pub mod digest;
pub mod display;
pub mod dynamic;
pub mod enums;
pub mod envelope;
pub mod extensions;
pub mod firmware;
pub mod fleet;
pub mod job;
pub mod lifecycle;
pub mod module;
pub mod operation;
pub mod pace;
pub mod paging;
pub mod params;
pub mod read_json;
pub mod registry;
pub mod rollout;
pub mod rules;
pub mod signature;
pub mod task;
pub mod time;
pub mod upload;

#[cfg(test)]
mod sample_responses;

pub use enums::*;
pub use envelope::{Empty, Envelope, ErrorBody, SuccessBody};
pub use operation::{API_VERSION, Operation};
pub use paging::{Page, PageRequest};
pub use params::{ParamError, Params, Rule};
pub use time::UtcTime;
