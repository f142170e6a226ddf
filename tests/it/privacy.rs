//! Each person's rights over their data: their own copy, erasure (and what stays), consent that can be withdrawn,
//! and contact details erased after the retention period.

use crate::assignment_workflow::{Scene, scene};
use crate::common;

use common::{Backend, assert_bad_input, assert_code, first_error, str_at};
use recovery_pool::store::Db;
use serde_json::{Value, json};

backend_tests!(
    a_person_downloads_everything_the_service_holds_about_them,
    erasing_an_expert_keeps_the_record_and_removes_the_person,
    a_withdrawn_consent_takes_the_expert_out_and_only_they_can_rejoin,
    contact_details_are_erased_once_the_retention_period_after_leaving_has_passed,
);

const MY_DATA: &str = "{ myData { generatedAt summary json } }";
const ERASE: &str = "mutation($id: ID!) { eraseExpert(id: $id) { erasedAt expertId userId } }";
const EXPERT: &str = "query($id: ID!) { expert(id: $id) { name email phone status consentDate \
                      skills { level } privacy { consentWithdrawnAt leftAt contactErasedAt erasedAt } } }";
const ANNA: &str = "Anna Visser";
const ANNA_EMAIL: &str = "anna.visser@gemeente.test";

async fn expert(w: &Scene, id: &str) -> Value {
    w.s.ok(EXPERT, json!({ "id": id }), w.admin.auth()).await["expert"].clone()
}

/// Rows of `table` whose `column` contains `text`.
async fn rows_containing(db: &Db, table: &str, column: &str, text: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table} WHERE CAST({column} AS TEXT) LIKE '%' || $1 || '%'");
    let n: Result<(i64,), sqlx::Error> = match db {
        Db::Sqlite(p) => sqlx::query_as(&sql).bind(text).fetch_one(p).await,
        Db::Postgres(p) => sqlx::query_as(&sql).bind(text).fetch_one(p).await,
    };
    n.expect("the count runs").0
}

/// Every column in which the service could keep a person's name or address, and where it was found.
async fn traces_of(db: &Db, text: &str) -> Vec<String> {
    let places = [
        ("experts", "name"),
        ("experts", "email"),
        ("users", "email"),
        ("users", "display_name"),
        ("notifications", "title"),
        ("notifications", "body"),
        ("email_outbox", "to_address"),
        ("email_outbox", "subject"),
        ("email_outbox", "body"),
        ("invitations", "email"),
        ("invitations", "display_name"),
        ("assignments", "explanation"),
        ("assignments", "expert_feedback"),
        ("round_proposals", "explanation"),
        ("audit_events", "before_state"),
        ("audit_events", "after_state"),
    ];
    let mut found = Vec::new();
    for (table, column) in places {
        let n = rows_containing(db, table, column, text).await;
        if n > 0 && table == "audit_events" {
            let sql = format!("SELECT action FROM audit_events WHERE {column} LIKE '%' || $1 || '%'");
            let actions: Vec<(String,)> = match db {
                Db::Sqlite(p) => sqlx::query_as(&sql).bind(text).fetch_all(p).await,
                Db::Postgres(p) => sqlx::query_as(&sql).bind(text).fetch_all(p).await,
            }
            .expect("the actions read");
            found.push(format!("{table}.{column}: {actions:?}"));
        } else if n > 0 {
            found.push(format!("{table}.{column}: {n}"));
        }
    }
    found
}

async fn a_person_downloads_everything_the_service_holds_about_them(b: Backend) {
    let w = scene(b).await;
    w.proposed("Heat network survey").await;
    let d = w.s.ok(MY_DATA, json!({}), w.expert.auth()).await;
    let summary = str_at(&d, "/myData/summary");
    assert!(summary.contains(ANNA) && summary.contains("Assignments: 1"), "{summary}");
    let text = str_at(&d, "/myData/json");
    assert!(!text.contains("password") && !text.contains("token_hash"), "no secrets in a person's copy");
    let copy: Value = serde_json::from_str(&text).expect("the copy is JSON");
    assert_eq!(copy["account"]["email"], w.expert.email);
    assert_eq!(copy["expertProfile"]["profile"]["name"], ANNA);
    assert_eq!(copy["expertProfile"]["profile"]["email"], ANNA_EMAIL);
    assert_eq!(copy["expertProfile"]["skills"].as_array().map(Vec::len), Some(1));
    assert_eq!(copy["assignments"].as_array().map(Vec::len), Some(1));
    assert!(copy["auditEvents"].as_array().is_some_and(|e| !e.is_empty()), "the events about them are listed");

    // Every signed-in person gets their own copy, and only their own.
    let officer = w.s.ok(MY_DATA, json!({}), w.municipality.auth()).await;
    let theirs: Value = serde_json::from_str(&str_at(&officer, "/myData/json")).expect("JSON");
    assert_eq!(theirs["account"]["email"], w.municipality.email);
    assert!(theirs.get("expertProfile").is_none());
    assert_code(&first_error(&w.s.gql(MY_DATA, json!({}), None).await), "UNAUTHENTICATED");
}

async fn erasing_an_expert_keeps_the_record_and_removes_the_person(b: Backend) {
    let w = scene(b).await;
    let assignment = w.proposed("Heat network survey").await;

    // While an assignment is open, erasing would leave it without its expert.
    let body = w.s.gql(ERASE, json!({ "id": w.anna }), w.municipality.auth()).await;
    assert_bad_input(&first_error(&body), "id");
    let q = "mutation($id: ID!) { cancelAssignment(id: $id, reason: \"Plans changed\") { changed } }";
    w.s.ok(q, json!({ "id": assignment }), w.coordinator.auth()).await;

    // Another municipality's officer, the expert themself and a coordinator may not.
    for who in [&w.other_municipality, &w.expert, &w.coordinator] {
        let body = w.s.gql(ERASE, json!({ "id": w.anna }), who.auth()).await;
        let e = first_error(&body);
        assert!(matches!(common::code(&e), Some("FORBIDDEN" | "NOT_FOUND")), "{} erases: {body}", who.role);
    }
    assert_eq!(expert(&w, &w.anna).await["name"], ANNA);

    let d = w.s.ok(ERASE, json!({ "id": w.anna }), w.municipality.auth()).await;
    assert_eq!(d["eraseExpert"]["expertId"], w.anna.as_str());
    assert_eq!(d["eraseExpert"]["userId"], w.expert.id.as_str());

    // The account is closed at once.
    let (status, body) = w.s.gql_response("{ me { id } }", json!({}), w.expert.auth()).await;
    assert_eq!(status, 401, "{body}");
    assert!(w.s.login_response(&w.expert.email, common::PASSWORD).await["errors"].is_array());

    // The record stays, without the person.
    let e = expert(&w, &w.anna).await;
    assert_eq!(e["name"], "Erased person");
    assert!(e["email"].as_str().is_some_and(|m| m.ends_with("@erased.invalid")), "{e}");
    assert_eq!(e["phone"], Value::Null);
    assert_eq!(e["status"], "WITHDRAWN");
    assert_eq!(e["skills"], json!([]));
    assert!(e["privacy"]["erasedAt"].is_string() && e["privacy"]["consentWithdrawnAt"].is_string(), "{e}");
    let q = "query($id: ID!) { assignment(id: $id) { status expert { id } } }";
    let a = w.s.ok(q, json!({ "id": assignment }), w.admin.auth()).await;
    assert_eq!(a["assignment"]["status"], "CANCELLED");
    assert_eq!(a["assignment"]["expert"]["id"], w.anna.as_str());

    // Nowhere does the name or the address remain, and the audit chain still verifies.
    let db = &w.s.services.db;
    for text in [ANNA, ANNA_EMAIL, w.expert.email.as_str()] {
        assert_eq!(traces_of(db, text).await, Vec::<String>::new(), "traces of {text}");
    }
    let chain = w.s.services.verify_audit_chain().await.expect("the chain reads");
    assert!(chain.defects.is_empty(), "{:?}", chain.defects);
    let q = "query($o: ID!) { auditEvents(filter: { objectId: $o }, first: 5) { edges { node { action } } } }";
    let events = w.s.ok(q, json!({ "o": w.anna }), w.admin.auth()).await;
    assert_eq!(events["auditEvents"]["edges"][0]["node"]["action"], "expert.erase");

    // Once is enough.
    assert_bad_input(&first_error(&w.s.gql(ERASE, json!({ "id": w.anna }), w.admin.auth()).await), "id");
}

async fn a_withdrawn_consent_takes_the_expert_out_and_only_they_can_rejoin(b: Backend) {
    let w = scene(b).await;
    let withdraw =
        "mutation($e: ID!) { withdrawConsent(expertId: $e) { status privacy { consentWithdrawnAt leftAt } } }";
    let d = w.s.ok(withdraw, json!({ "e": w.anna }), w.municipality.auth()).await;
    assert_eq!(d["withdrawConsent"]["status"], "WITHDRAWN");
    assert!(d["withdrawConsent"]["privacy"]["consentWithdrawnAt"].is_string());
    assert!(d["withdrawConsent"]["privacy"]["leftAt"].is_string());
    assert_bad_input(&first_error(&w.s.gql(withdraw, json!({ "e": w.anna }), w.expert.auth()).await), "expertId");
    let body = w.s.gql(withdraw, json!({ "e": w.anna }), w.other_municipality.auth()).await;
    assert!(matches!(common::code(&first_error(&body)), Some("FORBIDDEN" | "NOT_FOUND")), "{body}");

    // Their officer cannot put them back; they can, which is consenting anew today.
    let activate = "mutation($id: ID!) { setExpertStatus(id: $id, status: ACTIVE) { status consentDate } }";
    assert_bad_input(&first_error(&w.s.gql(activate, json!({ "id": w.anna }), w.municipality.auth()).await), "status");
    let d = w.s.ok(activate, json!({ "id": w.anna }), w.expert.auth()).await;
    assert_eq!(d["setExpertStatus"]["status"], "ACTIVE");
    assert_eq!(d["setExpertStatus"]["consentDate"], chrono::Utc::now().date_naive().to_string());
    let e = expert(&w, &w.anna).await;
    assert_eq!(e["privacy"]["consentWithdrawnAt"], Value::Null);
    assert_eq!(e["privacy"]["leftAt"], Value::Null);
}

async fn contact_details_are_erased_once_the_retention_period_after_leaving_has_passed(b: Backend) {
    let w = scene(b).await;
    let q = "mutation($id: ID!) { setExpertStatus(id: $id, status: WITHDRAWN) { status } }";
    w.s.ok(q, json!({ "id": w.anna }), w.municipality.auth()).await;
    let now = chrono::Utc::now();
    let services = &w.s.services;
    let retention = chrono::Duration::days(services.settings.contact_retention_days);
    let soon = services.erase_departed_contacts_once(now + retention - chrono::Duration::days(1)).await;
    assert_eq!(soon.expect("the job runs"), 0, "not before the retention period has passed");
    assert_eq!(expert(&w, &w.anna).await["email"], ANNA_EMAIL);

    let later = services.erase_departed_contacts_once(now + retention + chrono::Duration::days(1)).await;
    assert_eq!(later.expect("the job runs"), 1);
    let e = expert(&w, &w.anna).await;
    assert!(e["email"].as_str().is_some_and(|m| m.ends_with("@erased.invalid")), "{e}");
    assert_eq!(e["phone"], Value::Null);
    assert_eq!(e["name"], ANNA, "only the contact details go");
    assert!(e["privacy"]["contactErasedAt"].is_string());
    assert_eq!(
        expert(&w, &w.bert).await["email"],
        "bert.kramer@gemeente.test",
        "experts still in the pool keep theirs"
    );
    let again = services.erase_departed_contacts_once(now + retention + chrono::Duration::days(2)).await;
    assert_eq!(again.expect("the job runs"), 0, "each expert once");
}
