//! The access extensions: sign in (AssumeOTASession), renew and end a session, and who am I
//! (QueryOTACallerIdentity).

use ota_model::Empty;
use ota_model::access::{
    AssumeOTASession, AssumeOTASessionResponse, EndOTASession, QueryOTACallerIdentity, QueryOTACallerIdentityResponse,
    RenewOTASession,
};
use ota_model::extensions::SubscribeOTAEvents;

use super::rpc::Actions;
use super::{ApiError, Ctx};
use crate::auth::sessions;

pub fn register(actions: &mut Actions) {
    actions.add(assume).add(renew).add(end).add(identity);
}

async fn assume(ctx: Ctx, request: AssumeOTASession) -> Result<AssumeOTASessionResponse, ApiError> {
    let credentials = sessions::assume(&ctx.access, &ctx.store, request, ctx.now).await?;
    Ok(AssumeOTASessionResponse { credentials })
}

async fn renew(ctx: Ctx, _: RenewOTASession) -> Result<AssumeOTASessionResponse, ApiError> {
    let credentials = sessions::renew(&ctx.access, &ctx.store, ctx.caller()?, ctx.now).await?;
    Ok(AssumeOTASessionResponse { credentials })
}

async fn end(ctx: Ctx, _: EndOTASession) -> Result<Empty, ApiError> {
    sessions::end(&ctx.store, ctx.caller()?, ctx.now).await?;
    Ok(Empty {})
}

async fn identity(ctx: Ctx, _: QueryOTACallerIdentity) -> Result<QueryOTACallerIdentityResponse, ApiError> {
    let actions = ctx.actions.names().chain([SubscribeOTAEvents::ACTION]);
    Ok(QueryOTACallerIdentityResponse { data: ctx.caller()?.identity(actions, &ctx.instance) })
}
