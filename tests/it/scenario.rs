//! The whole story through the HTTP API, as the people involved live it (docs/architecture.md, docs/workflows.md):
//! AUC drafts Lviv's recovery plan with a need for a team, submits and endorses it; VNG runs a matching round and
//! commits its proposals; the Ukrainian side accepts one and rejects the other, VNG proposes another by hand;
//! the expert agrees and Utrecht releases her (CONFIRMED); she starts work, reports her hours; both sides give
//! feedback; AUC completes with an outcome report. At every step the right people are told in their inboxes,
//! and the audit log tells the same story in the same order.

use crate::common;

use std::collections::BTreeMap;

use chrono::{Datelike, Days, Months, NaiveDate, Utc};
use common::{Backend, TestServer, User, codes, expert_profile, plan_input, str_at};
use recovery_pool::domain::Role;
use serde_json::{Value, json};

backend_tests!(an_expert_goes_from_the_pool_to_a_completed_assignment_and_everyone_hears_of_it);

/// Who is told what about one assignment: per person, the notification kinds expected so far, oldest first.
struct Inboxes<'a> {
    s: &'a TestServer,
    people: Vec<(&'static str, &'a User)>,
    expected: BTreeMap<&'static str, Vec<&'static str>>,
}

impl<'a> Inboxes<'a> {
    fn new(s: &'a TestServer, people: Vec<(&'static str, &'a User)>) -> Self {
        let expected = people.iter().map(|(name, _)| (*name, Vec::new())).collect();
        Inboxes { s, people, expected }
    }

    /// After a step: `kind` arrived for exactly `to`, and everyone's inbox about `object` is as expected.
    async fn told(&mut self, object: &str, kind: &'static str, to: &[&'static str]) {
        for name in to {
            self.expected.get_mut(name).unwrap_or_else(|| panic!("{name} takes part")).push(kind);
        }
        self.check(object, kind).await;
    }

    async fn check(&self, object: &str, after: &str) {
        for (name, user) in &self.people {
            let got = inbox(self.s, user, object).await;
            let kinds: Vec<String> = got.iter().map(|n| str_at(n, "/kind")).collect();
            assert_eq!(kinds, self.expected[name], "{name}'s inbox about {object} after {after}");
            for n in &got {
                assert_eq!(n["objectType"], "assignment");
                assert!(
                    n["title"].as_str().is_some_and(|t| !t.is_empty())
                        && n["body"].as_str().is_some_and(|b| !b.is_empty()),
                    "{n}"
                );
                assert_eq!(n["read"], false);
            }
        }
    }
}

/// `user`'s notifications about `object`, oldest first.
async fn inbox(s: &TestServer, user: &User, object: &str) -> Vec<Value> {
    let q = "{ notifications(first: 100) { totalCount edges { node { id kind title body objectType objectId read createdAt } } } }";
    let d = s.ok(q, json!({}), user.auth()).await;
    let mut all = common::nodes(&d["notifications"]);
    assert_eq!(d["notifications"]["totalCount"].as_u64(), Some(all.len() as u64), "one page holds the inbox");
    all.retain(|n| n["objectId"] == object);
    all.reverse();
    all
}

/// The audit log of one object, oldest first, as the pool coordinator reads it.
async fn audit(s: &TestServer, by: &User, object: &str) -> Vec<Value> {
    let q = "query($o: ID!) { auditEvents(filter: { objectId: $o }, first: 100) { edges { node { action actorId actorRole before after at } } } }";
    let d = s.ok(q, json!({ "o": object }), by.auth()).await;
    let mut events = common::nodes(&d["auditEvents"]);
    events.reverse();
    events
}

fn after_status(event: &Value) -> Option<String> {
    let v: Value = serde_json::from_str(event["after"].as_str()?).ok()?;
    v["status"].as_str().map(str::to_string)
}

/// A step mutation that must change something; the assignment's status after it.
async fn step(s: &TestServer, mutation: &str, id: &str, text: Option<(&str, &str)>, by: &User) -> String {
    let (params, args, vars) = match text {
        Some((arg, value)) => (", $t: String!", format!(", {arg}: $t"), json!({ "id": id, "t": value })),
        None => ("", String::new(), json!({ "id": id })),
    };
    let q = format!(
        "mutation($id: ID!{params}) {{ {mutation}(id: $id{args}) {{ changed message assignment {{ status }} }} }}"
    );
    let d = s.ok(&q, vars, by.auth()).await;
    assert_eq!(d[mutation]["changed"], true, "{mutation}: {d}");
    str_at(&d, &format!("/{mutation}/assignment/status"))
}

async fn need_status(s: &TestServer, need: &str, by: &User) -> String {
    str_at(
        &s.ok("query($id: ID!) { need(id: $id) { status } }", json!({ "id": need }), by.auth()).await,
        "/need/status",
    )
}

async fn an_expert_goes_from_the_pool_to_a_completed_assignment_and_everyone_hears_of_it(b: Backend) {
    let s = b.start().await;
    let admin = s.admin().await;
    let vng = s.user(Role::PoolCoordinator, None).await;
    let auc = s.user(Role::NeedsCoordinator, None).await;
    let lviv = s.user(Role::HromadaOfficer, Some(codes::LVIV)).await;
    let utrecht = s.user(Role::MunicipalityOfficer, Some(codes::UTRECHT)).await;
    let amsterdam = s.user(Role::MunicipalityOfficer, Some(codes::AMSTERDAM)).await;
    let rotterdam = s.user(Role::MunicipalityOfficer, Some(codes::ROTTERDAM)).await;
    let skills = s.skill_ids(admin.auth()).await;
    let today = Utc::now().date_naive();

    // The municipalities volunteer their experts into the pool.
    let volunteer = |officer: &User, code: &'static str, profile: Value| {
        let (s, token) = (&s, officer.token.clone());
        async move {
            let q =
                "mutation($m: ID!, $p: ExpertProfileInput!) { createExpert(municipalityId: $m, profile: $p) { id } }";
            str_at(&s.ok(q, json!({ "m": s.mid(code).await, "p": profile }), Some(&token)).await, "/createExpert/id")
        }
    };
    let mut anna_profile = expert_profile(
        "Anna Visser",
        "Senior heat network engineer",
        &[(&skills["DISTRICT_HEATING"], 5), (&skills["ENERGY_EFFICIENCY"], 4)],
        &[("en", "C1"), ("nl", "NATIVE")],
    );
    anna_profile["hoursPerWeek"] = json!(12);
    anna_profile["availableFrom"] = json!("2026-01-01");
    anna_profile["availableUntil"] = Value::Null;
    let anna = volunteer(&utrecht, codes::UTRECHT, anna_profile).await;
    let pieter = volunteer(
        &amsterdam,
        codes::AMSTERDAM,
        expert_profile(
            "Pieter de Boer",
            "Investment planner",
            &[(&skills["CAPITAL_INVESTMENT_PLANNING"], 5)],
            &[("en", "B2")],
        ),
    )
    .await;
    let bram = volunteer(
        &rotterdam,
        codes::ROTTERDAM,
        expert_profile("Bram Smit", "Budget advisor", &[(&skills["CAPITAL_INVESTMENT_PLANNING"], 3)], &[("en", "B1")]),
    )
    .await;
    let anna_user = s.expert_user(&anna).await;
    let pieter_user = s.expert_user(&pieter).await;
    let bram_user = s.expert_user(&bram).await;

    // AUC drafts Lviv's plan with a need for a team of two, from two months ago until half a year ahead.
    let start = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).expect("a date") - Months::new(2);
    let end = today + Days::new(180);
    let q = "mutation($m: ID!, $i: PlanInput!) { createPlan(municipalityId: $m, input: $i) { id status } }";
    let mut plan_in = plan_input("Lviv: warm homes and schools");
    plan_in["periodStart"] = json!(start.to_string());
    plan_in["periodEnd"] = json!((end + Days::new(365)).to_string());
    let plan = s.ok(q, json!({ "m": s.mid(codes::LVIV).await, "i": plan_in }), auc.auth()).await["createPlan"].clone();
    assert_eq!(plan["status"], "DRAFT");
    let plan_id = str_at(&plan, "/id");
    let mut need_in = common::need_input("District heating renovation, Sykhiv", &skills);
    need_in["description"] = json!("Plan the renovation of the Sykhiv district heating network and its financing.");
    need_in["startDate"] = json!(start.to_string());
    need_in["endDate"] = json!(end.to_string());
    need_in["roles"][1]["seats"] = json!(1);
    let q = "mutation($p: ID!, $i: NeedInput!) { createNeed(planId: $p, input: $i) { id status totalSeats roles { id title } } }";
    let need = s.ok(q, json!({ "p": plan_id, "i": need_in }), auc.auth()).await["createNeed"].clone();
    let need_id = str_at(&need, "/id");
    let (engineer_role, planner_role) = (str_at(&need, "/roles/0/id"), str_at(&need, "/roles/1/id"));
    assert_eq!(need["status"], "DRAFT");
    for (mutation, to) in [("submitPlan", "SUBMITTED"), ("endorsePlan", "ENDORSED")] {
        let d = s
            .ok(
                &format!("mutation($id: ID!) {{ {mutation}(id: $id) {{ status }} }}"),
                json!({ "id": plan_id }),
                auc.auth(),
            )
            .await;
        assert_eq!(d[mutation]["status"], to);
    }
    assert_eq!(need_status(&s, &need_id, &lviv).await, "OPEN", "the endorsement opens the need");

    // VNG runs a round over the open need and commits both proposals.
    let q = "mutation($n: [ID!]) { runMatchingRound(needIds: $n) { id status objective proposals { position roleId expert { id } score } } }";
    let round = s.ok(q, json!({ "n": [need_id] }), vng.auth()).await["runMatchingRound"].clone();
    assert_eq!(round["status"], "DONE");
    let proposals = round["proposals"].as_array().expect("proposals").clone();
    let pairs: BTreeMap<String, String> =
        proposals.iter().map(|p| (str_at(p, "/roleId"), str_at(p, "/expert/id"))).collect();
    assert_eq!(
        pairs,
        BTreeMap::from([(engineer_role.clone(), anna.clone()), (planner_role.clone(), pieter.clone())]),
        "the best of the pool: {round}"
    );
    let positions: Vec<&Value> = proposals.iter().map(|p| &p["position"]).collect();
    let q = "mutation($r: ID!, $p: [Int!]!) { commitProposals(roundId: $r, positions: $p) { assignments { id status expert { id } } skipped { position } } }";
    let committed = s.ok(q, json!({ "r": round["id"], "p": positions }), vng.auth()).await["commitProposals"].clone();
    assert_eq!(committed["skipped"], json!([]));
    let made = committed["assignments"].as_array().expect("assignments").clone();
    let of =
        |expert: &str| made.iter().find(|a| a["expert"]["id"] == expert).map(|a| str_at(a, "/id")).expect("committed");
    let (a, p) = (of(&anna), of(&pieter));

    // Who hears of Anna's assignment, and of Pieter's.
    let mut anna_inbox = Inboxes::new(
        &s,
        vec![
            ("vng", &vng),
            ("auc", &auc),
            ("lviv", &lviv),
            ("utrecht", &utrecht),
            ("anna", &anna_user),
            ("amsterdam", &amsterdam),
            ("pieter", &pieter_user),
            ("admin", &admin),
        ],
    );
    let mut pieter_inbox = Inboxes::new(
        &s,
        vec![
            ("vng", &vng),
            ("auc", &auc),
            ("lviv", &lviv),
            ("amsterdam", &amsterdam),
            ("pieter", &pieter_user),
            ("utrecht", &utrecht),
            ("anna", &anna_user),
        ],
    );
    // A proposal: AUC and the hromada must decide; the expert and their municipality hear of it.
    anna_inbox.told(&a, "assignment.proposed", &["auc", "lviv", "utrecht", "anna"]).await;
    pieter_inbox.told(&p, "assignment.proposed", &["auc", "lviv", "amsterdam", "pieter"]).await;
    assert_eq!(s.ok("{ unreadNotificationCount }", json!({}), anna_user.auth()).await["unreadNotificationCount"], 1);

    // The Ukrainian side leads: AUC accepts Anna, Lviv does not take Pieter, VNG proposes Bram by hand.
    assert_eq!(step(&s, "acceptAssignment", &a, None, &auc).await, "ACCEPTED");
    anna_inbox.told(&a, "assignment.accepted", &["vng", "utrecht", "anna"]).await;
    assert_eq!(need_status(&s, &need_id, &auc).await, "OPEN", "one seat of two");
    let reason = "We need someone who has worked with EBRD financing.";
    assert_eq!(step(&s, "rejectAssignment", &p, Some(("reason", reason)), &lviv).await, "REJECTED");
    pieter_inbox.told(&p, "assignment.rejected", &["vng", "auc"]).await;
    let q = "mutation($r: ID!, $e: ID!) { proposeAssignment(roleId: $r, expertId: $e) { id status } }";
    let bram_a = str_at(&s.ok(q, json!({ "r": planner_role, "e": bram }), vng.auth()).await, "/proposeAssignment/id");
    assert_eq!(step(&s, "acceptAssignment", &bram_a, None, &lviv).await, "ACCEPTED");
    assert_eq!(need_status(&s, &need_id, &auc).await, "FILLED", "every seat accepted");
    let q = "mutation($id: ID!) { agreeToAssignment(id: $id) { changed } }";
    assert_eq!(s.ok(q, json!({ "id": bram_a }), bram_user.auth()).await["agreeToAssignment"]["changed"], true);

    // Anna agrees; Utrecht releases her: all three consents, CONFIRMED.
    assert_eq!(step(&s, "agreeToAssignment", &a, None, &anna_user).await, "ACCEPTED");
    anna_inbox.told(&a, "assignment.agreed", &["vng", "auc", "utrecht"]).await;
    assert_eq!(step(&s, "releaseExpert", &a, None, &utrecht).await, "CONFIRMED");
    anna_inbox.told(&a, "assignment.confirmed", &["vng", "auc", "lviv", "anna"]).await;
    // Now Lviv may reach her.
    let q = "query($id: ID!) { assignment(id: $id) { expert { email } } }";
    assert_eq!(
        s.ok(q, json!({ "id": a }), lviv.auth()).await["assignment"]["expert"]["email"],
        "anna.visser@gemeente.test"
    );

    // She starts and reports her hours for last month and this one.
    assert_eq!(step(&s, "startAssignment", &a, None, &anna_user).await, "ACTIVE");
    anna_inbox.told(&a, "assignment.started", &["vng", "auc", "lviv", "utrecht"]).await;
    let this_month = format!("{:04}-{:02}", today.year(), today.month());
    let last = today - Months::new(1);
    let last_month = format!("{:04}-{:02}", last.year(), last.month());
    let q = "mutation($a: ID!, $m: String!, $h: Int!) { reportHours(assignmentId: $a, month: $m, hours: $h) { month hours reportedBy } }";
    for (month, hours) in [(&last_month, 34), (&this_month, 16)] {
        let d = s.ok(q, json!({ "a": a, "m": month, "h": hours }), anna_user.auth()).await;
        assert_eq!(d["reportHours"]["hours"], hours);
        assert_eq!(d["reportHours"]["reportedBy"], anna_user.id.as_str());
    }
    let e = s.fails(q, json!({ "a": a, "m": this_month, "h": 8 }), lviv.auth()).await;
    common::assert_code(&e, "FORBIDDEN");
    let d = s
        .ok("query($a: ID!) { hoursReports(assignmentId: $a) { month hours } }", json!({ "a": a }), utrecht.auth())
        .await;
    assert_eq!(d["hoursReports"], json!([{ "month": last_month, "hours": 34 }, { "month": this_month, "hours": 16 }]));
    let ledger = "{ contributionLedger { basis { inkindHourlyRateCents } municipalities { code hoursDelivered inkindValueCents } totals { hoursDelivered } } }";
    let d = s.ok(ledger, json!({}), vng.auth()).await["contributionLedger"].clone();
    let row = d["municipalities"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|m| m["code"] == codes::UTRECHT)
        .cloned()
        .expect("Utrecht's row");
    assert_eq!(row["hoursDelivered"], 50, "{d}");
    let rate = d["basis"]["inkindHourlyRateCents"].as_i64().expect("a rate");
    assert_eq!(row["inkindValueCents"].as_i64(), Some(50 * rate));
    assert_eq!(d["totals"]["hoursDelivered"], 50);

    // Both sides give feedback; AUC completes with the outcome report.
    let q = "mutation($id: ID!) { giveExpertFeedback(id: $id, feedback: \"A motivated team; the data were hard to get.\", rating: 4) { expertRating } }";
    assert_eq!(s.ok(q, json!({ "id": a }), anna_user.auth()).await["giveExpertFeedback"]["expertRating"], 4);
    anna_inbox.told(&a, "assignment.feedback_given", &["vng", "auc", "lviv"]).await;
    let q = "mutation($id: ID!) { giveRecipientFeedback(id: $id, feedback: \"Clear advice that we could use at once.\", rating: 5) { recipientRating } }";
    assert_eq!(s.ok(q, json!({ "id": a }), lviv.auth()).await["giveRecipientFeedback"]["recipientRating"], 5);
    anna_inbox.told(&a, "assignment.feedback_given", &["vng", "utrecht", "anna"]).await;
    let report = "Renovation plan and financing scheme for 14 km of network delivered and adopted by the city council.";
    assert_eq!(step(&s, "completeAssignment", &a, Some(("outcomeReport", report)), &auc).await, "COMPLETED");
    anna_inbox.told(&a, "assignment.completed", &["vng", "lviv", "utrecht", "anna"]).await;

    // The need stays filled by the completed and the confirmed seat; the public sees the fill rate.
    assert_eq!(step(&s, "releaseExpert", &bram_a, None, &rotterdam).await, "CONFIRMED");
    assert_eq!(need_status(&s, &need_id, &lviv).await, "FILLED");
    let d = s.ok("{ publicStatistics { fillRate needsPerStatus { key count } } }", json!({}), None).await;
    assert_eq!(d["publicStatistics"]["fillRate"], 1.0, "{d}");
    assert_eq!(d["publicStatistics"]["needsPerStatus"], json!([{ "key": "FILLED", "count": 1 }]));
    let q = "query($n: ID!) { assignments(filter: { needId: $n }) { totalCount edges { node { id status expert { id } } } } }";
    let d = s.ok(q, json!({ "n": need_id }), auc.auth()).await;
    let mut statuses: Vec<(String, String)> =
        common::nodes(&d["assignments"]).iter().map(|n| (str_at(n, "/expert/id"), str_at(n, "/status"))).collect();
    statuses.sort();
    let mut expected = vec![
        (anna.clone(), "COMPLETED".to_string()),
        (pieter.clone(), "REJECTED".into()),
        (bram.clone(), "CONFIRMED".into()),
    ];
    expected.sort();
    assert_eq!(statuses, expected);
    let done = s
        .ok(
            "query($id: ID!) { assignment(id: $id) { outcomeReport expertRating recipientRating } }",
            json!({ "id": a }),
            auc.auth(),
        )
        .await;
    assert_eq!(done["assignment"], json!({ "outcomeReport": report, "expertRating": 4, "recipientRating": 5 }));

    // The audit log tells the same story, in the same order, with who did each step.
    let events = audit(&s, &vng, &a).await;
    let story: Vec<(String, String, Option<String>)> =
        events.iter().map(|e| (str_at(e, "/action"), str_at(e, "/actorRole"), after_status(e))).collect();
    let expected: Vec<(String, String, Option<String>)> = [
        ("assignment.propose", "POOL_COORDINATOR", Some("PROPOSED")),
        ("assignment.accept", "NEEDS_COORDINATOR", Some("ACCEPTED")),
        ("assignment.agree", "EXPERT", Some("ACCEPTED")),
        ("assignment.release", "MUNICIPALITY_OFFICER", Some("CONFIRMED")),
        ("assignment.start", "EXPERT", Some("ACTIVE")),
        ("hours.report", "EXPERT", None),
        ("hours.report", "EXPERT", None),
        ("assignment.expert_feedback", "EXPERT", Some("ACTIVE")),
        ("assignment.recipient_feedback", "HROMADA_OFFICER", Some("ACTIVE")),
        ("assignment.complete", "NEEDS_COORDINATOR", Some("COMPLETED")),
    ]
    .iter()
    .map(|(a, r, st)| (a.to_string(), r.to_string(), st.map(str::to_string)))
    .collect();
    assert_eq!(story, expected);
    let actors: Vec<String> = events.iter().map(|e| str_at(e, "/actorId")).collect();
    let who = [&vng, &auc, &anna_user, &utrecht, &anna_user, &anna_user, &anna_user, &anna_user, &lviv, &auc];
    assert_eq!(actors, who.map(|u| u.id.clone()));
    let times: Vec<String> = events.iter().map(|e| str_at(e, "/at")).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
    let story: Vec<String> = audit(&s, &vng, &p).await.iter().map(|e| str_at(e, "/action")).collect();
    assert_eq!(story, ["assignment.propose", "assignment.reject"]);
    let plan_story: Vec<String> = audit(&s, &vng, &plan_id).await.iter().map(|e| str_at(e, "/action")).collect();
    assert_eq!(plan_story, ["plan.create", "plan.submit", "plan.endorse"]);
    let round_story: Vec<String> =
        audit(&s, &vng, round["id"].as_str().expect("id")).await.iter().map(|e| str_at(e, "/action")).collect();
    assert_eq!(round_story, ["round.run"]);

    // Every inbox still holds exactly what it was told; the expert reads hers.
    anna_inbox.check(&a, "the end").await;
    pieter_inbox.check(&p, "the end").await;
    let unread =
        s.ok("{ unreadNotificationCount }", json!({}), anna_user.auth()).await["unreadNotificationCount"].as_i64();
    assert_eq!(unread, Some(anna_inbox.expected["anna"].len() as i64));
    let marked = s.ok("mutation { markAllNotificationsRead }", json!({}), anna_user.auth()).await;
    assert_eq!(marked["markAllNotificationsRead"].as_i64(), unread);
    assert_eq!(s.ok("{ unreadNotificationCount }", json!({}), anna_user.auth()).await["unreadNotificationCount"], 0);
}
