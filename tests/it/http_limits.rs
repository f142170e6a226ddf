//! The HTTP face and the limits around GraphQL execution (docs/architecture.md, SECURITY.md): body size, content type, batches,
//! depth and width of queries, introspection, GraphiQL, tokens, health and readiness.

use crate::common;

use common::{Backend, JWT_KID, JWT_SECRET, TestServer, assert_code, codes, data, first_error, plan_input};
use recovery_pool::auth::Principal;
use recovery_pool::auth::jwt::{SigningKey, TokenKeys, generate_key};
use recovery_pool::domain::Role;
use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;
use serde_json::{Value, json};
use uuid::Uuid;

backend_tests!(
    a_body_over_the_limit_is_refused_with_413,
    graphiql_is_served_on_get_and_can_be_turned_off,
    only_json_posts_are_accepted,
    a_batch_of_operations_is_refused,
    a_query_nested_deeper_than_the_limit_is_refused_before_it_runs,
    a_query_of_500_aliased_fields_is_refused_before_it_runs,
    a_query_the_server_cannot_run_is_refused_with_a_code,
    introspection_works_by_default_and_can_be_turned_off,
    a_bad_or_expired_token_is_refused_with_401,
    health_and_readiness_answer_200,
    metrics_can_move_to_a_listener_of_their_own,
    graphiqls_introspection_query_passes_the_depth_limit,
    the_client_and_graphiql_load_only_the_services_own_files_under_a_strict_policy,
);

async fn post(s: &TestServer, content_type: &str, body: impl Into<reqwest::Body>) -> (StatusCode, String) {
    let resp = s
        .http
        .post(s.url("/graphql"))
        .header(CONTENT_TYPE, content_type)
        .body(body)
        .send()
        .await
        .expect("the server answers");
    (resp.status(), resp.text().await.expect("a body"))
}

fn error_code_of(body: &str) -> Option<String> {
    let v: Value = serde_json::from_str(body).ok()?;
    v.pointer("/errors/0/extensions/code").and_then(Value::as_str).map(str::to_string)
}

async fn a_body_over_the_limit_is_refused_with_413(b: Backend) {
    let s = b.start_with(|c| c.max_body_bytes = 2_048).await;
    let small =
        json!({ "query": "query($pad: String) { publicStatistics { activeExperts } }", "variables": { "pad": "x" } });
    let (status, body) = post(&s, "application/json", small.to_string()).await;
    assert_eq!(status, StatusCode::OK, "a small body is served: {body}");

    let big = json!({ "query": "query($pad: String) { publicStatistics { activeExperts } }", "variables": { "pad": "x".repeat(4_000) } });
    let (status, body) = post(&s, "application/json", big.to_string()).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "body: {body}");

    // Without a Content-Length (a chunked body), the limit holds as well.
    let (status, head) = chunked_post(&s, big.to_string().as_bytes()).await;
    assert_eq!(status, 413, "chunked body: {head}");
}

/// Posts `body` with `Transfer-Encoding: chunked` over a raw connection; the status code and the response head.
async fn chunked_post(s: &TestServer, body: &[u8]) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = s.base.trim_start_matches("http://");
    let mut conn = tokio::net::TcpStream::connect(addr).await.expect("a connection");
    let mut req = format!(
        "POST /graphql HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    )
    .into_bytes();
    for chunk in body.chunks(512) {
        req.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        req.extend_from_slice(chunk);
        req.extend_from_slice(b"\r\n");
    }
    req.extend_from_slice(b"0\r\n\r\n");
    // The server may answer and close before it has read everything; a failed write is then expected.
    let _ = conn.write_all(&req).await;
    let mut response = Vec::new();
    let _ = conn.read_to_end(&mut response).await;
    let text = String::from_utf8_lossy(&response).to_string();
    let status = text.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, text.lines().next().unwrap_or_default().to_string())
}

async fn graphiql_is_served_on_get_and_can_be_turned_off(b: Backend) {
    let s = b.start().await;
    let resp = s.http.get(s.url("/graphql")).send().await.expect("the server answers");
    assert_eq!(resp.status(), StatusCode::OK);
    let content_type = resp.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    assert!(content_type.starts_with("text/html"), "content type {content_type}");
    let html = resp.text().await.expect("a body");
    assert!(html.to_lowercase().contains("graphiql"), "GraphiQL's page: {html:.200}");
    drop(s);

    let s = b.start_with(|c| c.graphiql = false).await;
    let resp = s.http.get(s.url("/graphql")).send().await.expect("the server answers");
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    // POST still serves queries.
    let d = s.ok("{ publicStatistics { activeExperts } }", json!({}), None).await;
    assert_eq!(d["publicStatistics"]["activeExperts"], 0);
}

async fn only_json_posts_are_accepted(b: Backend) {
    let s = b.start().await;
    let admin = s.admin().await;
    let before = s.counts(&admin).await;
    let mutation = json!({
        "query": "mutation($m: ID!, $i: PlanInput!) { createPlan(municipalityId: $m, input: $i) { id } }",
        "variables": { "m": s.mid(codes::LVIV).await, "i": plan_input("Sent as text") }
    })
    .to_string();
    for content_type in [
        "text/plain",
        "text/plain;charset=UTF-8",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
    ] {
        let (status, body) = post(&s, content_type, mutation.clone()).await;
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{content_type}: {body}");
    }
    // No content type at all is not JSON either.
    let resp = s.http.post(s.url("/graphql")).body(mutation.clone()).send().await.expect("the server answers");
    assert_eq!(resp.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(s.counts(&admin).await, before, "nothing was written");
    // The same body as JSON (with a charset) is served.
    let (status, body) = post(
        &s,
        "application/json; charset=utf-8",
        json!({ "query": "{ publicStatistics { activeExperts } }" }).to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

async fn a_batch_of_operations_is_refused(b: Backend) {
    let s = b.start().await;
    let one = json!({ "query": "{ publicStatistics { activeExperts } }" });
    for batch in [json!([one.clone(), one.clone()]).to_string(), format!("  \n[{one}]")] {
        let (status, body) = post(&s, "application/json", batch).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(error_code_of(&body).as_deref(), Some("BAD_USER_INPUT"), "{body}");
    }
    // A body that is not a GraphQL request at all is a 400 too, not a 5xx.
    let (status, body) = post(&s, "application/json", "{ not json".to_string()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
}

/// A selection nesting plan → needs → plan … `levels` times below `createPlan`.
fn deep_selection(levels: usize) -> String {
    let mut inner = "id".to_string();
    for _ in 0..levels {
        inner = format!("needs {{ edges {{ node {{ plan {{ {inner} }} }} }} }}");
    }
    inner
}

async fn a_query_nested_deeper_than_the_limit_is_refused_before_it_runs(b: Backend) {
    let s = b.start().await;
    let auc = s.user(Role::NeedsCoordinator, None).await;
    let admin = s.admin().await;
    let vars = json!({ "m": s.mid(codes::LVIV).await, "i": plan_input("Deep") });
    let mutation = |levels| {
        format!(
            "mutation($m: ID!, $i: PlanInput!) {{ createPlan(municipalityId: $m, input: $i) {{ {} }} }}",
            deep_selection(levels)
        )
    };
    // Within the limit (12): runs.
    let before = s.counts(&admin).await;
    s.ok(&mutation(2), vars.clone(), auc.auth()).await;
    let within = s.counts(&admin).await;
    assert_eq!(within.plans, before.plans + 1);

    // Deeper than the limit: refused, and the mutation did not run.
    let body = s.gql(&mutation(4), vars, auc.auth()).await;
    let e = first_error(&body);
    assert!(body["data"].is_null(), "not executed: {body}");
    assert!(e["message"].as_str().unwrap_or_default().to_lowercase().contains("deep"), "says why: {e}");
    assert_eq!(s.counts(&admin).await, within, "the refused mutation wrote nothing");
}

async fn a_query_of_500_aliased_fields_is_refused_before_it_runs(b: Backend) {
    let s = b.start().await;
    let auc = s.user(Role::NeedsCoordinator, None).await;
    let admin = s.admin().await;
    let before = s.counts(&admin).await;
    let aliases: String = (0..500).map(|i| format!(" a{i}: __typename")).collect();
    let q =
        format!("mutation($m: ID!, $i: PlanInput!) {{ createPlan(municipalityId: $m, input: $i) {{ id{aliases} }} }}");
    let body = s.gql(&q, json!({ "m": s.mid(codes::LVIV).await, "i": plan_input("Wide") }), auc.auth()).await;
    let e = first_error(&body);
    assert!(body["data"].is_null(), "not executed: {body}");
    assert_code(&e, "BAD_USER_INPUT");
    assert_eq!(s.counts(&admin).await, before, "the refused mutation wrote nothing");

    // The same at the top level of a query, and through a fragment.
    let q = format!("{{ {} }}", (0..500).map(|i| format!("a{i}: __typename")).collect::<Vec<_>>().join(" "));
    assert_code(&s.fails(&q, json!({}), None).await, "BAD_USER_INPUT");
    let frag = format!(
        "fragment F on Query {{ {} }} query {{ ...F }}",
        (0..500).map(|i| format!("a{i}: __typename")).collect::<Vec<_>>().join(" ")
    );
    assert_code(&s.fails(&frag, json!({}), None).await, "BAD_USER_INPUT");
}

async fn a_query_the_server_cannot_run_is_refused_with_a_code(b: Backend) {
    let s = b.start().await;
    let admin = s.admin().await;
    let cases = [
        ("a syntax error", "query { ".to_string(), json!({})),
        ("an unknown field", "{ noSuchField }".to_string(), json!({})),
        ("a missing argument", "{ plan { id } }".to_string(), json!({})),
        ("an argument of the wrong type", "{ experts(first: \"many\") { totalCount } }".to_string(), json!({})),
        (
            "a variable of the wrong type",
            "query($n: Int) { experts(first: $n) { totalCount } }".to_string(),
            json!({ "n": "x" }),
        ),
        (
            "a malformed UUID in an input",
            "mutation($m: ID!, $p: ExpertProfileInput!) { createExpert(municipalityId: $m, profile: $p) { id } }"
                .to_string(),
            json!({ "m": s.mid(codes::UTRECHT).await, "p": common::expert_profile("A B", "C", &[("not-a-uuid", 3)], &[("en", "B2")]) }),
        ),
        (
            "a query nested too deep",
            format!("{{ needs {{ edges {{ node {{ plan {{ {} }} }} }} }} }}", deep_selection(4)),
            json!({}),
        ),
    ];
    let mut without_code = Vec::new();
    for (what, query, vars) in cases {
        let (status, body) = s.gql_response(&query, vars, admin.auth()).await;
        assert!(!status.is_server_error(), "{what}: HTTP {status}");
        let e = first_error(&body);
        if common::code(&e) != Some("BAD_USER_INPUT") {
            without_code.push(format!("{what}: {e}"));
        }
    }
    assert!(without_code.is_empty(), "errors without code BAD_USER_INPUT:\n{}", without_code.join("\n"));
}

async fn introspection_works_by_default_and_can_be_turned_off(b: Backend) {
    let q = "{ __schema { queryType { name } types { name } } }";
    let s = b.start().await;
    let d = s.ok(q, json!({}), None).await;
    assert_eq!(d["__schema"]["queryType"]["name"], "Query");
    assert!(d["__schema"]["types"].as_array().is_some_and(|t| t.iter().any(|t| t["name"] == "RecoveryPlan")));
    drop(s);

    let s = b.start_with(|c| c.introspection = false).await;
    let body = s.gql(q, json!({}), None).await;
    let schema = body.pointer("/data/__schema").cloned().unwrap_or(Value::Null);
    assert!(body.get("errors").is_some() || schema.is_null(), "introspection is refused: {body}");
    assert!(!body.to_string().contains("RecoveryPlan"), "no type names leak: {body}");
    let body = s.gql(r#"{ __type(name: "RecoveryPlan") { fields { name } } }"#, json!({}), None).await;
    assert!(!body.to_string().contains("returnReason"), "no field names leak: {body}");
    // Ordinary queries still work.
    s.ok("{ publicStatistics { activeExperts } }", json!({}), None).await;
}

async fn a_bad_or_expired_token_is_refused_with_401(b: Backend) {
    let s = b.start().await;
    let admin = s.admin().await;
    let me = "{ me { id } }";
    assert_eq!(s.ok(me, json!({}), admin.auth()).await["me"]["id"], admin.id.as_str());

    let principal = Principal {
        user_id: Uuid::parse_str(&admin.id).expect("a UUID"),
        role: Role::Admin,
        municipality_id: None,
        expert_id: None,
    };
    let server_key = SigningKey { kid: JWT_KID.into(), secret: JWT_SECRET.into() };
    let expired = TokenKeys::new(vec![server_key], -300).expect("keys").issue(&principal, 0).expect("a token");
    let foreign_key = SigningKey { kid: JWT_KID.into(), ..generate_key() };
    let forged = TokenKeys::new(vec![foreign_key], 600).expect("keys").issue(&principal, 0).expect("a token");
    let mut tampered = admin.token.clone();
    tampered.pop();
    tampered.push(if admin.token.ends_with('A') { 'B' } else { 'A' });

    for (what, header) in [
        ("garbage", "Bearer not-a-token".to_string()),
        ("expired", format!("Bearer {expired}")),
        ("signed with another key", format!("Bearer {forged}")),
        ("tampered signature", format!("Bearer {tampered}")),
        ("not a bearer token", format!("Basic {}", admin.token)),
        ("empty", "Bearer ".to_string()),
    ] {
        let resp = s
            .http
            .post(s.url("/graphql"))
            .header(reqwest::header::AUTHORIZATION, header)
            .json(&json!({ "query": me }))
            .send()
            .await
            .expect("the server answers");
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "{what}");
        let body: Value = resp.json().await.expect("a JSON body");
        assert_code(&first_error(&body), "UNAUTHENTICATED");
    }
    // Without a header, the caller is anonymous: public figures only.
    assert_code(&s.fails(me, json!({}), None).await, "UNAUTHENTICATED");
    data(s.gql("{ publicStatistics { activeExperts } }", json!({}), None).await);
}

async fn health_and_readiness_answer_200(b: Backend) {
    let s = b.start().await;
    for path in ["/healthz", "/readyz"] {
        let resp = s.http.get(s.url(path)).send().await.expect("the server answers");
        assert_eq!(resp.status(), StatusCode::OK, "{path}");
    }
    let resp = s.http.get(s.url("/no-such-page")).send().await.expect("the server answers");
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
}

async fn metrics_can_move_to_a_listener_of_their_own(b: Backend) {
    let s = b.start().await;
    let text = s.http.get(s.url("/metrics")).send().await.expect("an answer").text().await.expect("a body");
    assert!(text.contains("http_request_duration_seconds_bucket"), "histograms with buckets: {text:.400}");

    let port =
        std::net::TcpListener::bind("127.0.0.1:0").expect("a free port").local_addr().expect("an address").port();
    let s = b.start_with(|c| c.metrics_listen = Some(format!("127.0.0.1:{port}"))).await;
    let main = s.http.get(s.url("/metrics")).send().await.expect("an answer");
    assert_eq!(main.status(), StatusCode::NOT_FOUND, "not on the public port");
    let own = s.http.get(format!("http://127.0.0.1:{port}/metrics")).send().await.expect("an answer");
    assert_eq!(own.status(), StatusCode::OK);
}

/// The introspection query a GraphiQL sends on load (type references nested nine deep).
const FULL_INTROSPECTION: &str = "query IntrospectionQuery { __schema { queryType { name } mutationType { name } \
    subscriptionType { name } types { ...FullType } directives { name description locations args { ...InputValue } } } } \
    fragment FullType on __Type { kind name description fields(includeDeprecated: true) { name description \
    args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason } inputFields { ...InputValue } \
    interfaces { ...TypeRef } enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason } \
    possibleTypes { ...TypeRef } } fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue } \
    fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name \
    ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } } } }";

async fn graphiqls_introspection_query_passes_the_depth_limit(b: Backend) {
    let s = b.start().await;
    let d = s.ok(FULL_INTROSPECTION, json!({}), None).await;
    assert!(d["__schema"]["types"].as_array().is_some_and(|t| t.len() > 50), "the whole schema comes back");
}

async fn the_client_and_graphiql_load_only_the_services_own_files_under_a_strict_policy(b: Backend) {
    let s = b.start().await;
    // The client: its script, its stylesheet and the modules every page imports (preloaded); GraphiQL: its own.
    for (page, expected_files) in [("/", 13), ("/graphql", 6)] {
        let resp = s.http.get(s.url(page)).send().await.expect("the page");
        assert_eq!(resp.status(), StatusCode::OK, "{page}");
        let csp = resp.headers().get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or_default();
        let csp = csp.to_string();
        for (name, value) in [("x-content-type-options", "nosniff"), ("referrer-policy", "no-referrer")] {
            assert_eq!(resp.headers().get(name).and_then(|v| v.to_str().ok()), Some(value), "{page} {name}");
        }
        let script_src = csp.split(';').find(|d| d.trim().starts_with("script-src")).unwrap_or_default();
        assert!(script_src.contains("'self'") && !script_src.contains("unsafe"), "scripts from the service: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        let html = resp.text().await.expect("a body");
        assert!(!html.contains("http://") && !html.contains("https://"), "nothing from another host: {html}");
        assert!(!html.contains("<script>"), "no inline script");
        let mut files = 0;
        for part in html.split('"').filter(|p| p.starts_with("/app/")) {
            let r = s.http.get(s.url(part)).send().await.expect("the file");
            assert_eq!(r.status(), StatusCode::OK, "{part}");
            assert!(r.headers().get("content-security-policy").is_some(), "every response carries the policy");
            let etag = r.headers().get("etag").cloned().expect("an ETag");
            assert!(!r.bytes().await.expect("a body").is_empty(), "{part}");
            let again = s.http.get(s.url(part)).header("if-none-match", etag).send().await.expect("the file again");
            assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{part} is revalidated, not sent twice");
            files += 1;
        }
        assert_eq!(files, expected_files, "{page}: the files its page names");
    }
    let missing = s.http.get(s.url("/app/%2e%2e/Cargo.toml")).send().await.expect("an answer");
    assert_eq!(missing.status(), StatusCode::NOT_FOUND, "nothing outside the client's folder");
    let (_, _) = s.gql_response("{ publicStatistics { fillRate } }", json!({}), None).await;
}
