//! Matching through the API (docs/matching.md): candidates for one role with their explanations, rounds kept for review
//! and committed as PROPOSED assignments, hand-picked proposals under the same eligibility rules, and the safety
//! rule for ON_SITE work, over a small pool of two contributing municipalities and two hromadas.

use crate::common;

use std::collections::HashMap;

use common::{Backend, TestServer, User, assert_bad_input, assert_code, codes, expert_profile, plan_input, str_at};
use recovery_pool::domain::Role;
use serde_json::{Value, json};

backend_tests!(
    candidates_are_the_eligible_experts_best_first_with_explanations_that_add_up,
    candidates_are_for_the_ukrainian_side_and_the_coordinators_and_hide_contact_details,
    on_site_work_is_never_proposed_where_it_is_not_safe,
    a_round_is_kept_with_its_proposals_and_objective_for_coordinators_only,
    a_round_may_relax_priority_and_says_so,
    a_loaded_instance_gives_the_engines_optimum_through_the_api,
    committing_proposals_makes_proposed_assignments_once,
    a_hand_picked_ineligible_expert_is_a_conflict_that_says_why,
    a_commit_naming_an_unknown_position_commits_nothing,
);

/// The pool, the plans and the people.
struct World {
    s: TestServer,
    admin: User,
    coordinator: User,
    auc: User,
    /// Expert ids by short name.
    experts: HashMap<&'static str, String>,
    /// Lviv (NORMAL): district heating, with an engineer and two planners.
    heating: NeedIds,
    /// Berezivka (ACTIVE_HOSTILITIES): school reconstruction, ON_SITE only.
    berezivka_on_site: NeedIds,
    /// Berezivka (ACTIVE_HOSTILITIES): school reconstruction, ON_SITE or REMOTE.
    berezivka_either: NeedIds,
    /// Lviv (NORMAL): school reconstruction, ON_SITE only.
    lviv_on_site: NeedIds,
}

/// A need's id and its roles' ids, in order.
#[derive(Clone, Debug)]
struct NeedIds {
    id: String,
    roles: Vec<String>,
}

/// An expert of `code` made by an admin: the harness profile, with `changes` merged over it.
async fn expert(s: &TestServer, admin: &User, code: &str, profile: Value, changes: Value) -> String {
    let mut p = profile;
    for (k, v) in changes.as_object().expect("an object of changes") {
        p[k] = v.clone();
    }
    let q = "mutation($m: ID!, $p: ExpertProfileInput!) { createExpert(municipalityId: $m, profile: $p) { id } }";
    let d = s.ok(q, json!({ "m": s.mid(code).await, "p": p }), admin.auth()).await;
    str_at(&d, "/createExpert/id")
}

/// A plan of `code` with `needs`, drafted, submitted and endorsed by AUC: every need OPEN.
async fn endorsed_plan(s: &TestServer, auc: &User, code: &str, needs: &[Value]) -> Vec<NeedIds> {
    let q = "mutation($m: ID!, $i: PlanInput!) { createPlan(municipalityId: $m, input: $i) { id } }";
    let d = s.ok(q, json!({ "m": s.mid(code).await, "i": plan_input("Recovery 2027") }), auc.auth()).await;
    let plan = str_at(&d, "/createPlan/id");
    let mut out = Vec::new();
    for n in needs {
        let q = "mutation($p: ID!, $i: NeedInput!) { createNeed(planId: $p, input: $i) { id roles { id } } }";
        let d = s.ok(q, json!({ "p": plan, "i": n }), auc.auth()).await;
        let roles = d["createNeed"]["roles"].as_array().expect("roles").iter().map(|r| str_at(r, "/id")).collect();
        out.push(NeedIds { id: str_at(&d, "/createNeed/id"), roles });
    }
    for step in ["submitPlan", "endorsePlan"] {
        s.ok(&format!("mutation($id: ID!) {{ {step}(id: $id) {{ id }} }}"), json!({ "id": plan }), auc.auth()).await;
    }
    for n in &out {
        let d = s.ok("query($id: ID!) { need(id: $id) { status } }", json!({ "id": n.id }), auc.auth()).await;
        assert_eq!(d["need"]["status"], "OPEN");
    }
    out
}

fn heating_need(skills: &HashMap<String, String>) -> Value {
    let mut need = common::need_input("District heating renovation", skills);
    need["startDate"] = json!("2027-03-01");
    need["endDate"] = json!("2027-09-30");
    need
}

fn school_need(skills: &HashMap<String, String>, title: &str, modes: &[&str]) -> Value {
    json!({
        "title": title,
        "description": "Rebuild the damaged school and its shelter.",
        "sector": "EDUCATION",
        "startDate": "2027-03-01",
        "endDate": "2027-09-30",
        "modes": modes,
        "priority": "CRITICAL",
        "roles": [{
            "title": "School reconstruction lead",
            "seats": 1,
            "hoursPerWeek": 8,
            "interpreterAvailable": true,
            "skills": [{ "skillId": skills["SCHOOL_RECONSTRUCTION"], "minLevel": 3, "essential": true }]
        }]
    })
}

async fn world(b: Backend) -> World {
    let s = b.start().await;
    let admin = s.admin().await;
    let coordinator = s.user(Role::PoolCoordinator, None).await;
    let auc = s.user(Role::NeedsCoordinator, None).await;
    let skills = s.skill_ids(admin.auth()).await;
    let k = |code: &str| skills[code].clone();
    let (heat, eff, plan, school) =
        (k("DISTRICT_HEATING"), k("ENERGY_EFFICIENCY"), k("CAPITAL_INVESTMENT_PLANNING"), k("SCHOOL_RECONSTRUCTION"));

    let mut experts = HashMap::new();
    let roster: Vec<(&'static str, &str, Value, Value)> = vec![
        // Eligible heat engineers, best first: a higher margin, then the desired skill, then full coverage.
        (
            "heat5",
            codes::UTRECHT,
            expert_profile("Hanna de Wit", "Heat engineer", &[(&heat, 5), (&eff, 3)], &[("en", "C1"), ("uk", "B2")]),
            json!({ "hoursPerWeek": 16 }),
        ),
        (
            "heat4",
            codes::AMSTERDAM,
            expert_profile("Daan Mulder", "Energy engineer", &[(&heat, 4), (&eff, 2)], &[("en", "C1")]),
            json!({ "modes": ["REMOTE"] }),
        ),
        (
            "heat4_partly",
            codes::UTRECHT,
            expert_profile("Lotte Bos", "Heat planner", &[(&heat, 4)], &[("en", "C2")]),
            json!({ "availableFrom": "2027-05-01" }),
        ),
        // Not eligible for the engineer: language, level, skill, hours.
        (
            "heat4_no_language",
            codes::UTRECHT,
            expert_profile("Joris Kok", "Heat engineer", &[(&heat, 4), (&eff, 4)], &[("en", "B2"), ("nl", "NATIVE")]),
            json!({}),
        ),
        (
            "heat3",
            codes::AMSTERDAM,
            expert_profile("Femke Dijkstra", "Heat technician", &[(&heat, 3), (&eff, 5)], &[("en", "C2")]),
            json!({}),
        ),
        (
            "efficiency_only",
            codes::AMSTERDAM,
            expert_profile("Ruben Peters", "Energy advisor", &[(&eff, 5)], &[("en", "C2"), ("uk", "C1")]),
            json!({}),
        ),
        (
            "heat5_busy",
            codes::UTRECHT,
            expert_profile("Iris Vos", "Heat engineer", &[(&heat, 5)], &[("en", "C1")]),
            json!({ "hoursPerWeek": 4 }),
        ),
        // Planners (the role has an interpreter, so any language does).
        (
            "planner_nl",
            codes::UTRECHT,
            expert_profile("Sem Jacobs", "Investment planner", &[(&plan, 4)], &[("nl", "NATIVE")]),
            json!({}),
        ),
        (
            "planner_en",
            codes::AMSTERDAM,
            expert_profile("Noa Hendriks", "Budget planner", &[(&plan, 3)], &[("en", "B1")]),
            json!({}),
        ),
        // School reconstruction: one only on site, one on site or remote.
        (
            "school_on_site",
            codes::AMSTERDAM,
            expert_profile("Bas Smits", "Building engineer", &[(&school, 4)], &[("uk", "C1")]),
            json!({ "modes": ["ON_SITE"] }),
        ),
        (
            "school_either",
            codes::UTRECHT,
            expert_profile("Evi Meijer", "School architect", &[(&school, 5)], &[("en", "C1")]),
            json!({ "modes": ["ON_SITE", "REMOTE"] }),
        ),
    ];
    for (short, code, profile, changes) in roster {
        experts.insert(short, expert(&s, &admin, code, profile, changes).await);
    }

    // AUC keeps the security status up to date: Lviv is safe, Berezivka is under fire.
    let q = "mutation($m: ID!, $st: SecurityStatus!) { setSecurityStatus(municipalityId: $m, status: $st) { securityStatus } }";
    for (code, status) in [(codes::LVIV, "NORMAL"), (codes::BEREZIVKA, "ACTIVE_HOSTILITIES")] {
        let d = s.ok(q, json!({ "m": s.mid(code).await, "st": status }), auc.auth()).await;
        assert_eq!(d["setSecurityStatus"]["securityStatus"], status);
    }
    let lviv = endorsed_plan(
        &s,
        &auc,
        codes::LVIV,
        &[heating_need(&skills), school_need(&skills, "Lviv school, on site", &["ON_SITE"])],
    )
    .await;
    let berezivka = endorsed_plan(
        &s,
        &auc,
        codes::BEREZIVKA,
        &[
            school_need(&skills, "Berezivka school, on site", &["ON_SITE"]),
            school_need(&skills, "Berezivka school, any way", &["ON_SITE", "REMOTE"]),
        ],
    )
    .await;
    World {
        s,
        admin,
        coordinator,
        auc,
        experts,
        heating: lviv[0].clone(),
        lviv_on_site: lviv[1].clone(),
        berezivka_on_site: berezivka[0].clone(),
        berezivka_either: berezivka[1].clone(),
    }
}

const CANDIDATE_FIELDS: &str = "score expert { id name email contactVisibleToMe } explanation { total essentialMargin \
    desiredSkills language periodCoverage continuity coveragePermille periodStart periodEnd modes hoursPerWeek \
    freeHoursPerWeek interpreterNeeded skills { skill essential minLevel level } languages { language minLevel level } }";

impl World {
    fn id(&self, short: &str) -> String {
        self.experts[short].clone()
    }

    fn short(&self, id: &str) -> &'static str {
        self.experts.iter().find(|(_, v)| v.as_str() == id).map(|(k, _)| *k).unwrap_or("?")
    }

    async fn candidates_body(&self, need: &NeedIds, role: usize, by: Option<&str>) -> Value {
        let q = format!(
            "query($n: ID!, $r: ID!) {{ candidates(needId: $n, roleId: $r, first: 50) {{ {CANDIDATE_FIELDS} }} }}"
        );
        self.s.gql(&q, json!({ "n": need.id, "r": need.roles[role] }), by).await
    }

    async fn candidates(&self, need: &NeedIds, role: usize, by: &User) -> Vec<Value> {
        let body = self.candidates_body(need, role, by.auth()).await;
        common::data(body)["candidates"].as_array().expect("a list").clone()
    }

    fn names(&self, list: &[Value]) -> Vec<&'static str> {
        list.iter().map(|c| self.short(&str_at(c, "/expert/id"))).collect()
    }

    async fn propose(&self, need: &NeedIds, role: usize, expert: &str, by: &User) -> Value {
        let q = "mutation($r: ID!, $e: ID!) { proposeAssignment(roleId: $r, expertId: $e) { id status score hoursPerWeek startDate endDate need { id } expert { id } } }";
        self.s.gql(q, json!({ "r": need.roles[role], "e": self.id(expert) }), by.auth()).await
    }

    async fn assignment_count(&self) -> i64 {
        self.s.count("assignments", "", self.coordinator.auth()).await
    }
}

fn sum_of_parts(e: &Value) -> i64 {
    ["essentialMargin", "desiredSkills", "language", "periodCoverage", "continuity"]
        .iter()
        .map(|k| e[*k].as_i64().unwrap_or_else(|| panic!("{k} in {e}")))
        .sum()
}

async fn candidates_are_the_eligible_experts_best_first_with_explanations_that_add_up(b: Backend) {
    let w = world(b).await;
    let engineers = w.candidates(&w.heating, 0, &w.coordinator).await;
    assert_eq!(
        w.names(&engineers),
        ["heat5", "heat4", "heat4_partly"],
        "the eligible engineers, best first: {engineers:#?}"
    );
    let scores: Vec<i64> = engineers.iter().map(|c| c["score"].as_i64().expect("score")).collect();
    assert!(scores.windows(2).all(|p| p[0] > p[1]), "strictly best first here: {scores:?}");
    for c in &engineers {
        let e = &c["explanation"];
        assert_eq!(e["total"], c["score"], "{c}");
        assert_eq!(sum_of_parts(e), c["score"].as_i64().expect("score"), "the parts add up to the score: {e}");
        assert!((0..=1000).contains(&e["total"].as_i64().expect("total")));
        assert_eq!(e["hoursPerWeek"], 8);
        assert_eq!(e["modes"].as_array().map(|m| m.iter().any(|x| x == "REMOTE")), Some(true), "{e}");
        let heat = e["skills"]
            .as_array()
            .expect("skills")
            .iter()
            .find(|s| s["skill"] == "DISTRICT_HEATING")
            .expect("the essential skill");
        assert_eq!(heat["essential"], true);
        assert_eq!(heat["minLevel"], 4);
        assert!(heat["level"].as_i64().expect("a level") >= 4, "{e}");
    }
    // What each explanation rests on.
    let best = &engineers[0]["explanation"];
    assert_eq!(best["coveragePermille"], 1000);
    assert_eq!(best["periodStart"], "2027-03-01");
    assert_eq!(best["periodEnd"], "2027-09-30");
    assert_eq!(best["freeHoursPerWeek"], 16);
    assert_eq!(best["interpreterNeeded"], false);
    let desired = best["skills"]
        .as_array()
        .expect("skills")
        .iter()
        .find(|s| s["skill"] == "ENERGY_EFFICIENCY")
        .expect("the desired skill");
    assert_eq!((desired["essential"].clone(), desired["level"].clone()), (json!(false), json!(3)));
    assert!(
        best["essentialMargin"].as_i64() > engineers[1]["explanation"]["essentialMargin"].as_i64(),
        "level 5 over 4"
    );
    let partly = &engineers[2]["explanation"];
    assert_eq!(partly["periodStart"], "2027-05-01", "the period is clipped to the availability");
    assert!(partly["coveragePermille"].as_i64().expect("permille") < 1000);
    assert!(partly["periodCoverage"].as_i64() < best["periodCoverage"].as_i64());
    let no_desired = partly["skills"]
        .as_array()
        .expect("skills")
        .iter()
        .find(|s| s["skill"] == "ENERGY_EFFICIENCY")
        .expect("listed");
    assert_eq!(no_desired["level"], Value::Null, "a desired skill the expert lacks is shown as such");
    assert_eq!(partly["desiredSkills"], 0);

    // Lacking an essential skill (or its level), a shared language or the free hours keeps an expert out.
    let all: Vec<&str> = w.names(&engineers);
    for out in ["heat3", "efficiency_only", "heat4_no_language", "heat5_busy", "planner_nl", "school_either"] {
        assert!(!all.contains(&out), "{out} is not a candidate");
    }
    // `first` bounds the list and keeps the order.
    let q = "query($n: ID!, $r: ID!) { candidates(needId: $n, roleId: $r, first: 2) { expert { id } score } }";
    let d = w.s.ok(q, json!({ "n": w.heating.id, "r": w.heating.roles[0] }), w.coordinator.auth()).await;
    assert_eq!(w.names(d["candidates"].as_array().expect("list")), ["heat5", "heat4"]);
    for first in [0, 51] {
        let q = "query($n: ID!, $r: ID!, $f: Int!) { candidates(needId: $n, roleId: $r, first: $f) { score } }";
        let e =
            w.s.fails(q, json!({ "n": w.heating.id, "r": w.heating.roles[0], "f": first }), w.coordinator.auth()).await;
        assert_bad_input(&e, "first");
    }

    // The planners' role has an interpreter: language does not matter, the essential skill does.
    let planners = w.candidates(&w.heating, 1, &w.coordinator).await;
    let mut names = w.names(&planners);
    names.sort_unstable();
    assert_eq!(names, ["planner_en", "planner_nl"]);
    let nl = planners.iter().find(|c| w.short(&str_at(c, "/expert/id")) == "planner_nl").expect("listed");
    assert_eq!(nl["explanation"]["interpreterNeeded"], false, "no language asked, so no interpreter needed: {nl}");
    assert!(planners.iter().all(|c| sum_of_parts(&c["explanation"]) == c["score"].as_i64().expect("score")));

    // A role that is not the need's is not found.
    let q = "query($n: ID!, $r: ID!) { candidates(needId: $n, roleId: $r) { score } }";
    let e = w.s.fails(q, json!({ "n": w.heating.id, "r": w.lviv_on_site.roles[0] }), w.coordinator.auth()).await;
    assert_code(&e, "NOT_FOUND");
    let e = w.s.fails(q, json!({ "n": w.heating.id, "r": "not-an-id" }), w.coordinator.auth()).await;
    assert_bad_input(&e, "roleId");
}

async fn candidates_are_for_the_ukrainian_side_and_the_coordinators_and_hide_contact_details(b: Backend) {
    let w = world(b).await;
    let lviv_officer = w.s.user(Role::HromadaOfficer, Some(codes::LVIV)).await;
    let other_hromada = w.s.user(Role::HromadaOfficer, Some(codes::VINNYTSIA)).await;
    let municipality_officer = w.s.user(Role::MunicipalityOfficer, Some(codes::UTRECHT)).await;
    let fund = w.s.user(Role::FundOfficer, None).await;
    let an_expert = w.s.expert_user(&w.id("heat5")).await;

    for (who, forbidden) in [
        ("municipality officer", &municipality_officer),
        ("another hromada", &other_hromada),
        ("fund officer", &fund),
        ("expert", &an_expert),
    ] {
        let body = w.candidates_body(&w.heating, 0, forbidden.auth()).await;
        assert_code(&common::first_error(&body), "FORBIDDEN");
        assert!(body["data"].is_null(), "a {who} gets nothing: {body}");
        assert!(!body.to_string().contains("hanna.de.wit@"), "{body}");
    }
    let body = w.candidates_body(&w.heating, 0, None).await;
    assert_code(&common::first_error(&body), "UNAUTHENTICATED");

    // The Ukrainian side sees who and why, but not how to reach them, before any acceptance.
    for who in [&w.auc, &lviv_officer] {
        let list = w.candidates(&w.heating, 0, who).await;
        assert_eq!(w.names(&list), ["heat5", "heat4", "heat4_partly"]);
        for c in &list {
            assert_eq!(c["expert"]["email"], Value::Null, "{} sees no e-mail: {c}", who.role);
            assert_eq!(c["expert"]["contactVisibleToMe"], false);
            assert!(c["expert"]["name"].as_str().is_some_and(|n| !n.is_empty()));
        }
    }
    // Coordinators and admins see the contact details.
    for who in [&w.coordinator, &w.admin] {
        let list = w.candidates(&w.heating, 0, who).await;
        assert_eq!(list[0]["expert"]["email"], "hanna.de.wit@gemeente.test", "{}", who.role);
    }
}

async fn on_site_work_is_never_proposed_where_it_is_not_safe(b: Backend) {
    let w = world(b).await;
    // Under active hostilities, an ON_SITE-only need has no candidate at all …
    assert_eq!(w.candidates(&w.berezivka_on_site, 0, &w.coordinator).await, Vec::<Value>::new());
    // … and one that also allows REMOTE has only those who work remotely, remotely.
    let either = w.candidates(&w.berezivka_either, 0, &w.coordinator).await;
    assert_eq!(w.names(&either), ["school_either"]);
    assert_eq!(either[0]["explanation"]["modes"], json!(["REMOTE"]), "ON_SITE is not offered here: {either:?}");
    // Where it is safe, both come in, on site.
    let lviv = w.candidates(&w.lviv_on_site, 0, &w.coordinator).await;
    let mut names = w.names(&lviv);
    names.sort_unstable();
    assert_eq!(names, ["school_either", "school_on_site"]);
    assert!(lviv.iter().all(|c| c["explanation"]["modes"] == json!(["ON_SITE"])), "{lviv:?}");

    // Neither a round nor a hand-picked proposal puts anyone there.
    let q = "mutation($n: [ID!]) { runMatchingRound(needIds: $n) { id proposals { need { id } expert { id } explanation { modes } } } }";
    let ids = [&w.berezivka_on_site.id, &w.berezivka_either.id];
    let d = w.s.ok(q, json!({ "n": ids }), w.coordinator.auth()).await;
    let proposals = d["runMatchingRound"]["proposals"].as_array().expect("proposals").clone();
    assert_eq!(proposals.len(), 1, "{proposals:?}");
    assert_eq!(str_at(&proposals[0], "/need/id"), w.berezivka_either.id);
    assert_eq!(w.short(&str_at(&proposals[0], "/expert/id")), "school_either");
    assert_eq!(proposals[0]["explanation"]["modes"], json!(["REMOTE"]));
    let before = w.assignment_count().await;
    for (need, expert) in [
        (&w.berezivka_on_site, "school_on_site"),
        (&w.berezivka_on_site, "school_either"),
        (&w.berezivka_either, "school_on_site"),
    ] {
        let e = common::first_error(&w.propose(need, 0, expert, &w.coordinator).await);
        assert_code(&e, "CONFLICT");
        assert!(e["message"].as_str().is_some_and(|m| m.contains("no mode in common")), "{expert}: {e}");
    }
    assert_eq!(w.assignment_count().await, before);

    // Only AUC (or an admin) sets the status; when Berezivka is safe again, on-site work can be proposed there.
    let q = "mutation($m: ID!, $st: SecurityStatus!) { setSecurityStatus(municipalityId: $m, status: $st) { securityStatus } }";
    let berezivka = w.s.mid(codes::BEREZIVKA).await;
    let berezivka_officer = w.s.user(Role::HromadaOfficer, Some(codes::BEREZIVKA)).await;
    for who in [&w.coordinator, &berezivka_officer] {
        assert_code(&w.s.fails(q, json!({ "m": berezivka, "st": "NORMAL" }), who.auth()).await, "FORBIDDEN");
    }
    assert_eq!(w.candidates(&w.berezivka_on_site, 0, &w.coordinator).await.len(), 0);
    w.s.ok(q, json!({ "m": berezivka, "st": "NORMAL" }), w.auc.auth()).await;
    let now_safe = w.candidates(&w.berezivka_on_site, 0, &w.coordinator).await;
    assert_eq!(now_safe.len(), 2, "{now_safe:?}");
    // Near the frontline it is unsafe again.
    w.s.ok(q, json!({ "m": berezivka, "st": "NEAR_FRONTLINE" }), w.auc.auth()).await;
    assert_eq!(w.candidates(&w.berezivka_on_site, 0, &w.coordinator).await.len(), 0);
    let e = common::first_error(&w.propose(&w.berezivka_on_site, 0, "school_on_site", &w.coordinator).await);
    assert_code(&e, "CONFLICT");
}

const ROUND_FIELDS: &str = "id status needCount expertCount eligiblePairs objective error runBy \
    params { weights { essentialMargin desiredSkills language periodCoverage continuity } minPeriodCoveragePermille \
      priorityRewards { critical high medium low } municipalityPenalty priorityFirst } \
    stats { openSeats filledSeats eligiblePairs totalScore totalPriorityReward totalMunicipalityPenalty \
      seatValue priorityStep priorityFirst totalSeatValue totalPriorityStep \
      guarantees { rolesEmptyBesideIdleExperts idleExpertsEligibleForEmptySeats rolesLosingToLowerPriority } \
      byPriority { priority openSeats filledSeats seatsLeft seatsLeftWithEligibleExperts } \
      byMunicipality { municipality { id } eligibleExperts drawn penalty } \
      solver { phases relabels } timings { loadMs totalMs storeMs } unfilledRoles { role { id seats } seatsLeft eligibleExperts reason } } \
    proposals { position need { id } roleId expert { id } score explanation { total essentialMargin desiredSkills language periodCoverage continuity } assignmentId }";

/// A round with priority relaxed says so in its parameters and figures.
async fn a_round_may_relax_priority_and_says_so(b: Backend) {
    let w = world(b).await;
    let ids: Vec<&str> = all_needs(&w).iter().map(|n| n.id.as_str()).collect();
    let q = format!(
        "mutation($n: [ID!]) {{ runMatchingRound(needIds: $n, params: {{ priorityFirst: false }}) {{ {ROUND_FIELDS} }} }}"
    );
    let round = w.s.ok(&q, json!({ "n": ids }), w.coordinator.auth()).await["runMatchingRound"].clone();
    assert_eq!(round["status"], "DONE", "{round}");
    assert_eq!(round["params"]["priorityFirst"], false);
    assert_eq!(round["stats"]["priorityFirst"], false);
    assert_eq!(round["stats"]["priorityStep"], 0);
    assert_eq!(round["stats"]["totalPriorityStep"], 0);
    assert_eq!(round["stats"]["guarantees"]["rolesEmptyBesideIdleExperts"], 0);
    // Out-of-range parameters name their field.
    let q = "mutation { runMatchingRound(params: { municipalityPenalty: 1001 }) { id } }";
    let e = common::first_error(&w.s.gql(q, json!({}), w.coordinator.auth()).await);
    assert_bad_input(&e, "params.municipality_penalty");
}

/// `load-instance` writes a generated pool into an empty database; a round through the API then reaches the same
/// optimum as the engine on that pool (without the commitments, exclusions and continuity the loader leaves out), and
/// a second load is refused.
async fn a_loaded_instance_gives_the_engines_optimum_through_the_api(b: Backend) {
    use recovery_pool::matching::{self, Params, generate};
    let s = b.start().await;
    let mut pool = generate::generate_shaped(300, 120, 5, generate::Shape::Concentrated);
    let report = s.services.load_instance(&pool).await.expect("an empty database takes the instance");
    assert_eq!((report.experts, report.needs), (300, 120));
    assert!(report.commitments_left_out > 0, "{report:?}");
    for e in &mut pool.experts {
        e.commitments.clear();
        e.excluded_needs.clear();
    }
    pool.continuity.clear();
    let expected = matching::round(&pool, None, &Params::default()).expect("a valid pool");
    let coordinator = s.user(Role::PoolCoordinator, None).await;
    let q = "mutation { runMatchingRound { status needCount objective stats { filledSeats eligiblePairs } } }";
    let round = s.ok(q, json!({}), coordinator.auth()).await["runMatchingRound"].clone();
    assert_eq!(round["status"], "DONE", "{round}");
    assert_eq!(round["needCount"], 120);
    assert_eq!(round["stats"]["eligiblePairs"].as_u64(), Some(expected.stats.eligible_pairs as u64));
    assert_eq!(round["stats"]["filledSeats"].as_u64(), Some(expected.stats.filled_seats as u64));
    assert_eq!(round["objective"].as_i64(), Some(expected.objective), "{round}");
    let again = s.services.load_instance(&pool).await.expect_err("the pool is not empty any more");
    assert!(again.to_string().contains("without experts or plans"), "{again}");
}

async fn run_round_as(w: &World, needs: &[&NeedIds], token: Option<&str>) -> Value {
    let q = format!("mutation($n: [ID!]) {{ runMatchingRound(needIds: $n) {{ {ROUND_FIELDS} }} }}");
    let ids: Vec<&str> = needs.iter().map(|n| n.id.as_str()).collect();
    w.s.gql(&q, json!({ "n": ids }), token).await
}

async fn run_round(w: &World, needs: &[&NeedIds], by: &User) -> Value {
    run_round_as(w, needs, by.auth()).await
}

fn all_needs(w: &World) -> Vec<&NeedIds> {
    vec![&w.heating, &w.lviv_on_site, &w.berezivka_on_site, &w.berezivka_either]
}

async fn a_round_is_kept_with_its_proposals_and_objective_for_coordinators_only(b: Backend) {
    let w = world(b).await;
    let needs = all_needs(&w);
    let audit_before = w.s.count("auditEvents", "", w.coordinator.auth()).await;
    let round = common::data(run_round(&w, &needs, &w.coordinator).await)["runMatchingRound"].clone();
    assert_eq!(round["status"], "DONE", "{round}");
    assert_eq!(round["error"], Value::Null);
    assert_eq!(round["needCount"], 4);
    assert_eq!(round["expertCount"], 11);
    assert_eq!(round["runBy"], w.coordinator.id.as_str());
    assert!(round["eligiblePairs"].as_i64().expect("pairs") >= 8, "{round}");
    // The parameters and figures come back typed.
    assert_eq!(round["params"]["municipalityPenalty"], 5, "the default penalty: {round}");
    assert!(
        round["params"]["priorityRewards"]["critical"].as_i64() > round["params"]["priorityRewards"]["low"].as_i64()
    );
    assert_eq!(round["stats"]["eligiblePairs"], round["eligiblePairs"]);
    let proposals = round["proposals"].as_array().expect("proposals").clone();
    assert_eq!(round["stats"]["filledSeats"].as_u64(), Some(proposals.len() as u64));
    let figures = &round["stats"];
    // Every seat the round left open is accounted for, with whether anyone could have taken it.
    let unfilled = figures["unfilledRoles"].as_array().cloned().unwrap_or_default();
    let left: i64 = unfilled.iter().filter_map(|u| u["seatsLeft"].as_i64()).sum();
    assert_eq!(Some(left), figures["openSeats"].as_i64().map(|open| open - proposals.len() as i64), "{figures}");
    for u in &unfilled {
        let expected =
            if u["eligibleExperts"] == 0 { "NO_ELIGIBLE_EXPERT" } else { "ELIGIBLE_EXPERTS_PLACED_ELSEWHERE" };
        assert_eq!(u["reason"], expected, "{u}");
        assert!(u["seatsLeft"].as_i64() <= u["role"]["seats"].as_i64(), "{u}");
    }
    let part = |name: &str| figures[name].as_i64().unwrap_or_default();
    assert_eq!(
        part("totalSeatValue") + part("totalPriorityStep") + part("totalScore") + part("totalPriorityReward")
            - part("totalMunicipalityPenalty"),
        round["objective"].as_i64().unwrap_or_default(),
        "the objective is the sum of its parts"
    );
    // Both guarantees held, and the round says how priority and fairness shaped it.
    assert_eq!(round["params"]["priorityFirst"], true);
    assert_eq!(figures["priorityFirst"], true);
    assert!(part("seatValue") >= 1 && part("priorityStep") > 1000, "{figures}");
    assert_eq!(part("totalSeatValue"), part("seatValue") * proposals.len() as i64);
    for g in ["rolesEmptyBesideIdleExperts", "idleExpertsEligibleForEmptySeats", "rolesLosingToLowerPriority"] {
        assert_eq!(figures["guarantees"][g], 0, "{g}: {figures}");
    }
    let by_priority = figures["byPriority"].as_array().cloned().unwrap_or_default();
    let filled: i64 = by_priority.iter().filter_map(|f| f["filledSeats"].as_i64()).sum();
    assert_eq!(filled, proposals.len() as i64, "{figures}");
    let drawn: i64 =
        figures["byMunicipality"].as_array().into_iter().flatten().filter_map(|m| m["drawn"].as_i64()).sum();
    assert_eq!(drawn, proposals.len() as i64, "{figures}");
    assert!(figures["timings"]["loadMs"].as_f64() > Some(0.0) && figures["timings"]["storeMs"].as_f64() > Some(0.0));
    assert!(figures["solver"]["phases"].as_i64() > Some(0), "{figures}");

    // Every seat that can be filled is: the engineer, both planners, the Lviv school and Berezivka remotely.
    let mut seats: Vec<(String, &str)> =
        proposals.iter().map(|p| (str_at(p, "/roleId"), w.short(&str_at(p, "/expert/id")))).collect();
    seats.sort();
    let mut expected = vec![
        (w.heating.roles[0].clone(), "heat5"),
        (w.heating.roles[1].clone(), "planner_en"),
        (w.heating.roles[1].clone(), "planner_nl"),
        (w.lviv_on_site.roles[0].clone(), "school_on_site"),
        (w.berezivka_either.roles[0].clone(), "school_either"),
    ];
    expected.sort();
    assert_eq!(seats, expected, "{proposals:#?}");
    let positions: Vec<i64> = proposals.iter().map(|p| p["position"].as_i64().expect("position")).collect();
    assert_eq!(positions, (0..proposals.len() as i64).collect::<Vec<_>>(), "positions 0, 1, …");
    let mut total = 0;
    for p in &proposals {
        assert_eq!(p["assignmentId"], Value::Null, "nothing is assigned before a commit");
        assert_eq!(sum_of_parts(&p["explanation"]), p["score"].as_i64().expect("score"));
        total += p["score"].as_i64().expect("score");
    }
    let objective = round["objective"].as_i64().expect("an objective");
    assert!(objective > 0, "{round}");
    // With each seat from a different expert and the default rewards, the objective is more than the scores.
    assert!(objective >= total, "objective {objective} against scores {total}");

    // Kept for review, the same when read back; listed among the rounds.
    let id = str_at(&round, "/id");
    let q = format!("query($id: ID!) {{ matchingRound(id: $id) {{ {ROUND_FIELDS} }} }}");
    let again = w.s.ok(&q, json!({ "id": id }), w.coordinator.auth()).await["matchingRound"].clone();
    assert_eq!(again, round);
    let rounds =
        w.s.ok("{ matchingRounds { totalCount edges { node { id } } } }", json!({}), w.coordinator.auth()).await;
    assert_eq!(common::ids(&rounds["matchingRounds"]), std::slice::from_ref(&id));
    let events =
        w.s.ok(
            "query($o: ID!) { auditEvents(filter: { objectId: $o }) { edges { node { action actorId } } } }",
            json!({ "o": id }),
            w.coordinator.auth(),
        )
        .await;
    let events = common::nodes(&events["auditEvents"]);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["action"], "round.run");
    assert_eq!(w.s.count("auditEvents", "", w.coordinator.auth()).await, audit_before + 1);
    assert_eq!(w.assignment_count().await, 0, "a round assigns nothing");

    // Deterministic: the same pool gives the same proposals and objective.
    let second = common::data(run_round(&w, &needs, &w.coordinator).await)["runMatchingRound"].clone();
    assert_eq!(second["objective"], round["objective"]);
    let strip = |r: &Value| -> Vec<Value> {
        r["proposals"]
            .as_array()
            .expect("proposals")
            .iter()
            .map(|p| json!([p["position"], p["roleId"], p["expert"], p["score"]]))
            .collect()
    };
    assert_eq!(strip(&second), strip(&round));

    // Everyone else may neither run nor read rounds.
    let others = [
        w.auc.clone(),
        w.s.user(Role::HromadaOfficer, Some(codes::LVIV)).await,
        w.s.user(Role::MunicipalityOfficer, Some(codes::UTRECHT)).await,
        w.s.user(Role::FundOfficer, None).await,
        w.s.expert_user(&w.id("heat5")).await,
    ];
    let audit_now = w.s.count("auditEvents", "", w.coordinator.auth()).await;
    for who in &others {
        let body = run_round(&w, &needs, who).await;
        assert_code(&common::first_error(&body), "FORBIDDEN");
        assert!(body["data"].is_null(), "{body}");
        let e = w.s.fails("query($id: ID!) { matchingRound(id: $id) { id } }", json!({ "id": id }), who.auth()).await;
        assert_code(&e, "FORBIDDEN");
        let e = w.s.fails("{ matchingRounds { totalCount } }", json!({}), who.auth()).await;
        assert_code(&e, "FORBIDDEN");
    }
    assert_code(&common::first_error(&run_round_as(&w, &needs, None).await), "UNAUTHENTICATED");
    assert_eq!(w.s.count("matchingRounds", "", w.coordinator.auth()).await, 2);
    assert_eq!(w.s.count("auditEvents", "", w.coordinator.auth()).await, audit_now, "refused runs leave no trace");

    // A need that is not OPEN cannot be named.
    let q = "mutation($n: [ID!]) { runMatchingRound(needIds: $n) { id } }";
    let e = w.s.fails(q, json!({ "n": [w.heating.id, uuid::Uuid::new_v4().to_string()] }), w.coordinator.auth()).await;
    assert_bad_input(&e, "needIds[1]");
}

async fn committing_proposals_makes_proposed_assignments_once(b: Backend) {
    let w = world(b).await;
    let round = common::data(run_round(&w, &all_needs(&w), &w.coordinator).await)["runMatchingRound"].clone();
    let twin = common::data(run_round(&w, &all_needs(&w), &w.coordinator).await)["runMatchingRound"].clone();
    let round_id = str_at(&round, "/id");
    let proposals = round["proposals"].as_array().expect("proposals").clone();
    assert!(proposals.len() >= 4, "{round}");
    let positions: Vec<i64> = proposals.iter().map(|p| p["position"].as_i64().expect("position")).collect();
    let commit = "mutation($r: ID!, $p: [Int!]!) { commitProposals(roundId: $r, positions: $p) { \
        assignments { id status roundId score hoursPerWeek need { id } roleId expert { id } } skipped { position reason } } }";

    // Only coordinators commit.
    for who in [&w.auc, &w.s.user(Role::MunicipalityOfficer, Some(codes::UTRECHT)).await] {
        assert_code(&w.s.fails(commit, json!({ "r": round_id, "p": positions }), who.auth()).await, "FORBIDDEN");
    }
    // A position listed twice, or one the round does not have, is bad input; nothing is committed.
    let e = w.s.fails(commit, json!({ "r": round_id, "p": [positions[0], positions[0]] }), w.coordinator.auth()).await;
    assert_bad_input(&e, "positions[1]");
    let e = w.s.fails(commit, json!({ "r": round_id, "p": [99] }), w.coordinator.auth()).await;
    assert_bad_input(&e, "positions[0]");
    let e = w.s.fails(commit, json!({ "r": uuid::Uuid::new_v4().to_string(), "p": [0] }), w.coordinator.auth()).await;
    assert_code(&e, "NOT_FOUND");
    assert_eq!(w.assignment_count().await, 0);

    // The first two, then all: those already committed are reported as skipped.
    let first =
        w.s.ok(commit, json!({ "r": round_id, "p": &positions[..2] }), w.coordinator.auth()).await["commitProposals"]
            .clone();
    assert_eq!(first["assignments"].as_array().map(Vec::len), Some(2), "{first}");
    assert_eq!(first["skipped"], json!([]));
    let rest =
        w.s.ok(commit, json!({ "r": round_id, "p": positions }), w.coordinator.auth()).await["commitProposals"].clone();
    let skipped: Vec<(i64, String)> = rest["skipped"]
        .as_array()
        .expect("skipped")
        .iter()
        .map(|s| (s["position"].as_i64().expect("position"), str_at(s, "/reason")))
        .collect();
    assert_eq!(
        skipped,
        vec![(positions[0], "already committed".to_string()), (positions[1], "already committed".to_string())]
    );
    let mut made: Vec<Value> = first["assignments"].as_array().expect("list").clone();
    made.extend(rest["assignments"].as_array().expect("list").iter().cloned());
    assert_eq!(made.len(), proposals.len());
    for (a, p) in made.iter().zip(&proposals) {
        assert_eq!(a["status"], "PROPOSED");
        assert_eq!(a["roundId"], round_id.as_str());
        assert_eq!(a["expert"]["id"], p["expert"]["id"]);
        assert_eq!(a["roleId"], p["roleId"]);
        assert_eq!(a["need"]["id"], p["need"]["id"]);
        assert_eq!(a["score"], p["score"]);
    }
    assert_eq!(w.assignment_count().await, proposals.len() as i64);

    // Committing again changes nothing.
    let again =
        w.s.ok(commit, json!({ "r": round_id, "p": positions }), w.coordinator.auth()).await["commitProposals"].clone();
    assert_eq!(again["assignments"], json!([]));
    assert_eq!(again["skipped"].as_array().map(Vec::len), Some(proposals.len()));
    assert!(again["skipped"].as_array().expect("list").iter().all(|s| s["reason"] == "already committed"), "{again}");
    assert_eq!(w.assignment_count().await, proposals.len() as i64);

    // The round shows what each proposal became; the assignments are in the audit log.
    let q = "query($id: ID!) { matchingRound(id: $id) { proposals { position assignmentId } } }";
    let d = w.s.ok(q, json!({ "id": round_id }), w.coordinator.auth()).await;
    for (p, a) in d["matchingRound"]["proposals"].as_array().expect("list").iter().zip(&made) {
        assert_eq!(p["assignmentId"], a["id"]);
    }
    let q = "query($o: ID!) { auditEvents(filter: { objectId: $o }) { edges { node { action actorId } } } }";
    let d = w.s.ok(q, json!({ "o": made[0]["id"] }), w.coordinator.auth()).await;
    let events = common::nodes(&d["auditEvents"]);
    assert_eq!(events.iter().map(|e| str_at(e, "/action")).collect::<Vec<_>>(), ["assignment.propose"]);
    assert_eq!(events[0]["actorId"], w.coordinator.id.as_str());

    // A twin round run before the commit proposes the same seats: re-checked now, none fits any more, and
    // each is skipped with the reason, not forced.
    let twin_positions: Vec<i64> =
        twin["proposals"].as_array().expect("list").iter().map(|p| p["position"].as_i64().expect("position")).collect();
    assert_eq!(twin_positions.len(), proposals.len());
    let late = w.s.ok(commit, json!({ "r": str_at(&twin, "/id"), "p": twin_positions }), w.coordinator.auth()).await["commitProposals"].clone();
    assert_eq!(late["assignments"], json!([]), "{late}");
    let reasons: Vec<String> = late["skipped"].as_array().expect("list").iter().map(|s| str_at(s, "/reason")).collect();
    assert_eq!(reasons.len(), proposals.len());
    for r in &reasons {
        assert!(r.contains("seat") || r.contains("not eligible"), "a reason that says why: {r}");
    }
    assert_eq!(w.assignment_count().await, proposals.len() as i64);

    // A new round finds nothing more to propose for the seats now taken.
    let next = common::data(run_round(&w, &all_needs(&w), &w.coordinator).await)["runMatchingRound"].clone();
    assert_eq!(next["proposals"], json!([]), "{next}");
}

async fn a_hand_picked_ineligible_expert_is_a_conflict_that_says_why(b: Backend) {
    let w = world(b).await;
    let cases = [
        ("heat4_no_language", "no shared language"),
        ("heat3", "essential skill DISTRICT_HEATING needs level 4, the expert has 3"),
        ("efficiency_only", "essential skill DISTRICT_HEATING needs level 4, the expert has none"),
        ("heat5_busy", "4 free hours per week in the period, the role needs 8"),
    ];
    for (expert, why) in cases {
        let e = common::first_error(&w.propose(&w.heating, 0, expert, &w.coordinator).await);
        assert_code(&e, "CONFLICT");
        let message = e["message"].as_str().unwrap_or_default();
        assert!(message.contains("not eligible") && message.contains(why), "{expert}: {message}");
    }
    assert_eq!(w.assignment_count().await, 0);

    // A fitting expert is proposed, with the score and period of the engine; once on the need, not again.
    let ok = common::data(w.propose(&w.heating, 0, "heat4", &w.coordinator).await)["proposeAssignment"].clone();
    assert_eq!(ok["status"], "PROPOSED");
    assert_eq!(ok["hoursPerWeek"], 8);
    assert_eq!((ok["startDate"].clone(), ok["endDate"].clone()), (json!("2027-03-01"), json!("2027-09-30")));
    let listed = w.candidates(&w.heating, 0, &w.coordinator).await;
    assert!(!w.names(&listed).contains(&"heat4"), "an expert on the need is no longer a candidate");
    let e = common::first_error(&w.propose(&w.heating, 1, "heat4", &w.coordinator).await);
    assert_code(&e, "CONFLICT");
    // The engineer's one seat is taken.
    let e = common::first_error(&w.propose(&w.heating, 0, "heat5", &w.coordinator).await);
    assert_code(&e, "CONFLICT");
    assert!(e["message"].as_str().is_some_and(|m| m.contains("seat")), "{e}");
    assert_eq!(w.assignment_count().await, 1);

    // Only coordinators propose; unknown roles and experts are bad input.
    for who in [
        &w.auc,
        &w.s.user(Role::HromadaOfficer, Some(codes::LVIV)).await,
        &w.s.user(Role::MunicipalityOfficer, Some(codes::UTRECHT)).await,
    ] {
        let e = common::first_error(&w.propose(&w.heating, 1, "planner_nl", who).await);
        assert_code(&e, "FORBIDDEN");
    }
    let q = "mutation($r: ID!, $e: ID!) { proposeAssignment(roleId: $r, expertId: $e) { id } }";
    let e =
        w.s.fails(q, json!({ "r": uuid::Uuid::new_v4().to_string(), "e": w.id("planner_nl") }), w.coordinator.auth())
            .await;
    assert_bad_input(&e, "roleId");
    let e =
        w.s.fails(q, json!({ "r": w.heating.roles[1], "e": uuid::Uuid::new_v4().to_string() }), w.coordinator.auth())
            .await;
    assert_bad_input(&e, "expertId");
    assert_eq!(w.assignment_count().await, 1);
}

async fn a_commit_naming_an_unknown_position_commits_nothing(b: Backend) {
    let w = world(b).await;
    let round = common::data(run_round(&w, &all_needs(&w), &w.coordinator).await)["runMatchingRound"].clone();
    let commit =
        "mutation($r: ID!, $p: [Int!]!) { commitProposals(roundId: $r, positions: $p) { assignments { id } } }";
    let e = w.s.fails(commit, json!({ "r": round["id"], "p": [0, 1, 99] }), w.coordinator.auth()).await;
    assert_bad_input(&e, "positions[2]");
    // Bad input changes nothing: no assignment was made behind the error.
    assert_eq!(w.assignment_count().await, 0, "the error hid the assignments committed before it");
}
