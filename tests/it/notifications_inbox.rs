//! Notifications (docs/workflows.md "whoever must act is told"): the inbox over HTTP, each user's e-mail choice and the
//! outbox it fills, the daily digest, proposals that wait too long, and the live subscription over WebSocket —
//! each against the real server, on SQLite and (with TEST_DATABASE_URL) PostgreSQL.

use crate::common;
use crate::notifications_support;

use std::collections::HashSet;
use std::time::Duration;

use common::{Backend, TestServer, User, assert_bad_input, assert_code, codes, nodes, str_at};
use notifications_support::{Cast, NOTIFICATION_FIELDS, Proposable, Ws, proposable, propose};
use recovery_pool::auth::Principal;
use recovery_pool::domain::assignment::AssignmentStatus;
use recovery_pool::domain::{OutboxStatus, Role};
use recovery_pool::service::notifications::{Audience, Notice};
use recovery_pool::service::now;
use recovery_pool::store::notification::{OutboxRow, outbox_of};
use serde_json::{Value, json};
use uuid::Uuid;

backend_tests!(
    a_proposal_reaches_the_inboxes_of_those_who_must_act_and_not_the_proposer,
    the_inbox_pages_newest_first_counts_unread_and_marks_only_ones_own_read,
    each_users_email_choice_decides_what_reaches_the_outbox,
    the_daily_digest_lists_unread_notifications_once_per_day,
    proposals_waiting_too_long_are_flagged_once_to_the_pool_coordinators,
    a_subscription_delivers_only_the_subscribers_own_notifications_live,
    a_websocket_without_a_valid_token_is_refused,
);

/// Everyone a proposal concerns, and an outsider.
struct Scene {
    s: TestServer,
    coordinator: User,
    auc: User,
    officer: User,
    municipality_officer: User,
    outsider: User,
    proposable: Proposable,
}

async fn scene(b: Backend) -> Scene {
    let s = b.start().await;
    let coordinator = s.user(Role::PoolCoordinator, None).await;
    let auc = s.user(Role::NeedsCoordinator, None).await;
    let officer = s.user(Role::HromadaOfficer, Some(codes::LVIV)).await;
    let municipality_officer = s.user(Role::MunicipalityOfficer, Some(codes::AMSTERDAM)).await;
    let outsider = s.user(Role::FundOfficer, None).await;
    let skills = s.skill_ids(auc.auth()).await;
    let (lviv, amsterdam) = (s.mid(codes::LVIV).await, s.mid(codes::AMSTERDAM).await);
    let cast = Cast {
        hromada_officer: &officer.token,
        needs_coordinator: &auc.token,
        municipality_officer: &municipality_officer.token,
        lviv: &lviv,
        amsterdam: &amsterdam,
    };
    let proposable = proposable(&s, &cast, &skills).await;
    Scene { s, coordinator, auc, officer, municipality_officer, outsider, proposable }
}

fn uuid(id: &str) -> Uuid {
    Uuid::parse_str(id).expect("a UUID")
}

/// The principal behind a signed-in user, as the server sees it.
fn principal(s: &TestServer, u: &User) -> Principal {
    s.services.tokens.verify(&u.token).expect("the harness's token verifies").principal
}

/// A user's whole inbox (newest first) and unread count.
async fn inbox(s: &TestServer, u: &User) -> (Vec<Value>, i64) {
    let q = format!(
        "{{ notifications(first: 100) {{ totalCount edges {{ node {{ {NOTIFICATION_FIELDS} }} }} }} unreadNotificationCount }}"
    );
    let d = s.ok(&q, json!({}), u.auth()).await;
    let items = nodes(&d["notifications"]);
    assert_eq!(d["notifications"]["totalCount"].as_u64(), Some(items.len() as u64));
    (items, d["unreadNotificationCount"].as_i64().expect("an unread count"))
}

/// The notifications of `kind` about `object` in a user's inbox.
async fn about(s: &TestServer, u: &User, kind: &str, object: &str) -> Vec<Value> {
    inbox(s, u).await.0.into_iter().filter(|n| n["kind"] == kind && n["objectId"] == object).collect()
}

/// Tells `users` something, as the system would (in a transaction of its own, then published).
async fn tell(s: &TestServer, users: &[&User], title: &str) -> Vec<Uuid> {
    let rows = s
        .services
        .notify(&[Notice {
            kind: "test.notice".into(),
            title: title.into(),
            body: format!("{title}: the body.").into(),
            object_type: "test",
            object_id: Uuid::now_v7(),
            audience: vec![Audience::Users(users.iter().map(|u| uuid(&u.id)).collect())],
        }])
        .await
        .expect("the notice is recorded");
    rows.into_iter().map(|r| r.id).collect()
}

async fn outbox(s: &TestServer, u: &User) -> Vec<OutboxRow> {
    let mut c = s.services.db.acquire().await.expect("a connection");
    outbox_of(&mut c.conn(), uuid(&u.id)).await.expect("the outbox reads")
}

async fn audit_actions(s: &TestServer, object_id: &str) -> Vec<(String, String)> {
    let admin = s.admin().await;
    let q =
        "query($o: ID!) { auditEvents(filter: { objectId: $o }, first: 100) { edges { node { action actorId } } } }";
    let d = s.ok(q, json!({ "o": object_id }), admin.auth()).await;
    nodes(&d["auditEvents"])
        .iter()
        .map(|e| (str_at(e, "/action"), e["actorId"].as_str().unwrap_or("system").to_string()))
        .collect()
}

async fn a_proposal_reaches_the_inboxes_of_those_who_must_act_and_not_the_proposer(b: Backend) {
    let sc = scene(b).await;
    let s = &sc.s;
    let assignment = propose(s, &sc.proposable, &sc.coordinator.token).await;

    // AUC and the hromada decide; the expert's municipality will be asked to release them.
    for (who, u) in
        [("AUC", &sc.auc), ("the hromada officer", &sc.officer), ("the municipality officer", &sc.municipality_officer)]
    {
        let got = about(s, u, "assignment.proposed", &assignment).await;
        assert_eq!(got.len(), 1, "{who} is told once: {got:?}");
        let n = &got[0];
        assert_eq!(n["objectType"], "assignment");
        assert_eq!(n["read"], false);
        assert!(n["readAt"].is_null());
        assert!(n["title"].as_str().is_some_and(|t| t.contains("Anna de Vries")), "the title names the expert: {n}");
    }
    assert!(about(s, &sc.coordinator, "assignment.proposed", &assignment).await.is_empty(), "not the proposer");
    assert!(inbox(s, &sc.outsider).await.0.is_empty(), "not someone it does not concern");

    // Those who chose immediate e-mail (the default) have it in the outbox, addressed to them.
    let mails = outbox(s, &sc.auc).await;
    let n = &about(s, &sc.auc, "assignment.proposed", &assignment).await[0];
    let mail = mails.iter().find(|m| m.subject == n["title"].as_str().unwrap_or_default()).expect("an e-mail for AUC");
    assert_eq!(mail.to_address, sc.auc.email);
    assert!(mail.body.contains(&assignment), "the e-mail says where to look: {}", mail.body);
}

async fn the_inbox_pages_newest_first_counts_unread_and_marks_only_ones_own_read(b: Backend) {
    let s = b.start().await;
    let (me, other) = (s.user(Role::FundOfficer, None).await, s.user(Role::FundOfficer, None).await);
    let mut ids = Vec::new();
    for i in 1..=5 {
        ids.extend(tell(&s, &[&me], &format!("Notice {i}")).await);
    }
    tell(&s, &[&other], "For the other one").await;

    let q = format!(
        "query($after: String, $unread: Boolean) {{ notifications(first: 2, after: $after, unreadOnly: $unread) {{ \
         totalCount pageInfo {{ hasNextPage endCursor }} edges {{ cursor node {{ {NOTIFICATION_FIELDS} }} }} }} }}"
    );
    let mut titles = Vec::new();
    let mut after = Value::Null;
    loop {
        let d = s.ok(&q, json!({ "after": after }), me.auth()).await;
        let c = &d["notifications"];
        assert_eq!(c["totalCount"], 5, "every page counts the whole list");
        titles.extend(nodes(c).iter().map(|n| str_at(n, "/title")));
        if c["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = c["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(titles, ["Notice 5", "Notice 4", "Notice 3", "Notice 2", "Notice 1"], "newest first, each once");

    let unread = |u: &User| {
        let s = &s;
        let token = u.token.clone();
        async move { s.ok("{ unreadNotificationCount }", json!({}), Some(&token)).await["unreadNotificationCount"].clone() }
    };
    assert_eq!(unread(&me).await, 5);

    // Marking read: one's own only; someone else's is NOT_FOUND, like an id that does not exist.
    let mark = "mutation($id: ID!) { markNotificationRead(id: $id) { id read readAt } }";
    let third = ids[2].to_string();
    assert_code(&s.fails(mark, json!({ "id": third }), other.auth()).await, "NOT_FOUND");
    assert_code(&s.fails(mark, json!({ "id": Uuid::now_v7().to_string() }), me.auth()).await, "NOT_FOUND");
    assert_code(&s.fails(mark, json!({ "id": third }), None).await, "UNAUTHENTICATED");
    assert_bad_input(&s.fails(mark, json!({ "id": "not-an-id" }), me.auth()).await, "id");
    assert_eq!(unread(&me).await, 5, "refused attempts change nothing");

    let marked = s.ok(mark, json!({ "id": third }), me.auth()).await["markNotificationRead"].clone();
    assert_eq!(marked["read"], true);
    let read_at = marked["readAt"].clone();
    assert!(read_at.is_string());
    let again = s.ok(mark, json!({ "id": third }), me.auth()).await["markNotificationRead"].clone();
    assert_eq!(again["readAt"], read_at, "marking again keeps the first time");
    assert_eq!(unread(&me).await, 4);
    assert_eq!(audit_actions(&s, &third).await, [("notification.read".to_string(), me.id.clone())], "audited once");

    let d = s.ok(&q, json!({ "unread": true }), me.auth()).await;
    assert_eq!(d["notifications"]["totalCount"], 4);
    let d = s
        .ok("{ notifications(unreadOnly: true, first: 100) { edges { node { title } } } }", json!({}), me.auth())
        .await;
    let unread_titles: Vec<String> = nodes(&d["notifications"]).iter().map(|n| str_at(n, "/title")).collect();
    assert_eq!(unread_titles, ["Notice 5", "Notice 4", "Notice 2", "Notice 1"]);

    let all = "mutation { markAllNotificationsRead }";
    assert_eq!(s.ok(all, json!({}), me.auth()).await["markAllNotificationsRead"], 4);
    assert_eq!(s.ok(all, json!({}), me.auth()).await["markAllNotificationsRead"], 0);
    assert_eq!(unread(&me).await, 0);
    assert_eq!(unread(&other).await, 1, "the other user's stay unread");
    assert!(audit_actions(&s, &me.id).await.iter().any(|(a, by)| a == "user.read_all_notifications" && *by == me.id));

    assert_code(&s.fails("{ notifications { totalCount } }", json!({}), None).await, "UNAUTHENTICATED");
    assert_code(&s.fails("{ unreadNotificationCount }", json!({}), None).await, "UNAUTHENTICATED");
    assert_bad_input(&s.fails("{ notifications(first: 0) { totalCount } }", json!({}), me.auth()).await, "first");
}

async fn each_users_email_choice_decides_what_reaches_the_outbox(b: Backend) {
    let s = b.start().await;
    let immediate = s.user(Role::FundOfficer, None).await;
    let digest = s.user(Role::FundOfficer, None).await;
    let off = s.user(Role::FundOfficer, None).await;
    let set = "mutation($m: EmailMode!) { setNotificationPreference(mode: $m) }";
    assert_eq!(
        s.ok("{ notificationPreference }", json!({}), immediate.auth()).await["notificationPreference"],
        "IMMEDIATE"
    );
    assert_eq!(s.ok(set, json!({ "m": "DIGEST" }), digest.auth()).await["setNotificationPreference"], "DIGEST");
    assert_eq!(s.ok(set, json!({ "m": "OFF" }), off.auth()).await["setNotificationPreference"], "OFF");
    assert_eq!(s.ok("{ notificationPreference }", json!({}), off.auth()).await["notificationPreference"], "OFF");
    assert_code(&s.fails(set, json!({ "m": "OFF" }), None).await, "UNAUTHENTICATED");
    let audited = audit_actions(&s, &off.id).await;
    assert!(audited.contains(&("user.set_notification_preference".to_string(), off.id.clone())), "{audited:?}");

    tell(&s, &[&immediate, &digest, &off], "Your proposal was accepted").await;
    for u in [&immediate, &digest, &off] {
        assert_eq!(inbox(&s, u).await.1, 1, "the inbox has it whatever the e-mail choice");
    }
    let mails = outbox(&s, &immediate).await;
    assert_eq!(mails.len(), 1, "one e-mail for the immediate choice");
    assert_eq!(mails[0].to_address, immediate.email);
    assert_eq!(mails[0].subject, "Your proposal was accepted");
    assert!(mails[0].body.starts_with("Your proposal was accepted: the body."), "{}", mails[0].body);
    assert!(mails[0].body.contains("inbox"), "says where to see it: {}", mails[0].body);
    assert!(outbox(&s, &digest).await.is_empty(), "the digest waits for its hour");
    assert!(outbox(&s, &off).await.is_empty(), "no e-mail at all");

    // This server has no SMTP: the background sender only records the e-mail.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let row = &outbox(&s, &immediate).await[0];
        if row.status == OutboxStatus::Recorded {
            assert_eq!((row.attempts, row.sent_at), (0, None), "nothing was sent");
            break;
        }
        assert_eq!(row.status, OutboxStatus::Pending);
        assert!(tokio::time::Instant::now() < deadline, "the outbox row is recorded within 30 s");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let run = s.services.run_mail_once().await.expect("the sender runs");
    assert_eq!((run.sent, run.recorded), (0, 0), "nothing is left to do");
}

async fn the_daily_digest_lists_unread_notifications_once_per_day(b: Backend) {
    let s = b.start().await;
    let reader = s.user(Role::FundOfficer, None).await;
    let immediate = s.user(Role::FundOfficer, None).await;
    let set = "mutation($m: EmailMode!) { setNotificationPreference(mode: $m) }";
    s.ok(set, json!({ "m": "DIGEST" }), reader.auth()).await;
    tell(&s, &[&reader, &immediate], "First news").await;
    tell(&s, &[&reader, &immediate], "Second news").await;

    // Before the digest hour has come round again, nothing goes out.
    assert_eq!(s.services.run_digest_once(now()).await.expect("the digest runs"), 0);

    // A day later the digest is due; two replicas running it at once send it once.
    let tomorrow = now() + chrono::Duration::days(1);
    let (a, b2) = tokio::join!(s.services.run_digest_once(tomorrow), s.services.run_digest_once(tomorrow));
    assert_eq!(a.expect("the digest runs") + b2.expect("the digest runs"), 1, "one digest");
    let mails = outbox(&s, &reader).await;
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].to_address, reader.email);
    assert!(mails[0].subject.contains("unread notifications (2)"), "{}", mails[0].subject);
    assert!(mails[0].body.contains("First news") && mails[0].body.contains("Second news"), "{}", mails[0].body);
    assert_eq!(outbox(&s, &immediate).await.len(), 2, "the immediate user had theirs one by one, no digest");
    assert_eq!(s.services.run_digest_once(tomorrow).await.expect("the digest runs"), 0, "once per day");

    // The next day lists only what came since, and nothing when nothing is unread.
    s.ok("mutation { markAllNotificationsRead }", json!({}), reader.auth()).await;
    let day_after = tomorrow + chrono::Duration::days(1);
    assert_eq!(s.services.run_digest_once(day_after).await.expect("the digest runs"), 0, "nothing unread, no e-mail");
    assert_eq!(outbox(&s, &reader).await.len(), 1);
}

async fn proposals_waiting_too_long_are_flagged_once_to_the_pool_coordinators(b: Backend) {
    let sc = scene(b).await;
    let s = &sc.s;
    let assignment = propose(s, &sc.proposable, &sc.coordinator.token).await;
    let other_coordinator = s.user(Role::PoolCoordinator, None).await;

    let q = "{ staleProposals(first: 10) { totalCount edges { node { id status } } } }";
    let d = s.ok(q, json!({}), sc.coordinator.auth()).await;
    assert_eq!(d["staleProposals"]["totalCount"], 0, "a fresh proposal is not stale");
    assert_code(&s.fails(q, json!({}), sc.auc.auth()).await, "FORBIDDEN");
    assert_code(&s.fails(q, json!({}), sc.officer.auth()).await, "FORBIDDEN");
    assert_code(&s.fails(q, json!({}), None).await, "UNAUTHENTICATED");
    assert_eq!(s.services.flag_stale_once(now()).await.expect("the check runs"), 0);

    // Three days and an hour later (the limit is 72 hours), the coordinators are told, once.
    let later = now() + chrono::Duration::hours(73);
    let (a, b2) = tokio::join!(s.services.flag_stale_once(later), s.services.flag_stale_once(later));
    assert_eq!(a.expect("the check runs") + b2.expect("the check runs"), 1, "flagged once, even by two at once");
    for c in [&sc.coordinator, &other_coordinator] {
        let got = about(s, c, "assignment.stale", &assignment).await;
        assert_eq!(got.len(), 1, "each coordinator is told once: {got:?}");
        assert!(got[0]["body"].as_str().is_some_and(|b| b.contains("Anna de Vries")), "{}", got[0]);
    }
    assert!(about(s, &sc.auc, "assignment.stale", &assignment).await.is_empty(), "only the coordinators");
    assert_eq!(s.services.flag_stale_once(later + chrono::Duration::hours(5)).await.expect("the check runs"), 0);
    let late_coordinator = s.user(Role::PoolCoordinator, None).await;
    assert!(about(s, &late_coordinator, "assignment.stale", &assignment).await.is_empty(), "never flagged again");

    // The list shows the proposal once it is older than the limit.
    let strict = s
        .services
        .clone()
        .with_settings(recovery_pool::config::WorkflowSettings { stale_proposal_hours: 0, ..Default::default() });
    let page =
        strict.stale_proposals(Some(&principal(s, &sc.coordinator)), None, None).await.expect("a coordinator reads");
    assert_eq!(page.items.iter().map(|a| a.id.to_string()).collect::<Vec<_>>(), std::slice::from_ref(&assignment));
    assert_eq!(page.items[0].status, AssignmentStatus::Proposed);
    assert!(strict.stale_proposals(Some(&principal(s, &sc.auc)), None, None).await.is_err(), "AUC may not");
}

async fn a_subscription_delivers_only_the_subscribers_own_notifications_live(b: Backend) {
    let sc = scene(b).await;
    let s = &sc.s;
    let mut auc = Ws::signed_in(&s.base, &sc.auc.token).await;
    auc.subscribe_notifications("1").await;
    // The other accepted form of the connection_init payload.
    let mut outsider = match Ws::connect(&s.base, json!({ "token": sc.outsider.token })).await {
        Ok(ws) => ws,
        Err(e) => panic!("a {{\"token\": …}} payload signs in too: {e:?}"),
    };
    outsider.subscribe_notifications("7").await;
    wait_for_subscribers(s, 2).await;

    let assignment = propose(s, &sc.proposable, &sc.coordinator.token).await;
    let live = auc.next_notification(Duration::from_secs(20)).await;
    assert_eq!(live["kind"], "assignment.proposed");
    assert_eq!(live["objectId"], assignment.as_str());
    assert_eq!(live["read"], false);
    let stored = about(s, &sc.auc, "assignment.proposed", &assignment).await;
    assert_eq!(live, stored[0], "the same notification the inbox holds");
    assert!(auc.notifications_within(Duration::from_millis(1500)).await.is_empty(), "delivered once");
    assert!(outsider.notifications_within(Duration::from_millis(300)).await.is_empty(), "not someone else's");

    // A notice for the outsider reaches them, and only them.
    let ids = tell(s, &[&sc.outsider], "For the fund").await;
    let theirs = outsider.next_notification(Duration::from_secs(20)).await;
    assert_eq!(theirs["id"], ids[0].to_string());
    assert_eq!(theirs["title"], "For the fund");
    assert!(auc.notifications_within(Duration::from_millis(500)).await.is_empty());
}

/// Waits until this server's hub has at least `n` subscriptions.
async fn wait_for_subscribers(s: &TestServer, n: usize) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while s.services.events.subscribers() < n {
        assert!(tokio::time::Instant::now() < deadline, "the subscriptions are registered within 10 s");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn a_websocket_without_a_valid_token_is_refused(b: Backend) {
    let s = b.start().await;
    let user = s.user(Role::FundOfficer, None).await;
    let disabled = s.user(Role::FundOfficer, None).await;
    let admin = s.admin().await;
    let q = "mutation($id: ID!) { setUserStatus(id: $id, status: DISABLED) { status } }";
    s.ok(q, json!({ "id": disabled.id }), admin.auth()).await;

    let refused = [
        ("no payload", Value::Null),
        ("an empty payload", json!({})),
        ("a malformed token", json!({ "authorization": "Bearer not.a.token" })),
        ("a token without Bearer", json!({ "authorization": user.token })),
        ("a tampered token", json!({ "token": format!("{}x", user.token) })),
        ("a disabled account's token", json!({ "authorization": format!("Bearer {}", disabled.token) })),
    ];
    for (what, payload) in refused {
        let mut ws = Ws::open(&s.base).await;
        let init = if payload.is_null() {
            json!({ "type": "connection_init" })
        } else {
            json!({ "type": "connection_init", "payload": payload })
        };
        ws.send(init).await;
        match ws.receive(Duration::from_secs(10)).await {
            Err(Some((code, reason))) => {
                assert_ne!(code, 1000, "{what}: closed as an error");
                assert!(!reason.is_empty(), "{what}: the close frame says why");
            }
            other => panic!("{what}: the connection is closed without an acknowledgement, got {other:?}"),
        }
    }

    // Subscribing without signing in first is refused too.
    let mut ws = Ws::open(&s.base).await;
    ws.send(
        json!({ "id": "1", "type": "subscribe", "payload": { "query": "subscription { notifications { id } } " } }),
    )
    .await;
    assert!(matches!(ws.receive(Duration::from_secs(10)).await, Err(Some(_))), "closed before any subscription");
    assert_eq!(s.services.events.subscribers(), 0, "no subscription was started");

    // A valid token is acknowledged.
    let mut ok = Ws::signed_in(&s.base, &user.token).await;
    ok.subscribe_notifications("1").await;
    let ids: HashSet<Uuid> = tell(&s, &[&user], "Welcome").await.into_iter().collect();
    let got = ok.next_notification(Duration::from_secs(20)).await;
    assert!(ids.contains(&uuid(&str_at(&got, "/id"))));
}
