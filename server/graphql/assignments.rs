//! The assignment workflow in the API: one mutation per step, each for the side that takes it.

use async_graphql::{Context, ID, Object, SimpleObject};

use super::context::rc;
use super::error::{ApiResult, ResultExt};
use super::matching::Assignment;
use super::parse_id;
use crate::domain::assignment::AssignmentAction;
use crate::service::assignments::FeedbackSide;

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
