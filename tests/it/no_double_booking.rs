//! No double booking (docs/workflows.md, docs/storage.md): for every expert and every day, the hours per week of their PROPOSED,
//! ACCEPTED, CONFIRMED and ACTIVE assignments overlapping that day never exceed the hours they offer — also when
//! many coordinators propose the same expert at the same moment, on SQLite and on PostgreSQL.
//!
//! One expert offers 16 h/week. Each of 20 rounds has 50 fresh OPEN single-role needs, all eligible for that
//! expert, in a quarter of its own, and fires 50 concurrent `proposeAssignment` requests for the expert over
//! HTTP. Three kinds of round:
//! - every need 8 h/week over the same period: exactly 2 succeed;
//! - 8 h/week, half the needs in the first half of the quarter and half in the second: exactly 2 per half;
//! - 8–12 h/week over staggered periods that all share a fortnight: 1 or 2 succeed, and every refused one would
//!   indeed have overbooked the expert next to those that succeeded (the successes are a maximal feasible set).
//!
//! The others get CONFLICT (never a 5xx, never INTERNAL). Finally the whole assignments table is checked day by
//! day, straight from the database and through the API.

use crate::common;

use std::time::{Duration, Instant};

use chrono::{Days, NaiveDate};
use common::{Backend, TestServer, User, codes, expert_profile, str_at};
use futures_util::future::join_all;
use recovery_pool::domain::Role;
use recovery_pool::store::Db;
use serde_json::{Value, json};
use uuid::Uuid;

backend_tests!(
    concurrent_proposals_never_book_an_expert_over_the_hours_they_offer,
    a_round_committed_by_many_at_once_makes_each_assignment_once,
);

const OFFER: i64 = 16;
const ROUNDS: usize = 20;
const PER_ROUND: usize = 50;

/// One need of a round: its period, hours per week and role.
#[derive(Debug, Clone)]
struct Planned {
    start: NaiveDate,
    end: NaiveDate,
    hours: i64,
    role_id: String,
}

/// The first day of round `r`'s quarter.
fn window(r: usize) -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 1, 4).expect("a date") + Days::new(91 * r as u64)
}

/// The (start, end, hours) of need `i` of round `r`.
fn shape(r: usize, i: usize) -> (NaiveDate, NaiveDate, i64) {
    let w = window(r);
    let day = |n: usize| w + Days::new(n as u64);
    match r % 3 {
        0 => (day(0), day(59), 8),
        1 if i % 2 == 0 => (day(i % 7), day(40), 8),
        1 => (day(45 + i % 5), day(85), 8),
        _ => {
            let start = (i * 7) % 30;
            (day(start), day(start + 45 + (i * 11) % 15), 8 + ((i * 7) % 5) as i64)
        }
    }
}

fn need_input(skill: &str, title: &str, (start, end, hours): (NaiveDate, NaiveDate, i64)) -> Value {
    json!({
        "title": title,
        "description": "Advise on the heat network.",
        "sector": "ENERGY",
        "startDate": start.to_string(),
        "endDate": end.to_string(),
        "modes": ["REMOTE"],
        "priority": "MEDIUM",
        "roles": [{
            "title": "Heat network adviser",
            "seats": 1,
            "hoursPerWeek": hours,
            "skills": [{ "skillId": skill, "minLevel": 3, "essential": true }],
            "languages": [{ "language": "en", "level": "B2" }]
        }]
    })
}

/// Posts one GraphQL operation from a spawned task: the HTTP status and the body.
async fn post(
    http: reqwest::Client,
    url: String,
    token: String,
    query: &'static str,
    variables: Value,
) -> (u16, Value) {
    let resp = http
        .post(url)
        .bearer_auth(token)
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .expect("the server answers");
    let status = resp.status().as_u16();
    let text = resp.text().await.expect("a body");
    (status, serde_json::from_str(&text).unwrap_or_else(|e| panic!("a JSON body ({e}), got {status}: {text}")))
}

/// Runs `requests` concurrently, each on a task of its own.
async fn concurrently(s: &TestServer, by: &User, query: &'static str, requests: Vec<Value>) -> Vec<(u16, Value)> {
    let tasks = requests
        .into_iter()
        .map(|variables| tokio::spawn(post(s.http.clone(), s.url("/graphql"), by.token.clone(), query, variables)));
    join_all(tasks).await.into_iter().map(|r| r.expect("the task runs")).collect()
}

/// The most hours per week held on any one day by `held` (start, end, hours). The load can only rise on a
/// first day, so looking at those days covers every day.
fn peak(held: &[(NaiveDate, NaiveDate, i64)]) -> i64 {
    held.iter()
        .map(|(day, _, _)| held.iter().filter(|(s, e, _)| s <= day && day <= e).map(|(_, _, h)| h).sum())
        .max()
        .unwrap_or(0)
}

/// Whether `extra` fits next to `held` within the offer on every day.
fn fits(held: &[(NaiveDate, NaiveDate, i64)], extra: (NaiveDate, NaiveDate, i64)) -> bool {
    let mut all = held.to_vec();
    all.push(extra);
    peak(&all) <= OFFER
}

/// Every holding assignment of `expert`, straight from the table: (start, end, hours per week, status).
async fn table(s: &TestServer, expert: Uuid) -> Vec<(NaiveDate, NaiveDate, i32, String)> {
    const SQL: &str = "SELECT start_date, end_date, hours_per_week, status FROM assignments WHERE expert_id = $1 \
                       AND status IN ('PROPOSED', 'ACCEPTED', 'CONFIRMED', 'ACTIVE') ORDER BY start_date";
    match &s.services.db {
        Db::Sqlite(p) => sqlx::query_as(SQL).bind(expert).fetch_all(p).await,
        Db::Postgres(p) => sqlx::query_as(SQL).bind(expert).fetch_all(p).await,
    }
    .expect("the assignments table reads")
}

async fn concurrent_proposals_never_book_an_expert_over_the_hours_they_offer(b: Backend) {
    let began = Instant::now();
    let s = b.start().await;
    let admin = s.admin().await;
    let coordinator = s.user(Role::PoolCoordinator, None).await;
    let auc = s.user(Role::NeedsCoordinator, None).await;
    let skills = s.skill_ids(admin.auth()).await;
    let skill = skills["DISTRICT_HEATING"].clone();

    let mut profile = expert_profile("Anna Visser", "Heat engineer", &[(&skill, 4)], &[("en", "C1")]);
    profile["hoursPerWeek"] = json!(OFFER);
    profile["availableFrom"] = json!("2027-01-01");
    profile["availableUntil"] = Value::Null;
    profile["modes"] = json!(["REMOTE"]);
    let q = "mutation($m: ID!, $p: ExpertProfileInput!) { createExpert(municipalityId: $m, profile: $p) { id } }";
    let d = s.ok(q, json!({ "m": s.mid(codes::UTRECHT).await, "p": profile }), admin.auth()).await;
    let expert = str_at(&d, "/createExpert/id");
    let expert_uuid = Uuid::parse_str(&expert).expect("a UUID");

    // One plan over the five years, with every round's needs, endorsed at once: 1,000 OPEN needs.
    let mut plan = common::plan_input("Heat network advice 2027–2031");
    plan["periodStart"] = json!("2027-01-01");
    plan["periodEnd"] = json!("2031-12-31");
    let q = "mutation($m: ID!, $i: PlanInput!) { createPlan(municipalityId: $m, input: $i) { id } }";
    let plan_id =
        str_at(&s.ok(q, json!({ "m": s.mid(codes::LVIV).await, "i": plan }), auc.auth()).await, "/createPlan/id");
    let create = "mutation($p: ID!, $i: NeedInput!) { createNeed(planId: $p, input: $i) { roles { id } } }";
    let mut rounds: Vec<Vec<Planned>> = Vec::new();
    for r in 0..ROUNDS {
        let requests = (0..PER_ROUND)
            .map(|i| json!({ "p": plan_id, "i": need_input(&skill, &format!("Round {r} need {i}"), shape(r, i)) }))
            .collect();
        let made = concurrently(&s, &auc, create, requests).await;
        let mut round = Vec::new();
        for (i, (status, body)) in made.into_iter().enumerate() {
            assert_eq!(status, 200, "{body}");
            let d = common::data(body);
            let (start, end, hours) = shape(r, i);
            round.push(Planned { start, end, hours, role_id: str_at(&d, "/createNeed/roles/0/id") });
        }
        rounds.push(round);
    }
    for step in ["submitPlan", "endorsePlan"] {
        s.ok(&format!("mutation($id: ID!) {{ {step}(id: $id) {{ id }} }}"), json!({ "id": plan_id }), auc.auth()).await;
    }
    assert_eq!(s.count("needs", "filter: { status: OPEN }", auc.auth()).await, (ROUNDS * PER_ROUND) as i64);
    let setup = began.elapsed();

    let propose = "mutation($r: ID!, $e: ID!) { proposeAssignment(roleId: $r, expertId: $e) { id status startDate endDate hoursPerWeek } }";
    let mut all_held: Vec<(NaiveDate, NaiveDate, i64)> = Vec::new();
    let mut round_times: Vec<Duration> = Vec::new();
    let mut successes = 0usize;
    for (r, round) in rounds.iter().enumerate() {
        let requests = round.iter().map(|n| json!({ "r": n.role_id, "e": expert })).collect();
        let t = Instant::now();
        let answers = concurrently(&s, &coordinator, propose, requests).await;
        round_times.push(t.elapsed());

        let mut won = Vec::new();
        let mut lost = Vec::new();
        for (n, (status, body)) in round.iter().zip(answers) {
            assert_eq!(status, 200, "never a 5xx (round {r}): {body}");
            common::assert_no_internal(&body);
            match body.get("errors").and_then(Value::as_array).and_then(|e| e.first()) {
                None => {
                    let a = &body["data"]["proposeAssignment"];
                    assert_eq!(a["status"], "PROPOSED");
                    assert_eq!(a["hoursPerWeek"].as_i64(), Some(n.hours));
                    assert_eq!(a["startDate"], n.start.to_string());
                    assert_eq!(a["endDate"], n.end.to_string());
                    won.push((n.start, n.end, n.hours));
                }
                Some(e) => {
                    common::assert_code(e, "CONFLICT");
                    let message = e["message"].as_str().unwrap_or_default();
                    assert!(message.contains("free hours"), "refused for the hours (round {r}): {message}");
                    lost.push((n.start, n.end, n.hours));
                }
            }
        }
        // Never over the offer; every refusal really was needed.
        assert!(peak(&won) <= OFFER, "round {r} overbooks: {won:?}");
        for l in &lost {
            assert!(!fits(&won, *l), "round {r}: {l:?} was refused but fits next to {won:?}");
        }
        match r % 3 {
            0 => assert_eq!(won.len(), 2, "round {r}: 16 h and 8 h roles over one period"),
            1 => {
                assert_eq!(won.len(), 4, "round {r}: two per half: {won:?}");
                let first_half = won.iter().filter(|(s, _, _)| *s < window(r) + Days::new(45)).count();
                assert_eq!(first_half, 2, "{won:?}");
            }
            _ => assert!((1..=2).contains(&won.len()), "round {r}: {won:?}"),
        }
        successes += won.len();
        all_held.extend(won);
    }

    // The whole table, day by day, straight from the database.
    let rows = table(&s, expert_uuid).await;
    assert_eq!(rows.len(), successes, "one row per success, none for a refusal");
    let first = rows.iter().map(|r| r.0).min().expect("rows");
    let last = rows.iter().map(|r| r.1).max().expect("rows");
    let mut day = first;
    let mut days = 0;
    let mut busiest = 0;
    while day <= last {
        let load: i64 =
            rows.iter().filter(|(s, e, _, _)| *s <= day && day <= *e).map(|(_, _, h, _)| i64::from(*h)).sum();
        assert!(load <= OFFER, "{day}: {load} h/week held of the {OFFER} offered");
        busiest = busiest.max(load);
        day = day + Days::new(1);
        days += 1;
    }
    assert_eq!(busiest, OFFER, "the offer is used to the full on the busiest days");
    let mut from_table: Vec<(NaiveDate, NaiveDate, i64)> =
        rows.iter().map(|(s, e, h, _)| (*s, *e, i64::from(*h))).collect();
    from_table.sort();
    all_held.sort();
    assert_eq!(from_table, all_held, "the table holds exactly what the API said it made");

    // The same through the API, page by page.
    let mut seen = 0;
    let mut after: Option<String> = None;
    loop {
        let q = "query($e: ID!, $a: String) { assignments(filter: { expertId: $e, status: PROPOSED }, first: 100, after: $a) { \
                 totalCount pageInfo { hasNextPage endCursor } edges { node { hoursPerWeek startDate endDate } } } }";
        let d = s.ok(q, json!({ "e": expert, "a": after }), coordinator.auth()).await;
        assert_eq!(d["assignments"]["totalCount"].as_u64(), Some(successes as u64));
        seen += common::nodes(&d["assignments"]).len();
        if d["assignments"]["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = Some(str_at(&d, "/assignments/pageInfo/endCursor"));
    }
    assert_eq!(seen, successes);

    let total: Duration = round_times.iter().sum();
    let slowest = round_times.iter().max().copied().unwrap_or_default();
    eprintln!(
        "no_double_booking on {}: setup {:.2?} ({} needs); {ROUNDS} rounds of {PER_ROUND} concurrent proposals in {total:.2?} \
         (mean {:.2?}, slowest {slowest:.2?} per round); {successes} succeeded, {} refused; {days} days checked; whole test {:.2?}",
        s.backend,
        setup,
        ROUNDS * PER_ROUND,
        total / ROUNDS as u32,
        ROUNDS * PER_ROUND - successes,
        began.elapsed()
    );
}

async fn a_round_committed_by_many_at_once_makes_each_assignment_once(b: Backend) {
    let s = b.start().await;
    let admin = s.admin().await;
    let coordinator = s.user(Role::PoolCoordinator, None).await;
    let auc = s.user(Role::NeedsCoordinator, None).await;
    let skill = s.skill_ids(admin.auth()).await["DISTRICT_HEATING"].clone();
    let q = "mutation($m: ID!, $p: ExpertProfileInput!) { createExpert(municipalityId: $m, profile: $p) { id } }";
    for (i, code) in
        [codes::UTRECHT, codes::AMSTERDAM, codes::ROTTERDAM, codes::EINDHOVEN, codes::UTRECHT, codes::AMSTERDAM]
            .iter()
            .enumerate()
    {
        let profile = expert_profile(&format!("Expert {i}"), "Heat engineer", &[(&skill, 4)], &[("en", "C1")]);
        s.ok(q, json!({ "m": s.mid(code).await, "p": profile }), admin.auth()).await;
    }
    let q = "mutation($m: ID!, $i: PlanInput!) { createPlan(municipalityId: $m, input: $i) { id } }";
    let plan_id = str_at(
        &s.ok(q, json!({ "m": s.mid(codes::KYIV).await, "i": common::plan_input("Kyiv heat") }), auc.auth()).await,
        "/createPlan/id",
    );
    let q = "mutation($p: ID!, $i: NeedInput!) { createNeed(planId: $p, input: $i) { id } }";
    let from = NaiveDate::from_ymd_opt(2027, 2, 1).expect("a date");
    for i in 0..6 {
        let shape = (from, from + Days::new(120), 8);
        s.ok(q, json!({ "p": plan_id, "i": need_input(&skill, &format!("Need {i}"), shape) }), auc.auth()).await;
    }
    for step in ["submitPlan", "endorsePlan"] {
        s.ok(&format!("mutation($id: ID!) {{ {step}(id: $id) {{ id }} }}"), json!({ "id": plan_id }), auc.auth()).await;
    }
    let round = s
        .ok("mutation { runMatchingRound { id proposals { position } } }", json!({}), coordinator.auth())
        .await["runMatchingRound"]
        .clone();
    let positions: Vec<Value> =
        round["proposals"].as_array().expect("proposals").iter().map(|p| p["position"].clone()).collect();
    assert_eq!(positions.len(), 6, "an expert for every need: {round}");

    let commit = "mutation($r: ID!, $p: [Int!]!) { commitProposals(roundId: $r, positions: $p) { assignments { id } skipped { position reason } } }";
    let requests = (0..10).map(|_| json!({ "r": round["id"], "p": positions })).collect();
    let t = Instant::now();
    let answers = concurrently(&s, &coordinator, commit, requests).await;
    let took = t.elapsed();
    let mut made = Vec::new();
    let mut skipped = 0;
    for (status, body) in answers {
        assert_eq!(status, 200, "{body}");
        let d = common::data(body)["commitProposals"].clone();
        made.extend(d["assignments"].as_array().expect("list").iter().map(|a| str_at(a, "/id")));
        for sk in d["skipped"].as_array().expect("list") {
            assert_eq!(sk["reason"], "already committed", "{sk}");
            skipped += 1;
        }
    }
    assert_eq!(made.len(), 6, "each proposal became one assignment: {made:?}");
    assert_eq!(skipped, 9 * 6);
    assert_eq!(s.count("assignments", "", coordinator.auth()).await, 6);
    eprintln!("{}: 10 concurrent commits of a round of 6 in {took:.2?}", s.backend);
}
