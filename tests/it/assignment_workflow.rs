//! The assignment workflow (docs/workflows.md) over HTTP: three consents, none assumed from silence; each step for its
//! own side on its own objects; wrong steps refused without a trace; repeated steps harmless; the need's fill
//! derived from the assignments; contact details shown once the Ukrainian side has accepted; every step in the
//! audit log.

use crate::common;

use std::collections::HashMap;

use common::{Backend, TestServer, User, assert_bad_input, assert_code, codes, expert_profile, plan_input, str_at};
use recovery_pool::domain::Role;
use serde_json::{Value, json};

backend_tests!(
    each_step_is_taken_by_its_own_side_and_refused_to_everyone_else,
    refusing_steps_are_for_their_own_side_too,
    a_step_from_the_wrong_state_is_a_conflict_and_changes_nothing,
    a_step_without_its_reason_or_report_is_bad_input_and_changes_nothing,
    a_repeated_step_changes_nothing_and_says_so,
    two_consents_do_not_confirm_and_all_three_in_any_order_do,
    a_need_is_filled_when_every_seat_is_accepted_and_opens_again_when_one_drops,
    the_ukrainian_side_sees_the_experts_contact_details_only_once_accepted,
    a_cancelled_need_frees_its_experts_and_takes_no_further_steps,
    each_step_says_what_it_did_and_what_is_still_missing,
    the_steps_an_assignment_lists_for_a_person_are_exactly_those_that_succeed,
    a_need_shows_its_seats_per_role_and_its_assignments_and_an_expert_their_booked_hours,
);

/// A step of the workflow, as the API names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Accept,
    Reject,
    Agree,
    Decline,
    Release,
    Withdraw,
    Start,
    Complete,
    Cancel,
    ExpertFeedback,
    RecipientFeedback,
}

impl Step {
    /// The mutation, and the name of its text argument if it takes one.
    fn mutation(self) -> (&'static str, Option<&'static str>) {
        match self {
            Step::Accept => ("acceptAssignment", None),
            Step::Reject => ("rejectAssignment", Some("reason")),
            Step::Agree => ("agreeToAssignment", None),
            Step::Decline => ("declineAssignment", Some("reason")),
            Step::Release => ("releaseExpert", None),
            Step::Withdraw => ("withdrawRelease", Some("reason")),
            Step::Start => ("startAssignment", None),
            Step::Complete => ("completeAssignment", Some("outcomeReport")),
            Step::Cancel => ("cancelAssignment", Some("reason")),
            Step::ExpertFeedback => ("giveExpertFeedback", Some("feedback")),
            Step::RecipientFeedback => ("giveRecipientFeedback", Some("feedback")),
        }
    }

    fn is_feedback(self) -> bool {
        matches!(self, Step::ExpertFeedback | Step::RecipientFeedback)
    }

    /// The audit action it writes.
    fn audit(self) -> &'static str {
        match self {
            Step::Accept => "assignment.accept",
            Step::Reject => "assignment.reject",
            Step::Agree => "assignment.agree",
            Step::Decline => "assignment.decline",
            Step::Release => "assignment.release",
            Step::Withdraw => "assignment.withdraw",
            Step::Start => "assignment.start",
            Step::Complete => "assignment.complete",
            Step::Cancel => "assignment.cancel",
            Step::ExpertFeedback => "assignment.expert_feedback",
            Step::RecipientFeedback => "assignment.recipient_feedback",
        }
    }
}

const ASSIGNMENT_FIELDS: &str = "id status reason acceptedAt expertAgreedAt releasedAt startedAt completedAt \
    outcomeReport expertFeedback expertRating recipientFeedback recipientRating hoursPerWeek startDate endDate updatedAt \
    need { id status }";

/// Everyone who takes part, and the objects they act on.
pub(crate) struct Scene {
    pub(crate) s: TestServer,
    pub(crate) admin: User,
    pub(crate) coordinator: User,
    pub(crate) auc: User,
    /// Officer of Lviv, whose plan it is.
    pub(crate) hromada: User,
    /// Officer of Vinnytsia: someone else's need.
    pub(crate) other_hromada: User,
    /// Officer of Utrecht, Anna's municipality.
    pub(crate) municipality: User,
    /// Officer of Amsterdam, Bert's municipality.
    pub(crate) other_municipality: User,
    pub(crate) fund: User,
    /// Anna's account (Utrecht).
    pub(crate) expert: User,
    /// Bert's account (Amsterdam): another expert.
    pub(crate) other_expert: User,
    pub(crate) anna: String,
    pub(crate) bert: String,
    pub(crate) skills: HashMap<String, String>,
    pub(crate) plan: String,
}

pub(crate) async fn scene(b: Backend) -> Scene {
    let s = b.start().await;
    let admin = s.admin().await;
    let coordinator = s.user(Role::PoolCoordinator, None).await;
    let auc = s.user(Role::NeedsCoordinator, None).await;
    let hromada = s.user(Role::HromadaOfficer, Some(codes::LVIV)).await;
    let other_hromada = s.user(Role::HromadaOfficer, Some(codes::VINNYTSIA)).await;
    let municipality = s.user(Role::MunicipalityOfficer, Some(codes::UTRECHT)).await;
    let other_municipality = s.user(Role::MunicipalityOfficer, Some(codes::AMSTERDAM)).await;
    let fund = s.user(Role::FundOfficer, None).await;
    let skills = s.skill_ids(admin.auth()).await;

    let mut experts = Vec::new();
    for (name, officer, code) in
        [("Anna Visser", &municipality, codes::UTRECHT), ("Bert Kramer", &other_municipality, codes::AMSTERDAM)]
    {
        let mut p = expert_profile(name, "Heat engineer", &[(&skills["DISTRICT_HEATING"], 5)], &[("en", "C1")]);
        p["hoursPerWeek"] = json!(40);
        let q = "mutation($m: ID!, $p: ExpertProfileInput!) { createExpert(municipalityId: $m, profile: $p) { id } }";
        let d = s.ok(q, json!({ "m": s.mid(code).await, "p": p }), officer.auth()).await;
        experts.push(str_at(&d, "/createExpert/id"));
    }
    let expert = s.expert_user(&experts[0]).await;
    let other_expert = s.expert_user(&experts[1]).await;

    let q = "mutation($m: ID!, $i: PlanInput!) { createPlan(municipalityId: $m, input: $i) { id } }";
    let d = s.ok(q, json!({ "m": s.mid(codes::LVIV).await, "i": plan_input("Lviv heat 2027") }), hromada.auth()).await;
    let plan = str_at(&d, "/createPlan/id");
    s.ok("mutation($id: ID!) { submitPlan(id: $id) { id } }", json!({ "id": plan }), hromada.auth()).await;
    s.ok("mutation($id: ID!) { endorsePlan(id: $id) { id } }", json!({ "id": plan }), auc.auth()).await;
    let (anna, bert) = (experts[0].clone(), experts[1].clone());
    Scene {
        s,
        admin,
        coordinator,
        auc,
        hromada,
        other_hromada,
        municipality,
        other_municipality,
        fund,
        expert,
        other_expert,
        anna,
        bert,
        skills,
        plan,
    }
}

/// A need's id and its one role's id.
pub(crate) struct NeedIds {
    pub(crate) id: String,
    pub(crate) role: String,
}

impl Scene {
    /// A new OPEN need of Lviv with one role of `seats` seats at 4 h/week.
    pub(crate) async fn need(&self, title: &str, seats: i64) -> NeedIds {
        let input = json!({
            "title": title,
            "description": "Renovate the district heating network.",
            "sector": "ENERGY",
            "startDate": "2027-01-01",
            "endDate": "2027-06-30",
            "modes": ["REMOTE"],
            "priority": "HIGH",
            "roles": [{
                "title": "Heat network engineer",
                "seats": seats,
                "hoursPerWeek": 4,
                "skills": [{ "skillId": self.skills["DISTRICT_HEATING"], "minLevel": 3, "essential": true }],
                "languages": [{ "language": "en", "level": "B2" }]
            }]
        });
        let q = "mutation($p: ID!, $i: NeedInput!) { createNeed(planId: $p, input: $i) { id roles { id } } }";
        let d = self.s.ok(q, json!({ "p": self.plan, "i": input }), self.hromada.auth()).await;
        let id = str_at(&d, "/createNeed/id");
        let role = str_at(&d, "/createNeed/roles/0/id");
        let d = self
            .s
            .ok("mutation($id: ID!) { openNeed(id: $id) { status } }", json!({ "id": id }), self.hromada.auth())
            .await;
        assert_eq!(d["openNeed"]["status"], "OPEN");
        NeedIds { id, role }
    }

    /// A PROPOSED assignment of `expert` for `need`'s role, by the pool coordinator.
    pub(crate) async fn propose(&self, need: &NeedIds, expert: &str) -> String {
        let q = "mutation($r: ID!, $e: ID!) { proposeAssignment(roleId: $r, expertId: $e) { id status } }";
        let d = self.s.ok(q, json!({ "r": need.role, "e": expert }), self.coordinator.auth()).await;
        assert_eq!(d["proposeAssignment"]["status"], "PROPOSED");
        str_at(&d, "/proposeAssignment/id")
    }

    /// A new need and Anna proposed for it.
    pub(crate) async fn proposed(&self, title: &str) -> String {
        let need = self.need(title, 1).await;
        self.propose(&need, &self.anna).await
    }

    /// Runs a step; the whole response. Text steps get `text` (or a default reason).
    async fn try_step(&self, step: Step, id: &str, by: &User, text: Option<&str>) -> Value {
        let (mutation, arg) = step.mutation();
        let selection = if step.is_feedback() {
            "id status".to_string()
        } else {
            "changed message assignment { id status }".to_string()
        };
        let (params, args) = match (arg, step.is_feedback()) {
            (None, _) => (String::new(), String::new()),
            (Some(a), false) => (", $t: String!".to_string(), format!(", {a}: $t")),
            (Some(a), true) => (", $t: String!".to_string(), format!(", {a}: $t, rating: 4")),
        };
        let q = format!("mutation($id: ID!{params}) {{ {mutation}(id: $id{args}) {{ {selection} }} }}");
        let text = text.unwrap_or("Given for the test.");
        self.s.gql(&q, json!({ "id": id, "t": text }), by.auth()).await
    }

    /// A step that must succeed and change something; the assignment's status after it.
    async fn step(&self, step: Step, id: &str, by: &User) -> String {
        let body = self.try_step(step, id, by, None).await;
        let (mutation, _) = step.mutation();
        let d = common::data(body)[mutation].clone();
        if step.is_feedback() {
            return str_at(&d, "/status");
        }
        assert_eq!(d["changed"], true, "{step:?} by {}: {d}", by.role);
        str_at(&d, "/assignment/status")
    }

    /// The assignment as an admin sees it.
    async fn assignment(&self, id: &str) -> Value {
        let q = format!("query($id: ID!) {{ assignment(id: $id) {{ {ASSIGNMENT_FIELDS} }} }}");
        self.s.ok(&q, json!({ "id": id }), self.admin.auth()).await["assignment"].clone()
    }

    async fn status(&self, id: &str) -> String {
        str_at(&self.assignment(id).await, "/status")
    }

    async fn audit_total(&self) -> i64 {
        self.s.count("auditEvents", "", self.coordinator.auth()).await
    }

    /// The audit log of one object, oldest first.
    async fn audit(&self, object_id: &str) -> Vec<Value> {
        let q = "query($o: ID!) { auditEvents(filter: { objectId: $o }, first: 100) { totalCount \
                 edges { node { action actorId actorRole objectType before after at } } } }";
        let d = self.s.ok(q, json!({ "o": object_id }), self.coordinator.auth()).await;
        let mut events = common::nodes(&d["auditEvents"]);
        events.reverse();
        events
    }

    /// Each attempt fails with `code`; the assignment and the audit log are as before.
    async fn refused(&self, id: &str, attempts: &[(Step, &User)], code: &str) {
        let before = self.assignment(id).await;
        let audit = self.audit_total().await;
        for (step, by) in attempts {
            let body = self.try_step(*step, id, by, None).await;
            let e = common::first_error(&body);
            assert_eq!(
                common::code(&e),
                Some(code),
                "{step:?} by a {} on a {} assignment: {body}",
                by.role,
                before["status"]
            );
            assert!(body["data"].is_null(), "{body}");
        }
        assert_eq!(self.assignment(id).await, before, "refused steps change nothing");
        assert_eq!(self.audit_total().await, audit, "refused steps are not audited");
    }
}

fn actions(events: &[Value]) -> Vec<String> {
    events.iter().map(|e| str_at(e, "/action")).collect()
}

/// The `status` of an audit snapshot (`before` or `after`).
fn snapshot_status(event: &Value, side: &str) -> Option<String> {
    let v: Value = serde_json::from_str(event[side].as_str()?).expect("a snapshot is JSON");
    v["status"].as_str().map(str::to_string)
}

async fn each_step_is_taken_by_its_own_side_and_refused_to_everyone_else(b: Backend) {
    let sc = scene(b).await;
    let (pc, auc, ho, ho2, mo, mo2, fund, ex, ex2) = (
        &sc.coordinator,
        &sc.auc,
        &sc.hromada,
        &sc.other_hromada,
        &sc.municipality,
        &sc.other_municipality,
        &sc.fund,
        &sc.expert,
        &sc.other_expert,
    );
    let id = sc.proposed("The whole way").await;
    let forbidden = "FORBIDDEN";
    // Those who cannot see the assignment are told it is not there.
    let hidden = "NOT_FOUND";

    // The Ukrainian side accepts: AUC or the need's own hromada.
    sc.refused(&id, &[pc, mo, ex].map(|u| (Step::Accept, u)), forbidden).await;
    sc.refused(&id, &[ho2, mo2, fund, ex2].map(|u| (Step::Accept, u)), hidden).await;
    assert_eq!(sc.step(Step::Accept, &id, ho).await, "ACCEPTED");
    // The expert agrees: only the expert themselves.
    sc.refused(&id, &[pc, auc, ho, mo].map(|u| (Step::Agree, u)), forbidden).await;
    sc.refused(&id, &[mo2, fund, ex2].map(|u| (Step::Agree, u)), hidden).await;
    assert_eq!(sc.step(Step::Agree, &id, ex).await, "ACCEPTED", "two consents of three");
    // The expert's municipality releases: only its own officers.
    sc.refused(&id, &[pc, auc, ho, ex].map(|u| (Step::Release, u)), forbidden).await;
    sc.refused(&id, &[mo2, fund, ex2].map(|u| (Step::Release, u)), hidden).await;
    assert_eq!(sc.step(Step::Release, &id, mo).await, "CONFIRMED");
    // Work starts: the expert, their municipality or a coordinator.
    sc.refused(&id, &[auc, ho].map(|u| (Step::Start, u)), forbidden).await;
    sc.refused(&id, &[ho2, mo2, fund, ex2].map(|u| (Step::Start, u)), hidden).await;
    assert_eq!(sc.step(Step::Start, &id, ex).await, "ACTIVE");
    // Feedback: each side its own.
    sc.refused(&id, &[pc, auc, ho].map(|u| (Step::ExpertFeedback, u)), forbidden).await;
    sc.refused(&id, &[ho2, mo2, fund, ex2].map(|u| (Step::ExpertFeedback, u)), hidden).await;
    assert_eq!(sc.step(Step::ExpertFeedback, &id, ex).await, "ACTIVE");
    sc.refused(&id, &[pc, mo, ex].map(|u| (Step::RecipientFeedback, u)), forbidden).await;
    sc.refused(&id, &[ho2, mo2, fund, ex2].map(|u| (Step::RecipientFeedback, u)), hidden).await;
    assert_eq!(sc.step(Step::RecipientFeedback, &id, ho).await, "ACTIVE");
    // The outcome is reported by the Ukrainian side or a coordinator, never by the lending side.
    sc.refused(&id, &[mo, ex].map(|u| (Step::Complete, u)), forbidden).await;
    sc.refused(&id, &[ho2, mo2, fund, ex2].map(|u| (Step::Complete, u)), hidden).await;
    assert_eq!(sc.step(Step::Complete, &id, auc).await, "COMPLETED");
    let e = sc.s.fails("mutation($id: ID!) { acceptAssignment(id: $id) { changed } }", json!({ "id": id }), None).await;
    assert_code(&e, "UNAUTHENTICATED");

    let done = sc.assignment(&id).await;
    assert_eq!(done["outcomeReport"], "Given for the test.");
    assert_eq!((done["expertRating"].clone(), done["recipientRating"].clone()), (json!(4), json!(4)));
    for at in ["acceptedAt", "expertAgreedAt", "releasedAt", "startedAt", "completedAt"] {
        assert!(done[at].is_string(), "{at} is set: {done}");
    }

    // Each step appended exactly its own event, by whom it was taken, with the state before and after.
    let events = sc.audit(&id).await;
    assert_eq!(
        actions(&events),
        [
            "assignment.propose",
            "assignment.accept",
            "assignment.agree",
            "assignment.release",
            "assignment.start",
            "assignment.expert_feedback",
            "assignment.recipient_feedback",
            "assignment.complete"
        ]
    );
    let actors: Vec<String> = events.iter().map(|e| str_at(e, "/actorId")).collect();
    assert_eq!(actors, [pc, ho, ex, mo, ex, ex, ho, auc].map(|u| u.id.clone()));
    let after: Vec<Option<String>> = events.iter().map(|e| snapshot_status(e, "after")).collect();
    let expected = ["PROPOSED", "ACCEPTED", "ACCEPTED", "CONFIRMED", "ACTIVE", "ACTIVE", "ACTIVE", "COMPLETED"];
    assert_eq!(after, expected.map(|s| Some(s.to_string())));
    assert_eq!(snapshot_status(&events[0], "before"), None);
    assert_eq!(snapshot_status(&events[3], "before").as_deref(), Some("ACCEPTED"));
    assert!(events.iter().all(|e| e["objectType"] == "assignment"));
    let times: Vec<String> = events.iter().map(|e| str_at(e, "/at")).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");

    // A coordinator cancels; no one else does.
    let other = sc.proposed("To be cancelled").await;
    sc.refused(&other, &[auc, ho, mo, ex].map(|u| (Step::Cancel, u)), forbidden).await;
    sc.refused(&other, &[ho2, mo2, fund, ex2].map(|u| (Step::Cancel, u)), hidden).await;
    assert_eq!(sc.step(Step::Cancel, &other, pc).await, "CANCELLED");
    assert_eq!(actions(&sc.audit(&other).await), ["assignment.propose", "assignment.cancel"]);
    // Work may also be started by the municipality or a coordinator, and completed by the hromada.
    for (starter, completer) in [(mo, ho), (pc, pc)] {
        let id = sc.proposed(&format!("Started by a {}", starter.role)).await;
        for (step, by) in [(Step::Release, mo), (Step::Accept, auc), (Step::Agree, ex)] {
            sc.step(step, &id, by).await;
        }
        assert_eq!(sc.step(Step::Start, &id, starter).await, "ACTIVE");
        assert_eq!(sc.step(Step::Complete, &id, completer).await, "COMPLETED");
    }
    // Admins may take any step.
    let id = sc.proposed("By an admin").await;
    for (step, to) in [
        (Step::Accept, "ACCEPTED"),
        (Step::Agree, "ACCEPTED"),
        (Step::Release, "CONFIRMED"),
        (Step::Start, "ACTIVE"),
        (Step::Complete, "COMPLETED"),
    ] {
        assert_eq!(sc.step(step, &id, &sc.admin).await, to);
    }
}

async fn refusing_steps_are_for_their_own_side_too(b: Backend) {
    let sc = scene(b).await;
    let (pc, auc, ho, ho2, mo, mo2, fund, ex, ex2) = (
        &sc.coordinator,
        &sc.auc,
        &sc.hromada,
        &sc.other_hromada,
        &sc.municipality,
        &sc.other_municipality,
        &sc.fund,
        &sc.expert,
        &sc.other_expert,
    );
    let forbidden = "FORBIDDEN";
    // Those who cannot see the assignment are told it is not there.
    let hidden = "NOT_FOUND";
    let rejected = sc.proposed("Rejected").await;
    sc.refused(&rejected, &[pc, mo, ex].map(|u| (Step::Reject, u)), forbidden).await;
    sc.refused(&rejected, &[ho2, mo2, fund, ex2].map(|u| (Step::Reject, u)), hidden).await;
    assert_eq!(sc.step(Step::Reject, &rejected, auc).await, "REJECTED");

    let declined = sc.proposed("Declined").await;
    sc.step(Step::Accept, &declined, ho).await;
    sc.refused(&declined, &[pc, auc, ho, mo].map(|u| (Step::Decline, u)), forbidden).await;
    sc.refused(&declined, &[mo2, fund, ex2].map(|u| (Step::Decline, u)), hidden).await;
    assert_eq!(sc.step(Step::Decline, &declined, ex).await, "DECLINED");

    let withdrawn = sc.proposed("Withdrawn").await;
    sc.step(Step::Release, &withdrawn, mo).await;
    sc.refused(&withdrawn, &[pc, auc, ho, ex].map(|u| (Step::Withdraw, u)), forbidden).await;
    sc.refused(&withdrawn, &[mo2, fund, ex2].map(|u| (Step::Withdraw, u)), hidden).await;
    assert_eq!(sc.step(Step::Withdraw, &withdrawn, mo).await, "WITHDRAWN");

    // Each refusal keeps its reason.
    for (id, action) in
        [(&rejected, "assignment.reject"), (&declined, "assignment.decline"), (&withdrawn, "assignment.withdraw")]
    {
        let a = sc.assignment(id).await;
        assert_eq!(a["reason"], "Given for the test.", "{a}");
        let events = sc.audit(id).await;
        assert_eq!(events.last().map(|e| str_at(e, "/action")).as_deref(), Some(action));
        assert!(events.last().and_then(|e| e["after"].as_str()).is_some_and(|s| s.contains("Given for the test.")));
    }
    // Bert's officer and Bert act on Bert's assignment; Anna's officer and Anna do not even see it.
    let need = sc.need("Bert's", 1).await;
    let berts = sc.propose(&need, &sc.bert).await;
    sc.refused(&berts, &[(Step::Release, mo), (Step::Agree, ex)], hidden).await;
    assert_eq!(sc.step(Step::Release, &berts, mo2).await, "PROPOSED");
    assert_eq!(sc.step(Step::Agree, &berts, ex2).await, "PROPOSED");
    assert_eq!(sc.step(Step::Accept, &berts, auc).await, "CONFIRMED");
}

async fn a_step_from_the_wrong_state_is_a_conflict_and_changes_nothing(b: Backend) {
    let sc = scene(b).await;
    let (pc, auc, ho, mo, ex, admin) = (&sc.coordinator, &sc.auc, &sc.hromada, &sc.municipality, &sc.expert, &sc.admin);
    let conflict = "CONFLICT";
    let id = sc.proposed("Wrong steps").await;
    // PROPOSED: work cannot start or end, and there is nothing to give feedback on.
    sc.refused(
        &id,
        &[(Step::Start, ex), (Step::Complete, auc), (Step::ExpertFeedback, ex), (Step::RecipientFeedback, ho)],
        conflict,
    )
    .await;
    sc.step(Step::Accept, &id, auc).await;
    // ACCEPTED: cannot be rejected any more, nor started before all consents.
    sc.refused(&id, &[(Step::Reject, auc), (Step::Start, pc), (Step::Complete, ho), (Step::Start, admin)], conflict)
        .await;
    sc.step(Step::Agree, &id, ex).await;
    sc.step(Step::Release, &id, mo).await;
    // CONFIRMED: the expert cannot decline any more; work is not done before it started.
    sc.refused(
        &id,
        &[(Step::Decline, ex), (Step::Reject, ho), (Step::Complete, auc), (Step::RecipientFeedback, auc)],
        conflict,
    )
    .await;
    sc.step(Step::Start, &id, ex).await;
    // ACTIVE: the release can no longer be withdrawn.
    sc.refused(&id, &[(Step::Withdraw, mo), (Step::Decline, ex), (Step::Reject, auc)], conflict).await;
    sc.step(Step::Complete, &id, auc).await;
    // COMPLETED: nothing reopens it.
    sc.refused(&id, &[(Step::Cancel, pc), (Step::Withdraw, mo), (Step::Decline, ex), (Step::Reject, auc)], conflict)
        .await;

    // Closed ends stay closed.
    let rejected = sc.proposed("Rejected, closed").await;
    sc.step(Step::Reject, &rejected, auc).await;
    let all = [
        (Step::Accept, auc),
        (Step::Agree, ex),
        (Step::Release, mo),
        (Step::Start, pc),
        (Step::Complete, auc),
        (Step::Cancel, pc),
        (Step::Decline, ex),
        (Step::Withdraw, mo),
    ];
    sc.refused(&rejected, &all, conflict).await;
    let cancelled = sc.proposed("Cancelled, closed").await;
    sc.step(Step::Cancel, &cancelled, pc).await;
    let all_but_cancel: Vec<(Step, &User)> = all.iter().copied().filter(|(s, _)| *s != Step::Cancel).collect();
    sc.refused(&cancelled, &all_but_cancel, conflict).await;
    let declined = sc.proposed("Declined, closed").await;
    sc.step(Step::Decline, &declined, ex).await;
    sc.refused(
        &declined,
        &[(Step::Accept, auc), (Step::Agree, ex), (Step::Release, mo), (Step::Cancel, pc), (Step::Withdraw, mo)],
        conflict,
    )
    .await;

    // The message says what the state is.
    let e = common::first_error(&sc.try_step(Step::Start, &rejected, pc, None).await);
    assert!(e["message"].as_str().is_some_and(|m| m.contains("REJECTED")), "{e}");
    // A need that is no longer OPEN takes no acceptance.
    let need = sc.need("Closed before the answer", 1).await;
    let late = sc.propose(&need, &sc.anna).await;
    sc.s.ok("mutation($id: ID!) { closeNeed(id: $id) { status } }", json!({ "id": need.id }), auc.auth()).await;
    sc.refused(&late, &[(Step::Accept, auc)], conflict).await;
}

async fn a_step_without_its_reason_or_report_is_bad_input_and_changes_nothing(b: Backend) {
    let sc = scene(b).await;
    let (pc, auc, mo, ex) = (&sc.coordinator, &sc.auc, &sc.municipality, &sc.expert);
    let id = sc.proposed("Reasons").await;
    for blank in ["", "   ", "\n\t"] {
        for (step, by, field) in [
            (Step::Reject, auc, "reason"),
            (Step::Decline, ex, "reason"),
            (Step::Withdraw, mo, "reason"),
            (Step::Cancel, pc, "reason"),
        ] {
            let before = sc.assignment(&id).await;
            let audit = sc.audit_total().await;
            let body = sc.try_step(step, &id, by, Some(blank)).await;
            assert_bad_input(&common::first_error(&body), field);
            assert!(body["data"].is_null());
            assert_eq!(sc.assignment(&id).await, before);
            assert_eq!(sc.audit_total().await, audit);
        }
    }
    // Leaving the argument out is refused by the schema.
    let body =
        sc.s.gql("mutation($id: ID!) { rejectAssignment(id: $id) { changed } }", json!({ "id": id }), auc.auth()).await;
    assert!(body["errors"].as_array().is_some_and(|e| !e.is_empty()) && body["data"].is_null(), "{body}");
    assert_eq!(sc.status(&id).await, "PROPOSED");

    // The outcome report at completion, and feedback with a rating of 1–5.
    for (step, by) in [(Step::Accept, auc), (Step::Agree, ex), (Step::Release, mo), (Step::Start, ex)] {
        sc.step(step, &id, by).await;
    }
    let before = sc.assignment(&id).await;
    let audit = sc.audit_total().await;
    for blank in ["", "  "] {
        assert_bad_input(
            &common::first_error(&sc.try_step(Step::Complete, &id, auc, Some(blank)).await),
            "outcomeReport",
        );
        assert_bad_input(
            &common::first_error(&sc.try_step(Step::ExpertFeedback, &id, ex, Some(blank)).await),
            "feedback",
        );
    }
    for rating in [0, 6] {
        let q = "mutation($id: ID!, $r: Int!) { giveRecipientFeedback(id: $id, feedback: \"Good work\", rating: $r) { id } }";
        assert_bad_input(&sc.s.fails(q, json!({ "id": id, "r": rating }), auc.auth()).await, "rating");
    }
    assert_eq!(sc.assignment(&id).await, before);
    assert_eq!(sc.audit_total().await, audit);
    assert_eq!(sc.step(Step::Complete, &id, auc).await, "COMPLETED");
}

async fn a_repeated_step_changes_nothing_and_says_so(b: Backend) {
    let sc = scene(b).await;
    let (pc, auc, ho, mo, ex) = (&sc.coordinator, &sc.auc, &sc.hromada, &sc.municipality, &sc.expert);

    /// Takes `step` again: `changed: false`, a message, and no write.
    async fn again(sc: &Scene, step: Step, id: &str, by: &User) {
        let before = sc.assignment(id).await;
        let events = sc.audit(id).await.len();
        let audit = sc.audit_total().await;
        let body = sc.try_step(step, id, by, Some("Once more.")).await;
        let d = common::data(body)[step.mutation().0].clone();
        assert_eq!(d["changed"], false, "{step:?} again: {d}");
        let message = str_at(&d, "/message");
        assert!(message.starts_with("nothing to do: already"), "{step:?}: {message}");
        assert_eq!(d["assignment"]["status"], before["status"]);
        assert_eq!(sc.assignment(id).await, before, "{step:?} again changed the assignment");
        assert_eq!(sc.audit(id).await.len(), events, "{step:?} again was audited");
        assert_eq!(sc.audit_total().await, audit);
    }

    let id = sc.proposed("Twice").await;
    sc.step(Step::Accept, &id, ho).await;
    again(&sc, Step::Accept, &id, auc).await;
    sc.step(Step::Agree, &id, ex).await;
    again(&sc, Step::Agree, &id, ex).await;
    again(&sc, Step::Accept, &id, ho).await;
    sc.step(Step::Release, &id, mo).await;
    for (step, by) in [(Step::Release, mo), (Step::Agree, ex), (Step::Accept, auc)] {
        again(&sc, step, &id, by).await;
    }
    let d = common::data(sc.try_step(Step::Release, &id, mo, None).await);
    assert_eq!(d["releaseExpert"]["message"], "nothing to do: already released by the municipality");
    sc.step(Step::Start, &id, ex).await;
    again(&sc, Step::Start, &id, mo).await;
    sc.step(Step::Complete, &id, auc).await;
    for (step, by) in
        [(Step::Complete, ho), (Step::Start, pc), (Step::Accept, auc), (Step::Agree, ex), (Step::Release, mo)]
    {
        again(&sc, step, &id, by).await;
    }
    assert_eq!(sc.assignment(&id).await["outcomeReport"], "Given for the test.", "the first report stays");

    // The refusals too, keeping the first reason.
    for (step, by) in [(Step::Reject, auc), (Step::Decline, ex), (Step::Withdraw, mo), (Step::Cancel, pc)] {
        let id = sc.proposed(&format!("{step:?} twice")).await;
        sc.step(step, &id, by).await;
        again(&sc, step, &id, by).await;
        assert_eq!(sc.assignment(&id).await["reason"], "Given for the test.");
    }
}

async fn two_consents_do_not_confirm_and_all_three_in_any_order_do(b: Backend) {
    let sc = scene(b).await;
    let (auc, mo, ex) = (&sc.auc, &sc.municipality, &sc.expert);
    let orders = [
        [Step::Accept, Step::Agree, Step::Release],
        [Step::Accept, Step::Release, Step::Agree],
        [Step::Agree, Step::Accept, Step::Release],
        [Step::Agree, Step::Release, Step::Accept],
        [Step::Release, Step::Accept, Step::Agree],
        [Step::Release, Step::Agree, Step::Accept],
    ];
    let by = |s: Step| match s {
        Step::Accept => auc,
        Step::Agree => ex,
        _ => mo,
    };
    for order in orders {
        let id = sc.proposed(&format!("{order:?}")).await;
        let mut seen = Vec::new();
        for (i, step) in order.iter().enumerate() {
            let status = sc.step(*step, &id, by(*step)).await;
            seen.push(status.clone());
            if i < 2 {
                let accepted = order[..=i].contains(&Step::Accept);
                assert_eq!(
                    status,
                    if accepted { "ACCEPTED" } else { "PROPOSED" },
                    "{order:?} after {:?}",
                    &order[..=i]
                );
            }
        }
        assert_eq!(seen[2], "CONFIRMED", "{order:?}: {seen:?}");
        let a = sc.assignment(&id).await;
        assert!(a["acceptedAt"].is_string() && a["expertAgreedAt"].is_string() && a["releasedAt"].is_string(), "{a}");
        let events = sc.audit(&id).await;
        assert_eq!(snapshot_status(events.last().expect("events"), "after").as_deref(), Some("CONFIRMED"));
        assert_eq!(actions(&events[1..]), order.map(|s| s.audit().to_string()));
    }
    // A refusal after two consents ends it: it is not confirmed by the third.
    let id = sc.proposed("Two then a refusal").await;
    sc.step(Step::Agree, &id, ex).await;
    sc.step(Step::Release, &id, mo).await;
    assert_eq!(sc.step(Step::Reject, &id, auc).await, "REJECTED");
    let id = sc.proposed("Two then a withdrawal").await;
    sc.step(Step::Accept, &id, auc).await;
    sc.step(Step::Agree, &id, ex).await;
    assert_eq!(sc.step(Step::Withdraw, &id, mo).await, "WITHDRAWN");
    sc.refused(&id, &[(Step::Release, mo)], "CONFLICT").await;
}

async fn a_need_is_filled_when_every_seat_is_accepted_and_opens_again_when_one_drops(b: Backend) {
    let sc = scene(b).await;
    let (pc, auc, ho, mo, mo2, ex, ex2) =
        (&sc.coordinator, &sc.auc, &sc.hromada, &sc.municipality, &sc.other_municipality, &sc.expert, &sc.other_expert);
    let need = sc.need("Two seats", 2).await;
    let status = || async {
        let d = sc.s.ok("query($id: ID!) { need(id: $id) { status } }", json!({ "id": need.id }), ho.auth()).await;
        str_at(&d, "/need/status")
    };
    let anna = sc.propose(&need, &sc.anna).await;
    let bert = sc.propose(&need, &sc.bert).await;
    assert_eq!(status().await, "OPEN", "proposals do not fill");
    sc.step(Step::Accept, &anna, auc).await;
    assert_eq!(status().await, "OPEN", "one of two seats");
    sc.step(Step::Accept, &bert, ho).await;
    assert_eq!(status().await, "FILLED", "both seats accepted");
    assert_eq!(sc.assignment(&anna).await["need"]["status"], "FILLED");
    // Everyone sees the same derived status, in the list too.
    let d = sc.s.ok("{ needs { edges { node { id status } } } }", json!({}), mo.auth()).await;
    let listed = common::nodes(&d["needs"]).into_iter().find(|n| n["id"] == need.id.as_str()).expect("listed");
    assert_eq!(listed["status"], "FILLED");
    // Going further keeps it filled.
    for (step, by) in [(Step::Agree, ex), (Step::Release, mo), (Step::Start, ex)] {
        sc.step(step, &anna, by).await;
    }
    assert_eq!(status().await, "FILLED");

    // Bert's municipality withdraws: a seat is free again.
    sc.step(Step::Withdraw, &bert, mo2).await;
    assert_eq!(status().await, "OPEN");
    let d = sc.s.ok("query($id: ID!) { need(id: $id) { status } }", json!({ "id": need.id }), ex2.auth()).await;
    assert_eq!(d["need"]["status"], "OPEN");
    // A third expert fills it again …
    let q = "mutation($m: ID!, $p: ExpertProfileInput!) { createExpert(municipalityId: $m, profile: $p) { id } }";
    let p = expert_profile("Cor Jansen", "Heat engineer", &[(&sc.skills["DISTRICT_HEATING"], 4)], &[("en", "B2")]);
    let cor = str_at(
        &sc.s.ok(q, json!({ "m": sc.s.mid(codes::ROTTERDAM).await, "p": p }), sc.admin.auth()).await,
        "/createExpert/id",
    );
    let third = sc.propose(&need, &cor).await;
    assert_eq!(status().await, "OPEN");
    sc.step(Step::Accept, &third, auc).await;
    assert_eq!(status().await, "FILLED");
    // … and a coordinator cancelling the active one opens it once more; the expert declining the other too.
    sc.step(Step::Cancel, &anna, pc).await;
    assert_eq!(status().await, "OPEN");
    let cor_user = sc.s.expert_user(&cor).await;
    sc.step(Step::Decline, &third, &cor_user).await;
    assert_eq!(status().await, "OPEN");
    // A completed assignment keeps its seat filled.
    let single = sc.need("One seat", 1).await;
    let id = sc.propose(&single, &sc.anna).await;
    for (step, by) in
        [(Step::Accept, auc), (Step::Agree, ex), (Step::Release, mo), (Step::Start, ex), (Step::Complete, auc)]
    {
        sc.step(step, &id, by).await;
    }
    let d = sc.s.ok("query($id: ID!) { need(id: $id) { status } }", json!({ "id": single.id }), auc.auth()).await;
    assert_eq!(d["need"]["status"], "FILLED");
}

async fn the_ukrainian_side_sees_the_experts_contact_details_only_once_accepted(b: Backend) {
    let sc = scene(b).await;
    let (auc, ho, ho2, mo2) = (&sc.auc, &sc.hromada, &sc.other_hromada, &sc.other_municipality);
    let id = sc.proposed("Contact details").await;
    let through_assignment = "query($id: ID!) { assignment(id: $id) { expert { id email phone contactVisibleToMe } } }";
    let direct = "query($id: ID!) { expert(id: $id) { email phone contactVisibleToMe } }";
    let see = |who: &User| {
        let (s, token, id, anna) = (&sc.s, who.token.clone(), id.clone(), sc.anna.clone());
        async move {
            let via = s.gql(through_assignment, json!({ "id": id }), Some(&token)).await;
            let one = s.ok(direct, json!({ "id": anna }), Some(&token)).await;
            (via, one["expert"].clone())
        }
    };
    for who in [auc, ho] {
        let (via, one) = see(who).await;
        let expert = common::data(via)["assignment"]["expert"].clone();
        assert_eq!(expert["email"], Value::Null, "a {} before acceptance: {expert}", who.role);
        assert_eq!(expert["phone"], Value::Null);
        assert_eq!(expert["contactVisibleToMe"], false);
        assert_eq!(one["email"], Value::Null);
    }
    // Agreement and release are not the Ukrainian side's acceptance.
    sc.step(Step::Agree, &id, &sc.expert).await;
    sc.step(Step::Release, &id, &sc.municipality).await;
    assert_eq!(see(auc).await.1["email"], Value::Null);
    assert_eq!(sc.step(Step::Accept, &id, ho).await, "CONFIRMED");
    for who in [auc, ho] {
        let (via, one) = see(who).await;
        let expert = common::data(via)["assignment"]["expert"].clone();
        assert_eq!(expert["email"], "anna.visser@gemeente.test", "a {} once accepted", who.role);
        assert_eq!(expert["contactVisibleToMe"], true);
        assert_eq!(one["email"], "anna.visser@gemeente.test");
    }
    // Not another hromada, nor another municipality.
    for who in [ho2, mo2] {
        let (via, one) = see(who).await;
        assert!(!via.to_string().contains("anna.visser@"), "{via}");
        assert_eq!(one["email"], Value::Null, "a {}", who.role);
    }
    let e = common::first_error(&see(ho2).await.0);
    assert_code(&e, "NOT_FOUND");
}

async fn a_cancelled_need_frees_its_experts_and_takes_no_further_steps(b: Backend) {
    let sc = scene(b).await;
    let (auc, ho, mo, ex) = (&sc.auc, &sc.hromada, &sc.municipality, &sc.expert);
    // Anna is proposed for one need and confirmed for another; then Lviv cancels both needs.
    let proposed = sc.need("Cancelled while proposed", 1).await;
    let waiting = sc.propose(&proposed, &sc.anna).await;
    let confirmed_need = sc.need("Cancelled once confirmed", 1).await;
    let confirmed = sc.propose(&confirmed_need, &sc.anna).await;
    for (step, by) in [(Step::Accept, auc), (Step::Agree, ex), (Step::Release, mo)] {
        sc.step(step, &confirmed, by).await;
    }
    for need in [&proposed, &confirmed_need] {
        let d =
            sc.s.ok("mutation($id: ID!) { cancelNeed(id: $id) { status } }", json!({ "id": need.id }), ho.auth()).await;
        assert_eq!(d["cancelNeed"]["status"], "CANCELLED");
    }
    // No one agrees to, releases for or starts work on a need that no longer exists.
    sc.refused(&waiting, &[(Step::Agree, ex), (Step::Release, mo)], "CONFLICT").await;
    sc.refused(&confirmed, &[(Step::Start, ex)], "CONFLICT").await;
    // And Anna's hours are hers again: a need asking all 40 of them takes her.
    let input = json!({
        "title": "Full time",
        "description": "All hands on the heat network.",
        "sector": "ENERGY",
        "startDate": "2027-01-01",
        "endDate": "2027-06-30",
        "modes": ["REMOTE"],
        "roles": [{
            "title": "Heat network engineer",
            "seats": 1,
            "hoursPerWeek": 40,
            "skills": [{ "skillId": sc.skills["DISTRICT_HEATING"], "minLevel": 3, "essential": true }]
        }]
    });
    let q = "mutation($p: ID!, $i: NeedInput!) { createNeed(planId: $p, input: $i) { id roles { id } } }";
    let d = sc.s.ok(q, json!({ "p": sc.plan, "i": input }), ho.auth()).await;
    sc.s.ok(
        "mutation($id: ID!) { openNeed(id: $id) { status } }",
        json!({ "id": str_at(&d, "/createNeed/id") }),
        ho.auth(),
    )
    .await;
    let full = NeedIds { id: str_at(&d, "/createNeed/id"), role: str_at(&d, "/createNeed/roles/0/id") };
    sc.propose(&full, &sc.anna).await;
}

async fn each_step_says_what_it_did_and_what_is_still_missing(b: Backend) {
    let sc = scene(b).await;
    let id = sc.proposed("Messages").await;
    let message = |body: Value, step: Step| str_at(&common::data(body)[step.mutation().0], "/message");
    let (ho, ex, mo) = (&sc.hromada, &sc.expert, &sc.municipality);
    let said = message(sc.try_step(Step::Accept, &id, ho, None).await, Step::Accept);
    assert_eq!(said, "Accepted; waiting for the expert's agreement and the municipality's release.");
    let said = message(sc.try_step(Step::Release, &id, mo, None).await, Step::Release);
    assert_eq!(said, "Released; waiting for the expert's agreement.");
    let said = message(sc.try_step(Step::Agree, &id, ex, None).await, Step::Agree);
    assert_eq!(said, "Agreed; the assignment is now confirmed.");
    // A refusal names the role in words, not as an enum.
    let body = sc.try_step(Step::Accept, &sc.proposed("Refused").await, ex, None).await;
    let e = common::first_error(&body);
    assert_eq!(e["message"], "an expert may not accept or reject this proposal", "{e}");
}

async fn a_need_shows_its_seats_per_role_and_its_assignments_and_an_expert_their_booked_hours(b: Backend) {
    let sc = scene(b).await;
    let need = sc.need("Seats", 3).await;
    let first = sc.propose(&need, &sc.anna).await;
    let second = sc.propose(&need, &sc.bert).await;
    sc.step(Step::Accept, &first, &sc.hromada).await;
    let q = "query($id: ID!) { need(id: $id) { roles { id seats seatsTaken seatsFilled seatsOpen } \
             assignments { id status role { id title } expert { id bookedHoursPerWeek freeHoursPerWeek } } } }";
    let d = sc.s.ok(q, json!({ "id": need.id }), sc.coordinator.auth()).await;
    let role = &d["need"]["roles"][0];
    assert_eq!((role["seats"].clone(), role["seatsTaken"].clone()), (json!(3), json!(2)), "{role}");
    assert_eq!((role["seatsFilled"].clone(), role["seatsOpen"].clone()), (json!(1), json!(1)), "{role}");
    let assignments = d["need"]["assignments"].as_array().cloned().unwrap_or_default();
    let ids: Vec<&str> = assignments.iter().filter_map(|a| a["id"].as_str()).collect();
    assert_eq!(ids.len(), 2, "both assignments: {assignments:?}");
    assert!(ids.contains(&first.as_str()) && ids.contains(&second.as_str()));
    for a in &assignments {
        assert_eq!(a["role"]["id"], json!(need.role), "the role object: {a}");
        assert_eq!(a["role"]["title"], "Heat network engineer");
        assert_eq!(
            (a["expert"]["bookedHoursPerWeek"].clone(), a["expert"]["freeHoursPerWeek"].clone()),
            (json!(4), json!(36))
        );
    }
    // Each side sees only its own assignments on the need.
    let d = sc.s.ok(q, json!({ "id": need.id }), sc.other_municipality.auth()).await;
    let theirs = d["need"]["assignments"].as_array().cloned().unwrap_or_default();
    assert_eq!(theirs.len(), 1, "Amsterdam sees Bert's only: {theirs:?}");
    assert_eq!(theirs[0]["id"], json!(second));
    // A rejected proposal frees its seat and the expert's hours.
    sc.step(Step::Reject, &second, &sc.hromada).await;
    let d = sc.s.ok(q, json!({ "id": need.id }), sc.coordinator.auth()).await;
    assert_eq!(d["need"]["roles"][0]["seatsOpen"], 2);
    let q = "query($id: ID!) { expert(id: $id) { bookedHoursPerWeek freeHoursPerWeek } }";
    let d = sc.s.ok(q, json!({ "id": sc.bert }), sc.coordinator.auth()).await;
    assert_eq!(d["expert"], json!({ "bookedHoursPerWeek": 0, "freeHoursPerWeek": 40 }));
}

/// The step of an `Assignment.steps` name.
fn step_named(name: &str) -> Step {
    match name {
        "ACCEPT" => Step::Accept,
        "REJECT" => Step::Reject,
        "AGREE" => Step::Agree,
        "DECLINE" => Step::Decline,
        "RELEASE" => Step::Release,
        "WITHDRAW" => Step::Withdraw,
        "START" => Step::Start,
        "COMPLETE" => Step::Complete,
        _ => Step::Cancel,
    }
}

const ALL_STEPS: [Step; 9] = [
    Step::Accept,
    Step::Reject,
    Step::Agree,
    Step::Decline,
    Step::Release,
    Step::Withdraw,
    Step::Start,
    Step::Complete,
    Step::Cancel,
];

async fn the_steps_an_assignment_lists_for_a_person_are_exactly_those_that_succeed(b: Backend) {
    let sc = scene(b).await;
    let people = [
        &sc.hromada,
        &sc.auc,
        &sc.coordinator,
        &sc.expert,
        &sc.municipality,
        &sc.other_municipality,
        &sc.other_hromada,
        &sc.fund,
    ];
    // A proposed assignment, and one accepted and agreed (so release and start are in reach).
    let proposed = sc.proposed("Steps proposed").await;
    let agreed = sc.proposed("Steps agreed").await;
    sc.step(Step::Accept, &agreed, &sc.hromada).await;
    sc.step(Step::Agree, &agreed, &sc.expert).await;
    for id in [&proposed, &agreed] {
        for who in people {
            let q = "query($id: ID!) { assignment(id: $id) { steps } }";
            let body = sc.s.gql(q, json!({ "id": id }), who.auth()).await;
            let listed: Vec<String> = body["data"]["assignment"]["steps"]
                .as_array()
                .map_or(vec![], |a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect());
            let listed: Vec<Step> = listed.iter().map(|n| step_named(n)).collect();
            for step in ALL_STEPS {
                // Each step is tried on a copy in the same state, so one success does not change the next try.
                let copy = sc.proposed(&format!("Copy for {step:?} by {}", who.role)).await;
                if id == &agreed {
                    sc.step(Step::Accept, &copy, &sc.hromada).await;
                    sc.step(Step::Agree, &copy, &sc.expert).await;
                }
                let body = sc.try_step(step, &copy, who, None).await;
                let changed = body["data"][step.mutation().0]["changed"] == true;
                assert_eq!(
                    listed.contains(&step),
                    changed,
                    "{step:?} by {} on a {} assignment: listed {listed:?}, answer {body}",
                    who.role,
                    if id == &proposed { "proposed" } else { "accepted and agreed" }
                );
                // Free Anna's hours again for the next copy.
                sc.s.gql(
                    "mutation($id: ID!) { cancelAssignment(id: $id, reason: \"Test copy.\") { changed } }",
                    json!({ "id": copy }),
                    sc.coordinator.auth(),
                )
                .await;
            }
        }
    }
}
