//! The assignment workflow in the API: one mutation per step, each for the side that takes it.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};

use super::connection::{CountOf, List, after_id, connection};
use super::context::rc;
use super::error::{ApiResult, ResultExt};
use super::experts::Expert;
use super::matching::{MatchExplanation, explanation};
use super::plans::{Need, NeedRole};
use super::{load_one, parse_id};
use crate::domain::assignment::{AssignmentAction, AssignmentStatus};
use crate::service::assignments::FeedbackSide;
use crate::store::assignment::{AssignmentFilter, AssignmentRow};

/// One expert in one role of a need.
pub struct Assignment(pub AssignmentRow);

impl Assignment {
    async fn need_and_expert(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<(crate::store::need::NeedRow, crate::store::expert::ExpertRow)> {
        let loaders = &rc(ctx).loaders;
        let need = load_one(&loaders.need, self.0.need_id, "need").await?;
        let expert = load_one(&loaders.expert, self.0.expert_id, "expert").await?;
        Ok((need, expert))
    }
}

/// One expert in one role of a need.
#[Object]
impl Assignment {
    /// The assignment's id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The need the expert is assigned to.
    async fn need(&self, ctx: &Context<'_>) -> async_graphql::Result<Need> {
        load_one(&rc(ctx).loaders.need, self.0.need_id, "need").await.map(Need)
    }
    /// The role's id (the same as `role { id }`).
    async fn role_id(&self) -> ID {
        ID(self.0.role_id.to_string())
    }
    /// The role of the need's team.
    async fn role(&self, ctx: &Context<'_>) -> async_graphql::Result<NeedRole> {
        NeedRole::load(ctx, self.0.need_id, self.0.role_id).await
    }
    /// The expert assigned.
    async fn expert(&self, ctx: &Context<'_>) -> async_graphql::Result<Expert> {
        load_one(&rc(ctx).loaders.expert, self.0.expert_id, "expert").await.map(Expert)
    }
    /// The workflow steps the caller may take now.
    async fn steps(&self, ctx: &Context<'_>) -> ApiResult<Vec<AssignmentAction>> {
        let (need, expert) = self.need_and_expert(ctx).await?;
        Ok(crate::service::assignments::assignment_steps(rc(ctx).principal(), &self.0, &need, &expert).api()?)
    }
    /// Whatever else the caller may do now: report hours, give feedback.
    async fn operations(&self, ctx: &Context<'_>) -> ApiResult<Vec<crate::auth::policy::Op>> {
        let (need, expert) = self.need_and_expert(ctx).await?;
        Ok(crate::service::assignments::assignment_operations(rc(ctx).principal(), &self.0, &need, &expert))
    }
    /// Where the assignment is in its workflow.
    async fn status(&self) -> AssignmentStatus {
        self.0.status
    }
    /// Why it was rejected, declined, withdrawn or cancelled.
    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }
    /// When the Ukrainian side accepted it.
    async fn accepted_at(&self) -> Option<DateTime<Utc>> {
        self.0.accepted_at
    }
    /// When the expert agreed.
    async fn expert_agreed_at(&self) -> Option<DateTime<Utc>> {
        self.0.expert_agreed_at
    }
    /// When the expert's municipality released them.
    async fn released_at(&self) -> Option<DateTime<Utc>> {
        self.0.released_at
    }
    /// When work started.
    async fn started_at(&self) -> Option<DateTime<Utc>> {
        self.0.started_at
    }
    /// When work was completed.
    async fn completed_at(&self) -> Option<DateTime<Utc>> {
        self.0.completed_at
    }
    /// The outcome report given at completion.
    async fn outcome_report(&self) -> Option<&str> {
        self.0.outcome_report.as_deref()
    }
    /// Feedback from the expert's side.
    async fn expert_feedback(&self) -> Option<&str> {
        self.0.expert_feedback.as_deref()
    }
    /// Rating 1–5 from the expert's side.
    async fn expert_rating(&self) -> Option<i32> {
        self.0.expert_rating
    }
    /// Feedback from the Ukrainian side.
    async fn recipient_feedback(&self) -> Option<&str> {
        self.0.recipient_feedback.as_deref()
    }
    /// Rating 1–5 from the Ukrainian side.
    async fn recipient_rating(&self) -> Option<i32> {
        self.0.recipient_rating
    }
    /// Hours per week the assignment holds of the expert's offer.
    async fn hours_per_week(&self) -> i32 {
        self.0.hours_per_week
    }
    /// First day of the assignment: the start of the need's period within the expert's availability.
    async fn start_date(&self) -> NaiveDate {
        self.0.start_date
    }
    /// Last day of the assignment: the end of the need's period within the expert's availability.
    async fn end_date(&self) -> NaiveDate {
        self.0.end_date
    }
    /// The score at the time of proposal.
    async fn score(&self) -> i32 {
        self.0.score
    }
    /// The explanation at the time of proposal.
    async fn explanation(&self) -> async_graphql::Result<MatchExplanation> {
        explanation(&self.0.explanation)
    }
    /// The matching round it came from, if any.
    async fn round_id(&self) -> Option<ID> {
        self.0.round_id.map(|r| ID(r.to_string()))
    }
    /// When the assignment was proposed (UTC).
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the assignment last changed: a workflow step or feedback (UTC).
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// Filters for the assignment list.
#[derive(InputObject, Default)]
pub struct AssignmentFilterInput {
    /// Assignments for this need.
    pub need_id: Option<ID>,
    /// Assignments of this expert.
    pub expert_id: Option<ID>,
    /// Assignments with this status.
    pub status: Option<AssignmentStatus>,
}

impl AssignmentFilterInput {
    pub fn into_filter(self) -> ApiResult<AssignmentFilter> {
        let f = self;
        Ok(AssignmentFilter {
            need_id: f.need_id.as_ref().map(|i| parse_id(i, "filter.needId")).transpose()?,
            expert_id: f.expert_id.as_ref().map(|i| parse_id(i, "filter.expertId")).transpose()?,
            status: f.status,
            ..Default::default()
        })
    }
}

/// What a workflow step did.
#[derive(SimpleObject)]
pub struct AssignmentStep {
    /// The assignment after the step.
    pub assignment: Assignment,
    /// False when the step had already been taken: nothing changed.
    pub changed: bool,
    /// What happened, e.g. `PROPOSED → ACCEPTED` or `nothing to do: already ACCEPTED`.
    pub message: String,
}

async fn step(ctx: &Context<'_>, id: ID, action: AssignmentAction, text: Option<String>) -> ApiResult<AssignmentStep> {
    let r = rc(ctx);
    let out = r.services.step_assignment(r.principal(), parse_id(&id, "id")?, action, text.as_deref()).await.api()?;
    Ok(AssignmentStep { assignment: Assignment(out.assignment), changed: out.changed, message: out.message })
}

#[derive(Default)]
pub struct AssignmentQuery;

#[Object]
impl AssignmentQuery {
    /// One assignment the caller may see.
    async fn assignment(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Assignment> {
        let r = rc(ctx);
        Ok(Assignment(r.services.assignment(r.principal(), parse_id(&id, "id")?).await.api()?))
    }

    /// Assignments the caller may see: coordinators all, officers their own municipality's, experts their own.
    async fn assignments(
        &self,
        ctx: &Context<'_>,
        filter: Option<AssignmentFilterInput>,
        #[graphql(desc = "Page size, 1–100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item of the previous page.")] after: Option<String>,
    ) -> ApiResult<List<Assignment>> {
        let r = rc(ctx);
        let f = filter.unwrap_or_default().into_filter()?;
        let page = r.services.assignments(r.principal(), f.clone(), after_id(after.as_deref())?, first).await.api()?;
        Ok(connection(page, after.is_some(), CountOf::Assignments(f), |a| a.id, Assignment))
    }
}

#[derive(Default)]
pub struct AssignmentMutation;

#[Object]
impl AssignmentMutation {
    /// The Ukrainian side (AUC, or the need's hromada) accepts the proposed expert.
    async fn accept_assignment(&self, ctx: &Context<'_>, id: ID) -> ApiResult<AssignmentStep> {
        step(ctx, id, AssignmentAction::Accept, None).await
    }
    /// The Ukrainian side does not accept the proposal, with a reason.
    async fn reject_assignment(&self, ctx: &Context<'_>, id: ID, reason: String) -> ApiResult<AssignmentStep> {
        step(ctx, id, AssignmentAction::Reject, Some(reason)).await
    }
    /// The expert agrees to the assignment.
    async fn agree_to_assignment(&self, ctx: &Context<'_>, id: ID) -> ApiResult<AssignmentStep> {
        step(ctx, id, AssignmentAction::Agree, None).await
    }
    /// The expert declines, with a reason.
    async fn decline_assignment(&self, ctx: &Context<'_>, id: ID, reason: String) -> ApiResult<AssignmentStep> {
        step(ctx, id, AssignmentAction::Decline, Some(reason)).await
    }
    /// The expert's municipality releases them for the assignment.
    async fn release_expert(&self, ctx: &Context<'_>, id: ID) -> ApiResult<AssignmentStep> {
        step(ctx, id, AssignmentAction::Release, None).await
    }
    /// The expert's municipality withdraws the release, with a reason.
    async fn withdraw_release(&self, ctx: &Context<'_>, id: ID, reason: String) -> ApiResult<AssignmentStep> {
        step(ctx, id, AssignmentAction::Withdraw, Some(reason)).await
    }
    /// Work starts (the expert, their municipality, or a pool coordinator) on a CONFIRMED assignment.
    async fn start_assignment(&self, ctx: &Context<'_>, id: ID) -> ApiResult<AssignmentStep> {
        step(ctx, id, AssignmentAction::Start, None).await
    }
    /// Work is done: the outcome report (pool coordinators, AUC, the need's hromada).
    async fn complete_assignment(
        &self,
        ctx: &Context<'_>,
        id: ID,
        outcome_report: String,
    ) -> ApiResult<AssignmentStep> {
        step(ctx, id, AssignmentAction::Complete, Some(outcome_report)).await
    }
    /// A pool coordinator cancels an open assignment, with a reason.
    async fn cancel_assignment(&self, ctx: &Context<'_>, id: ID, reason: String) -> ApiResult<AssignmentStep> {
        step(ctx, id, AssignmentAction::Cancel, Some(reason)).await
    }
    /// Feedback from the expert's side (the expert or their municipality's officers), rating 1–5.
    async fn give_expert_feedback(
        &self,
        ctx: &Context<'_>,
        id: ID,
        feedback: String,
        rating: i32,
    ) -> ApiResult<Assignment> {
        let r = rc(ctx);
        let id = parse_id(&id, "id")?;
        Ok(Assignment(
            r.services.give_feedback(r.principal(), id, FeedbackSide::Expert, &feedback, rating).await.api()?,
        ))
    }
    /// Feedback from the Ukrainian side (AUC or the need's hromada), rating 1–5.
    async fn give_recipient_feedback(
        &self,
        ctx: &Context<'_>,
        id: ID,
        feedback: String,
        rating: i32,
    ) -> ApiResult<Assignment> {
        let r = rc(ctx);
        let id = parse_id(&id, "id")?;
        Ok(Assignment(
            r.services.give_feedback(r.principal(), id, FeedbackSide::Recipient, &feedback, rating).await.api()?,
        ))
    }
}
