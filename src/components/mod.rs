//! Widgets shared by pages. They render what they are given and hold no data of their own.

mod error_panel;
mod pager;
mod status;

pub use error_panel::ErrorPanel;
pub use pager::Pager;
pub use status::{FirmwareStatusBadge, firmware_type_label};
