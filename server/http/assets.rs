//! What the browser loads, compiled into the binary so that the service works on a machine without internet:
//! GraphiQL's page and the GraphiQL and React files it runs (vendored in `clients/web/vendor/`, see
//! `clients/web/README.md`), and the security headers every response carries.

use axum::extract::Path;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// One file served under `/assets/graphiql/`.
struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static [u8],
}

macro_rules! asset {
    ($name:literal, $type:literal, $path:literal) => {
        Asset { name: $name, content_type: $type, body: include_bytes!(concat!("../../clients/web/", $path)) }
    };
}

const GRAPHIQL_ASSETS: &[Asset] = &[
    asset!("graphiql.js", "text/javascript; charset=utf-8", "graphiql.js"),
    asset!("graphiql-page.css", "text/css; charset=utf-8", "graphiql-page.css"),
    asset!("graphiql.min.js", "text/javascript; charset=utf-8", "vendor/graphiql/graphiql.min.js"),
    asset!("graphiql.min.css", "text/css; charset=utf-8", "vendor/graphiql/graphiql.min.css"),
    asset!("react.production.min.js", "text/javascript; charset=utf-8", "vendor/graphiql/react.production.min.js"),
    asset!(
        "react-dom.production.min.js",
        "text/javascript; charset=utf-8",
        "vendor/graphiql/react-dom.production.min.js"
    ),
];

/// GraphiQL's page.
pub const GRAPHIQL_PAGE: &str = include_str!("../../clients/web/graphiql.html");

/// GET /assets/graphiql/{name}.
pub async fn graphiql_asset(Path(name): Path<String>) -> Response {
    match GRAPHIQL_ASSETS.iter().find(|a| a.name == name) {
        Some(a) => ([(header::CONTENT_TYPE, a.content_type), (header::CACHE_CONTROL, "public, max-age=86400")], a.body)
            .into_response(),
        None => (StatusCode::NOT_FOUND, "no such file").into_response(),
    }
}

/// The security headers of every response. Scripts come from the service itself only, never inline; styles may
/// be inline (GraphiQL's editor sets style attributes); no page may be framed.
pub fn security_headers() -> [(HeaderName, HeaderValue); 4] {
    [
        (
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
                 font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
                 frame-ancestors 'none'",
            ),
        ),
        (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        (header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")),
        (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
    ]
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_asset_the_page_names_is_served_and_nothing_comes_from_elsewhere() {
        for line in super::GRAPHIQL_PAGE.lines().filter(|l| l.contains("src=") || l.contains("href=")) {
            assert!(!line.contains("//"), "only the service's own files: {line}");
            if let Some(start) = line.find("/assets/graphiql/") {
                let rest = &line[start + "/assets/graphiql/".len()..];
                let name = &rest[..rest.find('"').unwrap_or(rest.len())];
                assert!(super::GRAPHIQL_ASSETS.iter().any(|a| a.name == name), "{name} is served");
            }
        }
    }
}
