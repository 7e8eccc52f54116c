//! What the start page asks of each environment: the instances its backend hosts, and each
//! instance's headline numbers.

use ota_model::PageRequest;
use ota_model::console_config::Environment;
use ota_model::extensions::{Extension, InstanceInfo, ListIotInstances, Overview, QueryOTAOverview};
use ota_model::firmware::ListOTAFirmware;

use super::{ApiError, call, capabilities};

/// The instances an environment's backend hosts, and who answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instances {
    /// The backend's name and version, when it says.
    pub server: String,
    /// Every instance with the `Instances` extension; else only the environment's own, as
    /// configured (an empty ID for the backend's default), with no name.
    pub instances: Vec<InstanceInfo>,
    pub listed: bool,
}

/// Asks an environment which instances it hosts; an error says it cannot be reached or refuses.
pub async fn instances(env: &Environment) -> Result<Instances, ApiError> {
    let capabilities = capabilities(env).await?;
    let server = capabilities.server.clone();
    if capabilities.offers(Extension::Instances) {
        let instances = call(env, &ListIotInstances).await?.data.items;
        return Ok(Instances { server, instances, listed: true });
    }
    let own = InstanceInfo {
        iot_instance_id: env.iot_instance_id.clone().unwrap_or_default(),
        name: String::new(),
        is_default: env.iot_instance_id.is_none(),
    };
    Ok(Instances { server, instances: vec![own], listed: false })
}

/// An instance at a glance: who answers, and its headline numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Headline {
    /// Everything, with the `Overview` extension; else only the package count.
    pub overview: Overview,
    pub counted_batches: bool,
}

/// Asks an environment (in one instance) for its headline; an error says it cannot be
/// reached or refuses.
pub async fn headline(env: &Environment) -> Result<Headline, ApiError> {
    if capabilities(env).await?.offers(Extension::Overview) {
        let overview = call(env, &QueryOTAOverview).await?.data;
        return Ok(Headline { overview, counted_batches: true });
    }
    let packages = call(env, &ListOTAFirmware { page: PageRequest::new(1, 1), ..Default::default() }).await?;
    let overview = Overview { firmware_count: packages.page.total, ..Default::default() };
    Ok(Headline { overview, counted_batches: false })
}
