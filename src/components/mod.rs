//! Widgets shared by pages. They render what they are given and hold no data of their own.

mod confirm;
mod error_panel;
mod field;
mod live_indicator;
mod loading;
mod modal;
mod pager;
mod rule_text;
mod safety_text;
mod share_table;
mod show;
mod state_bar;
mod status;
mod tag_rows;
mod unsaved;

pub use confirm::{Ask, ConfirmDialog};
pub use error_panel::ErrorPanel;
pub use field::{CheckField, ChoiceField, FormProblems, OtherProblems, TextField};
pub use live_indicator::LiveIndicator;
pub use loading::{Loaded, Loading};
pub use modal::{close_modal, modal_while, show_modal};
pub use pager::{PagedList, Pager};
pub use rule_text::rule_text;
pub use safety_text::{day_name, safety_text, windows_text};
pub use share_table::{ShareTable, share_row};
pub use show::Show;
pub use state_bar::StateBar;
pub use status::{
    FirmwareStatusBadge, JobStatusBadge, device_status, firmware_type_label, job_type_label, selection_label,
    task_reason_label, task_status_label, wait_reason_label,
};
pub use tag_rows::{TagEdit, TagRows};
pub use unsaved::{may_leave, use_unsaved_guard};
