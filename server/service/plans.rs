//! Local recovery plans and their workflow (docs/workflows.md): the hromada or AUC drafts and submits, AUC returns
//! with a reason or endorses (which opens the plan's draft needs), and closes.

use uuid::Uuid;

use super::experts::prefix;
use super::municipalities::municipality_on_side;
use super::notifications::texts::Text;
use super::notifications::{Audience, Notice, record};
use super::{Services, audit, found, now, page_size, snapshot};
use crate::auth::Principal;
use crate::auth::policy::{Op, Target, allows, check, check_object, plan_visibility, require, sees_plan, visible};
use crate::domain::input::{MAX_LONG_TEXT, PlanInput, required_text};
use crate::domain::workflow::{PlanAction, plan_is_editable, plan_takes_needs};
use crate::domain::{AppError, AppResult, NeedStatus, PlanStatus, Role, Side, new_id};
use crate::store::need::NeedRow;
use crate::store::plan::{PlanFilter, PlanRow};
use crate::store::sql::Page;
use crate::store::{self, Conn};

fn is_auc(p: Option<&Principal>) -> bool {
    p.is_some_and(|p| matches!(p.role, Role::NeedsCoordinator | Role::Admin))
}

/// Who hears of a plan step: AUC that a plan waits for it; the hromada's officers (and whoever drafted the plan)
/// that it was endorsed or returned.
async fn plan_notice(conn: &mut Conn<'_>, action: PlanAction, plan: &PlanRow) -> AppResult<Option<Notice>> {
    let hromada = store::municipality::get(conn, plan.municipality_id).await?.map(|m| m.name).unwrap_or_default();
    let mut officers = vec![Audience::MunicipalityOfficers(plan.municipality_id)];
    if let Some(u) = plan.created_by {
        officers.push(Audience::Users(vec![u]));
    }
    let (kind, body, audience) = match action {
        PlanAction::Submit => (
            "plan.submitted",
            Text::new("plan.submitted.body").with("hromada", hromada).with("plan", &plan.title),
            vec![Audience::Role(Role::NeedsCoordinator)],
        ),
        PlanAction::Endorse => ("plan.endorsed", Text::new("plan.endorsed.body"), officers),
        PlanAction::Return => {
            ("plan.returned", Text::new("plan.returned.body").with_reason(plan.return_reason.as_deref()), officers)
        }
        PlanAction::Close => return Ok(None),
    };
    let title = match action {
        PlanAction::Submit => "plan.submitted.title",
        PlanAction::Endorse => "plan.endorsed.title",
        _ => "plan.returned.title",
    };
    Ok(Some(Notice {
        kind: kind.into(),
        title: Text::new(title).with("plan", &plan.title),
        body,
        object_type: "plan",
        object_id: plan.id,
        audience,
    }))
}

/// The operation a plan step is.
fn plan_op(action: PlanAction) -> Op {
    match action {
        PlanAction::Submit => Op::SubmitPlan,
        PlanAction::Return => Op::ReturnPlan,
        PlanAction::Endorse => Op::EndorsePlan,
        PlanAction::Close => Op::ClosePlan,
    }
}

/// What the caller may do on the plan now: the policy's answer for its municipality, narrowed to what the
/// plan's state allows.
pub fn plan_operations(p: Option<&Principal>, plan: &PlanRow) -> AppResult<Vec<Op>> {
    let status: PlanStatus = plan.status;
    let target = Target::municipality(plan.municipality_id);
    let mut ops = Vec::new();
    if allows(p, Op::EditPlan, target) && plan_is_editable(status, is_auc(p)) {
        ops.push(Op::EditPlan);
    }
    for action in [PlanAction::Submit, PlanAction::Return, PlanAction::Endorse, PlanAction::Close] {
        if allows(p, plan_op(action), target) && action.apply(status).is_ok() {
            ops.push(plan_op(action));
        }
    }
    if allows(p, Op::CreateNeed, target) && plan_takes_needs(status) {
        ops.push(Op::CreateNeed);
    }
    Ok(ops)
}

impl Services {
    pub async fn plans(
        &self,
        p: Option<&Principal>,
        filter: &PlanFilter,
        after: Option<Uuid>,
        first: Option<i32>,
    ) -> AppResult<Page<PlanRow>> {
        let v = plan_visibility(require(p)?);
        let first = page_size(first)?;
        let mut c = self.db.acquire().await?;
        store::plan::list(&mut c.conn(), filter, &v, after, first).await
    }

    pub async fn count_plans(&self, p: Option<&Principal>, filter: &PlanFilter) -> AppResult<i64> {
        let v = plan_visibility(require(p)?);
        let mut c = self.db.acquire().await?;
        store::plan::count(&mut c.conn(), filter, &v).await
    }

    /// One plan, if the caller may see it (otherwise it is not found, as if it did not exist).
    pub async fn plan(&self, p: Option<&Principal>, id: Uuid) -> AppResult<PlanRow> {
        let v = plan_visibility(require(p)?);
        let mut c = self.db.acquire().await?;
        let plan = found(store::plan::get(&mut c.conn(), id).await?, "recovery plan")?;
        if !visible(&v, plan.municipality_id, plan.status.as_str(), plan.status.as_str()) {
            return Err(AppError::not_found("recovery plan"));
        }
        Ok(plan)
    }

    pub async fn create_plan(
        &self,
        p: Option<&Principal>,
        municipality_id: Uuid,
        input: PlanInput,
    ) -> AppResult<PlanRow> {
        check(p, Op::CreatePlan, Target::municipality(municipality_id))?;
        let input = input.validate().map_err(|e| prefix(e, "input"))?;
        let mut tx = self.db.begin().await?;
        municipality_on_side(&mut tx.conn(), municipality_id, Side::Recovering, "municipalityId").await?;
        let t = now();
        let plan = PlanRow {
            id: new_id(),
            municipality_id,
            title: input.title,
            summary: input.summary,
            sectors: input.sectors.join(","),
            period_start: input.period_start,
            period_end: input.period_end,
            programme: input.programme,
            status: PlanStatus::Draft,
            return_reason: None,
            created_by: p.map(|p| p.user_id),
            created_at: t,
            updated_at: t,
        };
        store::plan::insert(&mut tx.conn(), &plan).await?;
        audit(&mut tx.conn(), p, "plan.create", plan.id, None, snapshot(&plan)).await?;
        tx.commit().await?;
        Ok(plan)
    }

    pub async fn update_plan(&self, p: Option<&Principal>, id: Uuid, input: PlanInput) -> AppResult<PlanRow> {
        crate::auth::policy::require(p)?;
        let mut tx = self.db.begin().await?;
        let before = found(store::plan::get_for_update(&mut tx.conn(), id).await?, "recovery plan")?;
        let seen = sees_plan(p, before.municipality_id, before.status);
        check_object(p, Op::EditPlan, Target::municipality(before.municipality_id), seen, "recovery plan")?;
        let status: PlanStatus = before.status;
        if !plan_is_editable(status, is_auc(p)) {
            return Err(AppError::conflict(format!("a {status} plan can no longer be edited")));
        }
        let input = input.validate().map_err(|e| prefix(e, "input"))?;
        let after = PlanRow {
            title: input.title,
            summary: input.summary,
            sectors: input.sectors.join(","),
            period_start: input.period_start,
            period_end: input.period_end,
            programme: input.programme,
            updated_at: now(),
            ..before.clone()
        };
        store::plan::update(&mut tx.conn(), &after).await?;
        audit(&mut tx.conn(), p, "plan.update", id, snapshot(&before), snapshot(&after)).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Moves a plan along its workflow. Endorsing also opens the plan's draft needs, each audited.
    pub async fn transition_plan(
        &self,
        p: Option<&Principal>,
        id: Uuid,
        action: PlanAction,
        reason: Option<&str>,
    ) -> AppResult<PlanRow> {
        crate::auth::policy::require(p)?;
        let mut tx = self.db.begin().await?;
        let before = found(store::plan::get_for_update(&mut tx.conn(), id).await?, "recovery plan")?;
        let op = plan_op(action);
        let seen = sees_plan(p, before.municipality_id, before.status);
        check_object(p, op, Target::municipality(before.municipality_id), seen, "recovery plan")?;
        let reason = match (action.needs_reason(), reason) {
            (true, Some(r)) => Some(required_text("reason", r, MAX_LONG_TEXT)?),
            (true, None) => return Err(AppError::invalid("reason", "a reason is required to send a plan back")),
            (false, _) => None,
        };
        let to = action.apply(before.status)?;
        let after = PlanRow {
            status: to,
            return_reason: if action == PlanAction::Return { reason } else { before.return_reason.clone() },
            updated_at: now(),
            ..before.clone()
        };
        store::plan::update(&mut tx.conn(), &after).await?;
        let verb = format!("plan.{}", action.verb());
        audit(&mut tx.conn(), p, &verb, id, snapshot(&before), snapshot(&after)).await?;
        if action == PlanAction::Endorse {
            let drafts = store::need::of_plan_in_status(&mut tx.conn(), id, NeedStatus::Draft).await?;
            for need in drafts {
                let opened = NeedRow { status: NeedStatus::Open, updated_at: after.updated_at, ..need.clone() };
                store::need::set_status(&mut tx.conn(), need.id, NeedStatus::Open, opened.updated_at).await?;
                audit(&mut tx.conn(), p, "need.open", need.id, snapshot(&need), snapshot(&opened)).await?;
            }
        }
        let notices = match plan_notice(&mut tx.conn(), action, &after).await? {
            Some(n) => vec![n],
            None => Vec::new(),
        };
        let rows = record(&mut tx.conn(), &self.settings.public_url, p.map(|p| p.user_id), &notices).await?;
        tx.commit().await?;
        self.after_commit(rows);
        Ok(after)
    }
}
