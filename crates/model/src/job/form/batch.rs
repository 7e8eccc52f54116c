//! The request a filled-in form makes: one of the three create operations.

use crate::job::create::{CreateOTADynamicUpgradeJob, CreateOTAStaticUpgradeJob, CreateOTAVerifyJob};
use crate::operation::Operation;
use crate::params::Params;

/// A new batch's request. Each variant is an [`Operation`] the console sends as it is; this
/// enum cannot be one (the action depends on the variant), so it offers the action and the
/// parameters too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewBatch {
    Verify(CreateOTAVerifyJob),
    Static(CreateOTAStaticUpgradeJob),
    Dynamic(CreateOTADynamicUpgradeJob),
}

impl NewBatch {
    /// The operation's `Action`.
    pub fn action(&self) -> &'static str {
        match self {
            Self::Verify(_) => CreateOTAVerifyJob::ACTION,
            Self::Static(_) => CreateOTAStaticUpgradeJob::ACTION,
            Self::Dynamic(_) => CreateOTADynamicUpgradeJob::ACTION,
        }
    }

    /// The request's parameters, as its operation writes them.
    pub fn params(&self) -> Params {
        match self {
            Self::Verify(job) => job.to_params(),
            Self::Static(job) => job.to_params(),
            Self::Dynamic(job) => job.to_params(),
        }
    }

    /// The same request, only saying what it would do (`true`; extension `DryRun`: send it
    /// only to a backend that announces it) or creating the batch (`false`).
    pub fn with_dry_run(self, dry_run: bool) -> Self {
        match self {
            Self::Verify(job) => Self::Verify(CreateOTAVerifyJob { dry_run, ..job }),
            Self::Static(job) => Self::Static(CreateOTAStaticUpgradeJob { dry_run, ..job }),
            Self::Dynamic(job) => Self::Dynamic(CreateOTADynamicUpgradeJob { dry_run, ..job }),
        }
    }

    pub fn dry_run(&self) -> bool {
        match self {
            Self::Verify(job) => job.dry_run,
            Self::Static(job) => job.dry_run,
            Self::Dynamic(job) => job.dry_run,
        }
    }
}
