//! The contribution ledger and monthly hours in the API (docs/workflows.md): what each municipality gave, in hours and
//! in in-kind value, and the hours experts report per month.

use async_graphql::{ComplexObject, Context, ID, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::context::rc;
use super::error::{ApiError, ApiResult, ResultExt};
use super::experts::Expert;
use super::reference::Municipality;
use super::{load_one, parse_id};
use crate::domain::ExpertStatus;
use crate::service::ledger::{ExpertLedger, Figures, Ledger, MunicipalityLedger, Period};
use crate::store::hours::HoursReportRow;

/// The figures of one row of the contribution ledger, for the ledger's period. A week is seven days: hours per
/// week × days ÷ 7, with days counted inclusively; offered and assigned hours are rounded to whole hours once per
/// expert, and a municipality's figures are the sums of its experts' rows.
#[derive(SimpleObject, Debug, Clone, Copy)]
pub struct ContributionFigures {
    /// Hours offered: for each ACTIVE or PAUSED expert, their hours per week × the days of their availability
    /// within the period ÷ 7. Open-ended availability counts up to the period's end, or up to one year after
    /// today when the period has no end (see `LedgerBasis.openAvailabilityUntil`). WITHDRAWN experts offer none.
    pub hours_offered: i64,
    /// Hours assigned: Σ over assignments that hold or held hours (ACCEPTED, CONFIRMED, ACTIVE, COMPLETED; not
    /// PROPOSED, nor refused or cancelled ones) of their hours per week × the days of the assignment within the
    /// period ÷ 7.
    pub hours_assigned: i64,
    /// Hours delivered: Σ of the hours reported for months whose first day lies in the period, whatever the
    /// assignment's status now.
    pub hours_delivered: i64,
    /// In-kind value of the hours delivered, in euro cents: hours delivered × `LedgerBasis.inkindHourlyRateCents`.
    pub inkind_value_cents: i64,
    /// Experts contributing in the period: offering hours in it, or with an assignment counted in it.
    pub expert_count: i64,
    /// Assignments counted in the period: those holding or having held hours whose dates overlap the period, and
    /// any with hours delivered in it.
    pub assignment_count: i64,
    /// Distinct Ukrainian municipalities whose needs the counted assignments serve.
    pub municipalities_helped: i64,
}

impl From<Figures> for ContributionFigures {
    fn from(f: Figures) -> Self {
        ContributionFigures {
            hours_offered: f.hours_offered,
            hours_assigned: f.hours_assigned,
            hours_delivered: f.hours_delivered,
            inkind_value_cents: f.inkind_value_cents,
            expert_count: f.expert_count,
            assignment_count: f.assignment_count,
            municipalities_helped: f.municipalities_helped,
        }
    }
}

/// What the ledger's figures rest on: the period and the in-kind hourly rate.
#[derive(SimpleObject, Debug, Clone)]
pub struct LedgerBasis {
    /// First day of the period (inclusive); null when open (all time).
    pub from: Option<NaiveDate>,
    /// Last day of the period (inclusive); null when open.
    pub until: Option<NaiveDate>,
    /// The last day counted of availability that has no end: the period's last day, or one year after today when
    /// the period is open-ended.
    pub open_availability_until: NaiveDate,
    /// The in-kind value of one delivered hour, in euro cents (a setting of the service).
    pub inkind_hourly_rate_cents: i64,
}

fn basis(l: &Ledger) -> LedgerBasis {
    LedgerBasis {
        from: l.period.from,
        until: l.period.until,
        open_availability_until: l.open_availability_end,
        inkind_hourly_rate_cents: l.inkind_hourly_rate_cents,
    }
}

/// One expert's contribution in the period.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct ExpertContribution {
    #[graphql(skip)]
    expert_id: Uuid,
    /// The expert's name.
    pub name: String,
    /// The expert's status now: ACTIVE, PAUSED or WITHDRAWN.
    pub status: ExpertStatus,
    #[graphql(flatten)]
    pub figures: ContributionFigures,
}

#[ComplexObject]
impl ExpertContribution {
    /// The expert's id.
    async fn expert_id(&self) -> ID {
        ID(self.expert_id.to_string())
    }
    /// The expert (contact details follow the usual rule).
    async fn expert(&self, ctx: &Context<'_>) -> async_graphql::Result<Expert> {
        load_one(&rc(ctx).loaders.expert, self.expert_id, "expert").await.map(Expert)
    }
}

impl From<ExpertLedger> for ExpertContribution {
    fn from(e: ExpertLedger) -> Self {
        ExpertContribution { expert_id: e.expert_id, name: e.name, status: e.status, figures: e.figures.into() }
    }
}

/// One contributing municipality's contribution in the period, with a row per contributing expert.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct MunicipalityContribution {
    #[graphql(skip)]
    municipality_id: Uuid,
    /// The municipality's official code (CBS `GMxxxx` in the Netherlands).
    pub code: String,
    /// The municipality's name.
    pub name: String,
    #[graphql(flatten)]
    pub figures: ContributionFigures,
    /// The experts contributing in the period, by name; their rows add up to the municipality's figures
    /// (except `municipalitiesHelped`, a distinct count).
    pub experts: Vec<ExpertContribution>,
    /// The period and rate the figures rest on.
    pub basis: LedgerBasis,
}

#[ComplexObject]
impl MunicipalityContribution {
    /// The municipality's id.
    async fn municipality_id(&self) -> ID {
        ID(self.municipality_id.to_string())
    }
    /// The municipality.
    async fn municipality(&self, ctx: &Context<'_>) -> async_graphql::Result<Municipality> {
        load_one(&rc(ctx).loaders.municipality, self.municipality_id, "municipality").await.map(Municipality)
    }
}

fn municipality_row(m: MunicipalityLedger, basis: &LedgerBasis) -> MunicipalityContribution {
    MunicipalityContribution {
        municipality_id: m.municipality_id,
        code: m.code,
        name: m.name,
        figures: m.figures.into(),
        experts: m.experts.into_iter().map(Into::into).collect(),
        basis: basis.clone(),
    }
}

/// The contribution ledger: what each contributing municipality gave in the period, in hours and in in-kind
/// value (docs/workflows.md).
#[derive(SimpleObject)]
pub struct ContributionLedger {
    /// The period and rate the figures rest on.
    pub basis: LedgerBasis,
    /// A row per contributing municipality with at least one expert, by name.
    pub municipalities: Vec<MunicipalityContribution>,
    /// The sums of the municipalities' rows; `municipalitiesHelped` counts distinct Ukrainian municipalities
    /// over all of them.
    pub totals: ContributionFigures,
}

impl From<Ledger> for ContributionLedger {
    fn from(l: Ledger) -> Self {
        let basis = basis(&l);
        ContributionLedger {
            municipalities: l.municipalities.into_iter().map(|m| municipality_row(m, &basis)).collect(),
            totals: l.totals.into(),
            basis,
        }
    }
}

/// Hours an expert delivered on an assignment in one calendar month.
pub struct HoursReport(pub HoursReportRow);

/// Hours an expert delivered on an assignment in one calendar month.
#[Object]
impl HoursReport {
    /// The assignment the hours were delivered on.
    async fn assignment_id(&self) -> ID {
        ID(self.0.assignment_id.to_string())
    }
    /// The calendar month, `YYYY-MM`.
    async fn month(&self) -> &str {
        &self.0.month
    }
    /// Hours delivered in the month, 0–744.
    async fn hours(&self) -> i32 {
        self.0.hours
    }
    /// The account that reported the current figure.
    async fn reported_by(&self) -> Option<ID> {
        self.0.reported_by.map(|u| ID(u.to_string()))
    }
    /// When the month was first reported.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the current figure was reported.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

pub fn period(from: Option<NaiveDate>, until: Option<NaiveDate>) -> ApiResult<Period> {
    Period::new(from, until).map_err(|e| ApiError(e).into())
}

#[derive(Default)]
pub struct LedgerQuery;

#[Object]
impl LedgerQuery {
    /// The contribution ledger, a row per contributing municipality with at least one expert (pool coordinators,
    /// admins and fund officers); a municipality officer sees only their own municipality's row.
    async fn contribution_ledger(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "First day of the period (inclusive); all time when omitted.")] from: Option<NaiveDate>,
        #[graphql(desc = "Last day of the period (inclusive); open-ended when omitted.")] until: Option<NaiveDate>,
    ) -> ApiResult<ContributionLedger> {
        let r = rc(ctx);
        Ok(r.services.contribution_ledger(r.principal(), period(from, until)?).await.api()?.into())
    }

    /// One contributing municipality's contribution with a row per expert (pool coordinators, admins and fund
    /// officers for any municipality; its own officers for theirs).
    async fn municipality_contribution(
        &self,
        ctx: &Context<'_>,
        municipality_id: ID,
        #[graphql(desc = "First day of the period (inclusive); all time when omitted.")] from: Option<NaiveDate>,
        #[graphql(desc = "Last day of the period (inclusive); open-ended when omitted.")] until: Option<NaiveDate>,
    ) -> ApiResult<MunicipalityContribution> {
        let r = rc(ctx);
        let id = parse_id(&municipality_id, "municipalityId")?;
        let (ledger, row) =
            r.services.municipality_contribution(r.principal(), id, period(from, until)?).await.api()?;
        Ok(municipality_row(row, &basis(&ledger)))
    }

    /// The contribution ledger as CSV (same rows and scoping as `contributionLedger`): a header row, then one row
    /// per municipality with its code and name, the period, the counts, the hours offered, assigned and
    /// delivered, the hourly rate and the in-kind value, amounts in euros with two decimals.
    async fn contribution_ledger_csv(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "First day of the period (inclusive); all time when omitted.")] from: Option<NaiveDate>,
        #[graphql(desc = "Last day of the period (inclusive); open-ended when omitted.")] until: Option<NaiveDate>,
    ) -> ApiResult<String> {
        let r = rc(ctx);
        Ok(r.services.contribution_ledger_csv(r.principal(), period(from, until)?).await.api()?)
    }

    /// The hours reported on an assignment, oldest month first (whoever may see the assignment: coordinators,
    /// admins, the expert, officers of the expert's municipality, officers of the need's municipality).
    async fn hours_reports(&self, ctx: &Context<'_>, assignment_id: ID) -> ApiResult<Vec<HoursReport>> {
        let r = rc(ctx);
        let id = parse_id(&assignment_id, "assignmentId")?;
        Ok(r.services.hours_reports(r.principal(), id).await.api()?.into_iter().map(HoursReport).collect())
    }
}

#[derive(Default)]
pub struct LedgerMutation;

#[Object]
impl LedgerMutation {
    /// Reports the hours delivered on an ACTIVE or COMPLETED assignment in one month (the expert, an officer of
    /// the expert's municipality, or an admin). The month must lie within the assignment's period and not after
    /// the current month; reporting a month again replaces its figure.
    async fn report_hours(
        &self,
        ctx: &Context<'_>,
        assignment_id: ID,
        #[graphql(desc = "The calendar month, `YYYY-MM`, e.g. `2027-03`.")] month: String,
        #[graphql(desc = "Hours delivered in the month, 0–744.")] hours: i32,
    ) -> ApiResult<HoursReport> {
        let r = rc(ctx);
        let id = parse_id(&assignment_id, "assignmentId")?;
        Ok(HoursReport(r.services.report_hours(r.principal(), id, &month, hours).await.api()?))
    }
}
