//! Signing in and what anonymous callers may do (docs/roles.md, SECURITY.md), and the audit log's append-only guarantee in
//! the database itself.

use crate::common;

use std::collections::HashMap;

use common::{Backend, PASSWORD, TestServer, assert_code, codes, data, first_error, plan_input, str_at};
use recovery_pool::domain::Role;
use recovery_pool::store::Db;
use serde_json::{Value, json};

backend_tests!(
    a_wrong_password_and_an_unknown_email_read_the_same,
    five_failures_block_the_account_even_with_the_right_password,
    a_disabled_user_cannot_sign_in,
    anonymous_callers_see_only_the_public_figures,
    an_anonymous_caller_cannot_tell_which_ids_exist,
    the_audit_log_refuses_update_and_delete_in_the_database,
);

/// The error of a sign-in that must fail, checked to reveal nothing beyond "no".
async fn failed_login(s: &TestServer, email: &str, password: &str) -> Value {
    let body = s.login_response(email, password).await;
    assert!(body["data"].is_null(), "no session: {body}");
    first_error(&body)
}

/// An error reduced to what a client can tell apart: message and extensions.
fn shape(e: &Value) -> Value {
    json!({ "message": e["message"], "extensions": e["extensions"] })
}

async fn a_wrong_password_and_an_unknown_email_read_the_same(b: Backend) {
    let s = b.start().await;
    let user = s.user(Role::MunicipalityOfficer, Some(codes::UTRECHT)).await;
    let wrong_password = failed_login(&s, &user.email, "not the password at all").await;
    let unknown_email = failed_login(&s, "nobody-here@harness.test", "not the password at all").await;
    let unknown_with_real_password = failed_login(&s, "nobody-else@harness.test", PASSWORD).await;
    assert_eq!(shape(&wrong_password), shape(&unknown_email));
    assert_eq!(shape(&wrong_password), shape(&unknown_with_real_password));
    assert!(common::code(&wrong_password).is_some(), "a code to switch on: {wrong_password}");
    let message = wrong_password["message"].as_str().unwrap_or_default().to_lowercase();
    assert!(
        !message.contains("unknown") && !message.contains("no such") && !message.contains("not found"),
        "{message}"
    );
    // The right password still works (an e-mail in other case is the same account).
    let again = s.login_response(&user.email.to_uppercase(), PASSWORD).await;
    assert_eq!(str_at(&data(again), "/login/user/id"), user.id);
}

async fn five_failures_block_the_account_even_with_the_right_password(b: Backend) {
    let s = b.start().await;
    let user = s.user(Role::FundOfficer, None).await;
    let first = failed_login(&s, &user.email, "wrong password 1").await;
    for i in 2..=5 {
        let e = failed_login(&s, &user.email, &format!("wrong password {i}")).await;
        assert_eq!(shape(&e), shape(&first), "failure {i} reads like the first");
    }
    let blocked = failed_login(&s, &user.email, PASSWORD).await;
    assert_code(&blocked, "FORBIDDEN");
    // Still blocked on the next try, whatever the case of the address.
    assert_code(&failed_login(&s, &user.email.to_uppercase(), PASSWORD).await, "FORBIDDEN");
    // Tokens issued before keep working: the block is on signing in.
    assert_eq!(s.ok("{ me { id } }", json!({}), user.auth()).await["me"]["id"], user.id.as_str());
}

async fn a_disabled_user_cannot_sign_in(b: Backend) {
    let s = b.start().await;
    let admin = s.admin().await;
    let user = s.user(Role::PoolCoordinator, None).await;
    let wrong = failed_login(&s, &user.email, "certainly not it").await;
    let q = "mutation($id: ID!, $status: UserStatus!) { setUserStatus(id: $id, status: $status) { status } }";
    let d = s.ok(q, json!({ "id": user.id, "status": "DISABLED" }), admin.auth()).await;
    assert_eq!(d["setUserStatus"]["status"], "DISABLED");

    let refused = failed_login(&s, &user.email, PASSWORD).await;
    assert_eq!(shape(&refused), shape(&wrong), "a disabled account reads like a wrong password");
    // The disabled account's token ended with it.
    assert_eq!(s.gql_response("{ me { id } }", json!({}), user.auth()).await.0, reqwest::StatusCode::UNAUTHORIZED);
    // Only admins change account status; an admin cannot lock themself out.
    let colleague = s.user(Role::PoolCoordinator, None).await;
    assert_code(&s.fails(q, json!({ "id": admin.id, "status": "ACTIVE" }), colleague.auth()).await, "FORBIDDEN");
    assert_code(&s.fails(q, json!({ "id": admin.id, "status": "DISABLED" }), admin.auth()).await, "BAD_USER_INPUT");

    s.ok(q, json!({ "id": user.id, "status": "ACTIVE" }), admin.auth()).await;
    let again = s.login_response(&user.email, PASSWORD).await;
    assert_eq!(str_at(&data(again), "/login/user/id"), user.id, "enabled again, the account signs in");
}

/// A selection for a field of `type_ref` (an introspected type reference): none for scalars and enums.
fn selection_for(type_ref: &Value) -> &'static str {
    let mut t = type_ref;
    while t["ofType"].is_object() {
        t = &t["ofType"];
    }
    match t["kind"].as_str() {
        Some("SCALAR") | Some("ENUM") => "",
        _ => " { __typename }",
    }
}

/// A literal for a required argument of the given type: an id from `known` by the argument's name, else a
/// made-up one.
fn literal_for(arg: &str, type_ref: &Value, known: &HashMap<&str, String>) -> String {
    let mut t = type_ref;
    while t["ofType"].is_object() {
        t = &t["ofType"];
    }
    match t["name"].as_str() {
        Some("ID") => format!("\"{}\"", known.get(arg).cloned().unwrap_or_else(|| uuid::Uuid::new_v4().to_string())),
        Some("String") => "\"NL\"".to_string(),
        Some("Int") => "5".to_string(),
        Some("Boolean") => "false".to_string(),
        Some("NaiveDate") => "\"2027-01-04\"".to_string(),
        other => panic!("the test needs a literal for a required {other:?} argument"),
    }
}

/// Every query of the schema but `publicStatistics`, asked anonymously with its required arguments; those
/// that did not answer UNAUTHENTICATED without data.
async fn anonymous_query_leaks(s: &TestServer, known: &HashMap<&str, String>) -> Vec<String> {
    let schema = s
        .ok(
            "{ __schema { queryType { fields { name args { name defaultValue type { kind name ofType { kind name ofType { kind name } } } } \
               type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }",
            json!({}),
            None,
        )
        .await;
    let fields = schema["__schema"]["queryType"]["fields"].as_array().expect("query fields").clone();
    assert!(fields.len() >= 14, "the whole query type: {fields:?}");
    let mut leaks = Vec::new();
    for f in &fields {
        let name = str_at(f, "/name");
        if name == "publicStatistics" {
            continue;
        }
        let args: Vec<String> = f["args"]
            .as_array()
            .expect("args")
            .iter()
            .filter(|a| a["type"]["kind"] == "NON_NULL" && a["defaultValue"].is_null())
            .map(|a| {
                let arg = str_at(a, "/name");
                format!("{arg}: {}", literal_for(&arg, &a["type"], known))
            })
            .collect();
        let args = if args.is_empty() { String::new() } else { format!("({})", args.join(", ")) };
        let query = format!("{{ {name}{args}{} }}", selection_for(&f["type"]));
        let body = s.gql(&query, json!({}), None).await;
        let refused =
            body["errors"].as_array().and_then(|e| e.first()).and_then(common::code) == Some("UNAUTHENTICATED");
        if !refused || !body["data"].is_null() {
            leaks.push(format!("{query} → {body}"));
        }
    }
    leaks
}

/// A plan with one need, made by AUC: real objects, so refusals are not just "not found".
async fn a_plan_with_a_need(s: &TestServer, auc: &common::User) -> (String, String, String) {
    let plan = s
        .ok(
            "mutation($m: ID!, $i: PlanInput!) { createPlan(municipalityId: $m, input: $i) { id } }",
            json!({ "m": s.mid(codes::LVIV).await, "i": plan_input("Public?") }),
            auc.auth(),
        )
        .await;
    let plan_id = str_at(&plan, "/createPlan/id");
    let skills = s.skill_ids(auc.auth()).await;
    let need = s
        .ok(
            "mutation($p: ID!, $i: NeedInput!) { createNeed(planId: $p, input: $i) { id roles { id } } }",
            json!({ "p": plan_id, "i": common::need_input("Public need?", &skills) }),
            auc.auth(),
        )
        .await;
    (plan_id, str_at(&need, "/createNeed/id"), str_at(&need, "/createNeed/roles/0/id"))
}

async fn anonymous_callers_see_only_the_public_figures(b: Backend) {
    let s = b.start().await;
    let auc = s.user(Role::NeedsCoordinator, None).await;
    let (plan_id, need_id, role_id) = a_plan_with_a_need(&s, &auc).await;

    let d = s.ok("{ publicStatistics { activeExperts contributingMunicipalities fillRate openNeedsPerSector { key count } needsPerStatus { key count } } }", json!({}), None).await;
    assert_eq!(d["publicStatistics"]["activeExperts"], 0);

    // Every other query, as the schema lists them: UNAUTHENTICATED, and no data.
    let known = HashMap::from([("needId", need_id.clone()), ("roleId", role_id)]);
    let leaks = anonymous_query_leaks(&s, &known).await;
    assert!(leaks.is_empty(), "answered anonymously:\n{}", leaks.join("\n"));
    for (query, id) in [
        ("query($id: ID!) { plan(id: $id) { title } }", &plan_id),
        ("query($id: ID!) { need(id: $id) { title } }", &need_id),
    ] {
        assert_code(&s.fails(query, json!({ "id": id }), None).await, "UNAUTHENTICATED");
    }

    // Nor may anonymous callers write.
    for (mutation, vars) in [
        ("mutation($id: ID!) { submitPlan(id: $id) { id } }", json!({ "id": plan_id })),
        ("mutation($id: ID!) { endorsePlan(id: $id) { id } }", json!({ "id": plan_id })),
        ("mutation($id: ID!) { cancelNeed(id: $id) { id } }", json!({ "id": need_id })),
        (
            "mutation($m: ID!, $i: PlanInput!) { createPlan(municipalityId: $m, input: $i) { id } }",
            json!({ "m": s.mid(codes::LVIV).await, "i": plan_input("Anonymous plan") }),
        ),
        ("mutation($id: ID!) { setUserStatus(id: $id, status: DISABLED) { id } }", json!({ "id": auc.id })),
        (
            "mutation($id: ID!) { setPassword(userId: $id, password: \"a brand new password\") }",
            json!({ "id": auc.id }),
        ),
    ] {
        assert_code(&s.fails(mutation, vars, None).await, "UNAUTHENTICATED");
    }
    assert_eq!(
        s.ok("query($id: ID!) { plan(id: $id) { status } }", json!({ "id": plan_id }), auc.auth()).await["plan"]["status"],
        "DRAFT"
    );
    assert_eq!(
        s.ok("query($id: ID!) { need(id: $id) { status } }", json!({ "id": need_id }), auc.auth()).await["need"]["status"],
        "DRAFT"
    );
    assert_eq!(s.count("plans", "", auc.auth()).await, 1);
    // The password did not change.
    data(s.login_response(&auc.email, PASSWORD).await);
}

async fn an_anonymous_caller_cannot_tell_which_ids_exist(b: Backend) {
    let s = b.start().await;
    // Made-up ids everywhere: the answer is UNAUTHENTICATED before anything is looked up.
    let mut leaks = anonymous_query_leaks(&s, &HashMap::new()).await;
    let made_up = uuid::Uuid::new_v4().to_string();
    for mutation in [
        "mutation($id: ID!) { submitPlan(id: $id) { id } }",
        "mutation($id: ID!) { returnPlan(id: $id, reason: \"because\") { id } }",
        "mutation($id: ID!, $i: PlanInput!) { updatePlan(id: $id, input: $i) { id } }",
        "mutation($id: ID!, $i: NeedInput!) { createNeed(planId: $id, input: $i) { id } }",
        "mutation($id: ID!) { cancelNeed(id: $id) { id } }",
        "mutation($id: ID!) { setNeedPriority(id: $id, priority: LOW) { id } }",
        "mutation($id: ID!) { setExpertStatus(id: $id, status: PAUSED) { id } }",
    ] {
        let skills = HashMap::from([
            ("DISTRICT_HEATING".to_string(), made_up.clone()),
            ("ENERGY_EFFICIENCY".to_string(), made_up.clone()),
            ("CAPITAL_INVESTMENT_PLANNING".to_string(), made_up.clone()),
        ]);
        let mut vars = json!({ "id": made_up });
        if mutation.contains("PlanInput") {
            vars["i"] = plan_input("Anonymous");
        } else if mutation.contains("NeedInput") {
            vars["i"] = common::need_input("Anonymous", &skills);
        }
        let body = s.gql(mutation, vars, None).await;
        if common::code(&first_error(&body)) != Some("UNAUTHENTICATED") {
            leaks.push(format!("{mutation} → {body}"));
        }
    }
    assert!(leaks.is_empty(), "looked up before authenticating:\n{}", leaks.join("\n"));
}

async fn the_audit_log_refuses_update_and_delete_in_the_database(b: Backend) {
    let s = b.start().await;
    let admin = s.admin().await;
    s.user(Role::NeedsCoordinator, None).await;
    let before = s.count("auditEvents", "", admin.auth()).await;
    assert!(before >= 2, "the first admin and one more account are audited");

    let statements = [
        "UPDATE audit_events SET action = 'user.nothing_happened'",
        "UPDATE audit_events SET after_state = NULL WHERE action = 'user.create'",
        "DELETE FROM audit_events",
        "DELETE FROM audit_events WHERE action = 'user.create'",
    ];
    for sql in statements {
        let result = match &s.services.db {
            Db::Sqlite(pool) => sqlx::query(sql).execute(pool).await.map(|r| r.rows_affected()),
            Db::Postgres(pool) => sqlx::query(sql).execute(pool).await.map(|r| r.rows_affected()),
        };
        let err = result.expect_err(&format!("the database refuses {sql}"));
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    assert_eq!(s.count("auditEvents", "", admin.auth()).await, before);
    let actions =
        s.ok("{ auditEvents(filter: { action: \"user.create\" }) { totalCount } }", json!({}), admin.auth()).await;
    assert_eq!(actions["auditEvents"]["totalCount"], before);
    // Appending still works.
    s.user(Role::FundOfficer, None).await;
    assert_eq!(s.count("auditEvents", "", admin.auth()).await, before + 1);
}
