//! The extensions: capability discovery, task statistics, version distribution, instances,
//! the overview.
//! (The event stream is in `events`.)

use ota_model::extensions::{
    ActionList, Capabilities, Extension, ExtensionList, InstanceInfo, InstanceInfoList, ListIotInstances,
    ListIotInstancesResponse, ListOTAVersionDistribution, ListOTAVersionDistributionResponse, QueryOTACapabilities,
    QueryOTACapabilitiesResponse, QueryOTAOverview, QueryOTAOverviewResponse, QueryOTATaskStatistics,
    QueryOTATaskStatisticsResponse, StatisticsScope, TaskStatistics,
};
use ota_model::{API_VERSION, Operation};

use super::rpc::Actions;
use super::{ApiError, Ctx};

pub fn register(actions: &mut Actions) {
    actions.add(capabilities).add(task_statistics).add(version_distribution).add(instances).add(overview);
}

async fn capabilities(ctx: Ctx, _: QueryOTACapabilities) -> Result<QueryOTACapabilitiesResponse, ApiError> {
    let mut actions: Vec<String> = ctx.actions.names().map(str::to_owned).collect();
    actions.push(ota_model::extensions::SubscribeOTAEvents::ACTION.to_owned());
    actions.sort();
    Ok(QueryOTACapabilitiesResponse {
        data: Capabilities {
            api_version: API_VERSION.to_owned(),
            server: format!("ota-server {}", env!("CARGO_PKG_VERSION")),
            extensions: ExtensionList { items: Extension::ALL.iter().map(|e| e.as_str().to_owned()).collect() },
            actions: ActionList { items: actions },
        },
    })
}

async fn task_statistics(
    ctx: Ctx,
    request: QueryOTATaskStatistics,
) -> Result<QueryOTATaskStatisticsResponse, ApiError> {
    let counts = match &request.scope {
        StatisticsScope::Job(job_id) => ctx.store.task_counts(Some(&ctx.job(job_id).await?.job_id), None).await?,
        StatisticsScope::Firmware(firmware_id) => {
            ctx.store.task_counts(None, Some(&ctx.firmware(firmware_id).await?.firmware_id)).await?
        }
    };
    Ok(QueryOTATaskStatisticsResponse { data: TaskStatistics::new(&request.scope, counts) })
}

async fn version_distribution(
    ctx: Ctx,
    request: ListOTAVersionDistribution,
) -> Result<ListOTAVersionDistributionResponse, ApiError> {
    ctx.product(&request.product_key).await?;
    let data = ctx.store.version_distribution(&request.product_key, &request.module_name, request.top).await?;
    Ok(ListOTAVersionDistributionResponse { data })
}

async fn instances(ctx: Ctx, _: ListIotInstances) -> Result<ListIotInstancesResponse, ApiError> {
    let default = ctx.instances.default_id();
    let items = ctx
        .instances
        .all()
        .iter()
        .filter(|(id, _)| ctx.principal.as_ref().is_some_and(|p| p.may(ListIotInstances::ACTION, id)))
        .map(|(id, name)| InstanceInfo { iot_instance_id: id.clone(), name: name.clone(), is_default: id == default })
        .collect();
    Ok(ListIotInstancesResponse { data: InstanceInfoList { items } })
}

async fn overview(ctx: Ctx, _: QueryOTAOverview) -> Result<QueryOTAOverviewResponse, ApiError> {
    Ok(QueryOTAOverviewResponse { data: ctx.store.overview(&ctx.instance).await? })
}
