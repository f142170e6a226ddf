//! Recovery plans, their needs and the teams (roles) that meet them.

use std::sync::Arc;

use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::assignments::Assignment;
use super::connection::{CountOf, List, after_id, connection};
use super::context::rc;
use super::error::{ApiResult, ResultExt};
use super::experts::{LanguageLevel, modes};
use super::loaders::TeamRole;
use super::reference::{Municipality, Skill};
use super::{load_one, parse_id};
use crate::auth::policy::Op;
use crate::domain::input::{NeedInput, PlanInput};
use crate::domain::workflow::{NeedAction, PlanAction};
use crate::domain::{NeedStatus, PlanStatus, Priority, WorkMode};
use crate::store::assignment::AssignmentFilter;
use crate::store::need::{NeedFilter, NeedRow, RoleSkillRow};
use crate::store::plan::{PlanFilter, PlanRow};
use crate::store::skill::SkillRow;

/// A Ukrainian municipality's local recovery plan.
pub struct RecoveryPlan(pub Arc<PlanRow>);

impl From<PlanRow> for RecoveryPlan {
    fn from(row: PlanRow) -> Self {
        RecoveryPlan(Arc::new(row))
    }
}

/// A Ukrainian municipality's local recovery plan.
#[Object]
impl RecoveryPlan {
    /// The plan's id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The recovering municipality whose plan this is.
    async fn municipality(&self, ctx: &Context<'_>) -> async_graphql::Result<Municipality> {
        load_one(&rc(ctx).loaders.municipality, self.0.municipality_id, "municipality").await.map(Municipality)
    }
    /// Title of the plan.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// What the plan sets out to do.
    async fn summary(&self) -> &str {
        &self.0.summary
    }
    /// Sectors the plan covers (skill categories).
    async fn sectors(&self) -> Vec<&str> {
        self.0.sectors.split(',').filter(|s| !s.is_empty()).collect()
    }
    /// First day of the plan's period.
    async fn period_start(&self) -> NaiveDate {
        self.0.period_start
    }
    /// Last day of the plan's period.
    async fn period_end(&self) -> NaiveDate {
        self.0.period_end
    }
    /// Programme it belongs to, e.g. SDLG.
    async fn programme(&self) -> Option<&str> {
        self.0.programme.as_deref()
    }
    /// DRAFT → SUBMITTED → ENDORSED → CLOSED.
    async fn status(&self) -> PlanStatus {
        self.0.status
    }
    /// Why AUC last sent the plan back, if it did.
    async fn return_reason(&self) -> Option<&str> {
        self.0.return_reason.as_deref()
    }
    /// What the caller may do on the plan now (edit, its steps, add needs).
    async fn operations(&self, ctx: &Context<'_>) -> ApiResult<Vec<Op>> {
        Ok(crate::service::plans::plan_operations(rc(ctx).principal(), &self.0).api()?)
    }
    /// The plan's needs visible to the caller.
    async fn needs(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 1–100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item of the previous page.")] after: Option<String>,
    ) -> ApiResult<List<Need>> {
        let f = NeedFilter { plan_id: Some(self.0.id), ..Default::default() };
        need_list(ctx, f, first, after).await
    }
    /// When the plan was created (UTC).
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the plan was last changed (UTC).
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// A concrete request for expertise within a plan, met by a team of one or more roles.
pub struct Need(pub NeedRow);

/// A concrete request for expertise within a plan, met by a team of one or more roles.
#[Object]
impl Need {
    /// The need's id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The plan the need belongs to.
    async fn plan(&self, ctx: &Context<'_>) -> async_graphql::Result<RecoveryPlan> {
        load_one(&rc(ctx).loaders.plan, self.0.plan_id, "recovery plan").await.map(RecoveryPlan)
    }
    /// The recovering municipality (the plan's).
    async fn municipality(&self, ctx: &Context<'_>) -> async_graphql::Result<Municipality> {
        load_one(&rc(ctx).loaders.municipality, self.0.municipality_id, "municipality").await.map(Municipality)
    }
    /// Short title.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// What is needed and why.
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// Sector (a skill category).
    async fn sector(&self) -> &str {
        &self.0.sector
    }
    /// First day of the work.
    async fn start_date(&self) -> NaiveDate {
        self.0.start_date
    }
    /// Last day of the work.
    async fn end_date(&self) -> NaiveDate {
        self.0.end_date
    }
    /// Modes of work the need accepts.
    async fn modes(&self) -> Vec<WorkMode> {
        modes(self.0.remote, self.0.on_site, self.0.hosting)
    }
    /// Priority set by AUC.
    async fn priority(&self) -> Priority {
        self.0.priority
    }
    /// DRAFT → OPEN (plan endorsed) → FILLED → CLOSED, or CANCELLED.
    async fn status(&self) -> NeedStatus {
        self.0.status
    }
    /// Project id in DREAM, Ukraine's register of recovery projects.
    async fn dream_project_id(&self) -> Option<&str> {
        self.0.dream_project_id.as_deref()
    }
    /// The team: roles in order.
    async fn roles(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<NeedRole>> {
        let roles = rc(ctx).loaders.roles.load_one(self.0.id).await?.unwrap_or_default();
        Ok(roles.iter().cloned().map(NeedRole).collect())
    }
    /// What the caller may do on the need now (edit, its steps, priority, candidates, proposals).
    async fn operations(&self, ctx: &Context<'_>) -> ApiResult<Vec<Op>> {
        let plan = load_one(&rc(ctx).loaders.plan, self.0.plan_id, "recovery plan").await?;
        Ok(crate::service::needs::need_operations(rc(ctx).principal(), &self.0, plan.status).api()?)
    }
    /// The need's assignments the caller may see, oldest first (at most 100).
    async fn assignments(&self, ctx: &Context<'_>) -> ApiResult<Vec<Assignment>> {
        let r = rc(ctx);
        let f = AssignmentFilter { need_id: Some(self.0.id), ..Default::default() };
        let page = r.services.assignments(r.principal(), f, None, Some(100)).await.api()?;
        Ok(page.items.into_iter().map(Assignment).collect())
    }
    /// Seats over all roles.
    async fn total_seats(&self, ctx: &Context<'_>) -> async_graphql::Result<i32> {
        let roles = rc(ctx).loaders.roles.load_one(self.0.id).await?.unwrap_or_default();
        Ok(roles.iter().map(|r| r.role.seats).sum())
    }
    /// When the need was created (UTC).
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the need was last changed (UTC).
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// One role of a need's team: its skills, languages, seats and hours.
pub struct NeedRole(Arc<TeamRole>);

impl NeedRole {
    /// The role `role_id` of need `need_id`, through the request's loader.
    pub(crate) async fn load(ctx: &Context<'_>, need_id: Uuid, role_id: Uuid) -> async_graphql::Result<NeedRole> {
        let roles = rc(ctx).loaders.roles.load_one(need_id).await?.unwrap_or_default();
        let found = roles.iter().find(|r| r.role.id == role_id);
        found
            .map(|r| NeedRole(r.clone()))
            .ok_or_else(|| super::error::to_graphql(&crate::domain::AppError::not_found("role")))
    }

    async fn seat_counts(&self, ctx: &Context<'_>) -> async_graphql::Result<(i32, i32)> {
        let (taken, filled) = rc(ctx).loaders.seats.load_one(self.0.role.id).await?.unwrap_or_default();
        Ok((i32::try_from(taken).unwrap_or(i32::MAX), i32::try_from(filled).unwrap_or(i32::MAX)))
    }
}

/// One role of a need's team: its skills, languages, seats and hours.
#[Object]
impl NeedRole {
    /// The role's id.
    async fn id(&self) -> ID {
        ID(self.0.role.id.to_string())
    }
    /// What the role does.
    async fn title(&self) -> &str {
        &self.0.role.title
    }
    /// How many experts the role takes.
    async fn seats(&self) -> i32 {
        self.0.role.seats
    }
    /// Seats held by an assignment from its proposal on; no further expert can be proposed for them.
    async fn seats_taken(&self, ctx: &Context<'_>) -> async_graphql::Result<i32> {
        Ok(self.seat_counts(ctx).await?.0)
    }
    /// Seats whose expert the Ukrainian side accepted (or further on).
    async fn seats_filled(&self, ctx: &Context<'_>) -> async_graphql::Result<i32> {
        Ok(self.seat_counts(ctx).await?.1)
    }
    /// Seats still open for a proposal.
    async fn seats_open(&self, ctx: &Context<'_>) -> async_graphql::Result<i32> {
        Ok((self.0.role.seats - self.seat_counts(ctx).await?.0).max(0))
    }
    /// Hours per week each seat asks.
    async fn hours_per_week(&self) -> i32 {
        self.0.role.hours_per_week
    }
    /// An interpreter is available, so no shared language is required.
    async fn interpreter_available(&self) -> bool {
        self.0.role.interpreter_available
    }
    /// Required (essential) and desired skills, essential first.
    async fn skills(&self) -> Vec<RoleSkill> {
        (0..self.0.skills.len()).map(|i| RoleSkill(self.0.clone(), i)).collect()
    }
    /// Languages with minimum level; any one of them suffices.
    async fn languages(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<LanguageLevel>> {
        let rows = rc(ctx).loaders.role_languages.load_one(self.0.role.id).await?.unwrap_or_default();
        rows.into_iter().map(LanguageLevel::try_from).collect()
    }
}

/// A skill a role asks for: the `.1`-th skill of a shared team role.
pub struct RoleSkill(Arc<TeamRole>, usize);

impl RoleSkill {
    fn row(&self) -> &RoleSkillRow {
        &self.0.skills[self.1]
    }
}

/// A skill a role asks for.
#[Object]
impl RoleSkill {
    /// The skill asked for.
    async fn skill(&self) -> Skill {
        let r = self.row();
        Skill(SkillRow {
            id: r.skill_id,
            code: r.code.clone(),
            category: r.category.clone(),
            label_en: r.label_en.clone(),
            label_nl: r.label_nl.clone(),
            label_uk: r.label_uk.clone(),
            esco_group: r.esco_group.clone(),
        })
    }
    /// Minimum level 1–5.
    async fn min_level(&self) -> i32 {
        self.row().min_level
    }
    /// Essential (must have) or desired (counts in the score).
    async fn essential(&self) -> bool {
        self.row().essential
    }
}

/// Filters for the plan list.
#[derive(InputObject, Default)]
pub struct PlanFilterInput {
    /// Plans of this recovering municipality.
    pub municipality_id: Option<ID>,
    /// Plans with this status.
    pub status: Option<PlanStatus>,
    /// Plans covering this sector.
    pub sector: Option<String>,
}

/// Filters for the need list.
#[derive(InputObject, Default)]
pub struct NeedFilterInput {
    /// Needs of this plan.
    pub plan_id: Option<ID>,
    /// Needs of this recovering municipality.
    pub municipality_id: Option<ID>,
    /// Needs with this status.
    pub status: Option<NeedStatus>,
    /// Needs in this sector (a skill category, e.g. `ENERGY`).
    pub sector: Option<String>,
    /// Needs with this priority.
    pub priority: Option<Priority>,
    /// Needs with a role asking for this skill.
    pub skill_id: Option<ID>,
}

impl NeedFilterInput {
    pub fn into_filter(self) -> ApiResult<NeedFilter> {
        let f = self;
        Ok(NeedFilter {
            plan_id: f.plan_id.as_ref().map(|i| parse_id(i, "filter.planId")).transpose()?,
            municipality_id: f.municipality_id.as_ref().map(|i| parse_id(i, "filter.municipalityId")).transpose()?,
            status: f.status,
            sector: f.sector.map(|s| s.trim().to_uppercase()),
            priority: f.priority,
            skill_id: f.skill_id.as_ref().map(|i| parse_id(i, "filter.skillId")).transpose()?,
        })
    }
}

async fn need_list(
    ctx: &Context<'_>,
    f: NeedFilter,
    first: Option<i32>,
    after: Option<String>,
) -> ApiResult<List<Need>> {
    let r = rc(ctx);
    let page = r.services.needs(r.principal(), &f, after_id(after.as_deref())?, first).await.api()?;
    prefetch(ctx, &page.items).await?;
    Ok(connection(page, after.is_some(), CountOf::Needs(f), |n| n.id, Need))
}

/// Loads, in one batch each, the related rows the query asks for on a page of needs, before the page's fields
/// resolve: the statement count then does not depend on how the runtime happens to schedule the resolvers.
async fn prefetch(ctx: &Context<'_>, needs: &[NeedRow]) -> async_graphql::Result<()> {
    let node = ctx.look_ahead().field("edges").field("node");
    let loaders = &rc(ctx).loaders;
    let mut plans: Vec<Uuid> = needs.iter().map(|n| n.plan_id).collect();
    let mut municipalities: Vec<Uuid> = needs.iter().map(|n| n.municipality_id).collect();
    plans.sort();
    plans.dedup();
    municipalities.sort();
    municipalities.dedup();
    let want_roles = node.field("roles").exists() || node.field("totalSeats").exists();
    let want_plans = node.field("plan").exists();
    let want_municipalities = node.field("municipality").exists() || node.field("plan").field("municipality").exists();
    let (roles, plans, municipalities) = futures_util::join!(
        async { if want_roles { loaders.roles.load_many(needs.iter().map(|n| n.id)).await.map(drop) } else { Ok(()) } },
        async { if want_plans { loaders.plan.load_many(plans).await.map(drop) } else { Ok(()) } },
        async {
            if want_municipalities { loaders.municipality.load_many(municipalities).await.map(drop) } else { Ok(()) }
        },
    );
    roles.and(plans).and(municipalities)
}

#[derive(Default)]
pub struct PlanQuery;

#[Object]
impl PlanQuery {
    /// Recovery plans visible to the caller, oldest first.
    async fn plans(
        &self,
        ctx: &Context<'_>,
        filter: Option<PlanFilterInput>,
        #[graphql(desc = "Page size, 1–100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item of the previous page.")] after: Option<String>,
    ) -> ApiResult<List<RecoveryPlan>> {
        let r = rc(ctx);
        let f = filter.unwrap_or_default();
        let f = PlanFilter {
            municipality_id: f.municipality_id.as_ref().map(|i| parse_id(i, "filter.municipalityId")).transpose()?,
            status: f.status,
            sector: f.sector.map(|s| s.trim().to_uppercase()),
        };
        let page = r.services.plans(r.principal(), &f, after_id(after.as_deref())?, first).await.api()?;
        Ok(connection(page, after.is_some(), CountOf::Plans(f), |p| p.id, RecoveryPlan::from))
    }

    /// One plan.
    async fn plan(&self, ctx: &Context<'_>, id: ID) -> ApiResult<RecoveryPlan> {
        let r = rc(ctx);
        Ok(RecoveryPlan::from(r.services.plan(r.principal(), parse_id(&id, "id")?).await.api()?))
    }

    /// Needs visible to the caller, oldest first.
    async fn needs(
        &self,
        ctx: &Context<'_>,
        filter: Option<NeedFilterInput>,
        #[graphql(desc = "Page size, 1–100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item of the previous page.")] after: Option<String>,
    ) -> ApiResult<List<Need>> {
        need_list(ctx, filter.unwrap_or_default().into_filter()?, first, after).await
    }

    /// One need.
    async fn need(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Need> {
        let r = rc(ctx);
        Ok(Need(r.services.need(r.principal(), parse_id(&id, "id")?).await.api()?))
    }
}

#[derive(Default)]
pub struct PlanMutation;

#[Object]
impl PlanMutation {
    /// Drafts a recovery plan for a Ukrainian municipality (its hromada officers, AUC).
    async fn create_plan(&self, ctx: &Context<'_>, municipality_id: ID, input: PlanInput) -> ApiResult<RecoveryPlan> {
        let r = rc(ctx);
        let m = parse_id(&municipality_id, "municipalityId")?;
        Ok(RecoveryPlan::from(r.services.create_plan(r.principal(), m, input).await.api()?))
    }

    /// Changes a plan's contents (in DRAFT; AUC also while SUBMITTED).
    async fn update_plan(&self, ctx: &Context<'_>, id: ID, input: PlanInput) -> ApiResult<RecoveryPlan> {
        let r = rc(ctx);
        Ok(RecoveryPlan::from(r.services.update_plan(r.principal(), parse_id(&id, "id")?, input).await.api()?))
    }

    /// DRAFT → SUBMITTED (the hromada's officers, AUC).
    async fn submit_plan(&self, ctx: &Context<'_>, id: ID) -> ApiResult<RecoveryPlan> {
        plan_step(ctx, id, PlanAction::Submit, None).await
    }

    /// SUBMITTED → DRAFT with a reason (AUC).
    async fn return_plan(&self, ctx: &Context<'_>, id: ID, reason: String) -> ApiResult<RecoveryPlan> {
        plan_step(ctx, id, PlanAction::Return, Some(reason)).await
    }

    /// SUBMITTED → ENDORSED (AUC); the plan's draft needs open for matching.
    async fn endorse_plan(&self, ctx: &Context<'_>, id: ID) -> ApiResult<RecoveryPlan> {
        plan_step(ctx, id, PlanAction::Endorse, None).await
    }

    /// ENDORSED → CLOSED (AUC).
    async fn close_plan(&self, ctx: &Context<'_>, id: ID) -> ApiResult<RecoveryPlan> {
        plan_step(ctx, id, PlanAction::Close, None).await
    }

    /// Adds a need with its team to a plan (the hromada's officers, AUC).
    async fn create_need(&self, ctx: &Context<'_>, plan_id: ID, input: NeedInput) -> ApiResult<Need> {
        let r = rc(ctx);
        Ok(Need(r.services.create_need(r.principal(), parse_id(&plan_id, "planId")?, input).await.api()?))
    }

    /// Replaces a draft need's contents and team.
    async fn update_need(&self, ctx: &Context<'_>, id: ID, input: NeedInput) -> ApiResult<Need> {
        let r = rc(ctx);
        Ok(Need(r.services.update_need(r.principal(), parse_id(&id, "id")?, input).await.api()?))
    }

    /// Sets a need's priority (AUC).
    async fn set_need_priority(&self, ctx: &Context<'_>, id: ID, priority: Priority) -> ApiResult<Need> {
        let r = rc(ctx);
        Ok(Need(r.services.set_need_priority(r.principal(), parse_id(&id, "id")?, priority).await.api()?))
    }

    /// DRAFT → OPEN once the plan is endorsed (the hromada's officers, AUC).
    async fn open_need(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Need> {
        need_step(ctx, id, NeedAction::Open).await
    }

    /// OPEN or FILLED → CLOSED (AUC).
    async fn close_need(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Need> {
        need_step(ctx, id, NeedAction::Close).await
    }

    /// Cancels a need that is not closed (the hromada's officers, AUC).
    async fn cancel_need(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Need> {
        need_step(ctx, id, NeedAction::Cancel).await
    }
}

async fn plan_step(ctx: &Context<'_>, id: ID, action: PlanAction, reason: Option<String>) -> ApiResult<RecoveryPlan> {
    let r = rc(ctx);
    let id = parse_id(&id, "id")?;
    Ok(RecoveryPlan::from(r.services.transition_plan(r.principal(), id, action, reason.as_deref()).await.api()?))
}

async fn need_step(ctx: &Context<'_>, id: ID, action: NeedAction) -> ApiResult<Need> {
    let r = rc(ctx);
    Ok(Need(r.services.transition_need(r.principal(), parse_id(&id, "id")?, action).await.api()?))
}
