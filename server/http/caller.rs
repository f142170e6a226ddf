//! Who is calling: the `Authorization: Bearer` header of `/graphql`, and the same value in a WebSocket's
//! `connection_init` payload (browsers cannot set headers on a WebSocket), read by one parser.

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::HeaderValue;
use axum::http::request::Parts;
use axum::response::Response;
use axum_extra::TypedHeader;
use axum_extra::headers::Header;
use axum_extra::headers::authorization::{Authorization, Bearer};

use super::{AppState, error_response};
use crate::auth::Principal;
use axum::http::StatusCode;

/// The caller of a request: none means anonymous. A bad or expired token, or one its account no longer
/// honours, is refused outright rather than silently treated as anonymous.
pub struct Caller(pub Option<Principal>);

impl FromRequestParts<AppState> for Caller {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let refused = || error_response(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED", "invalid or expired token");
        let header = <TypedHeader<Authorization<Bearer>> as OptionalFromRequestParts<AppState>>::from_request_parts(
            parts, state,
        )
        .await
        .map_err(|_| refused())?;
        let Some(TypedHeader(Authorization(bearer))) = header else { return Ok(Caller(None)) };
        let verified = state.services.authenticate(bearer.token().trim()).await.map_err(|_| refused())?;
        Ok(Caller(Some(verified.principal)))
    }
}

/// The token of an `Authorization` value such as `Bearer <token>`, if it is one.
pub fn bearer_token(value: &str) -> Option<String> {
    let value = HeaderValue::from_str(value.trim()).ok()?;
    let Authorization(bearer) = Authorization::<Bearer>::decode(&mut std::iter::once(&value)).ok()?;
    let token = bearer.token().trim();
    (!token.is_empty()).then(|| token.to_string())
}

#[cfg(test)]
mod tests {
    use super::bearer_token;

    #[test]
    fn bearer_token_reads_the_scheme_in_any_case_and_refuses_others() {
        assert_eq!(bearer_token("Bearer abc").as_deref(), Some("abc"));
        assert_eq!(bearer_token("bearer abc").as_deref(), Some("abc"));
        assert_eq!(bearer_token("Basic abc"), None);
        assert_eq!(bearer_token("Bearer "), None);
        assert_eq!(bearer_token(""), None);
    }
}
