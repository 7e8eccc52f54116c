//! The HTTP face of the server: the RPC endpoint at `/`, `/healthz`, and the console.
//!
//! Alibaba's API is RPC style: every operation is `POST /` (or `GET /`) with an `Action`, so
//! instead of a router per path there is one endpoint and a table of actions; each API area
//! (one module here) registers its actions in that table.

pub mod console;
mod error;
mod firmware;
mod rpc;

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

pub use error::ApiError;

use crate::store::Store;
use console::Console;
use rpc::Actions;

/// What every request handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    actions: Arc<Actions>,
    console: Option<Arc<Console>>,
}

/// Every action this server implements, by API area.
fn actions() -> Actions {
    let mut actions = Actions::default();
    firmware::register(&mut actions);
    actions
}

/// The whole application; `console` is served when given.
pub fn router(store: Store, console: Option<Console>) -> Router {
    let state = AppState {
        store,
        actions: Arc::new(actions()),
        console: console.map(Arc::new),
    };
    Router::new()
        .route("/", get(rpc::get_root).post(rpc::post_root))
        .route("/healthz", get(healthz))
        .fallback(console::serve)
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Liveness and readiness in one: answers 200 only while the database answers.
async fn healthz(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => axum::Json(serde_json::json!({"status": "ok"})).into_response(),
        Err(error) => {
            tracing::error!("health check: database unavailable: {error}");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                axum::Json(serde_json::json!({"status": "database unavailable"})),
            )
                .into_response()
        }
    }
}
