//! Monthly hours and the contribution ledger (docs/workflows.md) over HTTP: who reports hours on which assignments and
//! months, who sees them, and what each municipality gave — hours offered, assigned and delivered and their
//! in-kind value — per expert and per municipality, in the API and as CSV.
//!
//! The world: two Utrecht experts and one Amsterdam expert; a Lviv need (March–August 2026) and a Vinnytsia need
//! (May–October 2026). Assignments reach their states through the workflow mutations.

use crate::common;

use std::collections::HashMap;

use chrono::{Datelike, Months, NaiveDate, Utc};
use common::{Backend, TestServer, User, assert_bad_input, assert_code, codes, expert_profile, plan_input, str_at};
use recovery_pool::domain::Role;
use serde_json::{Value, json};

backend_tests!(
    the_expert_side_reports_hours_per_month_and_a_month_reported_again_is_replaced_and_audited,
    only_the_expert_their_municipality_and_admins_report_hours,
    hours_are_taken_only_on_assignments_under_way_or_done,
    a_report_outside_the_assignment_or_after_this_month_or_out_of_range_names_the_field,
    hours_reports_are_seen_by_whoever_may_see_the_assignment,
    concurrent_reports_of_one_month_follow_one_another_in_the_audit_log,
    the_ledger_adds_up_offered_assigned_and_delivered_hours_per_expert_and_municipality,
    a_withdrawn_expert_offers_nothing_but_keeps_what_they_delivered,
    a_municipality_officer_reads_only_their_own_contribution,
    the_csv_export_has_a_header_and_a_row_per_municipality_with_euros,
    a_period_must_not_end_before_it_starts,
);

struct World {
    s: TestServer,
    admin: User,
    coordinator: User,
    auc: User,
    utrecht_officer: User,
    /// Utrecht: heat engineer, 8 h/week, 2026-01-01 – 2027-12-31.
    anna: String,
    /// Utrecht: investment planner, 8 h/week, 2026-01-01 – 2026-12-31.
    bram: String,
    /// Amsterdam: investment planner, 4 h/week, 2026-01-01 – 2026-06-30.
    carla: String,
    /// anna on the Lviv engineer role, 8 h/week, 2026-03-01 – 2026-08-31: ACTIVE.
    a_anna: String,
    /// bram on a Lviv planner seat, 4 h/week, 2026-03-01 – 2026-08-31: COMPLETED.
    a_bram_lviv: String,
    /// bram on the Vinnytsia planner role, 4 h/week, 2026-05-01 – 2026-10-31: ACCEPTED.
    a_bram_vinnytsia: String,
    /// carla on the other Lviv planner seat, 4 h/week, 2026-03-01 – 2026-06-30: PROPOSED.
    a_carla: String,
}

async fn expert(s: &TestServer, admin: &User, code: &str, mut profile: Value, changes: Value) -> String {
    for (k, v) in changes.as_object().expect("an object of changes") {
        profile[k] = v.clone();
    }
    let q = "mutation($m: ID!, $p: ExpertProfileInput!) { createExpert(municipalityId: $m, profile: $p) { id } }";
    let d = s.ok(q, json!({ "m": s.mid(code).await, "p": profile }), admin.auth()).await;
    str_at(&d, "/createExpert/id")
}

/// A plan of `code` with one need, endorsed by AUC so the need is OPEN; the roles' ids.
async fn open_need(s: &TestServer, auc: &User, code: &str, need: Value) -> Vec<String> {
    let q = "mutation($m: ID!, $i: PlanInput!) { createPlan(municipalityId: $m, input: $i) { id } }";
    let d = s.ok(q, json!({ "m": s.mid(code).await, "i": plan_input("Recovery 2026") }), auc.auth()).await;
    let plan = str_at(&d, "/createPlan/id");
    let q = "mutation($p: ID!, $i: NeedInput!) { createNeed(planId: $p, input: $i) { id roles { id } } }";
    let d = s.ok(q, json!({ "p": plan, "i": need }), auc.auth()).await;
    let roles = d["createNeed"]["roles"].as_array().expect("roles").iter().map(|r| str_at(r, "/id")).collect();
    for step in ["submitPlan", "endorsePlan"] {
        s.ok(&format!("mutation($id: ID!) {{ {step}(id: $id) {{ id }} }}"), json!({ "id": plan }), auc.auth()).await;
    }
    roles
}

fn need(title: &str, start: &str, end: &str, roles: Value) -> Value {
    json!({
        "title": title,
        "description": "Plan and design the works.",
        "sector": "ENERGY",
        "startDate": start,
        "endDate": end,
        "modes": ["REMOTE", "HOSTING"],
        "priority": "HIGH",
        "roles": roles,
    })
}

fn planner_role(skills: &HashMap<String, String>, seats: i64) -> Value {
    json!({
        "title": "Investment planner",
        "seats": seats,
        "hoursPerWeek": 4,
        "interpreterAvailable": true,
        "skills": [{ "skillId": skills["CAPITAL_INVESTMENT_PLANNING"], "minLevel": 3, "essential": true }]
    })
}

fn engineer_role(skills: &HashMap<String, String>) -> Value {
    json!({
        "title": "Heat network engineer",
        "seats": 1,
        "hoursPerWeek": 8,
        "skills": [{ "skillId": skills["DISTRICT_HEATING"], "minLevel": 4, "essential": true }],
        "languages": [{ "language": "en", "level": "C1" }]
    })
}

/// A coordinator proposes `expert` for `role`; the assignment's id, after checking its hours and dates.
async fn propose(s: &TestServer, coordinator: &User, role: &str, expert: &str, period: (&str, &str)) -> String {
    let q =
        "mutation($r: ID!, $e: ID!) { proposeAssignment(roleId: $r, expertId: $e) { id status startDate endDate } }";
    let d = s.ok(q, json!({ "r": role, "e": expert }), coordinator.auth()).await;
    let a = &d["proposeAssignment"];
    assert_eq!(a["status"], "PROPOSED");
    assert_eq!((a["startDate"].as_str(), a["endDate"].as_str()), (Some(period.0), Some(period.1)), "{a}");
    str_at(a, "/id")
}

/// Takes an assignment through the workflow until it is `to`: AUC accepts, the expert agrees and is released
/// (by an admin, who may do both), a coordinator starts and completes the work.
async fn advance(s: &TestServer, admin: &User, auc: &User, coordinator: &User, id: &str, to: &str) {
    let steps: [(&str, &User, &str); 5] = [
        ("acceptAssignment", auc, ""),
        ("agreeToAssignment", admin, ""),
        ("releaseExpert", admin, ""),
        ("startAssignment", coordinator, ""),
        ("completeAssignment", coordinator, ", outcomeReport: \"The design is delivered.\""),
    ];
    for (mutation, by, extra) in steps {
        let q = format!("mutation($id: ID!) {{ {mutation}(id: $id{extra}) {{ assignment {{ status }} }} }}");
        let d = s.ok(&q, json!({ "id": id }), by.auth()).await;
        if d[mutation]["assignment"]["status"] == to {
            return;
        }
    }
    panic!("assignment {id} never reached {to}");
}

async fn world(b: Backend) -> World {
    let s = b.start().await;
    let admin = s.admin().await;
    let coordinator = s.user(Role::PoolCoordinator, None).await;
    let auc = s.user(Role::NeedsCoordinator, None).await;
    let utrecht_officer = s.user(Role::MunicipalityOfficer, Some(codes::UTRECHT)).await;
    let skills = s.skill_ids(admin.auth()).await;
    let (heat, plan) = (skills["DISTRICT_HEATING"].clone(), skills["CAPITAL_INVESTMENT_PLANNING"].clone());

    let anna = expert(
        &s,
        &admin,
        codes::UTRECHT,
        expert_profile("Anna Visser", "Heat engineer", &[(&heat, 5)], &[("en", "C1")]),
        json!({}),
    )
    .await;
    let bram = expert(
        &s,
        &admin,
        codes::UTRECHT,
        expert_profile("Bram de Jong", "Investment planner", &[(&plan, 4)], &[("nl", "NATIVE")]),
        json!({ "availableUntil": "2026-12-31" }),
    )
    .await;
    let carla = expert(
        &s,
        &admin,
        codes::AMSTERDAM,
        expert_profile("Carla Smit", "Budget planner", &[(&plan, 3)], &[("en", "B2")]),
        json!({ "hoursPerWeek": 4, "availableUntil": "2026-06-30" }),
    )
    .await;

    let lviv = open_need(
        &s,
        &auc,
        codes::LVIV,
        need(
            "Heat network design",
            "2026-03-01",
            "2026-08-31",
            json!([engineer_role(&skills), planner_role(&skills, 2)]),
        ),
    )
    .await;
    let vinnytsia = open_need(
        &s,
        &auc,
        codes::VINNYTSIA,
        need("Investment plan", "2026-05-01", "2026-10-31", json!([planner_role(&skills, 1)])),
    )
    .await;

    let a_anna = propose(&s, &coordinator, &lviv[0], &anna, ("2026-03-01", "2026-08-31")).await;
    let a_bram_lviv = propose(&s, &coordinator, &lviv[1], &bram, ("2026-03-01", "2026-08-31")).await;
    let a_bram_vinnytsia = propose(&s, &coordinator, &vinnytsia[0], &bram, ("2026-05-01", "2026-10-31")).await;
    let a_carla = propose(&s, &coordinator, &lviv[1], &carla, ("2026-03-01", "2026-06-30")).await;
    advance(&s, &admin, &auc, &coordinator, &a_anna, "ACTIVE").await;
    advance(&s, &admin, &auc, &coordinator, &a_bram_lviv, "ACTIVE").await;
    advance(&s, &admin, &auc, &coordinator, &a_bram_vinnytsia, "ACCEPTED").await;

    World {
        s,
        admin,
        coordinator,
        auc,
        utrecht_officer,
        anna,
        bram,
        carla,
        a_anna,
        a_bram_lviv,
        a_bram_vinnytsia,
        a_carla,
    }
}

const REPORT: &str = "mutation($a: ID!, $m: String!, $h: Int!) { reportHours(assignmentId: $a, month: $m, hours: $h) { \
    assignmentId month hours reportedBy createdAt updatedAt } }";

impl World {
    async fn report(&self, by: &User, assignment: &str, month: &str, hours: i64) -> Value {
        self.s.gql(REPORT, json!({ "a": assignment, "m": month, "h": hours }), by.auth()).await
    }

    async fn report_ok(&self, by: &User, assignment: &str, month: &str, hours: i64) -> Value {
        common::data(self.report(by, assignment, month, hours).await)["reportHours"].clone()
    }

    async fn report_fails(&self, by: &User, assignment: &str, month: &str, hours: i64) -> Value {
        let body = self.report(by, assignment, month, hours).await;
        assert!(body["data"].is_null(), "refused: {body}");
        common::first_error(&body)
    }

    /// (month, hours) of an assignment's reports as `by` sees them.
    async fn reports(&self, by: &User, assignment: &str) -> Vec<(String, i64)> {
        let q = "query($a: ID!) { hoursReports(assignmentId: $a) { assignmentId month hours } }";
        let d = self.s.ok(q, json!({ "a": assignment }), by.auth()).await;
        d["hoursReports"]
            .as_array()
            .expect("a list")
            .iter()
            .map(|r| {
                assert_eq!(r["assignmentId"], assignment);
                (str_at(r, "/month"), r["hours"].as_i64().expect("hours"))
            })
            .collect()
    }

    async fn hours_reports_error(&self, by: Option<&User>, assignment: &str) -> Value {
        let q = "query($a: ID!) { hoursReports(assignmentId: $a) { month } }";
        self.s.fails(q, json!({ "a": assignment }), by.and_then(User::auth)).await
    }

    /// The whole ledger (`from`/`until` as given, `null` for open) as `by` sees it.
    async fn ledger(&self, by: &User, from: Value, until: Value) -> Value {
        let q = format!(
            "query($f: NaiveDate, $u: NaiveDate) {{ contributionLedger(from: $f, until: $u) {{ \
               basis {{ from until openAvailabilityUntil inkindHourlyRateCents }} \
               municipalities {{ {MUNICIPALITY_FIELDS} }} totals {{ {FIGURES} }} }} }}"
        );
        self.s.ok(&q, json!({ "f": from, "u": until }), by.auth()).await["contributionLedger"].clone()
    }

    async fn municipality_contribution(&self, by: &User, code: &str, from: Value, until: Value) -> Value {
        let body = self.municipality_contribution_body(by, &self.s.mid(code).await, from, until).await;
        common::data(body)["municipalityContribution"].clone()
    }

    async fn municipality_contribution_body(&self, by: &User, id: &str, from: Value, until: Value) -> Value {
        let q = format!(
            "query($m: ID!, $f: NaiveDate, $u: NaiveDate) {{ municipalityContribution(municipalityId: $m, from: $f, until: $u) {{ \
               {MUNICIPALITY_FIELDS} basis {{ from until inkindHourlyRateCents }} }} }}"
        );
        self.s.gql(&q, json!({ "m": id, "f": from, "u": until }), by.auth()).await
    }

    async fn csv(&self, by: &User, from: Value, until: Value) -> String {
        let q = "query($f: NaiveDate, $u: NaiveDate) { contributionLedgerCsv(from: $f, until: $u) }";
        str_at(&self.s.ok(q, json!({ "f": from, "u": until }), by.auth()).await, "/contributionLedgerCsv")
    }
}

const FIGURES: &str =
    "hoursOffered hoursAssigned hoursDelivered inkindValueCents expertCount assignmentCount municipalitiesHelped";
const MUNICIPALITY_FIELDS: &str = "code name municipalityId municipality { code side } \
    hoursOffered hoursAssigned hoursDelivered inkindValueCents expertCount assignmentCount municipalitiesHelped \
    experts { expertId name status expert { id name } \
      hoursOffered hoursAssigned hoursDelivered inkindValueCents expertCount assignmentCount municipalitiesHelped }";

/// (offered, assigned, delivered, experts, assignments, municipalities helped) of a row.
fn figures(row: &Value) -> (i64, i64, i64, i64, i64, i64) {
    let n = |k: &str| row[k].as_i64().unwrap_or_else(|| panic!("{k} in {row}"));
    (
        n("hoursOffered"),
        n("hoursAssigned"),
        n("hoursDelivered"),
        n("expertCount"),
        n("assignmentCount"),
        n("municipalitiesHelped"),
    )
}

fn row_of<'a>(rows: &'a Value, key: &str, value: &str) -> &'a Value {
    rows.as_array()
        .expect("a list of rows")
        .iter()
        .find(|r| r[key] == value)
        .unwrap_or_else(|| panic!("a row with {key} = {value} in {rows}"))
}

/// The audit events of an object as an admin reads them, oldest first: (action, before, after).
async fn audit(w: &World, object_id: &str) -> Vec<(String, Value, Value)> {
    let q = "query($o: ID!) { auditEvents(filter: { objectId: $o }, first: 100) { edges { node { action before after } } } }";
    let d = w.s.ok(q, json!({ "o": object_id }), w.admin.auth()).await;
    let parse = |v: &Value| v.as_str().map_or(Value::Null, |t| serde_json::from_str(t).expect("a snapshot is JSON"));
    let mut events: Vec<(String, Value, Value)> = common::nodes(&d["auditEvents"])
        .iter()
        .map(|n| (str_at(n, "/action"), parse(&n["before"]), parse(&n["after"])))
        .collect();
    events.reverse();
    events
}

async fn the_expert_side_reports_hours_per_month_and_a_month_reported_again_is_replaced_and_audited(b: Backend) {
    let w = world(b).await;
    let anna = w.s.expert_user(&w.anna).await;

    let r = w.report_ok(&anna, &w.a_anna, "2026-03", 30).await;
    assert_eq!((r["month"].as_str(), r["hours"].as_i64()), (Some("2026-03"), Some(30)));
    assert_eq!(r["reportedBy"], anna.id.as_str());
    assert_eq!(r["createdAt"], r["updatedAt"]);
    let first_created = r["createdAt"].clone();

    // Her municipality's officer reports another month; an admin may too.
    w.report_ok(&w.utrecht_officer, &w.a_anna, "2026-04", 34).await;
    w.report_ok(&w.admin, &w.a_anna, "2026-05", 0).await;

    // The same month again: the figure is replaced, not added; who reported it last is recorded.
    let r = w.report_ok(&w.utrecht_officer, &w.a_anna, "2026-03", 32).await;
    assert_eq!(r["hours"], 32);
    assert_eq!(r["reportedBy"], w.utrecht_officer.id.as_str());
    assert_eq!(r["createdAt"], first_created, "the month keeps its first report's time");
    assert_ne!(r["updatedAt"], first_created);

    assert_eq!(
        w.reports(&anna, &w.a_anna).await,
        vec![("2026-03".to_string(), 32), ("2026-04".to_string(), 34), ("2026-05".to_string(), 0)],
        "one figure per month, oldest first"
    );

    // A COMPLETED assignment still takes hours (reported after the work ended).
    advance(&w.s, &w.admin, &w.auc, &w.coordinator, &w.a_bram_lviv, "COMPLETED").await;
    w.report_ok(&w.utrecht_officer, &w.a_bram_lviv, "2026-08", 18).await;

    let events: Vec<(String, Value, Value)> =
        audit(&w, &w.a_anna).await.into_iter().filter(|(action, _, _)| action == "hours.report").collect();
    assert_eq!(events.len(), 4, "every report is audited: {events:?}");
    let (_, before, after) = &events[0];
    assert!(before.is_null(), "a first report has nothing before it");
    assert_eq!((after["month"].as_str(), after["hours"].as_i64()), (Some("2026-03"), Some(30)));
    let (_, before, after) = &events[3];
    assert_eq!(
        (before["month"].as_str(), before["hours"].as_i64()),
        (Some("2026-03"), Some(30)),
        "the figure replaced"
    );
    assert_eq!((after["month"].as_str(), after["hours"].as_i64()), (Some("2026-03"), Some(32)));
}

async fn only_the_expert_their_municipality_and_admins_report_hours(b: Backend) {
    let w = world(b).await;
    let amsterdam_officer = w.s.user(Role::MunicipalityOfficer, Some(codes::AMSTERDAM)).await;
    let lviv_officer = w.s.user(Role::HromadaOfficer, Some(codes::LVIV)).await;
    let fund = w.s.user(Role::FundOfficer, None).await;
    let bram = w.s.expert_user(&w.bram).await;
    // Those who see the assignment may not report on it; to those who do not see it, it is not there.
    for who in [&lviv_officer, &w.coordinator, &w.auc] {
        let e = w.report_fails(who, &w.a_anna, "2026-03", 10).await;
        assert_code(&e, "FORBIDDEN");
    }
    for who in [&amsterdam_officer, &fund, &bram] {
        let e = w.report_fails(who, &w.a_anna, "2026-03", 10).await;
        assert_code(&e, "NOT_FOUND");
    }
    let e = common::first_error(&w.s.gql(REPORT, json!({ "a": w.a_anna, "m": "2026-03", "h": 10 }), None).await);
    assert_code(&e, "UNAUTHENTICATED");
    assert!(w.reports(&w.admin, &w.a_anna).await.is_empty(), "nothing was written");

    // Ids: malformed is bad input naming the argument; unknown is not found.
    let e = w.report_fails(&w.admin, "not-an-id", "2026-03", 10).await;
    assert_bad_input(&e, "assignmentId");
    let e = w.report_fails(&w.admin, "00000000-0000-7000-8000-000000000000", "2026-03", 10).await;
    assert_code(&e, "NOT_FOUND");
}

async fn hours_are_taken_only_on_assignments_under_way_or_done(b: Backend) {
    let w = world(b).await;
    for (assignment, status) in [(&w.a_carla, "PROPOSED"), (&w.a_bram_vinnytsia, "ACCEPTED")] {
        let e = w.report_fails(&w.admin, assignment, "2026-06", 10).await;
        assert_code(&e, "CONFLICT");
        let message = e["message"].as_str().unwrap_or_default();
        assert!(message.contains(status), "the message names the status {status}: {e}");
    }
    let q = "mutation($id: ID!) { cancelAssignment(id: $id, reason: \"The need changed.\") { assignment { status } } }";
    w.s.ok(q, json!({ "id": w.a_carla }), w.coordinator.auth()).await;
    let e = w.report_fails(&w.admin, &w.a_carla, "2026-04", 10).await;
    assert_code(&e, "CONFLICT");
    assert!(e["message"].as_str().unwrap_or_default().contains("CANCELLED"), "{e}");
}

async fn a_report_outside_the_assignment_or_after_this_month_or_out_of_range_names_the_field(b: Backend) {
    let w = world(b).await;
    let a = &w.a_anna; // 2026-03-01 – 2026-08-31
    for month in ["2026-3", "2026-13", "2026-00", "March 2026", "2026-03-01", "", "26-03"] {
        let e = w.report_fails(&w.admin, a, month, 10).await;
        assert_bad_input(&e, "month");
    }
    for month in ["2026-02", "2025-12", "2026-09", "2027-01"] {
        let e = w.report_fails(&w.admin, a, month, 10).await;
        assert_bad_input(&e, "month");
    }
    for hours in [-1, 745, 100_000] {
        let e = w.report_fails(&w.admin, a, "2026-03", hours).await;
        assert_bad_input(&e, "hours");
    }
    // The bounds themselves are fine: the first and last months, 0 and 744 hours.
    w.report_ok(&w.admin, a, "2026-03", 744).await;
    w.report_ok(&w.admin, a, "2026-08", 0).await;

    // Not after the current month: an assignment running from two months ago to six months ahead.
    let today = Utc::now().date_naive();
    let start = today.with_day(1).expect("day 1").checked_sub_months(Months::new(2)).expect("a date");
    let end = today.checked_add_months(Months::new(6)).expect("a date");
    let skills = w.s.skill_ids(w.admin.auth()).await;
    let dana = expert(
        &w.s,
        &w.admin,
        codes::EINDHOVEN,
        expert_profile("Dana Bakker", "Heat engineer", &[(&skills["DISTRICT_HEATING"], 5)], &[("en", "C2")]),
        json!({ "availableFrom": start.to_string(), "availableUntil": Value::Null }),
    )
    .await;
    let heat_plan = need("Heat plan", &start.to_string(), &end.to_string(), json!([engineer_role(&skills)]));
    let roles = open_need(&w.s, &w.auc, codes::KYIV, heat_plan).await;
    let current = propose(&w.s, &w.coordinator, &roles[0], &dana, (&start.to_string(), &end.to_string())).await;
    advance(&w.s, &w.admin, &w.auc, &w.coordinator, &current, "ACTIVE").await;
    let month = |d: NaiveDate| format!("{:04}-{:02}", d.year(), d.month());
    w.report_ok(&w.admin, &current, &month(today), 12).await;
    let next = today.with_day(1).expect("day 1").checked_add_months(Months::new(1)).expect("a date");
    let e = w.report_fails(&w.admin, &current, &month(next), 12).await;
    assert_bad_input(&e, "month");
    assert!(e["message"].as_str().unwrap_or_default().contains("future"), "says why: {e}");
}

async fn hours_reports_are_seen_by_whoever_may_see_the_assignment(b: Backend) {
    let w = world(b).await;
    w.report_ok(&w.admin, &w.a_anna, "2026-04", 20).await;
    let expected = vec![("2026-04".to_string(), 20)];
    let anna = w.s.expert_user(&w.anna).await;
    let lviv_officer = w.s.user(Role::HromadaOfficer, Some(codes::LVIV)).await;
    for who in [&w.admin, &w.coordinator, &w.auc, &w.utrecht_officer, &anna, &lviv_officer] {
        assert_eq!(w.reports(who, &w.a_anna).await, expected, "{:?} sees the hours", who.role);
    }
    let amsterdam_officer = w.s.user(Role::MunicipalityOfficer, Some(codes::AMSTERDAM)).await;
    let vinnytsia_officer = w.s.user(Role::HromadaOfficer, Some(codes::VINNYTSIA)).await;
    let bram = w.s.expert_user(&w.bram).await;
    for who in [&amsterdam_officer, &vinnytsia_officer, &bram] {
        let e = w.hours_reports_error(Some(who), &w.a_anna).await;
        assert_code(&e, "NOT_FOUND");
    }
    let fund = w.s.user(Role::FundOfficer, None).await;
    assert_code(&w.hours_reports_error(Some(&fund), &w.a_anna).await, "FORBIDDEN");
    assert_code(&w.hours_reports_error(None, &w.a_anna).await, "UNAUTHENTICATED");
    assert_bad_input(&w.hours_reports_error(Some(&w.admin), "nope").await, "assignmentId");
}

async fn concurrent_reports_of_one_month_follow_one_another_in_the_audit_log(b: Backend) {
    let w = world(b).await;
    let anna = w.s.expert_user(&w.anna).await;
    let reports = (1..=8).map(|h| {
        let by = if h % 2 == 0 { &anna } else { &w.utrecht_officer };
        w.report_ok(by, &w.a_anna, "2026-06", h)
    });
    futures_util::future::join_all(reports).await;

    // Each report saw the one before it: the audit log is one chain from nothing to the figure kept.
    let events: Vec<(Value, Value)> = audit(&w, &w.a_anna)
        .await
        .into_iter()
        .filter(|(action, _, _)| action == "hours.report")
        .map(|(_, before, after)| (before, after))
        .collect();
    assert_eq!(events.len(), 8);
    assert!(events[0].0.is_null(), "only the first report found no figure: {events:?}");
    for pair in events.windows(2) {
        assert_eq!(pair[1].0["hours"], pair[0].1["hours"], "each report replaced the one before: {events:?}");
    }
    let kept = w.reports(&w.admin, &w.a_anna).await;
    assert_eq!(kept, vec![("2026-06".to_string(), events[7].1["hours"].as_i64().expect("hours"))]);
}

/// Reports: anna 32 (Mar, replaced from 30) + 34 (Apr); bram 16 (May) + 18 (Aug) on the Lviv seat.
async fn deliver(w: &World) {
    w.report_ok(&w.admin, &w.a_anna, "2026-03", 30).await;
    w.report_ok(&w.admin, &w.a_anna, "2026-04", 34).await;
    w.report_ok(&w.admin, &w.a_anna, "2026-03", 32).await;
    w.report_ok(&w.admin, &w.a_bram_lviv, "2026-05", 16).await;
    w.report_ok(&w.admin, &w.a_bram_lviv, "2026-08", 18).await;
}

async fn the_ledger_adds_up_offered_assigned_and_delivered_hours_per_expert_and_municipality(b: Backend) {
    let w = world(b).await;
    deliver(&w).await;
    let fund = w.s.user(Role::FundOfficer, None).await;

    // The year 2026 (365 days).
    let l = w.ledger(&fund, json!("2026-01-01"), json!("2026-12-31")).await;
    let rate = l["basis"]["inkindHourlyRateCents"].as_i64().expect("the rate");
    assert!(rate > 0);
    assert_eq!(l["basis"]["from"], "2026-01-01");
    assert_eq!(l["basis"]["openAvailabilityUntil"], "2026-12-31", "a closed period bounds open availability");
    let rows = &l["municipalities"];
    assert_eq!(rows.as_array().map(Vec::len), Some(2), "the two municipalities with experts: {rows}");
    assert_eq!(rows[0]["code"], codes::AMSTERDAM, "by name");

    let utrecht = row_of(rows, "code", codes::UTRECHT);
    assert_eq!(utrecht["municipality"]["side"], "CONTRIBUTING");
    let experts = &utrecht["experts"];
    let anna = row_of(experts, "expertId", &w.anna);
    assert_eq!((anna["name"].as_str(), anna["status"].as_str()), (Some("Anna Visser"), Some("ACTIVE")));
    assert_eq!(anna["expert"]["id"], w.anna.as_str());
    // Offered 8 × 365 / 7 = 417.1; assigned 8 × 184 days (Mar–Aug) / 7 = 210.3; delivered 32 + 34.
    assert_eq!(figures(anna), (417, 210, 66, 1, 1, 1));
    assert_eq!(anna["inkindValueCents"].as_i64(), Some(66 * rate));
    // bram: offered 417; assigned (4 × 184 + 4 × 184) / 7 = 210.3 (the ACCEPTED Vinnytsia seat counts);
    // delivered 16 + 18; two assignments for two hromadas.
    let bram = row_of(experts, "expertId", &w.bram);
    assert_eq!(figures(bram), (417, 210, 34, 1, 2, 2));
    assert_eq!(figures(utrecht), (834, 420, 100, 2, 3, 2), "the sums of the expert rows");
    assert_eq!(utrecht["inkindValueCents"].as_i64(), Some(100 * rate));

    // carla: 4 × 181 days (Jan–Jun) / 7 = 103.4 offered; her PROPOSED seat is not assigned hours.
    let amsterdam = row_of(rows, "code", codes::AMSTERDAM);
    assert_eq!(figures(amsterdam), (103, 0, 0, 1, 0, 0));
    assert_eq!(figures(row_of(&amsterdam["experts"], "expertId", &w.carla)), (103, 0, 0, 1, 0, 0));

    assert_eq!(figures(&l["totals"]), (937, 420, 100, 3, 3, 2));
    assert_eq!(l["totals"]["inkindValueCents"].as_i64(), Some(100 * rate));

    // The second quarter (91 days): anna 104 offered and assigned, April delivered; bram's two seats
    // (4 × 91 + 4 × 61) / 7 = 86.9 assigned, May delivered; carla 4 × 91 / 7 = 52.
    let q2 = w.municipality_contribution(&fund, codes::UTRECHT, json!("2026-04-01"), json!("2026-06-30")).await;
    assert_eq!(q2["basis"]["until"], "2026-06-30");
    assert_eq!(figures(row_of(&q2["experts"], "expertId", &w.anna)), (104, 104, 34, 1, 1, 1));
    assert_eq!(figures(row_of(&q2["experts"], "expertId", &w.bram)), (104, 87, 16, 1, 2, 2));
    assert_eq!(figures(&q2), (208, 191, 50, 2, 3, 2));

    // A month counts in a period when its first day does: from 2 March, March's hours are not in.
    let m = w.municipality_contribution(&fund, codes::UTRECHT, json!("2026-03-02"), json!("2026-04-30")).await;
    assert_eq!(row_of(&m["experts"], "expertId", &w.anna)["hoursDelivered"], 34);

    // After the Vinnytsia assignment ends and before anyone's availability starts: no expert contributes.
    let none = w.municipality_contribution(&fund, codes::UTRECHT, json!("2025-01-01"), json!("2025-12-31")).await;
    assert_eq!(figures(&none), (0, 0, 0, 0, 0, 0));
    assert_eq!(none["experts"].as_array().map(Vec::len), Some(0));

    // All time: availability as stated (anna to the end of 2027: 730 days → 834.3 hours).
    let all = w.municipality_contribution(&fund, codes::UTRECHT, Value::Null, Value::Null).await;
    assert!(all["basis"]["from"].is_null() && all["basis"]["until"].is_null());
    assert_eq!(figures(row_of(&all["experts"], "expertId", &w.anna)), (834, 210, 66, 1, 1, 1));

    // A contributing municipality without experts has a row of zeros; a hromada has no contribution.
    let eindhoven = w.municipality_contribution(&fund, codes::EINDHOVEN, Value::Null, Value::Null).await;
    assert_eq!((eindhoven["code"].as_str(), figures(&eindhoven)), (Some(codes::EINDHOVEN), (0, 0, 0, 0, 0, 0)));
    let body = w.municipality_contribution_body(&fund, &w.s.mid(codes::LVIV).await, Value::Null, Value::Null).await;
    assert_bad_input(&common::first_error(&body), "municipalityId");
    let body =
        w.municipality_contribution_body(&fund, "00000000-0000-7000-8000-000000000000", Value::Null, Value::Null).await;
    assert_code(&common::first_error(&body), "NOT_FOUND");
}

async fn a_withdrawn_expert_offers_nothing_but_keeps_what_they_delivered(b: Backend) {
    let w = world(b).await;
    deliver(&w).await;
    let q = "mutation($id: ID!) { setExpertStatus(id: $id, status: WITHDRAWN) { status } }";
    w.s.ok(q, json!({ "id": w.bram }), w.admin.auth()).await;
    let m = w.municipality_contribution(&w.coordinator, codes::UTRECHT, json!("2026-01-01"), json!("2026-12-31")).await;
    let bram = row_of(&m["experts"], "expertId", &w.bram);
    assert_eq!(bram["status"], "WITHDRAWN");
    assert_eq!(figures(bram), (0, 210, 34, 1, 2, 2));

    // A PAUSED expert still offers their hours.
    let q = "mutation($id: ID!) { setExpertStatus(id: $id, status: PAUSED) { status } }";
    w.s.ok(q, json!({ "id": w.carla }), w.admin.auth()).await;
    let m =
        w.municipality_contribution(&w.coordinator, codes::AMSTERDAM, json!("2026-01-01"), json!("2026-12-31")).await;
    assert_eq!(figures(&m), (103, 0, 0, 1, 0, 0));
}

async fn a_municipality_officer_reads_only_their_own_contribution(b: Backend) {
    let w = world(b).await;
    deliver(&w).await;

    // Coordinators, admins and fund officers see every contributing municipality with experts.
    let fund = w.s.user(Role::FundOfficer, None).await;
    for who in [&w.admin, &w.coordinator, &fund] {
        let l = w.ledger(who, Value::Null, Value::Null).await;
        assert_eq!(l["municipalities"].as_array().map(Vec::len), Some(2), "{:?}", who.role);
    }

    // An officer: only their own, in the list and alone.
    let l = w.ledger(&w.utrecht_officer, Value::Null, Value::Null).await;
    let rows = l["municipalities"].as_array().expect("rows");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["code"], codes::UTRECHT);
    assert_eq!(figures(&l["totals"]), figures(&rows[0]), "the totals are theirs alone");
    let own = w.municipality_contribution(&w.utrecht_officer, codes::UTRECHT, Value::Null, Value::Null).await;
    assert_eq!(own["experts"].as_array().map(Vec::len), Some(2));
    let amsterdam = w.s.mid(codes::AMSTERDAM).await;
    let body = w.municipality_contribution_body(&w.utrecht_officer, &amsterdam, Value::Null, Value::Null).await;
    assert_code(&common::first_error(&body), "FORBIDDEN");
    assert!(body["data"].is_null(), "nothing of Amsterdam's: {body}");

    // An officer of a municipality without experts gets no rows.
    let eindhoven_officer = w.s.user(Role::MunicipalityOfficer, Some(codes::EINDHOVEN)).await;
    let l = w.ledger(&eindhoven_officer, Value::Null, Value::Null).await;
    assert_eq!(l["municipalities"].as_array().map(Vec::len), Some(0));

    // The Ukrainian side, experts and the public do not read the ledger.
    let lviv_officer = w.s.user(Role::HromadaOfficer, Some(codes::LVIV)).await;
    let anna = w.s.expert_user(&w.anna).await;
    let q = "{ contributionLedger { totals { hoursDelivered } } }";
    let csv = "{ contributionLedgerCsv }";
    for who in [&w.auc, &lviv_officer, &anna] {
        assert_code(&w.s.fails(q, json!({}), who.auth()).await, "FORBIDDEN");
        assert_code(&w.s.fails(csv, json!({}), who.auth()).await, "FORBIDDEN");
        let body =
            w.municipality_contribution_body(who, &w.s.mid(codes::UTRECHT).await, Value::Null, Value::Null).await;
        assert_code(&common::first_error(&body), "FORBIDDEN");
    }
    assert_code(&w.s.fails(q, json!({}), None).await, "UNAUTHENTICATED");
    assert_code(&w.s.fails(csv, json!({}), None).await, "UNAUTHENTICATED");
}

async fn the_csv_export_has_a_header_and_a_row_per_municipality_with_euros(b: Backend) {
    let w = world(b).await;
    deliver(&w).await;
    let l = w.ledger(&w.coordinator, json!("2026-01-01"), json!("2026-12-31")).await;
    let rate = l["basis"]["inkindHourlyRateCents"].as_i64().expect("the rate");
    let euros = |cents: i64| format!("{}.{:02}", cents / 100, cents % 100);

    let text = w.csv(&w.coordinator, json!("2026-01-01"), json!("2026-12-31")).await;
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().expect("a header row").iter().map(str::to_string).collect();
    assert_eq!(
        header,
        [
            "Municipality code",
            "Municipality",
            "Period from",
            "Period until",
            "Experts",
            "Assignments",
            "Ukrainian municipalities helped",
            "Hours offered",
            "Hours assigned",
            "Hours delivered",
            "Hourly rate (EUR)",
            "In-kind value (EUR)",
        ]
    );
    let rows: Vec<Vec<String>> =
        reader.records().map(|r| r.expect("a record").iter().map(str::to_string).collect()).collect();
    assert_eq!(rows.len(), 2, "a row per municipality: {text}");
    let utrecht = rows.iter().find(|r| r[0] == codes::UTRECHT).expect("Utrecht's row");
    let name = str_at(row_of(&l["municipalities"], "code", codes::UTRECHT), "/name");
    assert_eq!(
        utrecht[1..],
        [
            name,
            "2026-01-01".into(),
            "2026-12-31".into(),
            "2".into(),
            "3".into(),
            "2".into(),
            "834".into(),
            "420".into(),
            "100".into(),
            euros(rate),
            euros(100 * rate)
        ]
    );
    let amsterdam = rows.iter().find(|r| r[0] == codes::AMSTERDAM).expect("Amsterdam's row");
    assert_eq!(amsterdam[11], "0.00");

    // An open period leaves its ends empty; an officer's export holds their own row only.
    let text = w.csv(&w.utrecht_officer, Value::Null, Value::Null).await;
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a record")).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!((&rows[0][0], &rows[0][2], &rows[0][3]), (codes::UTRECHT, "", ""));
}

async fn a_period_must_not_end_before_it_starts(b: Backend) {
    let s = b.start().await;
    let admin = s.admin().await;
    let q =
        "query($f: NaiveDate, $u: NaiveDate) { contributionLedger(from: $f, until: $u) { totals { hoursOffered } } }";
    let e = s.fails(q, json!({ "f": "2026-06-01", "u": "2026-05-31" }), admin.auth()).await;
    assert_bad_input(&e, "until");
    let q = "query($f: NaiveDate, $u: NaiveDate) { contributionLedgerCsv(from: $f, until: $u) }";
    let e = s.fails(q, json!({ "f": "2026-06-01", "u": "2026-05-31" }), admin.auth()).await;
    assert_bad_input(&e, "until");
    // One day is a period.
    let q = "query($f: NaiveDate, $u: NaiveDate) { contributionLedger(from: $f, until: $u) { basis { from until } } }";
    let d = s.ok(q, json!({ "f": "2026-06-01", "u": "2026-06-01" }), admin.auth()).await;
    assert_eq!(d["contributionLedger"]["basis"]["until"], "2026-06-01");
}
