//! The assignment workflow (docs/workflows.md): each step checked by the pure state machine
//! (`domain::assignment`), allowed by `auth::policy` to the right side on its own objects, written with its
//! audit event and its notifications in one transaction.

use uuid::Uuid;

use super::notifications::texts::Text;
use super::notifications::{Audience, Notice, record};
use super::{Services, audit, found, now, page_size, snapshot};
use crate::auth::Principal;
use crate::auth::policy::{Op, Target, allows, check_object, sees_assignment};
use crate::domain::assignment::{AssignmentAction, AssignmentStatus, Consents};
use crate::domain::input::{MAX_LONG_TEXT, required_text};
use crate::domain::{AppError, AppResult, NeedStatus, Role};
use crate::store::assignment::{AssignmentFilter, AssignmentRow};
use crate::store::expert::ExpertRow;
use crate::store::need::NeedRow;
use crate::store::sql::Page;
use crate::store::{self, Conn};

/// What a step did.
#[derive(Debug, Clone)]
pub struct StepOutcome {
    pub assignment: AssignmentRow,
    /// False when the step had already been taken: nothing was written.
    pub changed: bool,
    pub message: String,
}

/// Which side gives feedback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedbackSide {
    /// The expert or their municipality.
    Expert,
    /// AUC or the need's hromada.
    Recipient,
}

fn op_and_target(action: AssignmentAction, need: &NeedRow, expert: &ExpertRow) -> (Op, Target) {
    use AssignmentAction as A;
    let ukrainian_side = Target::municipality(need.municipality_id);
    let expert_side = Target::expert(expert.municipality_id, expert.id);
    match action {
        A::Accept | A::Reject => (Op::DecideAssignment, ukrainian_side),
        A::Agree | A::Decline => (Op::ExpertConsent, expert_side),
        A::Release | A::Withdraw => (Op::ReleaseExpert, expert_side),
        A::Start => (Op::StartAssignment, expert_side),
        A::Complete => (Op::CompleteAssignment, ukrainian_side),
        A::Cancel => (Op::CancelAssignment, Target::NONE),
    }
}

/// Whether the need's state lets the step happen: only an OPEN need accepts experts.
fn need_takes(action: AssignmentAction, need: &NeedRow) -> bool {
    action != AssignmentAction::Accept || need.status == NeedStatus::Open
}

/// The workflow steps the caller may take on the assignment now: allowed to them, possible from its state and
/// its consents, and changing something (the same rules `step_assignment` applies).
pub fn assignment_steps(
    p: Option<&Principal>,
    a: &AssignmentRow,
    need: &NeedRow,
    expert: &ExpertRow,
) -> AppResult<Vec<AssignmentAction>> {
    let consents =
        Consents { status: a.status, expert_agreed: a.expert_agreed_at.is_some(), released: a.released_at.is_some() };
    Ok(AssignmentAction::ALL
        .iter()
        .copied()
        .filter(|action| {
            let (op, target) = op_and_target(*action, need, expert);
            allows(p, op, target) && consents.apply(*action).is_ok_and(|step| step.changed) && need_takes(*action, need)
        })
        .collect())
}

/// The other things the caller may do on the assignment now: report hours and give feedback, once work has
/// started.
pub fn assignment_operations(p: Option<&Principal>, a: &AssignmentRow, need: &NeedRow, expert: &ExpertRow) -> Vec<Op> {
    if !a.status.work_started() {
        return Vec::new();
    }
    let expert_side = Target::expert(expert.municipality_id, expert.id);
    let mut ops = crate::auth::policy::allowed(p, &[Op::ReportHours, Op::GiveExpertFeedback], expert_side);
    ops.extend(crate::auth::policy::allowed(
        p,
        &[Op::GiveRecipientFeedback],
        Target::municipality(need.municipality_id),
    ));
    ops
}

/// Whether the caller sees the assignment of `expert` to `need`.
fn seen(p: Option<&Principal>, need: &NeedRow, expert: &ExpertRow) -> bool {
    sees_assignment(p, need.municipality_id, Target::expert(expert.municipality_id, expert.id))
}

/// Locks the need, then the assignment (the order every writer uses), and reads the expert.
async fn lock(conn: &mut Conn<'_>, id: Uuid) -> AppResult<(AssignmentRow, NeedRow, ExpertRow)> {
    let peek = found(store::assignment::get(conn, id).await?, "assignment")?;
    let need = found(store::need::get_for_update(conn, peek.need_id).await?, "need")?;
    let a = found(store::assignment::get_for_update(conn, id).await?, "assignment")?;
    let expert = found(store::expert::get(conn, a.expert_id).await?, "expert")?;
    Ok((a, need, expert))
}

/// Who must act next, and who asked: the notices a step sends (docs/workflows.md).
pub(super) fn notices(
    action: AssignmentAction,
    a: &AssignmentRow,
    need: &NeedRow,
    expert: &ExpertRow,
    text: Option<&str>,
) -> Vec<Notice> {
    use AssignmentAction as A;
    let ukrainian_side =
        vec![Audience::Role(Role::NeedsCoordinator), Audience::MunicipalityOfficers(need.municipality_id)];
    let expert_side = vec![Audience::ExpertAccount(expert.id), Audience::MunicipalityOfficers(expert.municipality_id)];
    let coordinators = Audience::Role(Role::PoolCoordinator);
    // Closing the loop: whoever submitted the need hears how it goes.
    let submitter = need.created_by.map(|u| Audience::Users(vec![u]));
    let confirmed = a.status == AssignmentStatus::Confirmed;
    let (kind, mut audience) = match (action, confirmed) {
        (A::Accept | A::Agree | A::Release, true) => {
            ("assignment.confirmed", [ukrainian_side.clone(), expert_side.clone(), vec![coordinators]].concat())
        }
        (A::Accept, _) => ("assignment.accepted", [expert_side.clone(), vec![coordinators]].concat()),
        (A::Reject, _) => ("assignment.rejected", vec![coordinators]),
        (A::Agree, _) => {
            ("assignment.agreed", vec![Audience::MunicipalityOfficers(expert.municipality_id), coordinators])
        }
        (A::Decline, _) => (
            "assignment.declined",
            [ukrainian_side.clone(), vec![coordinators, Audience::MunicipalityOfficers(expert.municipality_id)]]
                .concat(),
        ),
        (A::Release, _) => ("assignment.released", vec![Audience::ExpertAccount(expert.id), coordinators]),
        (A::Withdraw, _) => (
            "assignment.withdrawn",
            [ukrainian_side.clone(), vec![coordinators, Audience::ExpertAccount(expert.id)]].concat(),
        ),
        (A::Start, _) => {
            ("assignment.started", [ukrainian_side.clone(), expert_side.clone(), vec![coordinators]].concat())
        }
        (A::Complete, _) => {
            ("assignment.completed", [ukrainian_side.clone(), expert_side.clone(), vec![coordinators]].concat())
        }
        (A::Cancel, _) => {
            ("assignment.cancelled", [ukrainian_side.clone(), expert_side.clone(), vec![coordinators]].concat())
        }
    };
    let (title, body) = texts_of(kind);
    let title = Text::new(title).with("expert", &expert.name).with("need", &need.title);
    let body = Text::new(body).with_reason(text.filter(|_| action != A::Complete));
    if let Some(s) = submitter {
        audience.push(s);
    }
    vec![Notice { kind: kind.into(), title, body, object_type: "assignment", object_id: a.id, audience }]
}

/// The title and body message keys of a notice kind.
fn texts_of(kind: &'static str) -> (&'static str, &'static str) {
    match kind {
        "assignment.confirmed" => ("assignment.confirmed.title", "assignment.confirmed.body"),
        "assignment.accepted" => ("assignment.accepted.title", "assignment.accepted.body"),
        "assignment.rejected" => ("assignment.rejected.title", "assignment.rejected.body"),
        "assignment.agreed" => ("assignment.agreed.title", "assignment.agreed.body"),
        "assignment.declined" => ("assignment.declined.title", "assignment.declined.body"),
        "assignment.released" => ("assignment.released.title", "assignment.released.body"),
        "assignment.withdrawn" => ("assignment.withdrawn.title", "assignment.withdrawn.body"),
        "assignment.started" => ("assignment.started.title", "assignment.started.body"),
        "assignment.completed" => ("assignment.completed.title", "assignment.completed.body"),
        _ => ("assignment.cancelled.title", "assignment.cancelled.body"),
    }
}

/// The notice a new proposal sends: the Ukrainian side must decide, and the expert's side hears of it.
pub fn proposal_notice(a: &AssignmentRow, need: &NeedRow, expert_name: &str, expert_municipality: Uuid) -> Notice {
    let mut audience = vec![
        Audience::Role(Role::NeedsCoordinator),
        Audience::MunicipalityOfficers(need.municipality_id),
        Audience::ExpertAccount(a.expert_id),
        Audience::MunicipalityOfficers(expert_municipality),
    ];
    if let Some(u) = need.created_by {
        audience.push(Audience::Users(vec![u]));
    }
    Notice {
        kind: "assignment.proposed".into(),
        title: Text::new("assignment.proposed.title").with("expert", expert_name).with("need", &need.title),
        body: Text::new("assignment.proposed.body")
            .with("expert", expert_name)
            .with("hours", a.hours_per_week)
            .with("start", a.start_date)
            .with("end", a.end_date)
            .with("score", a.score),
        object_type: "assignment",
        object_id: a.id,
        audience,
    }
}

impl Services {
    pub async fn assignments(
        &self,
        p: Option<&Principal>,
        filter: AssignmentFilter,
        after: Option<Uuid>,
        first: Option<i32>,
    ) -> AppResult<Page<AssignmentRow>> {
        let filter = scoped_filter(p, filter)?;
        let first = page_size(first)?;
        let mut c = self.db.acquire().await?;
        store::assignment::list(&mut c.conn(), &filter, after, first).await
    }

    pub async fn count_assignments(&self, p: Option<&Principal>, filter: AssignmentFilter) -> AppResult<i64> {
        let filter = scoped_filter(p, filter)?;
        let mut c = self.db.acquire().await?;
        store::assignment::count(&mut c.conn(), &filter).await
    }

    /// One assignment, if the caller may see it (the same scoping as the list).
    pub async fn assignment(&self, p: Option<&Principal>, id: Uuid) -> AppResult<AssignmentRow> {
        let f = crate::store::assignment::AssignmentFilter { id: Some(id), ..Default::default() };
        let page = self.assignments(p, f, None, Some(1)).await?;
        page.items.into_iter().next().ok_or(AppError::not_found("assignment"))
    }

    /// Takes one step of the workflow. A step already taken is harmless: nothing changes and it says so.
    pub async fn step_assignment(
        &self,
        p: Option<&Principal>,
        id: Uuid,
        action: AssignmentAction,
        text: Option<&str>,
    ) -> AppResult<StepOutcome> {
        crate::auth::policy::require(p)?;
        let mut tx = self.db.begin().await?;
        let (before, need, expert) = lock(&mut tx.conn(), id).await?;
        let (op, target) = op_and_target(action, &need, &expert);
        check_object(p, op, target, seen(p, &need, &expert), "assignment")?;
        let field = if action == AssignmentAction::Complete { "outcomeReport" } else { "reason" };
        let text = match (action.needs_text(), text) {
            (true, Some(t)) => Some(required_text(field, t, MAX_LONG_TEXT)?),
            (true, None) => return Err(AppError::invalid(field, "is required for this step")),
            (false, _) => None,
        };
        let status: AssignmentStatus = before.status;
        let consents = Consents {
            status,
            expert_agreed: before.expert_agreed_at.is_some(),
            released: before.released_at.is_some(),
        };
        let step = consents.apply(action)?;
        if !step.changed {
            return Ok(StepOutcome {
                message: format!("nothing to do: already {}", describe_done(action, &before)),
                assignment: before,
                changed: false,
            });
        }
        if !need_takes(action, &need) {
            return Err(AppError::conflict(format!("the need is {}, so it accepts no experts", need.status)));
        }
        let t = now();
        let mut after = before.clone();
        after.status = step.to.status;
        after.updated_at = t;
        match action {
            AssignmentAction::Accept => after.accepted_at = Some(t),
            AssignmentAction::Agree => after.expert_agreed_at = Some(t),
            AssignmentAction::Release => after.released_at = Some(t),
            AssignmentAction::Withdraw => after.released_at = None,
            AssignmentAction::Decline => after.expert_agreed_at = None,
            AssignmentAction::Start => after.started_at = Some(t),
            AssignmentAction::Complete => {
                after.completed_at = Some(t);
                after.outcome_report = text.clone();
            }
            AssignmentAction::Reject | AssignmentAction::Cancel => {}
        }
        if matches!(
            action,
            AssignmentAction::Reject
                | AssignmentAction::Decline
                | AssignmentAction::Withdraw
                | AssignmentAction::Cancel
        ) {
            after.reason = text.clone();
        }
        store::assignment::update(&mut tx.conn(), &after).await?;
        audit(&mut tx.conn(), p, &action.audit_name(), id, snapshot(&before), snapshot(&after)).await?;
        let rows = record(
            &mut tx.conn(),
            &self.settings.public_url,
            p.map(|p| p.user_id),
            &notices(action, &after, &need, &expert, text.as_deref()),
        )
        .await?;
        tx.commit().await?;
        self.after_commit(rows);
        Ok(StepOutcome { message: step_message(action, &after), assignment: after, changed: true })
    }

    /// Feedback at the end (ACTIVE or COMPLETED): from the expert's side or from the Ukrainian side.
    pub async fn give_feedback(
        &self,
        p: Option<&Principal>,
        id: Uuid,
        side: FeedbackSide,
        feedback: &str,
        rating: i32,
    ) -> AppResult<AssignmentRow> {
        crate::auth::policy::require(p)?;
        let mut tx = self.db.begin().await?;
        let (before, need, expert) = lock(&mut tx.conn(), id).await?;
        let (op, target) = match side {
            FeedbackSide::Expert => (Op::GiveExpertFeedback, Target::expert(expert.municipality_id, expert.id)),
            FeedbackSide::Recipient => (Op::GiveRecipientFeedback, Target::municipality(need.municipality_id)),
        };
        check_object(p, op, target, seen(p, &need, &expert), "assignment")?;
        let feedback = required_text("feedback", feedback, MAX_LONG_TEXT)?;
        crate::domain::input::int_range("rating", rating, 1, 5)?;
        if !before.status.work_started() {
            return Err(AppError::conflict(format!(
                "feedback is given once work has started; the assignment is {}",
                before.status
            )));
        }
        let mut after = before.clone();
        after.updated_at = now();
        match side {
            FeedbackSide::Expert => {
                after.expert_feedback = Some(feedback);
                after.expert_rating = Some(rating);
            }
            FeedbackSide::Recipient => {
                after.recipient_feedback = Some(feedback);
                after.recipient_rating = Some(rating);
            }
        }
        store::assignment::update(&mut tx.conn(), &after).await?;
        let (action, other) = match side {
            FeedbackSide::Expert => (
                "assignment.expert_feedback",
                vec![Audience::Role(Role::NeedsCoordinator), Audience::MunicipalityOfficers(need.municipality_id)],
            ),
            FeedbackSide::Recipient => (
                "assignment.recipient_feedback",
                vec![Audience::ExpertAccount(expert.id), Audience::MunicipalityOfficers(expert.municipality_id)],
            ),
        };
        audit(&mut tx.conn(), p, action, id, snapshot(&before), snapshot(&after)).await?;
        let from = match side {
            FeedbackSide::Expert => "side.expert",
            FeedbackSide::Recipient => "side.recipient",
        };
        let given = match side {
            FeedbackSide::Expert => after.expert_feedback.as_deref(),
            FeedbackSide::Recipient => after.recipient_feedback.as_deref(),
        };
        let notice = Notice {
            kind: "assignment.feedback_given".to_string(),
            title: Text::new("assignment.feedback_given.title")
                .with_text("side", Text::new(from))
                .with("expert", &expert.name)
                .with("need", &need.title),
            body: Text::new("assignment.feedback_given.body")
                .with("rating", rating)
                .with("text", given.unwrap_or_default()),
            object_type: "assignment",
            object_id: id,
            audience: [other, vec![Audience::Role(Role::PoolCoordinator)]].concat(),
        };
        let rows = record(&mut tx.conn(), &self.settings.public_url, p.map(|p| p.user_id), &[notice]).await?;
        tx.commit().await?;
        self.after_commit(rows);
        Ok(after)
    }
}

/// What a step did and, while consents are missing, what the assignment still waits for.
fn step_message(action: AssignmentAction, a: &AssignmentRow) -> String {
    let done = match action {
        AssignmentAction::Accept => "Accepted",
        AssignmentAction::Reject => "Rejected",
        AssignmentAction::Agree => "Agreed",
        AssignmentAction::Decline => "Declined",
        AssignmentAction::Release => "Released",
        AssignmentAction::Withdraw => "Release withdrawn",
        AssignmentAction::Start => "Started",
        AssignmentAction::Complete => "Completed",
        AssignmentAction::Cancel => "Cancelled",
    };
    let waiting: Vec<&str> = [
        (a.status == AssignmentStatus::Proposed, "the Ukrainian side's acceptance"),
        (a.expert_agreed_at.is_none(), "the expert's agreement"),
        (a.released_at.is_none(), "the municipality's release"),
    ]
    .into_iter()
    .filter(|(missing, _)| *missing)
    .map(|(_, what)| what)
    .collect();
    let open = [AssignmentStatus::Proposed, AssignmentStatus::Accepted];
    if open.contains(&a.status) && !waiting.is_empty() {
        format!("{done}; waiting for {}.", waiting.join(" and "))
    } else {
        format!("{done}; the assignment is now {}.", a.status.as_str().to_lowercase())
    }
}

fn describe_done(action: AssignmentAction, a: &AssignmentRow) -> String {
    match action {
        AssignmentAction::Agree => "agreed by the expert".into(),
        AssignmentAction::Release => "released by the municipality".into(),
        _ => a.status.to_string(),
    }
}

/// Narrows an assignment filter to what the caller may see: coordinators and admins everything, officers
/// their own municipality's side, experts their own.
fn scoped_filter(p: Option<&Principal>, mut f: AssignmentFilter) -> AppResult<AssignmentFilter> {
    use crate::auth::policy::AssignmentScope;
    match crate::auth::policy::assignment_scope(crate::auth::policy::require(p)?) {
        AssignmentScope::All => {}
        AssignmentScope::ExpertMunicipality(m) => f.expert_municipality_id = Some(m),
        AssignmentScope::NeedMunicipality(m) => f.need_municipality_id = Some(m),
        AssignmentScope::Expert(e) => f.expert_id = Some(e),
        AssignmentScope::Nothing => return Err(AppError::forbidden("a fund officer does not see assignments")),
    }
    Ok(f)
}
