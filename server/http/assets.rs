//! What the browser loads: the web client (`/` and `/app/…`) and GraphiQL's page, with the libraries they run
//! (vendored in `clients/web/vendor/`, see `clients/web/README.md`), and the security headers every response
//! carries. Release builds carry the files inside the binary, so the service works on a machine without
//! internet; debug builds read them from `clients/web/` on each request, so an edit shows on reload.

use axum::extract::Path;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The client's files. Tests, `node_modules/` and the npm manifest stay out.
#[derive(rust_embed::Embed)]
#[folder = "clients/web/"]
#[include = "*.html"]
#[include = "*.js"]
#[include = "*.css"]
#[include = "i18n/*.json"]
#[include = "operations/*.graphql"]
#[include = "*.svg"]
#[exclude = "*node_modules/*"]
#[exclude = "tests/*"]
struct WebClient;

/// The client's page, for `/`.
pub async fn index() -> Response {
    serve("index.html", &HeaderMap::new())
}

/// GraphiQL's page, for GET `/graphql`.
pub fn graphiql_page() -> Response {
    serve("graphiql.html", &HeaderMap::new())
}

/// GET /app/{*path}: one of the client's files. Revalidated on every use (`no-cache` with an ETag), so a new
/// release never mixes with files a browser kept from the old one.
pub async fn file(Path(path): Path<String>, headers: HeaderMap) -> Response {
    serve(&path, &headers)
}

fn serve(path: &str, request: &HeaderMap) -> Response {
    let file = if path.split('/').any(|part| part == "..") { None } else { WebClient::get(path) };
    let Some(file) = file else {
        return (StatusCode::NOT_FOUND, "no such file").into_response();
    };
    let etag = format!("\"{}\"", hex(&file.metadata.sha256_hash()[..12]));
    let fresh = request.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()).is_some_and(|v| v == etag);
    let etag = HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"\""));
    let cache = (header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if fresh {
        return (StatusCode::NOT_MODIFIED, [cache, (header::ETAG, etag)]).into_response();
    }
    let kind = HeaderValue::from_static(content_type(path));
    ([(header::CONTENT_TYPE, kind), cache, (header::ETAG, etag)], file.data).into_response()
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("graphql") => "application/graphql; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The security headers of every response. Scripts come from the service itself only, never inline; styles may
/// be inline (GraphiQL's editor and the charts set style attributes); no page may be framed.
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
    use super::WebClient;

    /// Every `src`/`href` a page names is one of the service's own files, and it is served.
    #[test]
    fn every_file_a_page_names_is_served_and_nothing_comes_from_elsewhere() {
        for page in ["index.html", "graphiql.html"] {
            let html = WebClient::get(page).map(|f| String::from_utf8_lossy(&f.data).into_owned());
            let html = html.unwrap_or_else(|| panic!("{page} is embedded"));
            for attr in ["src=\"", "href=\""] {
                for part in html.split(attr).skip(1) {
                    let target = &part[..part.find('"').unwrap_or(part.len())];
                    assert!(!target.contains("//"), "{page}: only the service's own files: {target}");
                    let path = target.strip_prefix("/app/").unwrap_or_else(|| panic!("{page}: {target} under /app/"));
                    assert!(WebClient::get(path).is_some(), "{page}: {path} is served");
                }
            }
        }
    }

    #[test]
    fn tests_and_the_npm_manifest_are_not_served() {
        assert!(WebClient::iter().all(|p| !p.starts_with("tests/") && !p.starts_with("node_modules/")));
        assert!(WebClient::get("package.json").is_none());
    }
}
