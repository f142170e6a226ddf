//! Bad input is refused with a BAD_USER_INPUT error naming the field (as the API spells it), never a 5xx or an
//! INTERNAL error, and nothing is written (docs/architecture.md).

use crate::common;

use std::collections::HashMap;

use common::{
    Backend, Counts, TestServer, User, assert_bad_input, assert_code, codes, expert_profile, need_input, plan_input,
    str_at,
};
use recovery_pool::domain::Role;
use serde_json::{Value, json};

backend_tests!(
    a_skill_level_of_7_is_refused_naming_the_skill,
    an_end_before_the_start_is_refused_naming_the_end,
    an_empty_title_is_refused,
    an_unknown_skill_is_refused,
    an_unknown_plan_is_refused,
    a_malformed_id_is_refused_naming_the_argument,
    a_page_of_500_is_refused,
    a_plan_for_a_dutch_municipality_is_refused,
    a_garbage_cursor_is_refused,
);

const CREATE_EXPERT: &str =
    "mutation($m: ID!, $p: ExpertProfileInput!) { createExpert(municipalityId: $m, profile: $p) { id } }";
const UPDATE_EXPERT: &str = "mutation($id: ID!, $p: ExpertProfileInput!) { updateExpert(id: $id, profile: $p) { id } }";
const CREATE_PLAN: &str = "mutation($m: ID!, $i: PlanInput!) { createPlan(municipalityId: $m, input: $i) { id } }";
const UPDATE_PLAN: &str = "mutation($id: ID!, $i: PlanInput!) { updatePlan(id: $id, input: $i) { id } }";
const CREATE_NEED: &str = "mutation($p: ID!, $i: NeedInput!) { createNeed(planId: $p, input: $i) { id } }";
const UPDATE_NEED: &str = "mutation($id: ID!, $i: NeedInput!) { updateNeed(id: $id, input: $i) { id } }";

/// A pool with one expert (Utrecht) and one draft plan with one need (Lviv), and the people who may edit them.
struct Fixture {
    s: TestServer,
    admin: User,
    officer: User,
    auc: User,
    skills: HashMap<String, String>,
    utrecht: String,
    lviv: String,
    expert_id: String,
    plan_id: String,
    need_id: String,
}

async fn fixture(b: Backend) -> Fixture {
    let s = b.start().await;
    let admin = s.admin().await;
    let officer = s.user(Role::MunicipalityOfficer, Some(codes::UTRECHT)).await;
    let auc = s.user(Role::NeedsCoordinator, None).await;
    let skills = s.skill_ids(admin.auth()).await;
    let (utrecht, lviv) = (s.mid(codes::UTRECHT).await, s.mid(codes::LVIV).await);
    let profile = good_profile(&skills);
    let expert_id =
        str_at(&s.ok(CREATE_EXPERT, json!({ "m": utrecht, "p": profile }), officer.auth()).await, "/createExpert/id");
    let plan_id = str_at(
        &s.ok(CREATE_PLAN, json!({ "m": lviv, "i": plan_input("Fixture plan") }), auc.auth()).await,
        "/createPlan/id",
    );
    let need_id = str_at(
        &s.ok(CREATE_NEED, json!({ "p": plan_id, "i": need_input("Fixture need", &skills) }), auc.auth()).await,
        "/createNeed/id",
    );
    Fixture { s, admin, officer, auc, skills, utrecht, lviv, expert_id, plan_id, need_id }
}

fn good_profile(skills: &HashMap<String, String>) -> Value {
    expert_profile(
        "Good Profile",
        "Advisor",
        &[(&skills["ZONING"], 3), (&skills["SOCIAL_HOUSING"], 2)],
        &[("en", "B2")],
    )
}

impl Fixture {
    async fn counts(&self) -> Counts {
        self.s.counts(&self.admin).await
    }

    /// Runs `query` as `by`; it must fail with BAD_USER_INPUT on `field`, and nothing may change.
    async fn refused(&self, query: &str, variables: Value, by: &User, field: &str) {
        let before = self.counts().await;
        let (status, body) = self.s.gql_response(query, variables, by.auth()).await;
        assert!(!status.is_server_error(), "HTTP {status} for {query}: {body}");
        common::assert_no_internal(&body);
        assert_bad_input(&common::first_error(&body), field);
        let nothing = body["data"].as_object().is_none_or(|d| d.values().all(Value::is_null));
        assert!(nothing, "nothing returned: {body}");
        assert_eq!(self.counts().await, before, "nothing was written by {query}");
    }

    /// The expert, plan and need as they are now, to compare after refused updates.
    async fn snapshot(&self) -> Value {
        let q = "query($e: ID!, $p: ID!, $n: ID!) { expert(id: $e) { name jobTitle availableUntil updatedAt skills { level skill { code } } } \
                 plan(id: $p) { title periodEnd updatedAt } need(id: $n) { title endDate updatedAt roles { title skills { minLevel } } } }";
        self.s.ok(q, json!({ "e": self.expert_id, "p": self.plan_id, "n": self.need_id }), self.admin.auth()).await
    }
}

async fn a_skill_level_of_7_is_refused_naming_the_skill(b: Backend) {
    let f = fixture(b).await;
    let before = f.snapshot().await;
    let mut p = good_profile(&f.skills);
    p["skills"][0]["level"] = json!(7);
    f.refused(CREATE_EXPERT, json!({ "m": f.utrecht, "p": p }), &f.officer, "profile.skills[0].level").await;
    f.refused(UPDATE_EXPERT, json!({ "id": f.expert_id, "p": p }), &f.officer, "profile.skills[0].level").await;
    let mut p = good_profile(&f.skills);
    p["skills"][1]["level"] = json!(0);
    f.refused(CREATE_EXPERT, json!({ "m": f.utrecht, "p": p }), &f.officer, "profile.skills[1].level").await;

    let mut n = need_input("Level seven", &f.skills);
    n["roles"][1]["skills"][0]["minLevel"] = json!(7);
    f.refused(CREATE_NEED, json!({ "p": f.plan_id, "i": n }), &f.auc, "input.roles[1].skills[0].minLevel").await;
    f.refused(UPDATE_NEED, json!({ "id": f.need_id, "i": n }), &f.auc, "input.roles[1].skills[0].minLevel").await;
    assert_eq!(f.snapshot().await, before);
}

async fn an_end_before_the_start_is_refused_naming_the_end(b: Backend) {
    let f = fixture(b).await;
    let before = f.snapshot().await;
    let mut n = need_input("Backwards", &f.skills);
    n["startDate"] = json!("2026-09-30");
    n["endDate"] = json!("2026-03-01");
    f.refused(CREATE_NEED, json!({ "p": f.plan_id, "i": n }), &f.auc, "input.endDate").await;
    f.refused(UPDATE_NEED, json!({ "id": f.need_id, "i": n }), &f.auc, "input.endDate").await;

    let mut p = good_profile(&f.skills);
    p["availableFrom"] = json!("2026-06-01");
    p["availableUntil"] = json!("2026-05-31");
    f.refused(CREATE_EXPERT, json!({ "m": f.utrecht, "p": p }), &f.officer, "profile.availableUntil").await;
    f.refused(UPDATE_EXPERT, json!({ "id": f.expert_id, "p": p }), &f.officer, "profile.availableUntil").await;

    let mut plan = plan_input("Backwards plan");
    plan["periodEnd"] = json!("2025-12-31");
    f.refused(CREATE_PLAN, json!({ "m": f.lviv, "i": plan }), &f.auc, "input.periodEnd").await;
    f.refused(UPDATE_PLAN, json!({ "id": f.plan_id, "i": plan }), &f.auc, "input.periodEnd").await;
    assert_eq!(f.snapshot().await, before);
}

async fn an_empty_title_is_refused(b: Backend) {
    let f = fixture(b).await;
    let before = f.snapshot().await;
    for blank in ["", "   ", "\t\n"] {
        f.refused(CREATE_PLAN, json!({ "m": f.lviv, "i": plan_input(blank) }), &f.auc, "input.title").await;
        f.refused(UPDATE_PLAN, json!({ "id": f.plan_id, "i": plan_input(blank) }), &f.auc, "input.title").await;
        f.refused(CREATE_NEED, json!({ "p": f.plan_id, "i": need_input(blank, &f.skills) }), &f.auc, "input.title")
            .await;
    }
    let mut n = need_input("Role without a title", &f.skills);
    n["roles"][1]["title"] = json!(" ");
    f.refused(CREATE_NEED, json!({ "p": f.plan_id, "i": n }), &f.auc, "input.roles[1].title").await;
    let mut p = good_profile(&f.skills);
    p["jobTitle"] = json!("");
    f.refused(CREATE_EXPERT, json!({ "m": f.utrecht, "p": p }), &f.officer, "profile.jobTitle").await;
    assert_eq!(f.snapshot().await, before);
}

async fn an_unknown_skill_is_refused(b: Backend) {
    let f = fixture(b).await;
    let before = f.snapshot().await;
    let unknown = uuid::Uuid::new_v4().to_string();
    let mut n = need_input("Unknown skill", &f.skills);
    n["roles"][0]["skills"][1]["skillId"] = json!(unknown);
    f.refused(CREATE_NEED, json!({ "p": f.plan_id, "i": n }), &f.auc, "input.roles[0].skills[1].skillId").await;
    f.refused(UPDATE_NEED, json!({ "id": f.need_id, "i": n }), &f.auc, "input.roles[0].skills[1].skillId").await;
    let mut p = good_profile(&f.skills);
    p["skills"][1]["skillId"] = json!(unknown);
    f.refused(CREATE_EXPERT, json!({ "m": f.utrecht, "p": p }), &f.officer, "profile.skills[1].skillId").await;
    f.refused(UPDATE_EXPERT, json!({ "id": f.expert_id, "p": p }), &f.officer, "profile.skills[1].skillId").await;
    // In a filter, an unknown skill simply matches nothing.
    assert_eq!(f.s.count("experts", &format!("filter: {{ skillId: \"{unknown}\" }}"), f.auc.auth()).await, 0);
    assert_eq!(f.snapshot().await, before);
}

async fn an_unknown_plan_is_refused(b: Backend) {
    let f = fixture(b).await;
    let unknown = uuid::Uuid::new_v4().to_string();
    f.refused(CREATE_NEED, json!({ "p": unknown, "i": need_input("Orphan", &f.skills) }), &f.auc, "planId").await;
    // Reading or stepping an unknown plan is NOT_FOUND, and writes nothing either.
    let before = f.counts().await;
    assert_code(
        &f.s.fails("query($id: ID!) { plan(id: $id) { id } }", json!({ "id": unknown }), f.auc.auth()).await,
        "NOT_FOUND",
    );
    for step in ["submitPlan", "endorsePlan", "closePlan"] {
        let q = format!("mutation($id: ID!) {{ {step}(id: $id) {{ id }} }}");
        assert_code(&f.s.fails(&q, json!({ "id": unknown }), f.auc.auth()).await, "NOT_FOUND");
    }
    let q = "mutation($id: ID!) { returnPlan(id: $id, reason: \"why\") { id } }";
    assert_code(&f.s.fails(q, json!({ "id": unknown }), f.auc.auth()).await, "NOT_FOUND");
    assert_code(
        &f.s.fails(UPDATE_PLAN, json!({ "id": unknown, "i": plan_input("Ghost") }), f.auc.auth()).await,
        "NOT_FOUND",
    );
    assert_eq!(f.counts().await, before);
    // A plan filter on an unknown plan is an empty list.
    assert_eq!(f.s.count("needs", &format!("filter: {{ planId: \"{unknown}\" }}"), f.auc.auth()).await, 0);
}

async fn a_malformed_id_is_refused_naming_the_argument(b: Backend) {
    let f = fixture(b).await;
    for bad in ["not-an-id", "", "12345", "01a209ad-2675-752f-bb76-ffa8eccd589"] {
        for (query, field) in [
            ("query($id: ID!) { plan(id: $id) { id } }", "id"),
            ("query($id: ID!) { need(id: $id) { id } }", "id"),
            ("query($id: ID!) { expert(id: $id) { id } }", "id"),
            ("query($id: ID!) { municipality(id: $id) { id } }", "id"),
            ("mutation($id: ID!) { submitPlan(id: $id) { id } }", "id"),
            ("mutation($id: ID!) { cancelNeed(id: $id) { id } }", "id"),
            ("query($id: ID) { plans(filter: { municipalityId: $id }) { totalCount } }", "filter.municipalityId"),
            ("query($id: ID) { needs(filter: { planId: $id }) { totalCount } }", "filter.planId"),
            ("query($id: ID) { experts(filter: { municipalityId: $id }) { totalCount } }", "filter.municipalityId"),
            ("query($id: ID) { auditEvents(filter: { objectId: $id }) { totalCount } }", "filter.objectId"),
        ] {
            f.refused(query, json!({ "id": bad }), &f.admin, field).await;
        }
        f.refused(CREATE_PLAN, json!({ "m": bad, "i": plan_input("Somewhere") }), &f.auc, "municipalityId").await;
        f.refused(CREATE_NEED, json!({ "p": bad, "i": need_input("Somewhere", &f.skills) }), &f.auc, "planId").await;
        f.refused(CREATE_EXPERT, json!({ "m": bad, "p": good_profile(&f.skills) }), &f.officer, "municipalityId").await;
    }
}

async fn a_page_of_500_is_refused(b: Backend) {
    let f = fixture(b).await;
    for list in ["experts", "plans", "needs", "municipalities", "auditEvents", "users"] {
        for first in [500, 101, 0, -1] {
            let q =
                format!("query($first: Int) {{ {list}(first: $first) {{ totalCount edges {{ node {{ id }} }} }} }}");
            f.refused(&q, json!({ "first": first }), &f.admin, "first").await;
        }
        // The largest page is fine.
        let q = format!("{{ {list}(first: 100) {{ edges {{ node {{ id }} }} }} }}");
        f.s.ok(&q, json!({}), f.admin.auth()).await;
    }
    let q = "query($id: ID!) { plan(id: $id) { needs(first: 500) { totalCount } } }";
    f.refused(q, json!({ "id": f.plan_id }), &f.admin, "first").await;
}

async fn a_plan_for_a_dutch_municipality_is_refused(b: Backend) {
    let f = fixture(b).await;
    for who in [&f.auc, &f.admin] {
        f.refused(CREATE_PLAN, json!({ "m": f.utrecht, "i": plan_input("Utrecht recovers") }), who, "municipalityId")
            .await;
        let unknown = uuid::Uuid::new_v4().to_string();
        f.refused(CREATE_PLAN, json!({ "m": unknown, "i": plan_input("Nowhere recovers") }), who, "municipalityId")
            .await;
    }
    // A Dutch officer is not allowed to draft plans at all.
    let e =
        f.s.fails(CREATE_PLAN, json!({ "m": f.utrecht, "i": plan_input("Utrecht recovers") }), f.officer.auth()).await;
    assert_code(&e, "FORBIDDEN");
}

async fn a_garbage_cursor_is_refused(b: Backend) {
    let f = fixture(b).await;
    let not_base64 = "garbage cursor!";
    let not_an_id = "aGVsbG8"; // base64url of "hello"
    for after in [not_base64, not_an_id, "", "////"] {
        for list in ["experts", "plans", "needs", "municipalities", "auditEvents", "users"] {
            let q = format!(
                "query($after: String) {{ {list}(first: 5, after: $after) {{ totalCount edges {{ node {{ id }} }} }} }}"
            );
            f.refused(&q, json!({ "after": after }), &f.admin, "after").await;
        }
    }
    // A cursor of one list is a valid position in an id-ordered list, but not in the name-ordered one.
    let d = f.s.ok("{ experts(first: 1) { pageInfo { endCursor } } }", json!({}), f.admin.auth()).await;
    let expert_cursor = d["experts"]["pageInfo"]["endCursor"].clone();
    let q = "query($after: String) { municipalities(first: 5, after: $after) { totalCount } }";
    f.refused(q, json!({ "after": expert_cursor }), &f.admin, "after").await;
}
