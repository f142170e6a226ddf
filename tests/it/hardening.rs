//! What an outside attack found, kept fixed: a literal nested deep enough to overflow the parser's stack, tokens
//! that outlived their account's right to them, connections never let go, a sign-in limiter a stranger could
//! turn against the users, an audit trail rewritable from inside the database, input that gave INTERNAL,
//! suggestions that leaked the schema, and refusals that told a hidden object exists. On SQLite and PostgreSQL.

use crate::common;
use crate::notifications_support;

use std::time::Duration;

use common::{
    Backend, JWT_KID, JWT_SECRET, PASSWORD, TestServer, User, assert_bad_input, assert_code, codes, first_error,
    plan_input, str_at,
};
use notifications_support::{Cast, Proposable, Ws, proposable, propose};
use recovery_pool::auth::Principal;
use recovery_pool::auth::jwt::{SigningKey, TokenKeys};
use recovery_pool::domain::Role;
use recovery_pool::store::Db;
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use uuid::Uuid;

backend_tests!(
    a_literal_nested_thousands_deep_is_refused_and_the_server_stays_up,
    a_token_ends_when_its_account_is_disabled_its_password_changes_or_it_signs_out,
    changing_your_own_password_asks_for_the_current_one,
    an_open_subscription_closes_when_its_account_signs_out,
    an_open_subscription_closes_when_its_token_expires,
    idle_and_silent_connections_are_closed,
    a_client_holding_every_connection_cannot_starve_the_others,
    a_websocket_speaks_the_protocols_close_codes,
    subscriptions_per_connection_are_capped,
    failed_sign_ins_on_one_account_do_not_lock_out_another_from_the_same_address,
    the_audit_log_refuses_rewrites_and_a_rewrite_behind_its_back_is_found,
    a_taken_unique_key_is_a_conflict_that_names_the_field,
    an_authorization_header_that_is_not_a_bearer_token_is_refused,
    control_characters_and_overlong_strings_are_refused_naming_the_field,
    with_introspection_off_no_error_suggests_a_field,
    steps_on_objects_the_caller_cannot_see_answer_not_found,
);

async fn alive(s: &TestServer) {
    let resp = s.http.get(s.url("/healthz")).send().await.expect("the server still answers");
    assert_eq!(resp.status(), StatusCode::OK);
}

async fn post_raw(s: &TestServer, body: String) -> (StatusCode, Value) {
    let resp = s
        .http
        .post(s.url("/graphql"))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .expect("the server answers");
    let status = resp.status();
    let text = resp.text().await.expect("a body");
    (status, serde_json::from_str(&text).unwrap_or_else(|_| panic!("a JSON body, got {status}: {text}")))
}

async fn a_literal_nested_thousands_deep_is_refused_and_the_server_stays_up(b: Backend) {
    let s = b.start().await;
    let deep = |n: usize, open: &str, close: &str, inner: &str| format!("{}{inner}{}", open.repeat(n), close.repeat(n));
    let cases = [
        format!("{{ publicStatistics(x: {}) {{ fillRate }} }}", deep(1_500, "[", "]", "1")),
        format!("{{ publicStatistics(x: {}) {{ fillRate }} }}", deep(1_500, "{a: ", "}", "1")),
        format!("{{ publicStatistics {}", deep(3_000, "{ fillRate ", "}", "")),
        format!("query($v: Int = {}) {{ publicStatistics {{ fillRate }} }}", deep(2_000, "[", "]", "1")),
        // Fragments that spread each other: refused before anything walks them without end.
        "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }".to_string(),
    ];
    for query in cases {
        let (status, body) = post_raw(&s, json!({ "query": query }).to_string()).await;
        assert!(!status.is_server_error(), "HTTP {status}");
        assert_code(&first_error(&body), "BAD_USER_INPUT");
        alive(&s).await;
    }
    // Variables nested deep: the JSON reader refuses them before GraphQL sees them.
    let vars = format!(
        "{{\"query\": \"query($v: [Int]) {{ publicStatistics {{ fillRate }} }}\", \"variables\": {{\"v\": {}}}}}",
        deep(5_000, "[", "]", "1")
    );
    let (status, body) = post_raw(&s, vars).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_code(&first_error(&body), "BAD_USER_INPUT");
    alive(&s).await;

    // The same over WebSocket.
    let user = s.user(Role::FundOfficer, None).await;
    let mut ws = Ws::signed_in(&s.base, &user.token).await;
    let query = format!("subscription {{ notifications(x: {}) {{ id }} }}", deep(1_500, "[", "]", "1"));
    ws.send(json!({ "id": "1", "type": "subscribe", "payload": { "query": query } })).await;
    let m = ws.receive(Duration::from_secs(10)).await.expect("an answer, the connection open");
    assert!(m["type"] == "error" || m["type"] == "next", "{m}");
    assert!(m.to_string().contains("BAD_USER_INPUT"), "{m}");
    alive(&s).await;
}

async fn me(s: &TestServer, token: &str) -> StatusCode {
    s.gql_response("{ me { id } }", json!({}), Some(token)).await.0
}

async fn a_token_ends_when_its_account_is_disabled_its_password_changes_or_it_signs_out(b: Backend) {
    let s = b.start().await;
    let admin = s.admin().await;

    // Disabled by an admin: the next request of the old token is refused, also after re-enabling.
    let user = s.user(Role::FundOfficer, None).await;
    assert_eq!(me(&s, &user.token).await, StatusCode::OK);
    let q = "mutation($id: ID!, $st: UserStatus!) { setUserStatus(id: $id, status: $st) { status } }";
    s.ok(q, json!({ "id": user.id, "st": "DISABLED" }), admin.auth()).await;
    assert_eq!(me(&s, &user.token).await, StatusCode::UNAUTHORIZED);
    s.ok(q, json!({ "id": user.id, "st": "ACTIVE" }), admin.auth()).await;
    assert_eq!(me(&s, &user.token).await, StatusCode::UNAUTHORIZED, "re-enabling does not revive old tokens");
    let again = s.login(&user.email, Role::FundOfficer).await;
    assert_eq!(me(&s, &again.token).await, StatusCode::OK);

    // An admin sets a new password: the old token ends, and so does a write with it.
    let q = "mutation($id: ID!) { setPassword(userId: $id, password: \"a different long password\") }";
    s.ok(q, json!({ "id": again.id }), admin.auth()).await;
    let write = "mutation { setNotificationPreference(mode: OFF) }";
    assert_eq!(s.gql_response(write, json!({}), again.auth()).await.0, StatusCode::UNAUTHORIZED);

    // Signing out ends every token of the account, on this device and others, and nobody else's.
    let other = s.user(Role::FundOfficer, None).await;
    let one = s.login(&other.email, Role::FundOfficer).await;
    assert_eq!(s.ok("mutation { signOut }", json!({}), other.auth()).await["signOut"], true);
    assert_eq!(me(&s, &other.token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(me(&s, &one.token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(me(&s, &admin.token).await, StatusCode::OK);
    let audited = s.ok(
        "query($id: ID!) { auditEvents(filter: { objectId: $id }) { edges { node { action } } } }",
        json!({ "id": other.id }),
        admin.auth(),
    );
    assert!(audited.await.to_string().contains("user.sign_out"), "signing out is audited");
}

async fn changing_your_own_password_asks_for_the_current_one(b: Backend) {
    let s = b.start().await;
    let user = s.user(Role::FundOfficer, None).await;
    let q = "mutation($id: ID!, $cur: String) { setPassword(userId: $id, password: \"my new long password\", currentPassword: $cur) }";
    assert_bad_input(&s.fails(q, json!({ "id": user.id }), user.auth()).await, "currentPassword");
    assert_bad_input(&s.fails(q, json!({ "id": user.id, "cur": "wrong guess" }), user.auth()).await, "currentPassword");
    assert_eq!(me(&s, &user.token).await, StatusCode::OK, "a refused change ends nothing");
    s.ok(q, json!({ "id": user.id, "cur": PASSWORD }), user.auth()).await;
    assert_eq!(me(&s, &user.token).await, StatusCode::UNAUTHORIZED, "the old token ended with the old password");
    let body = s.login_response(&user.email, "my new long password").await;
    assert!(body["data"]["login"]["token"].is_string(), "{body}");
}

async fn closed_within(ws: &mut Ws, wait: Duration) -> (u16, String) {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        match ws.receive(left).await {
            Ok(_) => continue,
            Err(Some(close)) => return close,
            Err(None) => panic!("the connection was not closed with a close frame within {wait:?}"),
        }
    }
}

async fn an_open_subscription_closes_when_its_account_signs_out(b: Backend) {
    let s = b.start().await;
    let user = s.user(Role::FundOfficer, None).await;
    let mut ws = Ws::signed_in(&s.base, &user.token).await;
    ws.subscribe_notifications("1").await;
    s.ok("mutation { signOut }", json!({}), user.auth()).await;
    let (code, _) = closed_within(&mut ws, Duration::from_secs(10)).await;
    assert_eq!(code, 4403);
}

async fn an_open_subscription_closes_when_its_token_expires(b: Backend) {
    let s = b.start().await;
    let user = s.user(Role::FundOfficer, None).await;
    let principal = Principal {
        user_id: Uuid::parse_str(&user.id).expect("a user id"),
        role: Role::FundOfficer,
        municipality_id: None,
        expert_id: None,
    };
    let key = SigningKey { kid: JWT_KID.into(), secret: JWT_SECRET.into() };
    let short = TokenKeys::new(vec![key], 2).expect("keys").issue(&principal, 0).expect("a token");
    let mut ws = Ws::signed_in(&s.base, &short).await;
    ws.subscribe_notifications("1").await;
    let started = std::time::Instant::now();
    let (code, reason) = closed_within(&mut ws, Duration::from_secs(10)).await;
    assert_eq!(code, 4403, "{reason}");
    assert!(started.elapsed() < Duration::from_secs(5), "closed at expiry, after {:?}", started.elapsed());
}

async fn raw_connection(s: &TestServer) -> tokio::net::TcpStream {
    tokio::net::TcpStream::connect(s.base.trim_start_matches("http://")).await.expect("a connection")
}

/// Whether the server closes `conn` within `wait` (reads until end of stream).
async fn closed_by_server(conn: &mut tokio::net::TcpStream, wait: Duration) -> bool {
    let mut buf = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        match tokio::time::timeout_at(deadline, conn.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => continue,
        }
    }
}

async fn idle_and_silent_connections_are_closed(b: Backend) {
    let s = b.start_with(|c| c.idle_timeout_seconds = 1).await;
    // A connection that never sends a byte.
    let mut silent = raw_connection(&s).await;
    // A slow client that never finishes its request head.
    let mut slow = raw_connection(&s).await;
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").await.expect("a partial head");
    // A keep-alive connection left idle after one request.
    let mut idle = raw_connection(&s).await;
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").await.expect("a request");
    let mut buf = [0u8; 1024];
    let n = idle.read(&mut buf).await.expect("a response");
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"), "served first");
    for (what, conn) in [("silent", &mut silent), ("slow", &mut slow), ("idle", &mut idle)] {
        assert!(closed_by_server(conn, Duration::from_secs(5)).await, "the {what} connection is closed");
    }
    alive(&s).await;
}

async fn a_client_holding_every_connection_cannot_starve_the_others(b: Backend) {
    let s = b
        .start_with(|c| {
            c.idle_timeout_seconds = 1;
            c.max_connections = 8;
        })
        .await;
    let mut hogs = Vec::new();
    for _ in 0..40 {
        hogs.push(raw_connection(&s).await);
    }
    let started = std::time::Instant::now();
    let fresh = reqwest::Client::new();
    let resp = tokio::time::timeout(Duration::from_secs(15), fresh.get(s.url("/healthz")).send())
        .await
        .expect("served while 40 idle sockets are held")
        .expect("an answer");
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(started.elapsed() < Duration::from_secs(15));
    drop(hogs);
}

async fn a_websocket_speaks_the_protocols_close_codes(b: Backend) {
    let s = b.start_with(|c| c.ws_init_timeout_seconds = 1).await;
    // Never signing in: 4408 after the init timeout.
    let mut ws = Ws::open(&s.base).await;
    let (code, _) = closed_within(&mut ws, Duration::from_secs(5)).await;
    assert_eq!(code, 4408);
    // Subscribing before signing in: 4401.
    let mut ws = Ws::open(&s.base).await;
    ws.send(json!({ "id": "1", "type": "subscribe", "payload": { "query": "subscription { notifications { id } }" } }))
        .await;
    assert_eq!(closed_within(&mut ws, Duration::from_secs(5)).await.0, 4401);
    // A bad token: 4403.
    let mut ws = Ws::open(&s.base).await;
    ws.send(json!({ "type": "connection_init", "payload": { "authorization": "Bearer not.a.token" } })).await;
    assert_eq!(closed_within(&mut ws, Duration::from_secs(5)).await.0, 4403);
    // Not a protocol message: 4400.
    let mut ws = Ws::open(&s.base).await;
    ws.send(json!({ "hello": "there" })).await;
    assert_eq!(closed_within(&mut ws, Duration::from_secs(5)).await.0, 4400);
    assert_eq!(s.services.events.subscribers(), 0, "no subscription was started");
}

async fn subscriptions_per_connection_are_capped(b: Backend) {
    let s = b.start_with(|c| c.max_subscriptions = 3).await;
    let user = s.user(Role::FundOfficer, None).await;
    let mut ws = Ws::signed_in(&s.base, &user.token).await;
    for id in ["1", "2", "3"] {
        ws.subscribe_notifications(id).await;
    }
    ws.send(json!({ "id": "4", "type": "subscribe", "payload": { "query": "subscription { notifications { id } }" } }))
        .await;
    let m = ws.receive(Duration::from_secs(10)).await.expect("an answer for the fourth");
    assert_eq!(m["id"], "4", "{m}");
    assert!(m.to_string().contains("subscriptions already"), "{m}");
    // Completing one frees its place.
    ws.send(json!({ "id": "1", "type": "complete" })).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    ws.subscribe_notifications("5").await;
}

async fn failed_sign_ins_on_one_account_do_not_lock_out_another_from_the_same_address(b: Backend) {
    let s = b.start().await;
    let target = s.user(Role::Admin, None).await;
    let colleague = s.user(Role::FundOfficer, None).await;
    let q = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }";
    for _ in 0..8 {
        s.fails(q, json!({ "e": target.email, "p": "guess" }), None).await;
    }
    assert_code(&s.fails(q, json!({ "e": target.email, "p": PASSWORD }), None).await, "FORBIDDEN");
    // The colleague behind the same address signs in, even after a typo of their own.
    s.fails(q, json!({ "e": colleague.email, "p": "typo" }), None).await;
    let ok = s.ok(q, json!({ "e": colleague.email, "p": PASSWORD }), None).await;
    assert!(ok["login"]["token"].is_string());
    // A success clears the pair's count: four typos after it do not block.
    for _ in 0..4 {
        s.fails(q, json!({ "e": colleague.email, "p": "typo" }), None).await;
    }
    assert!(s.ok(q, json!({ "e": colleague.email, "p": PASSWORD }), None).await["login"]["token"].is_string());
}

/// Runs one statement as the database's owner would, bypassing the service.
async fn raw(db: &Db, sql: &str) -> Result<u64, sqlx::Error> {
    match db {
        Db::Sqlite(p) => sqlx::query(sql).execute(p).await.map(|r| r.rows_affected()),
        Db::Postgres(p) => sqlx::query(sql).execute(p).await.map(|r| r.rows_affected()),
    }
}

/// The database's unique key, not a check in the service, refuses the second skill with the same code: the
/// error is a conflict that names the field, and nothing is written.
async fn a_taken_unique_key_is_a_conflict_that_names_the_field(b: Backend) {
    let s = b.start().await;
    let admin = s.admin().await;
    let q = "mutation($i: SkillInput!) { createSkill(input: $i) { id } }";
    let input = json!({ "code": "UNIQUE_TEST", "category": "GOVERNANCE", "labelEn": "Unique test", "labelNl": "Uniektest", "labelUk": "Тест" });
    s.ok(q, json!({ "i": input }), admin.auth()).await;
    let again = s.gql(q, json!({ "i": input }), admin.auth()).await;
    let error = first_error(&again);
    assert_code(&error, "CONFLICT");
    assert_eq!(common::field(&error), Some("code"), "{error}");
    let skills = s.ok("{ skills { code } }", json!({}), admin.auth()).await;
    let same = skills["skills"].as_array().expect("a list").iter().filter(|k| k["code"] == "UNIQUE_TEST").count();
    assert_eq!(same, 1, "one skill with the code");
}

/// `Authorization: Basic …` is not anonymous: the request is refused before it runs.
async fn an_authorization_header_that_is_not_a_bearer_token_is_refused(b: Backend) {
    let s = b.start().await;
    let resp = s
        .http
        .post(s.url("/graphql"))
        .header("authorization", "Basic dXNlcjpwYXNz")
        .json(&json!({ "query": "{ __typename }" }))
        .send()
        .await
        .expect("a response");
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let body: Value = resp.json().await.expect("a JSON body");
    assert_code(&first_error(&body), "UNAUTHENTICATED");
}

async fn the_audit_log_refuses_rewrites_and_a_rewrite_behind_its_back_is_found(b: Backend) {
    let s = b.start().await;
    let admin = s.admin().await;
    for i in ["A", "B", "C"] {
        let q = "mutation($i: SkillInput!) { createSkill(input: $i) { id } }";
        let input = json!({ "code": format!("AUDIT_TEST_{i}"), "category": "GOVERNANCE", "labelEn": "Audit test", "labelNl": "Audittest", "labelUk": "Тест аудиту" });
        s.ok(q, json!({ "i": input }), admin.auth()).await;
    }
    let report = s.services.verify_audit_chain().await.expect("a report");
    assert!(report.defects.is_empty(), "{:?}", report.defects);
    assert!(report.chained >= 3, "{report:?}");

    let db = &s.services.db;
    assert!(raw(db, "UPDATE audit_events SET action = 'x'").await.is_err(), "no update");
    assert!(raw(db, "DELETE FROM audit_events").await.is_err(), "no delete");
    match db {
        Db::Sqlite(_) => {
            let replace = "INSERT OR REPLACE INTO audit_events (id, at, action, object_type, object_id, seq) \
                           SELECT id, at, 'skill.rewritten', object_type, object_id, seq FROM audit_events WHERE seq = 1";
            assert!(raw(db, replace).await.is_err(), "no INSERT OR REPLACE");
        }
        Db::Postgres(_) => assert!(raw(db, "TRUNCATE audit_events").await.is_err(), "no TRUNCATE"),
    }
    assert!(s.services.verify_audit_chain().await.expect("a report").defects.is_empty());

    // Someone who owns the database switches the guard off and rewrites an event: the chain says so.
    match db {
        Db::Sqlite(_) => {
            raw(db, "DROP TRIGGER audit_events_no_update").await.expect("the owner can drop a trigger");
        }
        Db::Postgres(_) => {
            raw(db, "ALTER TABLE audit_events DISABLE TRIGGER USER").await.expect("the owner can disable triggers");
        }
    }
    raw(db, "UPDATE audit_events SET after_state = '{}' WHERE seq = 2").await.expect("the rewrite");
    let report = s.services.verify_audit_chain().await.expect("a report");
    assert!(report.defects.first().is_some_and(|d| d.contains("event 2")), "{:?}", report.defects);
}

async fn control_characters_and_overlong_strings_are_refused_naming_the_field(b: Backend) {
    let s = b.start().await;
    let admin = s.admin().await;
    let login = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }";
    assert_bad_input(&s.fails(login, json!({ "e": "admin\u{0}@harness.test", "p": "x" }), None).await, "e");
    let literal = "mutation { login(email: \"a\\u0000b@x.nl\", password: \"x\") { token } }";
    assert_bad_input(&s.fails(literal, json!({}), None).await, "email");
    let q = "mutation($m: ID!, $i: PlanInput!) { createPlan(municipalityId: $m, input: $i) { id } }";
    let mut input = plan_input("Title with a bell \u{7}");
    assert_bad_input(
        &s.fails(q, json!({ "m": s.mid(codes::LVIV).await, "i": input.clone() }), admin.auth()).await,
        "i.title",
    );
    input["title"] = json!("Line one\nline two\twith a tab");
    assert!(
        s.ok(q, json!({ "m": s.mid(codes::LVIV).await, "i": input }), admin.auth()).await["createPlan"]["id"]
            .is_string()
    );

    let search = "query($s: String) { experts(filter: { search: $s }) { totalCount } }";
    let e = s.fails(search, json!({ "s": "%".repeat(120_000) }), admin.auth()).await;
    assert_code(&e, "BAD_USER_INPUT");
    let e = s.fails(search, json!({ "s": "%".repeat(5_000) }), admin.auth()).await;
    assert_bad_input(&e, "filter.search");
    let found = s.ok(search, json!({ "s": "%_\\" }), admin.auth()).await;
    assert_eq!(found["experts"]["totalCount"], 0, "wildcards match only themselves");
    let with_default = "query($s: String = \"a\\u0000b\") { experts(filter: { search: $s }) { totalCount } }";
    assert_bad_input(&s.fails(with_default, json!({}), admin.auth()).await, "s");
    let m = "query($s: String) { municipalities(filter: { search: $s }) { totalCount } }";
    assert_bad_input(&s.fails(m, json!({ "s": "я".repeat(10_000) }), None).await, "filter.search");
}

async fn with_introspection_off_no_error_suggests_a_field(b: Backend) {
    let s = b.start_with(|c| c.introspection = false).await;
    let e = s.fails("{ needz { id } }", json!({}), None).await;
    assert_code(&e, "BAD_USER_INPUT");
    assert!(!e.to_string().contains("Did you mean"), "{e}");
    let s = b.start().await;
    let e = s.fails("{ needz { id } }", json!({}), None).await;
    assert!(e.to_string().contains("Did you mean"), "suggestions stay on with introspection: {e}");
}

async fn steps_on_objects_the_caller_cannot_see_answer_not_found(b: Backend) {
    let s = b.start().await;
    let lviv = s.user(Role::HromadaOfficer, Some(codes::LVIV)).await;
    let vinnytsia = s.user(Role::HromadaOfficer, Some(codes::VINNYTSIA)).await;
    let auc = s.user(Role::NeedsCoordinator, None).await;
    let amsterdam = s.user(Role::MunicipalityOfficer, Some(codes::AMSTERDAM)).await;
    let utrecht = s.user(Role::MunicipalityOfficer, Some(codes::UTRECHT)).await;
    let coordinator = s.user(Role::PoolCoordinator, None).await;
    let skills = s.skill_ids(lviv.auth()).await;

    // Lviv's draft plan and draft need, unseen by Vinnytsia.
    let q = "mutation($m: ID!, $i: PlanInput!) { createPlan(municipalityId: $m, input: $i) { id } }";
    let plan = str_at(
        &s.ok(q, json!({ "m": s.mid(codes::LVIV).await, "i": plan_input("Draft") }), lviv.auth()).await,
        "/createPlan/id",
    );
    let q = "mutation($p: ID!, $i: NeedInput!) { createNeed(planId: $p, input: $i) { id } }";
    let need = common::need_input("Draft need", &skills);
    let need = str_at(&s.ok(q, json!({ "p": plan, "i": need.clone() }), lviv.auth()).await, "/createNeed/id");
    let random = Uuid::now_v7().to_string();
    for id in [&plan, &random] {
        let update = "mutation($id: ID!, $i: PlanInput!) { updatePlan(id: $id, input: $i) { id } }";
        assert_code(
            &s.fails(update, json!({ "id": id, "i": plan_input("Mine now") }), vinnytsia.auth()).await,
            "NOT_FOUND",
        );
        assert_code(
            &s.fails("mutation($id: ID!) { submitPlan(id: $id) { id } }", json!({ "id": id }), vinnytsia.auth()).await,
            "NOT_FOUND",
        );
    }
    let update = "mutation($id: ID!, $i: NeedInput!) { updateNeed(id: $id, input: $i) { id } }";
    let input = common::need_input("Mine now", &skills);
    assert_code(&s.fails(update, json!({ "id": need, "i": input }), vinnytsia.auth()).await, "NOT_FOUND");
    assert_code(
        &s.fails("mutation($id: ID!) { cancelNeed(id: $id) { id } }", json!({ "id": need }), vinnytsia.auth()).await,
        "NOT_FOUND",
    );
    // What one can see but not touch stays FORBIDDEN: AUC sees the submitted plan, Vinnytsia may not submit it.
    s.ok("mutation($id: ID!) { submitPlan(id: $id) { id } }", json!({ "id": plan }), lviv.auth()).await;
    assert_code(
        &s.fails("mutation($id: ID!) { submitPlan(id: $id) { id } }", json!({ "id": plan }), vinnytsia.auth()).await,
        "FORBIDDEN",
    );

    // An assignment of Amsterdam's expert to Lviv's need, unseen by Utrecht, Vinnytsia and other experts.
    let cast = Cast {
        hromada_officer: &lviv.token,
        needs_coordinator: &auc.token,
        municipality_officer: &amsterdam.token,
        lviv: &s.mid(codes::LVIV).await,
        amsterdam: &s.mid(codes::AMSTERDAM).await,
    };
    let scene: Proposable = proposable(&s, &cast, &skills).await;
    let a = propose(&s, &scene, &coordinator.token).await;
    let stranger: User = s.user(Role::FundOfficer, None).await;
    let steps = [
        ("mutation($id: ID!) { acceptAssignment(id: $id) { assignment { id } } }", &vinnytsia),
        ("mutation($id: ID!) { releaseExpert(id: $id) { assignment { id } } }", &utrecht),
        ("mutation($id: ID!) { releaseExpert(id: $id) { assignment { id } } }", &stranger),
        ("mutation($id: ID!) { reportHours(assignmentId: $id, month: \"2026-03\", hours: 4) { hours } }", &utrecht),
        ("mutation($id: ID!) { giveRecipientFeedback(id: $id, feedback: \"x\", rating: 3) { id } }", &vinnytsia),
    ];
    for (q, who) in steps {
        assert_code(&s.fails(q, json!({ "id": a }), who.auth()).await, "NOT_FOUND");
        assert_code(&s.fails(q, json!({ "id": random }), who.auth()).await, "NOT_FOUND");
    }
    // Amsterdam sees its expert's assignment but may not accept it for Lviv.
    let accept = "mutation($id: ID!) { acceptAssignment(id: $id) { assignment { id } } }";
    assert_code(&s.fails(accept, json!({ "id": a }), amsterdam.auth()).await, "FORBIDDEN");
}

#[tokio::test]
async fn on_postgres_a_run_time_role_that_owns_nothing_serves_and_cannot_touch_the_audit_log() {
    let Some(b) = Backend::postgres() else {
        eprintln!("TEST_DATABASE_URL is not set: the least-privilege test runs only on PostgreSQL; skipped");
        return;
    };
    let Backend::Postgres { admin_url } = &b else { return };
    let (owner_url, scratch) = b.scratch_database().await;
    // The owner migrates (as `recovery-pool migrate` would).
    let owner = recovery_pool::app::open(&common::store_settings(&owner_url, &scratch.dir)).await.expect("migrated");
    let role = format!("rp_app_{}", &Uuid::new_v4().simple().to_string()[..12]);
    for sql in [
        format!("CREATE ROLE {role} LOGIN PASSWORD 'app-secret'"),
        format!("GRANT USAGE ON SCHEMA public TO {role}"),
        format!("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"),
        format!("REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM {role}"),
        format!("REVOKE DELETE, TRUNCATE ON audit_chain FROM {role}"),
    ] {
        raw(&owner.db, &sql).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    owner.db.close().await;

    let mut app_url = reqwest::Url::parse(&owner_url).expect("a URL");
    app_url.set_username(&role).expect("a user name");
    app_url.set_password(Some("app-secret")).expect("a password");
    let mut settings = common::store_settings(app_url.as_str(), &scratch.dir);
    settings.migrate = false;
    let app = recovery_pool::app::open(&settings).await.expect("the run-time role starts the service");
    let user = app
        .create_user_as_system(recovery_pool::domain::input::UserInput {
            email: "officer@least-privilege.test".into(),
            display_name: "Officer".into(),
            password: PASSWORD.into(),
            role: Role::FundOfficer,
            municipality_id: None,
            expert_id: None,
        })
        .await;
    assert!(user.is_ok(), "the service writes and audits as the run-time role: {user:?}");
    for sql in [
        "TRUNCATE audit_events",
        "UPDATE audit_events SET action = 'x'",
        "DELETE FROM audit_events",
        "ALTER TABLE audit_events DISABLE TRIGGER USER",
        "DROP TRIGGER audit_events_no_change ON audit_events",
        "DELETE FROM audit_chain",
    ] {
        assert!(raw(&app.db, sql).await.is_err(), "the run-time role may not: {sql}");
    }
    assert!(app.verify_audit_chain().await.expect("a report").defects.is_empty());
    app.db.close().await;
    drop(scratch);
    let mut admin = <sqlx::PgConnection as sqlx::Connection>::connect(admin_url).await.expect("the admin connects");
    let _ = sqlx::query(&format!("DROP ROLE IF EXISTS {role}")).execute(&mut admin).await;
}
