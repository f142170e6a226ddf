//! `/metrics` in the Prometheus text format: requests and their latency per route and status.

use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

/// Latency buckets, in seconds. Explicit buckets make the exporter write histograms, which add up across
/// replicas; without them it writes summaries, which do not.
const LATENCY_BUCKETS: &[f64] = &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

/// The process-wide recorder (a process may run several servers, as the tests do: they share it).
fn handle() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Full("http_request_duration_seconds".into()), LATENCY_BUCKETS)
                .ok()?
                .build_recorder();
            let handle = recorder.handle();
            metrics::set_global_recorder(recorder).ok().map(|_| handle)
        })
        .as_ref()
}

/// Counts each request and times it, labelled by route (not by raw path, which would grow without bound).
pub async fn record(req: Request, next: Next) -> Response {
    let path = req.extensions().get::<MatchedPath>().map_or("unmatched", |p| p.as_str()).to_string();
    let method = req.method().to_string();
    let start = Instant::now();
    let response = next.run(req).await;
    if handle().is_some() {
        let labels = [("method", method), ("path", path), ("status", response.status().as_u16().to_string())];
        metrics::counter!("http_requests_total", &labels).increment(1);
        metrics::histogram!("http_request_duration_seconds", &labels).record(start.elapsed().as_secs_f64());
    }
    response
}

pub async fn render() -> Response {
    let body = handle().map(PrometheusHandle::render).unwrap_or_default();
    ([(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4")], body).into_response()
}

#[cfg(test)]
mod tests {
    #[test]
    fn latency_is_rendered_as_a_histogram_with_buckets() {
        let Some(handle) = super::handle() else { return };
        metrics::histogram!("http_request_duration_seconds", "path" => "/test").record(0.003);
        let text = handle.render();
        assert!(text.contains("# TYPE http_request_duration_seconds histogram"), "{text}");
        assert!(text.contains("http_request_duration_seconds_bucket{path=\"/test\",le=\"0.005\"} 1"), "{text}");
    }
}
