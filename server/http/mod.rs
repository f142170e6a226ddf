//! The HTTP face: `/graphql` (POST; GraphiQL on GET), `/healthz`, `/readyz`, with body, time and panic limits.

use std::net::SocketAddr;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::auth::Principal;
use crate::domain::AppError;
use crate::graphql::context::RequestCtx;
use crate::graphql::AppSchema;
use crate::service::Services;

/// What the handlers share.
#[derive(Clone)]
pub struct AppState {
    pub services: Services,
    pub schema: AppSchema,
    pub graphiql: bool,
}

/// Limits of the HTTP layer.
#[derive(Debug, Clone)]
pub struct HttpLimits {
    pub max_body_bytes: usize,
    pub request_timeout: Duration,
}

pub fn router(state: AppState, limits: &HttpLimits) -> Router {
    Router::new()
        .route("/graphql", post(graphql).get(graphiql))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .with_state(state)
        .layer(RequestBodyLimitLayer::new(limits.max_body_bytes))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, limits.request_timeout))
        .layer(CatchPanicLayer::custom(|_| {
            tracing::error!("a request handler panicked");
            error_response(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL", "internal error")
        }))
        .layer(TraceLayer::new_for_http())
}

/// A GraphQL-shaped error body for failures before execution.
fn error_response(status: StatusCode, code: &str, message: &str) -> Response {
    let body = json!({ "errors": [{ "message": message, "extensions": { "code": code } }] });
    (status, Json(body)).into_response()
}

/// The caller named by the `Authorization` header: none means anonymous; a bad or expired token is refused
/// outright rather than silently treated as anonymous.
fn principal(state: &AppState, headers: &HeaderMap) -> Result<Option<Principal>, Response> {
    let Some(value) = headers.get(header::AUTHORIZATION) else { return Ok(None) };
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim);
    let unauthorized = || error_response(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED", "invalid or expired token");
    let token = token.ok_or_else(unauthorized)?;
    match state.services.tokens.verify(token) {
        Ok(p) => Ok(Some(p)),
        Err(AppError::Unauthenticated) => Err(unauthorized()),
        Err(_) => Err(unauthorized()),
    }
}

/// POST /graphql: one operation per request, JSON only (so no form post can carry a mutation across sites).
async fn graphql(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
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
    let principal = match principal(&state, &headers) {
        Ok(p) => p,
        Err(resp) => return resp,
    };
    if body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
        return error_response(StatusCode::BAD_REQUEST, "BAD_USER_INPUT", "batched requests are not supported");
    }
    let request: async_graphql::Request = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => {
            return error_response(StatusCode::BAD_REQUEST, "BAD_USER_INPUT", &format!("the body is not a GraphQL request: {e}"))
        }
    };
    let ctx = RequestCtx::new(state.services.clone(), principal, addr.ip().to_string());
    let response = state.schema.execute(request.data(ctx)).await;
    Json(response).into_response()
}

async fn graphiql(State(state): State<AppState>) -> Response {
    if !state.graphiql {
        return error_response(StatusCode::NOT_FOUND, "NOT_FOUND", "GraphiQL is turned off; POST queries to /graphql");
    }
    Html(async_graphql::http::GraphiQLSource::build().endpoint("/graphql").title("recovery-pool").finish()).into_response()
}

/// Ready when the database answers.
async fn readyz(State(state): State<AppState>) -> Response {
    if state.services.db.ping().await {
        (StatusCode::OK, "ready").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
    }
}
