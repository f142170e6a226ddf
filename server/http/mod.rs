//! The HTTP face: `/graphql` (POST; GraphiQL on GET), `/graphql/ws` (subscriptions over WebSocket), `/healthz`,
//! `/readyz`, `/metrics`, with body, time and panic limits.

mod assets;
mod caller;
mod prometheus;
pub mod serve;
pub mod ws;

use std::net::SocketAddr;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, State, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use self::caller::Caller;
use crate::graphql::context::RequestCtx;
use crate::graphql::limits::Api;
use crate::service::Services;

/// What the handlers share.
#[derive(Clone)]
pub struct AppState {
    pub services: Services,
    pub api: Api,
    pub graphiql: bool,
    pub ws: ws::WsLimits,
}

/// Limits of the HTTP layer.
#[derive(Debug, Clone)]
pub struct HttpLimits {
    pub max_body_bytes: usize,
    pub request_timeout: Duration,
    pub max_connections: usize,
    pub idle_timeout: Duration,
    pub ws_init_timeout: Duration,
    pub max_subscriptions: usize,
}

impl From<&crate::config::ServeSettings> for HttpLimits {
    fn from(s: &crate::config::ServeSettings) -> Self {
        HttpLimits {
            max_body_bytes: s.max_body_bytes,
            request_timeout: Duration::from_secs(s.request_timeout_seconds),
            max_connections: s.max_connections.max(1),
            idle_timeout: Duration::from_secs(s.idle_timeout_seconds.max(1)),
            ws_init_timeout: Duration::from_secs(s.ws_init_timeout_seconds.max(1)),
            max_subscriptions: s.max_subscriptions.max(1),
        }
    }
}

/// `/metrics` alone, for a listener of its own.
pub fn metrics_router() -> Router {
    Router::new().route("/metrics", get(prometheus::render))
}

/// The service's routes; `/metrics` among them unless it has a listener of its own.
pub fn router(state: AppState, limits: &HttpLimits, metrics_here: bool) -> Router {
    let routes = Router::new()
        .route("/graphql", post(graphql).get(graphiql))
        .route("/graphql/ws", get(graphql_ws))
        .route("/", get(assets::index))
        .route("/app/{*path}", get(assets::file))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .with_state(state);
    let routes = if metrics_here { routes.merge(metrics_router()) } else { routes };
    routes
        .layer(RequestBodyLimitLayer::new(limits.max_body_bytes))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, limits.request_timeout))
        .layer(CatchPanicLayer::custom(|_| {
            tracing::error!("a request handler panicked");
            error_response(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL", "internal error")
        }))
        .layer(axum::middleware::from_fn(security_headers))
        .layer(axum::middleware::from_fn(prometheus::record))
        .layer(TraceLayer::new_for_http())
}

/// A GraphQL-shaped error body for failures before execution.
fn error_response(status: StatusCode, code: &str, message: &str) -> Response {
    let body = json!({ "errors": [{ "message": message, "extensions": { "code": code } }] });
    (status, Json(body)).into_response()
}

/// POST /graphql: one operation per request, JSON only (so no form post can carry a mutation across sites).
async fn graphql(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    Caller(principal): Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let json_body = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(';').next().is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json")));
    if !json_body {
        return error_response(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "BAD_USER_INPUT",
            "send GraphQL requests as POST with Content-Type: application/json",
        );
    }
    if body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
        return error_response(StatusCode::BAD_REQUEST, "BAD_USER_INPUT", "batched requests are not supported");
    }
    let request: async_graphql::Request = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => {
            return error_response(
                StatusCode::BAD_REQUEST,
                "BAD_USER_INPUT",
                &format!("the body is not a GraphQL request: {e}"),
            );
        }
    };
    let ctx = RequestCtx::new(state.services.clone(), principal, addr.ip().to_string());
    let response = state.api.execute(request.data(ctx)).await;
    Json(response).into_response()
}

async fn graphiql(State(state): State<AppState>) -> Response {
    if !state.graphiql {
        return error_response(StatusCode::NOT_FOUND, "NOT_FOUND", "GraphiQL is turned off; POST queries to /graphql");
    }
    assets::graphiql_page()
}

/// Adds the security headers to every response.
async fn security_headers(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    for (name, value) in assets::security_headers() {
        headers.insert(name, value);
    }
    response
}

/// GET /graphql/ws: subscriptions over WebSocket (graphql-transport-ws), driven by [`ws::serve`].
async fn graphql_ws(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    upgrade: WebSocketUpgrade,
) -> Response {
    let AppState { services, api, ws, .. } = state;
    let client = addr.ip().to_string();
    upgrade
        .protocols(["graphql-transport-ws"])
        .on_upgrade(move |socket| ws::serve(socket, api, services, client, ws))
        .into_response()
}

/// Ready when the database answers.
async fn readyz(State(state): State<AppState>) -> Response {
    if state.services.db.ping().await {
        (StatusCode::OK, "ready").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
    }
}
