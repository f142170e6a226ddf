//! Accounts by invitation and passwords reset by e-mail: who may invite whom, the one-time links, and what the
//! database keeps of them.

use crate::common;

use common::{Backend, TestServer, User, assert_bad_input, assert_code, codes, expert_profile, str_at};
use recovery_pool::domain::Role;
use recovery_pool::store::Db;
use recovery_pool::store::notification::{OutboxRow, outbox_of};
use serde_json::{Value, json};
use uuid::Uuid;

backend_tests!(
    a_municipality_officer_invites_their_expert_who_chooses_a_password_and_signs_in,
    an_invited_expert_accepts_and_agrees_to_an_assignment,
    invitations_stay_within_the_inviters_scope,
    an_expired_or_used_link_opens_nothing,
    a_password_reset_answers_the_same_for_unknown_addresses_and_works_once,
);

const INVITE: &str = "mutation($i: InvitationInput!) { inviteUser(input: $i) { id email role expiresAt acceptedAt } }";
const ACCEPT: &str = "mutation($t: String!, $p: String!) { acceptInvitation(token: $t, password: $p) { token user { role expertId language email } } }";
const NEW_PASSWORD: &str = "a long new password";

async fn outbox(s: &TestServer, user_id: &str) -> Vec<OutboxRow> {
    let mut c = s.services.db.acquire().await.expect("a connection");
    outbox_of(&mut c.conn(), Uuid::parse_str(user_id).expect("a uuid")).await.expect("the outbox reads")
}

/// The token of the newest link in `mails` (`#/{page}/{token}`).
fn token_in(mails: &[OutboxRow], page: &str) -> String {
    let marker = format!("#/{page}/");
    let body = &mails.last().expect("an e-mail").body;
    let at = body.find(&marker).unwrap_or_else(|| panic!("a link in {body}")) + marker.len();
    body[at..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect()
}

async fn raw(db: &Db, sql: &str) -> u64 {
    let done = match db {
        Db::Sqlite(p) => sqlx::query(sql).execute(p).await.map(|r| r.rows_affected()),
        Db::Postgres(p) => sqlx::query(sql).execute(p).await.map(|r| r.rows_affected()),
    };
    done.expect("the statement runs")
}

async fn expert_of(s: &TestServer, officer: &User, code: &str, name: &str) -> String {
    let admin = s.admin().await;
    let skills = s.skill_ids(admin.auth()).await;
    let q = "mutation($m: ID!, $p: ExpertProfileInput!) { createExpert(municipalityId: $m, profile: $p) { id } }";
    let p = expert_profile(name, "Engineer", &[(&skills["DISTRICT_HEATING"], 4)], &[("en", "B2")]);
    str_at(&s.ok(q, json!({ "m": s.mid(code).await, "p": p }), officer.auth()).await, "/createExpert/id")
}

fn expert_invitation(expert: &str, email: &str) -> Value {
    json!({ "email": email, "displayName": "Anna Visser", "role": "EXPERT", "expertId": expert, "language": "nl" })
}

async fn a_municipality_officer_invites_their_expert_who_chooses_a_password_and_signs_in(b: Backend) {
    let s = b.start().await;
    let officer = s.user(Role::MunicipalityOfficer, Some(codes::UTRECHT)).await;
    let expert = expert_of(&s, &officer, codes::UTRECHT, "Anna Visser").await;
    let d = s.ok(INVITE, json!({ "i": expert_invitation(&expert, "Anna.Visser@utrecht.test") }), officer.auth()).await;
    assert_eq!(d["inviteUser"]["email"], "anna.visser@utrecht.test");
    assert_eq!(d["inviteUser"]["acceptedAt"], Value::Null);
    let q = "query($id: ID!) { expert(id: $id) { hasAccount invitationPending } }";
    let state = s.ok(q, json!({ "id": expert }), officer.auth()).await;
    assert_eq!(state["expert"], json!({ "hasAccount": false, "invitationPending": true }));

    let mails = outbox(&s, &officer.id).await;
    let mail = mails.last().expect("the invitation e-mail");
    assert_eq!(mail.to_address, "anna.visser@utrecht.test");
    assert!(mail.body.starts_with("Beste Anna Visser"), "in the invitee's language: {}", mail.body);
    let token = token_in(&mails, "invitation");
    assert!(token.len() >= 40, "a long random token: {token}");
    // Only the token's hash is kept.
    let mut c = s.services.db.acquire().await.expect("a connection");
    let kept = recovery_pool::store::invitation::by_token_for_update(&mut c.conn(), &token).await.expect("reads");
    assert!(kept.is_none(), "the token itself is not stored");
    drop(c);

    let d = s.ok(ACCEPT, json!({ "t": token, "p": NEW_PASSWORD }), None).await;
    let user = &d["acceptInvitation"]["user"];
    assert_eq!(
        (user["role"].clone(), user["expertId"].clone(), user["language"].clone()),
        (json!("EXPERT"), json!(expert), json!("nl"))
    );
    let me = s.ok("{ me { email } }", json!({}), d["acceptInvitation"]["token"].as_str()).await;
    assert_eq!(me["me"]["email"], "anna.visser@utrecht.test");
    let login = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }";
    assert!(
        s.ok(login, json!({ "e": "anna.visser@utrecht.test", "p": NEW_PASSWORD }), None).await["login"]["token"]
            .is_string()
    );
    let state = s.ok(q, json!({ "id": expert }), officer.auth()).await;
    assert_eq!(state["expert"], json!({ "hasAccount": true, "invitationPending": false }));
    // The same person twice is refused.
    let again = s.gql(INVITE, json!({ "i": expert_invitation(&expert, "other@utrecht.test") }), officer.auth()).await;
    assert_code(&common::first_error(&again), "CONFLICT");
}

async fn invitations_stay_within_the_inviters_scope(b: Backend) {
    let s = b.start().await;
    let utrecht = s.user(Role::MunicipalityOfficer, Some(codes::UTRECHT)).await;
    let amsterdam = s.user(Role::MunicipalityOfficer, Some(codes::AMSTERDAM)).await;
    let hromada = s.user(Role::HromadaOfficer, Some(codes::LVIV)).await;
    let auc = s.user(Role::NeedsCoordinator, None).await;
    let coordinator = s.user(Role::PoolCoordinator, None).await;
    let expert = expert_of(&s, &utrecht, codes::UTRECHT, "Bert Kramer").await;
    let refused = |body: Value| {
        let e = common::first_error(&body);
        assert_code(&e, "FORBIDDEN");
        e
    };
    let e = refused(s.gql(INVITE, json!({ "i": expert_invitation(&expert, "bert@x.test") }), amsterdam.auth()).await);
    assert_eq!(e["message"], "a municipality officer may not invite this expert to an account");
    let officer = json!({ "email": "olena@lviv.test", "displayName": "Olena", "role": "HROMADA_OFFICER", "municipalityId": s.mid(codes::LVIV).await });
    refused(s.gql(INVITE, json!({ "i": officer }), hromada.auth()).await);
    refused(s.gql(INVITE, json!({ "i": officer }), utrecht.auth()).await);
    s.ok(INVITE, json!({ "i": officer }), auc.auth()).await;
    let peer = json!({ "email": "peer@vng.test", "displayName": "Peer", "role": "POOL_COORDINATOR" });
    s.ok(INVITE, json!({ "i": peer }), coordinator.auth()).await;
    refused(s.gql(INVITE, json!({ "i": peer }), auc.auth()).await);
    let admin = json!({ "email": "root@vng.test", "displayName": "Root", "role": "ADMIN" });
    refused(s.gql(INVITE, json!({ "i": admin }), coordinator.auth()).await);
    // Bad input names its field, before anything is sent.
    let wrong_side = json!({ "email": "x@lviv.test", "displayName": "X", "role": "HROMADA_OFFICER", "municipalityId": s.mid(codes::UTRECHT).await });
    let body = s.gql(INVITE, json!({ "i": wrong_side }), auc.auth()).await;
    assert_bad_input(&common::first_error(&body), "municipalityId");
    let body = s
        .gql(
            INVITE,
            json!({ "i": { "email": "not an address", "displayName": "X", "role": "POOL_COORDINATOR" } }),
            coordinator.auth(),
        )
        .await;
    assert_bad_input(&common::first_error(&body), "email");
    let body = s
        .gql(
            INVITE,
            json!({ "i": { "email": "a@b.test", "displayName": "X", "role": "POOL_COORDINATOR", "language": "fr" } }),
            coordinator.auth(),
        )
        .await;
    assert_bad_input(&common::first_error(&body), "language");
}

async fn an_expired_or_used_link_opens_nothing(b: Backend) {
    let s = b.start().await;
    let officer = s.user(Role::MunicipalityOfficer, Some(codes::UTRECHT)).await;
    for (n, expire) in [(1, true), (2, false)] {
        let expert = expert_of(&s, &officer, codes::UTRECHT, &format!("Carla Smit {n}")).await;
        s.ok(INVITE, json!({ "i": expert_invitation(&expert, &format!("carla{n}@utrecht.test")) }), officer.auth())
            .await;
        let token = token_in(&outbox(&s, &officer.id).await, "invitation");
        if expire {
            raw(&s.services.db, "UPDATE invitations SET expires_at = created_at").await;
        } else {
            s.ok(ACCEPT, json!({ "t": token, "p": NEW_PASSWORD }), None).await;
        }
        let body = s.gql(ACCEPT, json!({ "t": token, "p": NEW_PASSWORD }), None).await;
        assert_bad_input(&common::first_error(&body), "token");
    }
    let body = s.gql(ACCEPT, json!({ "t": "made-up", "p": NEW_PASSWORD }), None).await;
    assert_bad_input(&common::first_error(&body), "token");
}

async fn a_password_reset_answers_the_same_for_unknown_addresses_and_works_once(b: Backend) {
    let s = b.start().await;
    let user = s.user(Role::PoolCoordinator, None).await;
    let q = "mutation($e: String!) { requestPasswordReset(email: $e) }";
    let known = s.ok(q, json!({ "e": user.email }), None).await;
    let unknown = s.ok(q, json!({ "e": "nobody@nowhere.test" }), None).await;
    assert_eq!(known, unknown, "the same answer either way");
    let mails = outbox(&s, &user.id).await;
    let token = token_in(&mails, "reset");
    let reset = "mutation($t: String!, $p: String!) { resetPassword(token: $t, password: $p) }";
    assert_bad_input(&common::first_error(&s.gql(reset, json!({ "t": token, "p": "short" }), None).await), "password");
    // The old token of the account ends with the reset.
    assert_eq!(s.ok(reset, json!({ "t": token, "p": NEW_PASSWORD }), None).await["resetPassword"], true);
    let (status, body) = s.gql_response("{ me { id } }", json!({}), user.auth()).await;
    assert_eq!(status, reqwest::StatusCode::UNAUTHORIZED, "{body}");
    assert_code(&common::first_error(&body), "UNAUTHENTICATED");
    let login = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }";
    assert!(s.ok(login, json!({ "e": user.email, "p": NEW_PASSWORD }), None).await["login"]["token"].is_string());
    assert_bad_input(
        &common::first_error(&s.gql(reset, json!({ "t": token, "p": NEW_PASSWORD }), None).await),
        "token",
    );
    // Asking again and again sends a few links an hour, not a flood; the answer stays the same.
    for _ in 0..5 {
        assert_eq!(s.ok(q, json!({ "e": user.email }), None).await, known);
    }
    let links = outbox(&s, &user.id).await.iter().filter(|m| m.body.contains("#/reset/")).count();
    assert_eq!(links, 3, "at most three reset links an hour");
}

async fn an_invited_expert_accepts_and_agrees_to_an_assignment(b: Backend) {
    let w = crate::assignment_workflow::scene(b).await;
    let carla = expert_of(&w.s, &w.municipality, codes::UTRECHT, "Carla Smit").await;
    let invitation = json!({ "email": "carla.smit@utrecht.test", "displayName": "Carla Smit", "role": "EXPERT",
                             "expertId": carla, "language": "en" });
    w.s.ok(INVITE, json!({ "i": invitation }), w.municipality.auth()).await;
    let token = token_in(&outbox(&w.s, &w.municipality.id).await, "invitation");
    let d = w.s.ok(ACCEPT, json!({ "t": token, "p": NEW_PASSWORD }), None).await;
    let carla_token = str_at(&d, "/acceptInvitation/token");

    let need = w.need("Heat network survey", 1).await;
    let assignment = w.propose(&need, &carla).await;
    let agree = "mutation($id: ID!) { agreeToAssignment(id: $id) { changed assignment { expertAgreedAt } } }";
    let d = w.s.ok(agree, json!({ "id": assignment }), Some(&carla_token)).await;
    assert_eq!(d["agreeToAssignment"]["changed"], true);
    assert!(d["agreeToAssignment"]["assignment"]["expertAgreedAt"].is_string(), "{d}");
}
