//! Experts in the pool. Contact details (e-mail, phone) only for those who need them (docs/roles.md).

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::connection::{CountOf, List, after_id, connection};
use super::context::rc;
use super::error::{ApiResult, ResultExt};
use super::reference::{Municipality, Skill};
use super::{load_one, parse_id};
use crate::auth::policy::{Target, accepted_for_caller, sees_expert_contact};
use crate::domain::input::ExpertProfileInput;
use crate::domain::{Cefr, ExpertKind, ExpertStatus, Role, WorkMode};
use crate::store::expert::{ExpertFilter, ExpertRow, ExpertSkillRow, LanguageRow, Order};

pub struct Expert(pub ExpertRow);

impl Expert {
    /// docs/roles.md: the Ukrainian side sees contact details only once an assignment of theirs is ACCEPTED or later,
    /// which takes a look at the assignments (batched); everyone else is decided by role and scope alone.
    async fn contact_visible(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        let r = rc(ctx);
        let target = Target::expert(self.0.municipality_id, self.0.id);
        if sees_expert_contact(r.principal(), target, false) {
            return Ok(true);
        }
        if !r.principal().is_some_and(|p| matches!(p.role, Role::NeedsCoordinator | Role::HromadaOfficer)) {
            return Ok(false);
        }
        let accepted = r.loaders.expert_accepted.load_one(self.0.id).await?.unwrap_or_default();
        Ok(sees_expert_contact(r.principal(), target, accepted_for_caller(r.principal(), &accepted)))
    }
}

/// Modes present in the three mode columns, in a fixed order.
pub fn modes(remote: bool, on_site: bool, hosting: bool) -> Vec<WorkMode> {
    [(remote, WorkMode::Remote), (on_site, WorkMode::OnSite), (hosting, WorkMode::Hosting)]
        .into_iter()
        .filter_map(|(on, m)| on.then_some(m))
        .collect()
}

/// A volunteered staff member of a contributing municipality.
#[Object]
impl Expert {
    /// The expert's id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The municipality that employs and lends the expert.
    async fn municipality(&self, ctx: &Context<'_>) -> async_graphql::Result<Municipality> {
        load_one(&rc(ctx).loaders.municipality, self.0.municipality_id, "municipality").await.map(Municipality)
    }
    /// Full name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Work e-mail; null unless the caller may see contact details.
    async fn email(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<&str>> {
        Ok(self.contact_visible(ctx).await?.then_some(self.0.email.as_str()))
    }
    /// Work phone; null unless the caller may see contact details (or none is known).
    async fn phone(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<&str>> {
        Ok(self.contact_visible(ctx).await?.then_some(()).and(self.0.phone.as_deref()))
    }
    /// Whether the caller sees this expert's contact details.
    async fn contact_visible_to_me(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        self.contact_visible(ctx).await
    }
    /// MUNICIPAL_STAFF, DISPLACED_PROFESSIONAL, INTERPRETER or OTHER: the pool is not limited to municipal staff.
    async fn kind(&self) -> ExpertKind {
        self.0.kind
    }
    /// Job title at the municipality.
    async fn job_title(&self) -> &str {
        &self.0.job_title
    }
    /// A short biography.
    async fn bio(&self) -> Option<&str> {
        self.0.bio.as_deref()
    }
    /// Hours per week offered to the pool.
    async fn hours_per_week(&self) -> i32 {
        self.0.hours_per_week
    }
    /// Whether the expert has an account of their own (to agree to assignments and report hours).
    async fn has_account(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        Ok(rc(ctx).services.expert_account_state(self.0.id).await.api()?.0)
    }
    /// Whether an invitation to an account is waiting for the expert (sent, not yet accepted, not expired).
    async fn invitation_pending(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        Ok(rc(ctx).services.expert_account_state(self.0.id).await.api()?.1)
    }
    /// What the caller may do on the expert's profile.
    async fn operations(&self, ctx: &Context<'_>) -> Vec<crate::auth::policy::Op> {
        crate::service::experts::expert_operations(rc(ctx).principal(), &self.0)
    }
    /// Hours per week held by the expert's assignments (proposed to active) that have not ended yet.
    async fn booked_hours_per_week(&self, ctx: &Context<'_>) -> async_graphql::Result<i32> {
        let booked = rc(ctx).loaders.booked_hours.load_one(self.0.id).await?.unwrap_or_default();
        Ok(i32::try_from(booked).unwrap_or(i32::MAX))
    }
    /// The weekly hours not held by such an assignment (never below zero).
    async fn free_hours_per_week(&self, ctx: &Context<'_>) -> async_graphql::Result<i32> {
        let booked = rc(ctx).loaders.booked_hours.load_one(self.0.id).await?.unwrap_or_default();
        Ok((i64::from(self.0.hours_per_week) - booked).max(0) as i32)
    }
    /// First day available.
    async fn available_from(&self) -> NaiveDate {
        self.0.available_from
    }
    /// Last day available; null when open-ended.
    async fn available_until(&self) -> Option<NaiveDate> {
        self.0.available_until
    }
    /// Modes of work accepted.
    async fn modes(&self) -> Vec<WorkMode> {
        modes(self.0.remote, self.0.on_site, self.0.hosting)
    }
    /// ACTIVE (in matching), PAUSED or WITHDRAWN.
    async fn status(&self) -> ExpertStatus {
        self.0.status
    }
    /// The day the expert consented to the pool holding their data; null unless the caller sees contact details.
    async fn consent_date(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<NaiveDate>> {
        Ok(self.contact_visible(ctx).await?.then_some(self.0.consent_date))
    }
    /// Consent withdrawn, left the pool, contact details or everything erased: when, if ever. Null unless the
    /// caller sees contact details.
    async fn privacy(&self, ctx: &Context<'_>) -> ApiResult<Option<super::privacy::ConsentRecord>> {
        if !self.contact_visible(ctx).await? {
            return Ok(None);
        }
        let state = rc(ctx).services.consent_record(self.0.id).await.api()?;
        Ok(Some(super::privacy::ConsentRecord::from(state)))
    }
    /// Skills with levels, highest level first.
    async fn skills(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ExpertSkill>> {
        let rows = rc(ctx).loaders.expert_skills.load_one(self.0.id).await?.unwrap_or_default();
        Ok(rows.into_iter().map(ExpertSkill).collect())
    }
    /// Languages with CEFR levels.
    async fn languages(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<LanguageLevel>> {
        let rows = rc(ctx).loaders.expert_languages.load_one(self.0.id).await?.unwrap_or_default();
        rows.into_iter().map(LanguageLevel::try_from).collect()
    }
    /// When the expert was added to the pool (UTC).
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the profile or its status last changed (UTC).
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// A skill an expert has, with level and experience.
pub struct ExpertSkill(ExpertSkillRow);

/// A skill an expert has, with level and experience.
#[Object]
impl ExpertSkill {
    /// The skill (an entry of the skill list).
    async fn skill(&self, ctx: &Context<'_>) -> async_graphql::Result<Skill> {
        load_one(&rc(ctx).loaders.skill, self.0.skill_id, "skill").await.map(Skill)
    }
    /// Level 1 (basic) to 5 (leading expert).
    async fn level(&self) -> i32 {
        self.0.level
    }
    /// Years of experience.
    async fn years(&self) -> Option<i32> {
        self.0.years
    }
}

/// Loads, in one batch each, what the query asks for on a page of experts (municipalities, skills and the skill
/// list's entries for them, languages) before the page's fields resolve: the statement count then does not depend
/// on the page size or on how the runtime happens to schedule the resolvers.
async fn prefetch(ctx: &Context<'_>, experts: &[ExpertRow]) -> async_graphql::Result<()> {
    let node = ctx.look_ahead().field("edges").field("node");
    let loaders = &rc(ctx).loaders;
    let ids = || experts.iter().map(|e| e.id);
    let mut municipalities: Vec<Uuid> = experts.iter().map(|e| e.municipality_id).collect();
    municipalities.sort();
    municipalities.dedup();
    let (skills, languages, municipalities) = futures_util::join!(
        async {
            if !node.field("skills").exists() {
                return Ok::<(), async_graphql::Error>(());
            }
            let rows = loaders.expert_skills.load_many(ids()).await?;
            if node.field("skills").field("skill").exists() {
                let mut skill_ids: Vec<Uuid> = rows.values().flatten().map(|s| s.skill_id).collect();
                skill_ids.sort();
                skill_ids.dedup();
                loaders.skill.load_many(skill_ids).await?;
            }
            Ok(())
        },
        async {
            if node.field("languages").exists() {
                loaders.expert_languages.load_many(ids()).await.map(drop)
            } else {
                Ok(())
            }
        },
        async {
            if node.field("municipality").exists() {
                loaders.municipality.load_many(municipalities).await.map(drop)
            } else {
                Ok(())
            }
        },
    );
    skills.and(languages).and(municipalities)
}

/// A language with a CEFR level (for a role: the minimum).
#[derive(SimpleObject)]
pub struct LanguageLevel {
    /// ISO 639-1 code, e.g. `uk`, `en`, `nl`.
    pub language: String,
    /// The CEFR level (for a role: the minimum it asks).
    pub level: Cefr,
}

impl TryFrom<LanguageRow> for LanguageLevel {
    type Error = async_graphql::Error;
    fn try_from(r: LanguageRow) -> Result<Self, Self::Error> {
        Ok(LanguageLevel { level: r.level, language: r.language })
    }
}

/// What an import of experts or needs did (or, checking only, would do).
#[derive(SimpleObject)]
pub struct SheetImport {
    /// Rows read (empty rows skipped).
    pub rows: i32,
    /// Experts or needs it creates.
    pub created: i32,
    /// Experts or needs it updates (matched by e-mail, or by reference).
    pub updated: i32,
    /// Experts or needs the sheet matches exactly: left alone, so importing the same sheet twice changes nothing.
    pub unchanged: i32,
    /// Whether it was written: false when checking only or when there are problems.
    pub applied: bool,
    /// Every problem, by row (1 is the header) and column.
    pub problems: Vec<SheetProblem>,
}

impl From<crate::service::expert_sheet::ImportOutcome> for SheetImport {
    fn from(o: crate::service::expert_sheet::ImportOutcome) -> Self {
        SheetImport {
            rows: o.rows as i32,
            created: o.created as i32,
            updated: o.updated as i32,
            unchanged: o.unchanged as i32,
            applied: o.applied,
            problems: o
                .problems
                .into_iter()
                .map(|p| SheetProblem { row: p.row as i32, column: p.column, message: p.message })
                .collect(),
        }
    }
}

/// A problem in one cell (or row) of a sheet.
#[derive(SimpleObject)]
pub struct SheetProblem {
    /// The row, counting the header as row 1 (as a spreadsheet numbers it).
    pub row: i32,
    /// The column's name, empty for the whole row.
    pub column: String,
    /// What is wrong, in words.
    pub message: String,
}

/// Filters for the expert list.
#[derive(InputObject, Default)]
pub struct ExpertFilterInput {
    /// Experts of this contributing municipality.
    pub municipality_id: Option<ID>,
    /// Experts with this status.
    pub status: Option<ExpertStatus>,
    /// Experts with this skill…
    pub skill_id: Option<ID>,
    /// …at this level or above (default 1).
    pub min_level: Option<i32>,
    /// Experts speaking this language (ISO 639-1).
    pub language: Option<String>,
    /// Text to find in the name or job title.
    pub search: Option<String>,
    /// Experts available by this day (their availability starts on or before it)…
    pub available_from: Option<NaiveDate>,
    /// …and still on this one (open-ended, or ending on or after it).
    pub available_until: Option<NaiveDate>,
    /// Experts who work in this way.
    pub mode: Option<WorkMode>,
    /// Experts with at least this many weekly hours not held by assignments that have not ended yet.
    pub min_free_hours: Option<i32>,
    /// Experts of municipalities in this region (a Dutch province; see `regions(country: "NL")`).
    pub region: Option<String>,
    /// The order (default: as they joined the pool).
    pub order: Option<ExpertOrder>,
}

/// How the expert list is ordered.
#[derive(async_graphql::Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum ExpertOrder {
    /// As they joined the pool.
    OldestFirst,
    /// By name.
    Name,
    /// Most free weekly hours first.
    MostFreeHours,
}

impl ExpertFilterInput {
    fn into_filter(self) -> ApiResult<ExpertFilter> {
        Ok(ExpertFilter {
            municipality_id: self.municipality_id.as_ref().map(|i| parse_id(i, "filter.municipalityId")).transpose()?,
            status: self.status,
            skill_id: self.skill_id.as_ref().map(|i| parse_id(i, "filter.skillId")).transpose()?,
            min_level: self.min_level,
            language: self.language.map(|l| l.trim().to_lowercase()),
            search: crate::domain::input::search("filter.search", self.search.as_deref()).api()?,
            available_from: self.available_from,
            available_until: self.available_until,
            mode_column: self.mode.map(|m| match m {
                WorkMode::Remote => "remote",
                WorkMode::OnSite => "on_site",
                WorkMode::Hosting => "hosting",
            }),
            min_free_hours: self.min_free_hours,
            region: self.region.map(|r| r.trim().to_string()).filter(|r| !r.is_empty()),
            order: match self.order.unwrap_or(ExpertOrder::OldestFirst) {
                ExpertOrder::OldestFirst => Order::OldestFirst,
                ExpertOrder::Name => Order::Name,
                ExpertOrder::MostFreeHours => Order::MostFreeHours,
            },
            today: chrono::Utc::now().date_naive(),
        })
    }
}

#[derive(Default)]
pub struct ExpertQuery;

#[Object]
impl ExpertQuery {
    /// A contributing municipality's experts as CSV (its officers, admins), one row each, in the columns
    /// `importExperts` reads: name, email, phone, job_title, bio, hours_per_week, available_from,
    /// available_until, modes (`REMOTE; HOSTING`), skills (`DISTRICT_HEATING:4:10; …`, code:level[:years]),
    /// languages (`en:B2; nl:NATIVE`), consent_date, status.
    async fn experts_csv(&self, ctx: &Context<'_>, municipality_id: ID) -> ApiResult<String> {
        let r = rc(ctx);
        let m = parse_id(&municipality_id, "municipalityId")?;
        Ok(r.services.experts_csv(r.principal(), m).await.api()?)
    }

    /// Experts in the pool with filters, in the order asked (as they joined the pool by default).
    async fn experts(
        &self,
        ctx: &Context<'_>,
        filter: Option<ExpertFilterInput>,
        #[graphql(desc = "Page size, 1–100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item of the previous page.")] after: Option<String>,
    ) -> ApiResult<List<Expert>> {
        let r = rc(ctx);
        let f = filter.unwrap_or_default().into_filter()?;
        let page = r.services.experts(r.principal(), &f, after_id(after.as_deref())?, first).await.api()?;
        prefetch(ctx, &page.items).await?;
        Ok(connection(page, after.is_some(), CountOf::Experts(f), |e| e.id, Expert))
    }

    /// One expert.
    async fn expert(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Expert> {
        let r = rc(ctx);
        Ok(Expert(r.services.expert(r.principal(), parse_id(&id, "id")?).await.api()?))
    }
}

#[derive(Default)]
pub struct ExpertMutation;

#[Object]
impl ExpertMutation {
    /// Brings in a sheet of experts (CSV, comma- or semicolon-separated, the columns of `expertsCsv`; at most
    /// 2,000 rows) for a contributing municipality (its officers, admins). A row with the e-mail of one of the
    /// municipality's experts updates that expert; any other row volunteers a new one. All or nothing: with any
    /// problem nothing is written, and every problem is listed by row and column. `dryRun` only checks.
    async fn import_experts(
        &self,
        ctx: &Context<'_>,
        municipality_id: ID,
        #[graphql(desc = "The sheet as CSV text (comma or semicolon separated).")] csv: Option<String>,
        #[graphql(desc = "The file (CSV or XLSX) as base64, instead of `csv`.")] file: Option<
            super::sheets::FileBase64,
        >,
        #[graphql(desc = "Only check the sheet (default false).")] dry_run: Option<bool>,
    ) -> ApiResult<SheetImport> {
        let r = rc(ctx);
        let m = parse_id(&municipality_id, "municipalityId")?;
        let bytes = super::sheets::file_bytes(csv, file)?;
        let o = r.services.import_experts(r.principal(), m, &bytes, dry_run.unwrap_or(false)).await.api()?;
        Ok(o.into())
    }

    /// Volunteers a staff member into the pool (the municipality's officers, admins).
    async fn create_expert(
        &self,
        ctx: &Context<'_>,
        municipality_id: ID,
        profile: ExpertProfileInput,
    ) -> ApiResult<Expert> {
        let r = rc(ctx);
        let m = parse_id(&municipality_id, "municipalityId")?;
        Ok(Expert(r.services.create_expert(r.principal(), m, profile).await.api()?))
    }

    /// Replaces an expert's profile, availability, skills and languages (the expert, their officers, admins).
    async fn update_expert(&self, ctx: &Context<'_>, id: ID, profile: ExpertProfileInput) -> ApiResult<Expert> {
        let r = rc(ctx);
        Ok(Expert(r.services.update_expert(r.principal(), parse_id(&id, "id")?, profile).await.api()?))
    }

    /// Pauses, withdraws or re-activates an expert (the expert, their officers, admins).
    async fn set_expert_status(&self, ctx: &Context<'_>, id: ID, status: ExpertStatus) -> ApiResult<Expert> {
        let r = rc(ctx);
        Ok(Expert(r.services.set_expert_status(r.principal(), parse_id(&id, "id")?, status).await.api()?))
    }
}
