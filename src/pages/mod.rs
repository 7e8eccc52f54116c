//! One module per page, each exporting one component.

mod audit;
mod batch;
mod dashboard;
mod device;
mod environments;
mod modules;
mod new_batch;
mod new_package;
mod not_found;
mod package;
mod packages;
mod tasks;
mod version_devices;
mod version_shares;

pub use audit::AuditLog;
pub use batch::BatchDetail;
pub use dashboard::Dashboard;
pub use device::DeviceView;
pub use environments::EnvironmentList;
pub use modules::ModuleList;
pub use new_batch::NewBatch;
pub use new_package::NewPackage;
pub use not_found::NotFound;
pub use package::PackageDetail;
pub use packages::PackageList;
