//! The recovery plan and need workflows (docs/workflows.md) as the hromada, AUC and outsiders go through them over
//! HTTP: who may take which step, what each step leaves behind, and what the audit log says about it.

use crate::common;

use std::collections::HashMap;

use common::{Backend, TestServer, User, assert_bad_input, assert_code, codes, ids, need_input, plan_input, str_at};
use recovery_pool::domain::Role;
use serde_json::{Value, json};

backend_tests!(
    a_plan_goes_from_draft_through_a_return_to_endorsement_and_its_need_opens,
    sending_a_plan_back_needs_a_reason,
    a_step_from_the_wrong_state_is_a_conflict_and_changes_nothing,
    closing_and_cancelling_follow_the_workflow,
    another_hromada_neither_sees_nor_submits_a_draft_plan,
    a_municipality_officer_sees_a_plan_only_once_it_is_endorsed,
    a_cancelled_need_does_not_reveal_a_plan_that_is_still_a_draft,
    nested_reads_pass_the_same_visibility_as_lists,
    plan_steps_and_priorities_tell_the_other_side_in_its_own_language,
    the_public_figures_count_open_needs_per_oblast_and_their_open_seats,
);

const PLAN_FIELDS: &str = "id status title returnReason updatedAt municipality { code }";
const NEED_FIELDS: &str = "id status priority updatedAt title totalSeats \
    roles { title seats hoursPerWeek interpreterAvailable skills { essential minLevel skill { code } } languages { language level } }";

/// A hromada officer of Lviv with AUC, a pool coordinator and the skill list.
struct Scene {
    s: TestServer,
    officer: User,
    auc: User,
    coordinator: User,
    skills: HashMap<String, String>,
    lviv: String,
}

async fn scene(b: Backend) -> Scene {
    let s = b.start().await;
    let officer = s.user(Role::HromadaOfficer, Some(codes::LVIV)).await;
    let auc = s.user(Role::NeedsCoordinator, None).await;
    let coordinator = s.user(Role::PoolCoordinator, None).await;
    let skills = s.skill_ids(auc.auth()).await;
    let lviv = s.mid(codes::LVIV).await;
    Scene { s, officer, auc, coordinator, skills, lviv }
}

impl Scene {
    async fn create_plan(&self, by: &User, title: &str) -> Value {
        let q = format!(
            "mutation($m: ID!, $i: PlanInput!) {{ createPlan(municipalityId: $m, input: $i) {{ {PLAN_FIELDS} }} }}"
        );
        self.s.ok(&q, json!({ "m": self.lviv, "i": plan_input(title) }), by.auth()).await["createPlan"].clone()
    }

    async fn create_need(&self, by: &User, plan_id: &str, title: &str) -> Value {
        let q =
            format!("mutation($p: ID!, $i: NeedInput!) {{ createNeed(planId: $p, input: $i) {{ {NEED_FIELDS} }} }}");
        self.s.ok(&q, json!({ "p": plan_id, "i": need_input(title, &self.skills) }), by.auth()).await["createNeed"]
            .clone()
    }

    /// Runs a step mutation taking only `id` (`submitPlan`, `openNeed`, …); the whole response.
    async fn step(&self, mutation: &str, id: &str, by: &User) -> Value {
        let fields = if mutation.ends_with("Plan") { PLAN_FIELDS } else { NEED_FIELDS };
        let q = format!("mutation($id: ID!) {{ {mutation}(id: $id) {{ {fields} }} }}");
        self.s.gql(&q, json!({ "id": id }), by.auth()).await
    }

    /// A step that must succeed; the object after it.
    async fn step_ok(&self, mutation: &str, id: &str, by: &User) -> Value {
        let body = self.step(mutation, id, by).await;
        common::data(body)[mutation].clone()
    }

    /// A step that must fail with `code`.
    async fn step_fails(&self, mutation: &str, id: &str, by: &User, code: &str) {
        let body = self.step(mutation, id, by).await;
        assert_code(&common::first_error(&body), code);
        assert!(body["data"].is_null(), "{mutation} returned nothing: {body}");
    }

    async fn return_plan(&self, id: &str, reason: &str, by: &User) -> Value {
        let q = format!("mutation($id: ID!, $r: String!) {{ returnPlan(id: $id, reason: $r) {{ {PLAN_FIELDS} }} }}");
        self.s.gql(&q, json!({ "id": id, "r": reason }), by.auth()).await
    }

    async fn plan(&self, id: &str, by: &User) -> Value {
        let q = format!("query($id: ID!) {{ plan(id: $id) {{ {PLAN_FIELDS} }} }}");
        self.s.ok(&q, json!({ "id": id }), by.auth()).await["plan"].clone()
    }

    async fn need(&self, id: &str, by: &User) -> Value {
        let q = format!("query($id: ID!) {{ need(id: $id) {{ {NEED_FIELDS} }} }}");
        self.s.ok(&q, json!({ "id": id }), by.auth()).await["need"].clone()
    }

    /// The audit log of one object as a pool coordinator reads it, oldest first.
    async fn audit(&self, object_id: &str) -> Vec<Value> {
        let q = "query($o: ID!) { auditEvents(filter: { objectId: $o }, first: 100) { totalCount \
                 edges { node { action actorId actorRole objectType objectId before after at } } } }";
        let d = self.s.ok(q, json!({ "o": object_id }), self.coordinator.auth()).await;
        let mut events = common::nodes(&d["auditEvents"]);
        assert_eq!(d["auditEvents"]["totalCount"].as_u64(), Some(events.len() as u64));
        events.reverse();
        events
    }

    async fn audit_total(&self) -> i64 {
        self.s.count("auditEvents", "", self.coordinator.auth()).await
    }
}

fn actions(events: &[Value]) -> Vec<String> {
    events.iter().map(|e| str_at(e, "/action")).collect()
}

/// The `status` of an audit event's `before` or `after` snapshot (needs keep theirs under `need`).
fn snapshot_status(event: &Value, side: &str) -> Option<String> {
    let text = event[side].as_str()?;
    let v: Value = serde_json::from_str(text).expect("a snapshot is JSON");
    let row = if v.get("need").is_some() { &v["need"] } else { &v };
    row["status"].as_str().map(str::to_string)
}

async fn a_plan_goes_from_draft_through_a_return_to_endorsement_and_its_need_opens(b: Backend) {
    let sc = scene(b).await;
    let (officer, auc) = (&sc.officer, &sc.auc);

    let plan = sc.create_plan(officer, "Lviv heat and schools 2026–2028").await;
    assert_eq!(plan["status"], "DRAFT");
    assert_eq!(plan["municipality"]["code"], codes::LVIV);
    let plan_id = str_at(&plan, "/id");

    let need = sc.create_need(officer, &plan_id, "District heating renovation").await;
    assert_eq!(need["status"], "DRAFT");
    assert_eq!(need["priority"], "HIGH");
    assert_eq!(need["totalSeats"], 3);
    let roles = need["roles"].as_array().expect("roles");
    assert_eq!(roles.len(), 2, "two roles: {need}");
    assert_eq!(roles[0]["title"], "Heat network engineer");
    assert_eq!(roles[0]["skills"][0]["skill"]["code"], "DISTRICT_HEATING");
    assert_eq!(roles[0]["skills"][0]["essential"], true, "essential skills first");
    assert_eq!(roles[0]["skills"][1]["essential"], false);
    assert_eq!(roles[0]["languages"].as_array().map(Vec::len), Some(2));
    assert_eq!(roles[1]["title"], "Investment planner");
    assert_eq!(roles[1]["interpreterAvailable"], true);
    let need_id = str_at(&need, "/id");

    assert_eq!(sc.step_ok("submitPlan", &plan_id, officer).await["status"], "SUBMITTED");
    let reason = "Add the school shelters to the plan's needs.";
    let returned = common::data(sc.return_plan(&plan_id, reason, auc).await)["returnPlan"].clone();
    assert_eq!(returned["status"], "DRAFT");
    assert_eq!(returned["returnReason"], reason);
    assert_eq!(sc.plan(&plan_id, officer).await["returnReason"], reason, "the hromada reads why");

    assert_eq!(sc.step_ok("submitPlan", &plan_id, officer).await["status"], "SUBMITTED");
    assert_eq!(sc.need(&need_id, officer).await["status"], "DRAFT", "a need waits for the endorsement");
    assert_eq!(sc.step_ok("endorsePlan", &plan_id, auc).await["status"], "ENDORSED");
    assert_eq!(sc.need(&need_id, officer).await["status"], "OPEN", "endorsing opens the plan's draft needs");

    let q = "mutation($id: ID!) { setNeedPriority(id: $id, priority: CRITICAL) { priority status } }";
    let set = sc.s.ok(q, json!({ "id": need_id }), auc.auth()).await;
    assert_eq!(set["setNeedPriority"]["priority"], "CRITICAL");
    assert_eq!(sc.need(&need_id, officer).await["priority"], "CRITICAL");

    // The audit log tells the same story, in order, with who did what.
    let events = sc.audit(&plan_id).await;
    assert_eq!(actions(&events), ["plan.create", "plan.submit", "plan.return", "plan.submit", "plan.endorse"]);
    let roles: Vec<String> = events.iter().map(|e| str_at(e, "/actorRole")).collect();
    assert_eq!(
        roles,
        ["HROMADA_OFFICER", "HROMADA_OFFICER", "NEEDS_COORDINATOR", "HROMADA_OFFICER", "NEEDS_COORDINATOR"]
    );
    let actors: Vec<String> = events.iter().map(|e| str_at(e, "/actorId")).collect();
    assert_eq!(actors, [&officer.id, &officer.id, &auc.id, &officer.id, &auc.id].map(|s| s.clone()));
    let after: Vec<Option<String>> = events.iter().map(|e| snapshot_status(e, "after")).collect();
    let expected_after = ["DRAFT", "SUBMITTED", "DRAFT", "SUBMITTED", "ENDORSED"];
    assert_eq!(after, expected_after.map(|s| Some(s.to_string())));
    let before: Vec<Option<String>> = events.iter().map(|e| snapshot_status(e, "before")).collect();
    assert_eq!(before[0], None, "a creation has no before");
    assert_eq!(before[1..], ["DRAFT", "SUBMITTED", "DRAFT", "SUBMITTED"].map(|s| Some(s.to_string())));
    assert!(events[2]["after"].as_str().is_some_and(|a| a.contains(reason)), "the return keeps its reason");
    assert!(events.iter().all(|e| e["objectType"] == "plan" && e["objectId"] == plan_id.as_str()));
    let times: Vec<String> = events.iter().map(|e| str_at(e, "/at")).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "in time order: {times:?}");

    let need_events = sc.audit(&need_id).await;
    assert_eq!(actions(&need_events), ["need.create", "need.open", "need.set_priority"]);
    assert_eq!(str_at(&need_events[1], "/actorRole"), "NEEDS_COORDINATOR", "opened by the endorsement");
    assert_eq!(snapshot_status(&need_events[1], "after").as_deref(), Some("OPEN"));
}

async fn sending_a_plan_back_needs_a_reason(b: Backend) {
    let sc = scene(b).await;
    let plan_id = str_at(&sc.create_plan(&sc.officer, "Needs a reason").await, "/id");
    let submitted = sc.step_ok("submitPlan", &plan_id, &sc.officer).await;
    let audit_before = sc.audit_total().await;

    for missing in ["", "   ", "\n\t"] {
        let body = sc.return_plan(&plan_id, missing, &sc.auc).await;
        assert_bad_input(&common::first_error(&body), "reason");
        assert!(body["data"].is_null());
    }
    // Leaving the argument out is refused before anything runs.
    let body =
        sc.s.gql("mutation($id: ID!) { returnPlan(id: $id) { id } }", json!({ "id": plan_id }), sc.auc.auth()).await;
    assert!(body["errors"].as_array().is_some_and(|e| !e.is_empty()) && body["data"].is_null(), "{body}");
    // Only AUC sends plans back, reason or not.
    let body = sc.return_plan(&plan_id, "I would rather start over", &sc.officer).await;
    assert_code(&common::first_error(&body), "FORBIDDEN");

    let now = sc.plan(&plan_id, &sc.auc).await;
    assert_eq!(now["status"], "SUBMITTED");
    assert_eq!(now["returnReason"], Value::Null);
    assert_eq!(now["updatedAt"], submitted["updatedAt"], "the plan was not touched");
    assert_eq!(sc.audit_total().await, audit_before, "nothing was audited");
}

async fn a_step_from_the_wrong_state_is_a_conflict_and_changes_nothing(b: Backend) {
    let sc = scene(b).await;
    let (officer, auc) = (&sc.officer, &sc.auc);
    let plan_id = str_at(&sc.create_plan(officer, "Wrong steps").await, "/id");
    let need_id = str_at(&sc.create_need(officer, &plan_id, "Wrong need steps").await, "/id");

    // Each wrong step: CONFLICT, and neither the plan, the need nor the audit log changes.
    async fn refused(sc: &Scene, plan_id: &str, need_id: &str, attempts: &[(&str, &str, &User)]) {
        let plan_before = sc.plan(plan_id, &sc.auc).await;
        let need_before = sc.need(need_id, &sc.auc).await;
        let audit_before = sc.audit_total().await;
        for (mutation, id, by) in attempts {
            let id = if *id == "plan" { plan_id } else { need_id };
            sc.step_fails(mutation, id, by, "CONFLICT").await;
        }
        assert_eq!(sc.plan(plan_id, &sc.auc).await, plan_before);
        assert_eq!(sc.need(need_id, &sc.auc).await, need_before);
        assert_eq!(sc.audit_total().await, audit_before);
    }

    // DRAFT plan, DRAFT need.
    refused(
        &sc,
        &plan_id,
        &need_id,
        &[
            ("endorsePlan", "plan", auc),
            ("closePlan", "plan", auc),
            ("openNeed", "need", officer),
            ("closeNeed", "need", auc),
        ],
    )
    .await;
    let body = sc.return_plan(&plan_id, "Not even submitted", auc).await;
    assert_code(&common::first_error(&body), "CONFLICT");

    sc.step_ok("submitPlan", &plan_id, officer).await;
    refused(
        &sc,
        &plan_id,
        &need_id,
        &[
            ("submitPlan", "plan", officer),
            ("submitPlan", "plan", auc),
            ("closePlan", "plan", auc),
            ("openNeed", "need", auc),
        ],
    )
    .await;

    sc.step_ok("endorsePlan", &plan_id, auc).await;
    refused(
        &sc,
        &plan_id,
        &need_id,
        &[("submitPlan", "plan", officer), ("endorsePlan", "plan", auc), ("openNeed", "need", officer)],
    )
    .await;
    let body = sc.return_plan(&plan_id, "Too late", auc).await;
    assert_code(&common::first_error(&body), "CONFLICT");
    assert_eq!(sc.plan(&plan_id, officer).await["status"], "ENDORSED");

    // Contents are frozen once out of DRAFT (for the hromada), and a need once out of DRAFT.
    let q = "mutation($id: ID!, $i: PlanInput!) { updatePlan(id: $id, input: $i) { id } }";
    let e = sc.s.fails(q, json!({ "id": plan_id, "i": plan_input("Rewritten") }), officer.auth()).await;
    assert_code(&e, "CONFLICT");
    let q = "mutation($id: ID!, $i: NeedInput!) { updateNeed(id: $id, input: $i) { id } }";
    let e = sc.s.fails(q, json!({ "id": need_id, "i": need_input("Rewritten", &sc.skills) }), auc.auth()).await;
    assert_code(&e, "CONFLICT");
    assert_ne!(sc.plan(&plan_id, auc).await["title"], "Rewritten");
    assert_ne!(sc.need(&need_id, auc).await["title"], "Rewritten");
}

async fn closing_and_cancelling_follow_the_workflow(b: Backend) {
    let sc = scene(b).await;
    let (officer, auc) = (&sc.officer, &sc.auc);
    let plan_id = str_at(&sc.create_plan(officer, "Close and cancel").await, "/id");
    let kept = str_at(&sc.create_need(officer, &plan_id, "To be closed").await, "/id");
    let dropped = str_at(&sc.create_need(officer, &plan_id, "To be cancelled").await, "/id");
    let early = str_at(&sc.create_need(officer, &plan_id, "Cancelled as a draft").await, "/id");

    // A draft need can be cancelled by its hromada before the plan goes anywhere.
    assert_eq!(sc.step_ok("cancelNeed", &early, officer).await["status"], "CANCELLED");
    sc.step_ok("submitPlan", &plan_id, officer).await;
    sc.step_ok("endorsePlan", &plan_id, auc).await;
    assert_eq!(sc.need(&kept, officer).await["status"], "OPEN");
    assert_eq!(sc.need(&early, officer).await["status"], "CANCELLED", "a cancelled need does not reopen");

    // Only AUC closes needs and plans; the hromada may cancel its own.
    sc.step_fails("closeNeed", &kept, officer, "FORBIDDEN").await;
    sc.step_fails("closePlan", &plan_id, officer, "FORBIDDEN").await;
    assert_eq!(sc.step_ok("cancelNeed", &dropped, officer).await["status"], "CANCELLED");
    assert_eq!(sc.step_ok("closeNeed", &kept, auc).await["status"], "CLOSED");

    // Finished needs stay finished.
    for (mutation, id) in [
        ("cancelNeed", &dropped),
        ("closeNeed", &dropped),
        ("openNeed", &dropped),
        ("closeNeed", &kept),
        ("openNeed", &kept),
    ] {
        sc.step_fails(mutation, id, auc, "CONFLICT").await;
    }
    let q = "mutation($id: ID!) { setNeedPriority(id: $id, priority: LOW) { id } }";
    for id in [&kept, &dropped] {
        assert_code(&sc.s.fails(q, json!({ "id": id }), auc.auth()).await, "CONFLICT");
    }
    assert_eq!(sc.need(&kept, auc).await["status"], "CLOSED");
    assert_eq!(sc.need(&dropped, auc).await["status"], "CANCELLED");

    // A closed plan takes no new needs and no more steps.
    assert_eq!(sc.step_ok("closePlan", &plan_id, auc).await["status"], "CLOSED");
    let before = sc.s.count("needs", "", auc.auth()).await;
    let q = "mutation($p: ID!, $i: NeedInput!) { createNeed(planId: $p, input: $i) { id } }";
    let e = sc.s.fails(q, json!({ "p": plan_id, "i": need_input("Too late", &sc.skills) }), auc.auth()).await;
    assert_code(&e, "CONFLICT");
    assert_eq!(sc.s.count("needs", "", auc.auth()).await, before);
    for mutation in ["submitPlan", "endorsePlan", "closePlan"] {
        sc.step_fails(mutation, &plan_id, auc, "CONFLICT").await;
    }
    let events = sc.audit(&plan_id).await;
    assert_eq!(actions(&events), ["plan.create", "plan.submit", "plan.endorse", "plan.close"]);
    assert_eq!(actions(&sc.audit(&dropped).await), ["need.create", "need.open", "need.cancel"]);
    assert_eq!(actions(&sc.audit(&early).await), ["need.create", "need.cancel"]);
}

async fn another_hromada_neither_sees_nor_submits_a_draft_plan(b: Backend) {
    let sc = scene(b).await;
    let other = sc.s.user(Role::HromadaOfficer, Some(codes::VINNYTSIA)).await;
    let plan_id = str_at(&sc.create_plan(&sc.officer, "Lviv's own draft").await, "/id");
    let need_id = str_at(&sc.create_need(&sc.officer, &plan_id, "Lviv's draft need").await, "/id");

    let e = sc.s.fails("query($id: ID!) { plan(id: $id) { id title } }", json!({ "id": plan_id }), other.auth()).await;
    assert_code(&e, "NOT_FOUND");
    let e = sc.s.fails("query($id: ID!) { need(id: $id) { id title } }", json!({ "id": need_id }), other.auth()).await;
    assert_code(&e, "NOT_FOUND");
    let d =
        sc.s.ok(
            "{ plans { totalCount edges { node { id } } } needs { totalCount edges { node { id } } } }",
            json!({}),
            other.auth(),
        )
        .await;
    assert!(!ids(&d["plans"]).contains(&plan_id), "absent from plans: {d}");
    assert_eq!(d["plans"]["totalCount"], 0);
    assert!(!ids(&d["needs"]).contains(&need_id));
    assert_eq!(d["needs"]["totalCount"], 0);
    let filtered = format!("filter: {{ municipalityId: \"{}\" }}", sc.lviv);
    assert_eq!(sc.s.count("plans", &filtered, other.auth()).await, 0);

    // Nor may it act on it: what it cannot see is not there for it.
    sc.step_fails("submitPlan", &plan_id, &other, "NOT_FOUND").await;
    let q = "mutation($id: ID!, $i: PlanInput!) { updatePlan(id: $id, input: $i) { id } }";
    assert_code(
        &sc.s.fails(q, json!({ "id": plan_id, "i": plan_input("Taken over") }), other.auth()).await,
        "NOT_FOUND",
    );
    let q = "mutation($p: ID!, $i: NeedInput!) { createNeed(planId: $p, input: $i) { id } }";
    let e = sc.s.fails(q, json!({ "p": plan_id, "i": need_input("Slipped in", &sc.skills) }), other.auth()).await;
    common::assert_bad_input(&e, "planId");
    sc.step_fails("cancelNeed", &need_id, &other, "NOT_FOUND").await;
    let q = "mutation($m: ID!, $i: PlanInput!) { createPlan(municipalityId: $m, input: $i) { id } }";
    assert_code(&sc.s.fails(q, json!({ "m": sc.lviv, "i": plan_input("For Lviv") }), other.auth()).await, "FORBIDDEN");

    let plan = sc.plan(&plan_id, &sc.officer).await;
    assert_eq!(plan["status"], "DRAFT");
    assert_eq!(plan["title"], "Lviv's own draft");
    assert_eq!(sc.s.count("needs", "", sc.officer.auth()).await, 1);
    assert_eq!(actions(&sc.audit(&plan_id).await), ["plan.create"]);

    // Its own hromada and AUC see the draft.
    assert_eq!(sc.s.count("plans", "", sc.officer.auth()).await, 1);
    assert_eq!(sc.s.count("plans", "", sc.auc.auth()).await, 1);
}

async fn a_municipality_officer_sees_a_plan_only_once_it_is_endorsed(b: Backend) {
    let sc = scene(b).await;
    let outsider = sc.s.user(Role::MunicipalityOfficer, Some(codes::UTRECHT)).await;
    let plan_id = str_at(&sc.create_plan(&sc.officer, "Visible when endorsed").await, "/id");
    let need_id = str_at(&sc.create_need(&sc.officer, &plan_id, "Visible when open").await, "/id");
    let see = |who: &User| {
        let s = &sc.s;
        let token = who.token.clone();
        let (plan_id, need_id) = (plan_id.clone(), need_id.clone());
        async move {
            let one =
                s.gql("query($id: ID!) { plan(id: $id) { id status } }", json!({ "id": plan_id }), Some(&token)).await;
            let need =
                s.gql("query($id: ID!) { need(id: $id) { id status } }", json!({ "id": need_id }), Some(&token)).await;
            let lists = s
                .ok(
                    "{ plans { totalCount edges { node { id } } } needs { totalCount edges { node { id } } } }",
                    json!({}),
                    Some(&token),
                )
                .await;
            (one, need, lists)
        }
    };

    for stage in ["DRAFT", "SUBMITTED"] {
        let (one, need, lists) = see(&outsider).await;
        assert_code(&common::first_error(&one), "NOT_FOUND");
        assert_code(&common::first_error(&need), "NOT_FOUND");
        assert_eq!(lists["plans"]["totalCount"], 0, "{stage}: {lists}");
        assert_eq!(lists["needs"]["totalCount"], 0, "{stage}: {lists}");
        sc.step_fails("endorsePlan", &plan_id, &outsider, "NOT_FOUND").await;
        if stage == "DRAFT" {
            sc.step_fails("submitPlan", &plan_id, &outsider, "NOT_FOUND").await;
            sc.step_ok("submitPlan", &plan_id, &sc.officer).await;
        }
    }
    sc.step_ok("endorsePlan", &plan_id, &sc.auc).await;
    let (one, need, lists) = see(&outsider).await;
    assert_eq!(common::data(one)["plan"]["status"], "ENDORSED");
    assert_eq!(common::data(need)["need"]["status"], "OPEN");
    assert_eq!(ids(&lists["plans"]), std::slice::from_ref(&plan_id));
    assert_eq!(ids(&lists["needs"]), std::slice::from_ref(&need_id));
    assert_eq!(lists["plans"]["totalCount"], 1);
}

async fn a_cancelled_need_does_not_reveal_a_plan_that_is_still_a_draft(b: Backend) {
    let sc = scene(b).await;
    let outsider = sc.s.user(Role::MunicipalityOfficer, Some(codes::UTRECHT)).await;
    let other_hromada = sc.s.user(Role::HromadaOfficer, Some(codes::VINNYTSIA)).await;
    let plan_id = str_at(&sc.create_plan(&sc.officer, "Confidential draft").await, "/id");
    let need_id = str_at(&sc.create_need(&sc.officer, &plan_id, "Dropped idea").await, "/id");
    sc.step_ok("cancelNeed", &need_id, &sc.officer).await;

    for who in [&outsider, &other_hromada] {
        let body =
            sc.s.gql(
                "query($id: ID!) { need(id: $id) { id plan { title summary } } }",
                json!({ "id": need_id }),
                who.auth(),
            )
            .await;
        assert!(!body.to_string().contains("Confidential draft"), "the draft plan leaks to a {}: {body}", who.role);
        assert_code(&common::first_error(&body), "NOT_FOUND");
        let d = sc.s.ok("{ needs { totalCount edges { node { id plan { title } } } } }", json!({}), who.auth()).await;
        assert_eq!(d["needs"]["totalCount"], 0, "a {} lists the need of a draft plan: {d}", who.role);
    }
}

/// What a page's nested objects read by id (the API's loaders) leaves out a draft plan and its need for those who
/// may not see them, and gives them to those who may, once endorsed to everyone.
async fn nested_reads_pass_the_same_visibility_as_lists(b: Backend) {
    let sc = scene(b).await;
    let outsider = sc.s.user(Role::MunicipalityOfficer, Some(codes::UTRECHT)).await;
    let other_hromada = sc.s.user(Role::HromadaOfficer, Some(codes::VINNYTSIA)).await;
    let plan = sc.create_plan(&sc.officer, "Draft for nested reads").await;
    let need = sc.create_need(&sc.officer, &str_at(&plan, "/id"), "Draft need").await;
    let ids = |v: &Value| vec![uuid::Uuid::parse_str(&str_at(v, "/id")).expect("a UUID")];
    let principal = |u: &User| sc.s.services.tokens.verify(&u.token).expect("the harness's token verifies").principal;
    let seen = async |u: &User| {
        let p = principal(u);
        let plans = sc.s.services.plans_by_ids(Some(&p), &ids(&plan)).await.expect("plans by ids");
        let needs = sc.s.services.needs_by_ids(Some(&p), &ids(&need)).await.expect("needs by ids");
        (plans.len(), needs.len())
    };
    for who in [&outsider, &other_hromada] {
        assert_eq!(seen(who).await, (0, 0), "a {} reads a draft through a nested object", who.role);
    }
    for who in [&sc.officer, &sc.auc, &sc.coordinator] {
        assert_eq!(seen(who).await, (1, 1), "a {} may see the draft", who.role);
    }
    let nobody = sc.s.services.plans_by_ids(None, &ids(&plan)).await.expect("plans by ids");
    assert!(nobody.is_empty(), "no caller, no plan");

    sc.step_ok("submitPlan", &str_at(&plan, "/id"), &sc.officer).await;
    sc.step_ok("endorsePlan", &str_at(&plan, "/id"), &sc.auc).await;
    for who in [&outsider, &other_hromada] {
        assert_eq!(seen(who).await, (1, 1), "a {} sees an endorsed plan and its open need", who.role);
    }
}

/// The newest notification of `user`: (kind, title, body).
async fn newest_notice(s: &TestServer, user: &User) -> (String, String, String) {
    let d = s.ok("{ notifications(first: 1) { edges { node { kind title body } } } }", json!({}), user.auth()).await;
    let n = &d["notifications"]["edges"][0]["node"];
    (str_at(n, "/kind"), str_at(n, "/title"), str_at(n, "/body"))
}

async fn plan_steps_and_priorities_tell_the_other_side_in_its_own_language(b: Backend) {
    let sc = scene(b).await;
    let set = "mutation($l: String!) { setLanguage(language: $l) { language } }";
    let d = sc.s.ok(set, json!({ "l": "uk" }), sc.officer.auth()).await;
    assert_eq!(d["setLanguage"]["language"], "uk");
    sc.s.ok(set, json!({ "l": "nl" }), sc.auc.auth()).await;
    assert_bad_input(&common::first_error(&sc.s.gql(set, json!({ "l": "de" }), sc.officer.auth()).await), "language");

    let plan = sc.create_plan(&sc.officer, "Water for Lviv").await;
    let id = str_at(&plan, "/id");
    let need = sc.create_need(&sc.officer, &id, "Pumping stations").await;
    sc.s.ok("mutation($id: ID!) { submitPlan(id: $id) { id } }", json!({ "id": id }), sc.officer.auth()).await;
    let (kind, title, body) = newest_notice(&sc.s, &sc.auc).await;
    assert_eq!(kind, "plan.submitted");
    assert_eq!(title, "Plan wacht op onderschrijving: \"Water for Lviv\"", "AUC reads Dutch");
    assert!(body.contains("Lviv") && body.contains("Onderschrijf"), "{body}");

    let q = "mutation($id: ID!, $r: String!) { returnPlan(id: $id, reason: $r) { id } }";
    sc.s.ok(q, json!({ "id": id, "r": "Add the budget." }), sc.auc.auth()).await;
    let (kind, title, body) = newest_notice(&sc.s, &sc.officer).await;
    assert_eq!(kind, "plan.returned");
    assert_eq!(title, "План повернуто: «Water for Lviv»", "the hromada reads Ukrainian");
    assert_eq!(body, "АМУ повернула план на доопрацювання. Причина: Add the budget.");

    sc.s.ok("mutation($id: ID!) { submitPlan(id: $id) { id } }", json!({ "id": id }), sc.officer.auth()).await;
    sc.s.ok("mutation($id: ID!) { endorsePlan(id: $id) { id } }", json!({ "id": id }), sc.auc.auth()).await;
    assert_eq!(newest_notice(&sc.s, &sc.officer).await.0, "plan.endorsed");
    let q = "mutation($id: ID!, $p: Priority!) { setNeedPriority(id: $id, priority: $p) { priority } }";
    sc.s.ok(q, json!({ "id": str_at(&need, "/id"), "p": "CRITICAL" }), sc.auc.auth()).await;
    let (kind, title, _) = newest_notice(&sc.s, &sc.officer).await;
    assert_eq!(kind, "need.priority_set");
    assert_eq!(title, "Пріоритет потреби «Pumping stations»: Критичний");
    // The one who acted is not told of their own step.
    assert_ne!(newest_notice(&sc.s, &sc.auc).await.0, "need.priority_set");
}

async fn the_public_figures_count_open_needs_per_oblast_and_their_open_seats(b: Backend) {
    let sc = scene(b).await;
    let q = "{ publicStatistics { openSeats openNeedsPerRegion { key count } } }";
    let before = sc.s.ok(q, json!({}), None).await;
    assert_eq!(before["publicStatistics"], json!({ "openSeats": 0, "openNeedsPerRegion": [] }));
    let plan = str_at(&sc.create_plan(&sc.officer, "Open figures").await, "/id");
    let need = sc.create_need(&sc.officer, &plan, "Counted").await;
    sc.s.ok("mutation($id: ID!) { submitPlan(id: $id) { id } }", json!({ "id": plan }), sc.officer.auth()).await;
    // A draft need is not open yet.
    assert_eq!(sc.s.ok(q, json!({}), None).await["publicStatistics"]["openSeats"], 0);
    sc.s.ok("mutation($id: ID!) { endorsePlan(id: $id) { id } }", json!({ "id": plan }), sc.auc.auth()).await;
    let d = sc.s.ok(q, json!({}), None).await;
    let lviv =
        sc.s.ok("query($id: ID!) { municipality(id: $id) { region } }", json!({ "id": sc.lviv }), sc.auc.auth()).await;
    let region = str_at(&lviv, "/municipality/region");
    assert_eq!(d["publicStatistics"]["openSeats"], need["totalSeats"], "{d}");
    assert_eq!(d["publicStatistics"]["openNeedsPerRegion"], json!([{ "key": region, "count": 1 }]));
}
