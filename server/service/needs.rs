//! Needs of a plan, each met by a team of roles; their workflow (docs/workflows.md).

use uuid::Uuid;

use super::experts::prefix;
use super::notifications::texts::Text;
use super::notifications::{Audience, Notice, record};
use super::skills::skills_exist;
use super::{Services, audit, found, now, page_size, snapshot};
use crate::auth::Principal;
use crate::auth::policy::{
    Op, Target, allows, check, check_object, need_visibility, require, sees_need, sees_plan, visible,
};
use crate::domain::input::NeedInput;
use crate::domain::workflow::{NeedAction, need_is_editable, need_priority_changes, plan_takes_needs};
use crate::domain::{AppError, AppResult, NeedStatus, PlanStatus, Priority, WorkMode, new_id};
use crate::store::need::{NeedFilter, NeedRow, RoleRow, RoleWrite};
use crate::store::sql::Page;
use crate::store::{self, Conn};

/// The message key of a priority's name.
fn priority_key(p: Priority) -> &'static str {
    match p {
        Priority::Critical => "priority.CRITICAL",
        Priority::High => "priority.HIGH",
        Priority::Medium => "priority.MEDIUM",
        Priority::Low => "priority.LOW",
    }
}

/// The operation a need step is.
fn need_op(action: NeedAction) -> Op {
    match action {
        NeedAction::Open => Op::OpenNeed,
        NeedAction::Close => Op::CloseNeed,
        NeedAction::Cancel => Op::CancelNeed,
    }
}

/// What the caller may do on the need now: the policy's answer for its municipality, narrowed to what the
/// need's and its plan's state allow.
pub fn need_operations(p: Option<&Principal>, need: &NeedRow, plan_status: PlanStatus) -> AppResult<Vec<Op>> {
    let status = need.status;
    let target = Target::municipality(need.municipality_id);
    let mut ops = Vec::new();
    if allows(p, Op::EditNeed, target) && need_is_editable(status) {
        ops.push(Op::EditNeed);
    }
    for action in [NeedAction::Open, NeedAction::Close, NeedAction::Cancel] {
        if allows(p, need_op(action), target) && action.apply(status, plan_status).is_ok() {
            ops.push(need_op(action));
        }
    }
    if allows(p, Op::SetNeedPriority, target) && need_priority_changes(status) {
        ops.push(Op::SetNeedPriority);
    }
    if status == NeedStatus::Open {
        ops.extend(crate::auth::policy::allowed(p, &[Op::ViewCandidates, Op::ProposeAssignment], target));
    }
    Ok(ops)
}

/// A need as the audit log keeps it: the row and its team.
#[derive(serde::Serialize)]
struct NeedSnapshot<'a> {
    need: &'a NeedRow,
    roles: &'a [RoleWrite],
}

fn roles_of_input(need_id: Uuid, input: &NeedInput) -> Vec<RoleWrite> {
    input
        .roles
        .iter()
        .enumerate()
        .map(|(i, r)| RoleWrite {
            role: RoleRow {
                id: new_id(),
                need_id,
                position: i as i32,
                title: r.title.clone(),
                seats: r.seats,
                hours_per_week: r.hours_per_week,
                interpreter_available: r.interpreter_available,
            },
            skills: r.skills.iter().map(|s| (s.skill_id, s.min_level, s.essential)).collect(),
            languages: r.languages.iter().map(|l| (l.language.clone(), l.level)).collect(),
        })
        .collect()
}

pub(super) async fn check_role_skills(conn: &mut Conn<'_>, input: &NeedInput) -> AppResult<()> {
    let mut ids = Vec::new();
    for (i, r) in input.roles.iter().enumerate() {
        for (j, s) in r.skills.iter().enumerate() {
            ids.push((format!("input.roles[{i}].skills[{j}].skillId"), s.skill_id));
        }
    }
    skills_exist(conn, &ids).await
}

/// The need's contents from a validated input, keeping id, plan, status and audit columns of `base`.
fn with_input(base: &NeedRow, input: &NeedInput, priority: Priority) -> NeedRow {
    NeedRow {
        title: input.title.clone(),
        description: input.description.clone(),
        sector: input.sector.clone(),
        start_date: input.start_date,
        end_date: input.end_date,
        remote: input.modes.contains(&WorkMode::Remote),
        on_site: input.modes.contains(&WorkMode::OnSite),
        hosting: input.modes.contains(&WorkMode::Hosting),
        priority,
        dream_project_id: input.dream_project_id.clone(),
        updated_at: now(),
        ..base.clone()
    }
}

/// The plan, locked, if the caller sees it, may add needs to it, and it takes new ones (it is not CLOSED).
pub(super) async fn plan_taking_needs(
    conn: &mut Conn<'_>,
    p: Option<&Principal>,
    plan_id: Uuid,
) -> AppResult<store::plan::PlanRow> {
    let plan = store::plan::get_for_update(conn, plan_id)
        .await?
        .filter(|plan| sees_plan(p, plan.municipality_id, plan.status))
        .ok_or_else(|| AppError::invalid("planId", "no such recovery plan"))?;
    check(p, Op::CreateNeed, Target::municipality(plan.municipality_id))?;
    if !plan_takes_needs(plan.status) {
        return Err(AppError::conflict("a CLOSED plan takes no new needs"));
    }
    Ok(plan)
}

/// Writes a validated need as a DRAFT of `plan`, audited, inside the caller's transaction.
pub(super) async fn create_need_in(
    conn: &mut Conn<'_>,
    p: Option<&Principal>,
    plan: &store::plan::PlanRow,
    input: &NeedInput,
) -> AppResult<NeedRow> {
    let t = now();
    let base = NeedRow {
        id: new_id(),
        plan_id: plan.id,
        municipality_id: plan.municipality_id,
        plan_status: plan.status,
        title: String::new(),
        description: String::new(),
        sector: String::new(),
        start_date: input.start_date,
        end_date: input.end_date,
        remote: false,
        on_site: false,
        hosting: false,
        priority: input.priority,
        status: NeedStatus::Draft,
        dream_project_id: None,
        created_by: p.map(|p| p.user_id),
        created_at: t,
        updated_at: t,
    };
    let need = with_input(&base, input, input.priority);
    let roles = roles_of_input(need.id, input);
    store::need::insert(conn, &need, &roles).await?;
    audit(conn, p, "need.create", need.id, None, snapshot(&NeedSnapshot { need: &need, roles: &roles })).await?;
    Ok(need)
}

/// Replaces a DRAFT need's contents and team with a validated input, audited, inside the caller's transaction.
/// The priority stays AUC's once set, unless AUC edits.
pub(super) async fn update_need_in(
    conn: &mut Conn<'_>,
    p: Option<&Principal>,
    before: &NeedRow,
    input: &NeedInput,
) -> AppResult<NeedRow> {
    let priority = if crate::auth::policy::allows(p, Op::SetNeedPriority, Target::NONE) {
        input.priority
    } else {
        before.priority
    };
    let after = with_input(before, input, priority);
    let roles = roles_of_input(before.id, input);
    store::need::update(conn, &after).await?;
    store::need::replace_roles(conn, before.id, &roles).await?;
    audit(conn, p, "need.update", before.id, snapshot(before), snapshot(&NeedSnapshot { need: &after, roles: &roles }))
        .await?;
    Ok(after)
}

impl Services {
    pub async fn needs(
        &self,
        p: Option<&Principal>,
        filter: &NeedFilter,
        after: Option<Uuid>,
        first: Option<i32>,
    ) -> AppResult<Page<NeedRow>> {
        let v = need_visibility(require(p)?);
        let first = page_size(first)?;
        let mut c = self.db.acquire().await?;
        store::need::list(&mut c.conn(), filter, &v, after, first).await
    }

    pub async fn count_needs(&self, p: Option<&Principal>, filter: &NeedFilter) -> AppResult<i64> {
        let v = need_visibility(require(p)?);
        let mut c = self.db.acquire().await?;
        store::need::count(&mut c.conn(), filter, &v).await
    }

    pub async fn need(&self, p: Option<&Principal>, id: Uuid) -> AppResult<NeedRow> {
        let v = need_visibility(require(p)?);
        let mut c = self.db.acquire().await?;
        let need = found(store::need::get(&mut c.conn(), id).await?, "need")?;
        if !visible(&v, need.municipality_id, need.status.as_str(), need.plan_status.as_str()) {
            return Err(AppError::not_found("need"));
        }
        Ok(need)
    }

    /// Adds a need with its team to a plan that is still open to changes (not CLOSED).
    pub async fn create_need(&self, p: Option<&Principal>, plan_id: Uuid, input: NeedInput) -> AppResult<NeedRow> {
        crate::auth::policy::require(p)?;
        let mut tx = self.db.begin().await?;
        let plan = plan_taking_needs(&mut tx.conn(), p, plan_id).await?;
        let input = input.validate().map_err(|e| prefix(e, "input"))?;
        check_role_skills(&mut tx.conn(), &input).await?;
        let need = create_need_in(&mut tx.conn(), p, &plan, &input).await?;
        tx.commit().await?;
        Ok(need)
    }

    /// Replaces a draft need's contents and team. The priority stays AUC's once set, unless AUC edits.
    pub async fn update_need(&self, p: Option<&Principal>, id: Uuid, input: NeedInput) -> AppResult<NeedRow> {
        crate::auth::policy::require(p)?;
        let mut tx = self.db.begin().await?;
        let before = found(store::need::get_for_update(&mut tx.conn(), id).await?, "need")?;
        let plan = found(store::plan::get(&mut tx.conn(), before.plan_id).await?, "recovery plan")?;
        let seen = sees_need(p, before.municipality_id, before.status, plan.status);
        check_object(p, Op::EditNeed, Target::municipality(before.municipality_id), seen, "need")?;
        if !need_is_editable(before.status) {
            return Err(AppError::conflict(format!("a {} need can no longer be edited", before.status)));
        }
        let input = input.validate().map_err(|e| prefix(e, "input"))?;
        check_role_skills(&mut tx.conn(), &input).await?;
        let after = update_need_in(&mut tx.conn(), p, &before, &input).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// AUC sets the priority of a need that is not finished.
    pub async fn set_need_priority(&self, p: Option<&Principal>, id: Uuid, priority: Priority) -> AppResult<NeedRow> {
        crate::auth::policy::require(p)?;
        let mut tx = self.db.begin().await?;
        let before = found(store::need::get_for_update(&mut tx.conn(), id).await?, "need")?;
        let plan = found(store::plan::get(&mut tx.conn(), before.plan_id).await?, "recovery plan")?;
        let seen = sees_need(p, before.municipality_id, before.status, plan.status);
        check_object(p, Op::SetNeedPriority, Target::municipality(before.municipality_id), seen, "need")?;
        let status: NeedStatus = before.status;
        if !need_priority_changes(status) {
            return Err(AppError::conflict(format!("a {status} need keeps its priority")));
        }
        let after = NeedRow { priority, updated_at: now(), ..before.clone() };
        store::need::update(&mut tx.conn(), &after).await?;
        audit(&mut tx.conn(), p, "need.set_priority", id, snapshot(&before), snapshot(&after)).await?;
        // The hromada hears that AUC re-prioritised its need.
        let mut audience = vec![Audience::MunicipalityOfficers(after.municipality_id)];
        if let Some(u) = after.created_by {
            audience.push(Audience::Users(vec![u]));
        }
        let level = || Text::new(priority_key(priority));
        let notice = Notice {
            kind: "need.priority_set".into(),
            title: Text::new("need.priority_set.title").with("need", &after.title).with_text("priority", level()),
            body: Text::new("need.priority_set.body").with_text("priority", level()),
            object_type: "need",
            object_id: id,
            audience,
        };
        let rows = record(&mut tx.conn(), &self.settings.public_url, p.map(|p| p.user_id), &[notice]).await?;
        tx.commit().await?;
        self.after_commit(rows);
        Ok(after)
    }

    pub async fn transition_need(&self, p: Option<&Principal>, id: Uuid, action: NeedAction) -> AppResult<NeedRow> {
        crate::auth::policy::require(p)?;
        let mut tx = self.db.begin().await?;
        let before = found(store::need::get_for_update(&mut tx.conn(), id).await?, "need")?;
        let op = need_op(action);
        let plan = found(store::plan::get(&mut tx.conn(), before.plan_id).await?, "recovery plan")?;
        let seen = sees_need(p, before.municipality_id, before.status, plan.status);
        check_object(p, op, Target::municipality(before.municipality_id), seen, "need")?;
        let to = action.apply(before.status, plan.status)?;
        let after = NeedRow { status: to, updated_at: now(), ..before.clone() };
        store::need::set_status(&mut tx.conn(), id, to, after.updated_at).await?;
        let verb = format!("need.{}", action.verb());
        audit(&mut tx.conn(), p, &verb, id, snapshot(&before), snapshot(&after)).await?;
        let released = release_open_assignments(&mut tx.conn(), &self.settings.public_url, p, &after, action).await?;
        tx.commit().await?;
        self.after_commit(released);
        Ok(after)
    }
}

/// A cancelled or closed need holds no expert's hours: its assignments still under way are cancelled (on close,
/// work already ACTIVE is left to complete), each audited, and the people involved are told.
async fn release_open_assignments(
    conn: &mut Conn<'_>,
    public_url: &str,
    p: Option<&Principal>,
    need: &NeedRow,
    action: NeedAction,
) -> AppResult<Vec<crate::store::notification::NotificationRow>> {
    use crate::domain::assignment::{AssignmentAction, AssignmentStatus, Consents};
    let statuses = match action {
        NeedAction::Cancel => AssignmentStatus::where_(AssignmentStatus::is_open),
        NeedAction::Close => AssignmentStatus::where_(AssignmentStatus::ends_when_need_closes),
        NeedAction::Open => return Ok(Vec::new()),
    };
    let reason = format!("the need was {}", if action == NeedAction::Cancel { "cancelled" } else { "closed" });
    let mut notices = Vec::new();
    for a in store::assignment::of_need_in(conn, need.id, &statuses).await? {
        // The same transition as a coordinator's cancel.
        let consents = Consents {
            status: a.status,
            expert_agreed: a.expert_agreed_at.is_some(),
            released: a.released_at.is_some(),
        };
        let step = consents.apply(AssignmentAction::Cancel)?;
        let after = crate::store::assignment::AssignmentRow {
            status: step.to.status,
            reason: Some(reason.clone()),
            updated_at: need.updated_at,
            ..a.clone()
        };
        store::assignment::update(conn, &after).await?;
        audit(conn, p, &AssignmentAction::Cancel.audit_name(), a.id, snapshot(&a), snapshot(&after)).await?;
        let expert = crate::service::found(store::expert::get(conn, a.expert_id).await?, "expert")?;
        notices.extend(super::assignments::notices(AssignmentAction::Cancel, &after, need, &expert, Some(&reason)));
    }
    crate::service::notifications::record(conn, public_url, p.map(|p| p.user_id), &notices).await
}
