//! The VNG Fund in the API (docs/fund.md): pledges and receipts, grants with screening, approval, tranches and
//! reports, each giver's account, the public totals, and programme budgets. Amounts are integer euro cents;
//! inputs take euros as text with at most two decimals. Bank references and account details are null for
//! everyone but fund officers and admins.

use async_graphql::{ComplexObject, Context, ID, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::context::rc;
use super::error::{ApiResult, ResultExt};
use super::ledger::ContributionFigures;
use super::reference::Municipality;
use super::sheets::SpreadsheetFile;
use super::{load_one, parse_id};
use crate::auth::policy::{self, Op, Target};
use crate::domain::fund::{
    self as rules, DonorKind, Earmark, ExpenseKind, ExpenseStatus, FundPurpose, GrantAction, GrantStatus, PledgeState,
    RecipientKind, ScreeningCheck,
};
use crate::domain::fund_input::{
    BudgetLineInput, DisbursementInput, ExpenseInput, GrantInput, GrantReportInput, PledgeInput, ProgrammeInput,
    ReceiptInput, ReportFigure,
};
use crate::service::fund::GrantRecord;
use crate::service::fund_account::{self, FundTotals, GiverAccount};
use crate::service::programmes::ProgrammeBudget;
use crate::store::fund::{DisbursementRow, GrantRow, PledgeRow, ReceiptRow, ReportRow, ScreeningRow, TotalRow};
use crate::store::programme::{BudgetLineRow, ExpenseRow, PlanSpendRow};

/// Money promised to the fund by one giver.
pub struct Pledge(pub PledgeRow);

/// Money promised to the fund by one giver.
#[Object]
impl Pledge {
    /// The pledge's id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// MUNICIPALITY, PARTNER_ASSOCIATION or OTHER.
    async fn donor_kind(&self) -> DonorKind {
        self.0.donor_kind
    }
    /// The giver's name (the municipality's, for a municipality).
    async fn donor_name(&self) -> &str {
        &self.0.donor_name
    }
    /// The giving municipality, when a municipality gives.
    async fn municipality(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Municipality>> {
        match self.0.donor_municipality_id {
            Some(id) => {
                load_one(&rc(ctx).loaders.municipality, id, "municipality").await.map(|m| Some(Municipality(m)))
            }
            None => Ok(None),
        }
    }
    /// What the money is given for (UNRESTRICTED: any of the fund's purposes).
    async fn purpose(&self) -> FundPurpose {
        self.0.purpose
    }
    /// What the money is reserved for beyond its purpose (NONE when not earmarked).
    async fn earmark(&self) -> Earmark {
        self.0.earmark
    }
    /// The hromada of a HROMADA earmark.
    async fn earmark_municipality(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Municipality>> {
        match self.0.earmark_municipality_id {
            Some(id) => {
                load_one(&rc(ctx).loaders.municipality, id, "municipality").await.map(|m| Some(Municipality(m)))
            }
            None => Ok(None),
        }
    }
    /// The recovery plan of a PLAN earmark.
    async fn earmark_plan_id(&self) -> Option<ID> {
        self.0.earmark_plan_id.map(|i| ID(i.to_string()))
    }
    /// The title of the recovery plan of a PLAN earmark.
    async fn earmark_plan_title(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        match self.0.earmark_plan_id {
            Some(id) => load_one(&rc(ctx).loaders.plan, id, "recovery plan").await.map(|p| Some(p.title.clone())),
            None => Ok(None),
        }
    }
    /// Pledged, in euro cents.
    async fn amount_cents(&self) -> i64 {
        self.0.amount_cents
    }
    /// Received so far, in euro cents (the sum of its receipts; may pass the pledge with a recorded overpayment).
    async fn received_cents(&self) -> i64 {
        self.0.received_cents
    }
    /// Paid out to recipients from this pledge's money, in euro cents (the sum of the disbursements' draws on it).
    async fn spent_cents(&self) -> i64 {
        self.0.drawn_cents
    }
    /// Received and not yet paid out, in euro cents.
    async fn available_cents(&self) -> i64 {
        self.0.received_cents - self.0.drawn_cents
    }
    /// PLEDGED (nothing received), PARTLY_PAID or PAID.
    async fn state(&self) -> PledgeState {
        rules::pledge_state(self.0.amount_cents, self.0.received_cents)
    }
    /// Past its due date and not paid in full.
    async fn overdue(&self) -> bool {
        rules::pledge_overdue(self.0.due_date, self.0.amount_cents, self.0.received_cents, Utc::now().date_naive())
    }
    /// When the money is due.
    async fn due_date(&self) -> Option<NaiveDate> {
        self.0.due_date
    }
    /// The giver's or the fund officer's note.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    /// When it was pledged.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// The money received against it, oldest first.
    async fn receipts(&self, ctx: &Context<'_>) -> ApiResult<Vec<Receipt>> {
        let r = rc(ctx);
        let bank = policy::sees_bank_details(r.principal());
        let rows = r.services.receipts_of(&[self.0.id]).await.api()?;
        Ok(rows.into_iter().map(|row| Receipt { row, bank }).collect())
    }
}

/// Money received against a pledge.
pub struct Receipt {
    row: ReceiptRow,
    bank: bool,
}

/// Money received against a pledge.
#[Object]
impl Receipt {
    /// The receipt's id.
    async fn id(&self) -> ID {
        ID(self.row.id.to_string())
    }
    /// The pledge it was received against.
    async fn pledge_id(&self) -> ID {
        ID(self.row.pledge_id.to_string())
    }
    /// The day it arrived.
    async fn received_on(&self) -> NaiveDate {
        self.row.received_on
    }
    /// Received, in euro cents.
    async fn amount_cents(&self) -> i64 {
        self.row.amount_cents
    }
    /// The bank's reference (fund officers and admins; null for others).
    async fn bank_reference(&self) -> Option<&str> {
        self.bank.then_some(self.row.bank_reference.as_str())
    }
    /// It took the pledge past what was pledged.
    async fn overpayment(&self) -> bool {
        self.row.overpayment
    }
}

/// A grant from the fund to AUC or a hromada.
pub struct Grant {
    row: GrantRow,
    bank: bool,
    /// Screening, tranches and reports, read once when the first of them is asked for.
    record: tokio::sync::OnceCell<GrantRecord>,
}

impl Grant {
    pub fn new(row: GrantRow, ctx: &Context<'_>) -> Grant {
        Grant { row, bank: policy::sees_bank_details(rc(ctx).principal()), record: tokio::sync::OnceCell::new() }
    }

    async fn record(&self, ctx: &Context<'_>) -> ApiResult<&GrantRecord> {
        let r = rc(ctx);
        let record = self.record.get_or_try_init(|| r.services.grant(r.principal(), self.row.id)).await.api()?;
        Ok(record)
    }
}

/// A grant from the fund to AUC or a hromada.
#[Object]
impl Grant {
    /// The grant's id.
    async fn id(&self) -> ID {
        ID(self.row.id.to_string())
    }
    /// AUC or HROMADA.
    async fn recipient(&self) -> RecipientKind {
        self.row.recipient
    }
    /// "AUC (Association of Ukrainian Cities)" or the hromada's name.
    async fn recipient_name(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        let name = match self.row.recipient_municipality_id {
            Some(id) => Some(load_one(&rc(ctx).loaders.municipality, id, "municipality").await?.name.clone()),
            None => None,
        };
        Ok(crate::service::fund::recipient_name(&self.row, name.as_deref()))
    }
    /// The hromada, for a HROMADA grant.
    async fn recipient_municipality(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Municipality>> {
        match self.row.recipient_municipality_id {
            Some(id) => {
                load_one(&rc(ctx).loaders.municipality, id, "municipality").await.map(|m| Some(Municipality(m)))
            }
            None => Ok(None),
        }
    }
    /// The recovery plan the money is for.
    async fn plan_id(&self) -> Option<ID> {
        self.row.plan_id.map(|i| ID(i.to_string()))
    }
    /// The title of the recovery plan the money is for.
    async fn plan_title(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        match self.row.plan_id {
            Some(id) => load_one(&rc(ctx).loaders.plan, id, "recovery plan").await.map(|p| Some(p.title.clone())),
            None => Ok(None),
        }
    }
    /// The need the money is for.
    async fn need_id(&self) -> Option<ID> {
        self.row.need_id.map(|i| ID(i.to_string()))
    }
    /// The title of the need the money is for.
    async fn need_title(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        match self.row.need_id {
            Some(id) => load_one(&rc(ctx).loaders.need, id, "need").await.map(|n| Some(n.title)),
            None => Ok(None),
        }
    }
    /// EMERGENCY_AID, RECONSTRUCTION or PEACEBUILDING.
    async fn purpose(&self) -> FundPurpose {
        self.row.purpose
    }
    /// The grant, in euro cents.
    async fn amount_cents(&self) -> i64 {
        self.row.amount_cents
    }
    /// Paid out so far, in euro cents (the sum of its tranches).
    async fn disbursed_cents(&self) -> i64 {
        self.row.disbursed_cents
    }
    /// Still to be paid out, in euro cents.
    async fn left_cents(&self) -> i64 {
        self.row.amount_cents - self.row.disbursed_cents
    }
    /// A short title.
    async fn title(&self) -> &str {
        &self.row.title
    }
    /// What the money is for.
    async fn description(&self) -> &str {
        &self.row.description
    }
    /// The account holder's name (fund officers and admins; null for others).
    async fn account_holder(&self) -> Option<&str> {
        self.bank.then_some(self.row.account_holder.as_str())
    }
    /// The recipient's IBAN (fund officers and admins; null for others).
    async fn account_iban(&self) -> Option<&str> {
        self.bank.then_some(self.row.account_iban.as_str())
    }
    /// PROPOSED, APPROVED, REJECTED or CLOSED.
    async fn status(&self) -> GrantStatus {
        self.row.status
    }
    /// The approver's note, or the reason for rejecting.
    async fn decision_note(&self) -> Option<&str> {
        self.row.decision_note.as_deref()
    }
    /// When the recipient's report is due.
    async fn report_due(&self) -> Option<NaiveDate> {
        self.row.report_due
    }
    /// The fund officer who proposed it.
    async fn proposed_by(&self) -> ID {
        ID(self.row.proposed_by.to_string())
    }
    /// When it was proposed.
    async fn proposed_at(&self) -> DateTime<Utc> {
        self.row.proposed_at
    }
    /// The second person who approved or rejected it.
    async fn decided_by(&self) -> Option<ID> {
        self.row.decided_by.map(|i| ID(i.to_string()))
    }
    /// When it was approved or rejected.
    async fn decided_at(&self) -> Option<DateTime<Utc>> {
        self.row.decided_at
    }
    /// What the caller may do on it now: MANAGE_GRANTS (screen, pay out, close), DECIDE_GRANT (a second
    /// person, never the proposer), REPORT_ON_GRANT (the recipient).
    async fn operations(&self, ctx: &Context<'_>) -> Vec<Op> {
        let p = rc(ctx).principal();
        let t = Target { author: Some(self.row.proposed_by), ..Target::recipient(self.row.recipient_municipality_id) };
        policy::allowed(p, &[Op::ManageGrants, Op::DecideGrant, Op::ReportOnGrant], t)
    }
    /// The screening checks recorded, one per kind (the latest record of each).
    async fn screening(&self, ctx: &Context<'_>) -> ApiResult<Vec<Screening>> {
        Ok(self.record(ctx).await?.screenings.iter().cloned().map(Screening).collect())
    }
    /// The tranches paid out, first first.
    async fn disbursements(&self, ctx: &Context<'_>) -> ApiResult<Vec<Disbursement>> {
        let bank = self.bank;
        Ok(self.record(ctx).await?.disbursements.iter().cloned().map(|row| Disbursement { row, bank }).collect())
    }
    /// What the recipient reported, oldest first.
    async fn reports(&self, ctx: &Context<'_>) -> ApiResult<Vec<GrantReport>> {
        Ok(self.record(ctx).await?.reports.iter().cloned().map(|(row, needs)| GrantReport { row, needs }).collect())
    }
}

/// One screening check: who checked what and when, with a note.
pub struct Screening(ScreeningRow);

/// One screening check: who checked what and when, with a note.
#[Object]
impl Screening {
    /// Which check.
    async fn check(&self) -> ScreeningCheck {
        self.0.check_kind
    }
    /// Whether it passed.
    async fn passed(&self) -> bool {
        self.0.passed
    }
    /// What was checked, and against what.
    async fn note(&self) -> &str {
        &self.0.note
    }
    /// The user who checked.
    async fn checked_by(&self) -> ID {
        ID(self.0.checked_by.to_string())
    }
    /// When it was checked.
    async fn checked_at(&self) -> DateTime<Utc> {
        self.0.checked_at
    }
}

/// A tranche paid out against a grant.
pub struct Disbursement {
    row: DisbursementRow,
    bank: bool,
}

/// A tranche paid out against a grant.
#[Object]
impl Disbursement {
    /// The tranche's id.
    async fn id(&self) -> ID {
        ID(self.row.id.to_string())
    }
    /// The grant it was paid against.
    async fn grant_id(&self) -> ID {
        ID(self.row.grant_id.to_string())
    }
    /// 1 for the first tranche, 2 for the second, …
    async fn tranche(&self) -> i32 {
        self.row.tranche
    }
    /// Paid, in euro cents.
    async fn amount_cents(&self) -> i64 {
        self.row.amount_cents
    }
    /// The day it was paid.
    async fn paid_on(&self) -> NaiveDate {
        self.row.paid_on
    }
    /// The bank's reference (fund officers and admins; null for others).
    async fn bank_reference(&self) -> Option<&str> {
        self.bank.then_some(self.row.bank_reference.as_str())
    }
    /// When the recipient confirmed that it arrived.
    async fn confirmed_at(&self) -> Option<DateTime<Utc>> {
        self.row.confirmed_at
    }
}

/// What a recipient reported on a grant.
pub struct GrantReport {
    row: ReportRow,
    needs: Vec<Uuid>,
}

/// What a recipient reported on a grant.
#[Object]
impl GrantReport {
    /// The report's id.
    async fn id(&self) -> ID {
        ID(self.row.id.to_string())
    }
    /// What was done with the money.
    async fn text(&self) -> &str {
        &self.row.text
    }
    /// What was achieved, in figures.
    async fn figures(&self) -> Vec<ReportFigure> {
        serde_json::from_str(&self.row.figures).unwrap_or_default()
    }
    /// Attachments by reference (document numbers or links).
    async fn attachments(&self) -> Vec<String> {
        serde_json::from_str(&self.row.attachments).unwrap_or_default()
    }
    /// The needs of the plan the work served.
    async fn need_ids(&self) -> Vec<ID> {
        self.needs.iter().map(|i| ID(i.to_string())).collect()
    }
    /// When the recipient reported.
    async fn reported_at(&self) -> DateTime<Utc> {
        self.row.reported_at
    }
}

/// One grant a giver's money went into, with the giver's share.
#[derive(SimpleObject)]
pub struct AccountSpending {
    /// The grant.
    pub grant_id: ID,
    /// The grant's title.
    pub title: String,
    /// The grant's purpose.
    pub purpose: FundPurpose,
    /// "AUC (Association of Ukrainian Cities)" or the hromada's name.
    pub recipient: String,
    /// The hromada's oblast (null for AUC).
    pub region: Option<String>,
    /// The recovery plan the grant is for (null when none).
    pub plan_title: Option<String>,
    /// Cents of this giver's money paid out under the grant: the sum of what its tranches drew on this giver's
    /// pledges. Earmarked money is drawn first for what it was given for; pooled money (same purpose, no earmark)
    /// is drawn from every pledge in proportion to what each had available, so each giver carries its share.
    pub amount_cents: i64,
    /// The whole grant, in euro cents.
    pub grant_amount_cents: i64,
}

/// A report in a giver's account.
#[derive(SimpleObject)]
pub struct AccountReport {
    /// The grant reported on.
    pub grant_title: String,
    /// What was done with the money.
    pub text: String,
    /// What was achieved, in figures.
    pub figures: Vec<ReportFigure>,
    /// Attachments by reference.
    pub attachments: Vec<String>,
    /// The titles of the needs the work served.
    pub needs: Vec<String>,
    /// When the recipient reported.
    pub reported_at: DateTime<Utc>,
}

/// The account to one giving municipality: what it pledged and paid, where its money went, what the recipients
/// reported, and the hours its staff gave.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct FundAccount {
    /// The giving municipality.
    pub municipality_id: ID,
    /// Its name.
    pub municipality_name: String,
    /// When this account was made.
    pub generated_at: DateTime<Utc>,
    /// Σ pledged, in euro cents.
    pub pledged_cents: i64,
    /// Σ received, in euro cents.
    pub received_cents: i64,
    /// Σ of its money paid out to recipients, in euro cents.
    pub spent_cents: i64,
    /// Received and not yet paid out, in euro cents.
    pub unspent_cents: i64,
    /// Where its money went, per grant (with the grant's recipient, plan and purpose).
    pub spending: Vec<AccountSpending>,
    /// What the recipients of those grants reported, oldest first.
    pub reports: Vec<AccountReport>,
    /// Its staff's contribution over all time, from the contribution ledger (hours and in-kind value).
    pub hours: ContributionFigures,
    /// The in-kind value of one delivered hour, in euro cents.
    pub inkind_hourly_rate_cents: i64,
    #[graphql(skip)]
    pub pledge_rows: Vec<PledgeRow>,
}

#[ComplexObject]
impl FundAccount {
    /// Its pledges, newest first, each with its receipts.
    async fn pledges(&self) -> Vec<Pledge> {
        self.pledge_rows.iter().cloned().map(Pledge).collect()
    }
}

impl From<GiverAccount> for FundAccount {
    fn from(a: GiverAccount) -> Self {
        FundAccount {
            municipality_id: ID(a.municipality.id.to_string()),
            municipality_name: a.municipality.name.clone(),
            generated_at: a.generated_at,
            pledged_cents: a.pledged_cents,
            received_cents: a.received_cents,
            spent_cents: a.spent_cents,
            unspent_cents: a.unspent_cents(),
            spending: a
                .spending
                .iter()
                .map(|s| AccountSpending {
                    grant_id: ID(s.grant.id.to_string()),
                    title: s.grant.title.clone(),
                    purpose: s.grant.purpose,
                    recipient: s.recipient.clone(),
                    region: s.region.clone(),
                    plan_title: s.plan_title.clone(),
                    amount_cents: s.amount_cents,
                    grant_amount_cents: s.grant.amount_cents,
                })
                .collect(),
            reports: a
                .reports
                .iter()
                .map(|(title, r, needs)| AccountReport {
                    grant_title: title.clone(),
                    text: r.text.clone(),
                    figures: serde_json::from_str(&r.figures).unwrap_or_default(),
                    attachments: serde_json::from_str(&r.attachments).unwrap_or_default(),
                    needs: needs.clone(),
                    reported_at: r.reported_at,
                })
                .collect(),
            hours: a.contribution.figures.into(),
            inkind_hourly_rate_cents: a.inkind_hourly_rate_cents,
            pledge_rows: a.pledges.into_iter().map(|l| l.pledge).collect(),
        }
    }
}

/// A printable page to save or print to PDF from the browser.
#[derive(SimpleObject)]
pub struct PrintableReport {
    /// A file name to save it under, e.g. `fund-account-GM0363.html`.
    pub filename: String,
    /// `text/html; charset=utf-8`.
    pub media_type: String,
    /// The whole page: self-contained, no script, no remote asset.
    pub html: String,
}

/// The fund's sums for one purpose or oblast, in euro cents.
#[derive(SimpleObject)]
pub struct FundTotalLine {
    /// The purpose, or the oblast (null for money for AUC's coordination, which has none).
    pub key: Option<String>,
    /// Pledged (per oblast: pledges earmarked for a hromada or plan there).
    pub pledged_cents: i64,
    /// Received against those pledges.
    pub received_cents: i64,
    /// Paid out (per purpose: by the grant's purpose; per oblast: to hromadas there).
    pub disbursed_cents: i64,
}

impl From<TotalRow> for FundTotalLine {
    fn from(t: TotalRow) -> Self {
        FundTotalLine {
            key: t.bucket,
            pledged_cents: t.pledged_cents,
            received_cents: t.received_cents,
            disbursed_cents: t.disbursed_cents,
        }
    }
}

/// The fund's public figures: no person, no bank detail.
#[derive(SimpleObject)]
pub struct PublicFundTotals {
    /// Σ pledged, in euro cents.
    pub pledged_cents: i64,
    /// Σ received, in euro cents.
    pub received_cents: i64,
    /// Σ paid out to recipients, in euro cents.
    pub disbursed_cents: i64,
    /// Municipalities that have pledged.
    pub giving_municipalities: i64,
    /// Per purpose: pledges by the purpose they were given for (UNRESTRICTED included), disbursements by their
    /// grant's purpose.
    pub per_purpose: Vec<FundTotalLine>,
    /// Per oblast of the Ukrainian municipality the money is for.
    pub per_region: Vec<FundTotalLine>,
}

impl From<FundTotals> for PublicFundTotals {
    fn from(t: FundTotals) -> Self {
        PublicFundTotals {
            pledged_cents: t.pledged_cents,
            received_cents: t.received_cents,
            disbursed_cents: t.disbursed_cents,
            giving_municipalities: t.giving_municipalities,
            per_purpose: t.per_purpose.into_iter().map(Into::into).collect(),
            per_region: t.per_region.into_iter().map(Into::into).collect(),
        }
    }
}

/// A programme budget line with what is committed and spent against it, in euro cents.
pub struct BudgetLine(BudgetLineRow);

/// A programme budget line with what is committed and spent against it, in euro cents.
#[Object]
impl BudgetLine {
    /// The line's id (used to book expenses).
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// Short code, unique within the programme, e.g. "3.2".
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// What the line pays for.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The line's budget.
    async fn budget_cents(&self) -> i64 {
        self.0.amount_cents
    }
    /// Σ of COMMITTED expenses (promised, not yet paid).
    async fn committed_cents(&self) -> i64 {
        self.0.committed_cents
    }
    /// Σ of SPENT expenses.
    async fn spent_cents(&self) -> i64 {
        self.0.spent_cents
    }
    /// Budget − committed − spent.
    async fn left_cents(&self) -> i64 {
        self.0.amount_cents - self.0.committed_cents - self.0.spent_cents
    }
}

/// Committed and spent for one recovery plan under a programme, in euro cents.
#[derive(SimpleObject)]
pub struct PlanSpending {
    /// The recovery plan.
    pub plan_id: ID,
    /// Its title.
    pub plan_title: String,
    /// Σ of its COMMITTED expenses under the programme, in euro cents.
    pub committed_cents: i64,
    /// Σ of its SPENT expenses under the programme, in euro cents.
    pub spent_cents: i64,
}

impl From<PlanSpendRow> for PlanSpending {
    fn from(r: PlanSpendRow) -> Self {
        PlanSpending {
            plan_id: ID(r.plan_id.to_string()),
            plan_title: r.plan_title,
            committed_cents: r.committed_cents,
            spent_cents: r.spent_cents,
        }
    }
}

/// An expense booked against a budget line.
pub struct Expense(ExpenseRow);

/// An expense booked against a budget line.
#[Object]
impl Expense {
    /// The expense's id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The budget line it is booked against.
    async fn budget_line_id(&self) -> ID {
        ID(self.0.budget_line_id.to_string())
    }
    /// TRAVEL, STAY or OTHER.
    async fn kind(&self) -> ExpenseKind {
        self.0.kind
    }
    /// COMMITTED (promised) or SPENT (paid).
    async fn status(&self) -> ExpenseStatus {
        self.0.status
    }
    /// The amount, in euro cents.
    async fn amount_cents(&self) -> i64 {
        self.0.amount_cents
    }
    /// What it pays for.
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// The day it was booked.
    async fn booked_on(&self) -> NaiveDate {
        self.0.booked_on
    }
    /// The assignment whose expert travelled or stayed.
    async fn assignment_id(&self) -> Option<ID> {
        self.0.assignment_id.map(|i| ID(i.to_string()))
    }
    /// The plan it served.
    async fn plan_id(&self) -> Option<ID> {
        self.0.plan_id.map(|i| ID(i.to_string()))
    }
    /// The receipt's or invoice's reference.
    async fn receipt_reference(&self) -> Option<&str> {
        self.0.receipt_reference.as_deref()
    }
}

/// A programme (e.g. SDLG) with its budget per line and per plan.
pub struct Programme(ProgrammeBudget);

/// A programme (e.g. SDLG) with its budget per line and per plan.
#[Object]
impl Programme {
    /// The programme's id.
    async fn id(&self) -> ID {
        ID(self.0.programme.id.to_string())
    }
    /// Short code, e.g. SDLG.
    async fn code(&self) -> &str {
        &self.0.programme.code
    }
    /// Its full name.
    async fn name(&self) -> &str {
        &self.0.programme.name
    }
    /// Who finances it.
    async fn funder(&self) -> &str {
        &self.0.programme.funder
    }
    /// Σ of the lines' budgets, in euro cents.
    async fn budget_cents(&self) -> i64 {
        self.0.lines.iter().map(|l| l.amount_cents).sum()
    }
    /// Σ committed over its lines.
    async fn committed_cents(&self) -> i64 {
        self.0.lines.iter().map(|l| l.committed_cents).sum()
    }
    /// Σ spent over its lines.
    async fn spent_cents(&self) -> i64 {
        self.0.lines.iter().map(|l| l.spent_cents).sum()
    }
    /// Its budget lines, by code.
    async fn lines(&self) -> Vec<BudgetLine> {
        self.0.lines.iter().cloned().map(BudgetLine).collect()
    }
    /// Committed and spent per recovery plan (expenses booked for a plan or for an assignment on one).
    async fn per_plan(&self) -> Vec<PlanSpending> {
        self.0.per_plan.iter().cloned().map(Into::into).collect()
    }
    /// Its expenses, newest first.
    async fn expenses(&self) -> Vec<Expense> {
        self.0.expenses.iter().cloned().map(Expense).collect()
    }
}

fn municipality_arg(id: &ID) -> ApiResult<Uuid> {
    parse_id(id, "municipalityId")
}

#[derive(Default)]
pub struct FundQuery;

#[Object]
impl FundQuery {
    /// Pledges, newest first: all for fund officers and admins (one giver's with `municipalityId`); a
    /// municipality officer's own municipality's.
    async fn pledges(&self, ctx: &Context<'_>, municipality_id: Option<ID>) -> ApiResult<Vec<Pledge>> {
        let r = rc(ctx);
        let m = municipality_id.as_ref().map(municipality_arg).transpose()?;
        Ok(r.services.pledges(r.principal(), m).await.api()?.into_iter().map(Pledge).collect())
    }

    /// The grants the caller sees, newest first: all for fund officers and admins; AUC those to AUC; a hromada
    /// officer those to their municipality.
    async fn grants(&self, ctx: &Context<'_>) -> ApiResult<Vec<Grant>> {
        let r = rc(ctx);
        let rows = r.services.grants(r.principal()).await.api()?;
        Ok(rows.into_iter().map(|g| Grant::new(g, ctx)).collect())
    }

    /// One grant, for whoever sees it.
    async fn grant(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Grant> {
        let r = rc(ctx);
        let record = r.services.grant(r.principal(), parse_id(&id, "id")?).await.api()?;
        Ok(Grant::new(record.grant, ctx))
    }

    /// The account to one giving municipality (its own officers, fund officers, admins).
    async fn fund_account(&self, ctx: &Context<'_>, municipality_id: ID) -> ApiResult<FundAccount> {
        let r = rc(ctx);
        let a = r.services.giver_account(r.principal(), municipality_arg(&municipality_id)?).await.api()?;
        Ok(a.into())
    }

    /// The same account as CSV: one row per pledge, receipt, grant its money went into, report, and its hours.
    async fn fund_account_sheet(&self, ctx: &Context<'_>, municipality_id: ID) -> ApiResult<SpreadsheetFile> {
        let r = rc(ctx);
        let a = r.services.giver_account(r.principal(), municipality_arg(&municipality_id)?).await.api()?;
        Ok(fund_account::account_csv(&a).api()?.into())
    }

    /// The same account as a printable page (print it, or save it as PDF, from the browser).
    async fn fund_account_report(&self, ctx: &Context<'_>, municipality_id: ID) -> ApiResult<PrintableReport> {
        let r = rc(ctx);
        let a = r.services.giver_account(r.principal(), municipality_arg(&municipality_id)?).await.api()?;
        Ok(PrintableReport {
            filename: format!("fund-account-{}.html", a.municipality.code),
            media_type: "text/html; charset=utf-8".into(),
            html: fund_account::account_html(&a),
        })
    }

    /// Programme budgets per budget line and per plan (coordinators, fund officers, admins).
    async fn programmes(&self, ctx: &Context<'_>) -> ApiResult<Vec<Programme>> {
        let r = rc(ctx);
        Ok(r.services.programme_budgets(r.principal()).await.api()?.into_iter().map(Programme).collect())
    }
}

#[derive(Default)]
pub struct FundMutation;

#[Object]
impl FundMutation {
    /// Pledges money to the fund: a municipality officer for their own municipality; a fund officer or admin for
    /// any giver.
    async fn pledge(&self, ctx: &Context<'_>, input: PledgeInput) -> ApiResult<Pledge> {
        let r = rc(ctx);
        Ok(Pledge(r.services.pledge(r.principal(), &input).await.api()?))
    }

    /// Records money received against a pledge (fund officers, admins). More than is still open on the pledge
    /// only with `overpayment: true`.
    async fn record_receipt(&self, ctx: &Context<'_>, input: ReceiptInput) -> ApiResult<Receipt> {
        let r = rc(ctx);
        let row = r.services.record_receipt(r.principal(), &input).await.api()?;
        Ok(Receipt { row, bank: policy::sees_bank_details(r.principal()) })
    }

    /// Proposes a grant (fund officers, admins). A second person screens and approves it.
    async fn propose_grant(&self, ctx: &Context<'_>, input: GrantInput) -> ApiResult<Grant> {
        let r = rc(ctx);
        let row = r.services.propose_grant(r.principal(), &input).await.api()?;
        Ok(Grant::new(row, ctx))
    }

    /// Records one screening check of a proposed grant, with a note (fund officers, admins).
    async fn screen_grant(
        &self,
        ctx: &Context<'_>,
        grant_id: ID,
        check: ScreeningCheck,
        passed: bool,
        note: String,
    ) -> ApiResult<Screening> {
        let r = rc(ctx);
        let row = r
            .services
            .screen_grant(r.principal(), parse_id(&grant_id, "grantId")?, check, passed, &note)
            .await
            .api()?;
        Ok(Screening(row))
    }

    /// Approves or rejects a proposed grant (a fund officer or admin who did not propose it; approval needs
    /// every screening check passed, rejection a note), or closes an approved one (no further tranches).
    async fn decide_grant(
        &self,
        ctx: &Context<'_>,
        grant_id: ID,
        action: GrantAction,
        #[graphql(desc = "The approver's note; the reason when rejecting.")] note: Option<String>,
    ) -> ApiResult<Grant> {
        let r = rc(ctx);
        let row = r
            .services
            .decide_grant(r.principal(), parse_id(&grant_id, "grantId")?, action, note.as_deref())
            .await
            .api()?;
        Ok(Grant::new(row, ctx))
    }

    /// Pays a tranche out against an approved grant (fund officers, admins): never more than is left on the
    /// grant nor more than the received money it may draw on.
    async fn disburse(&self, ctx: &Context<'_>, input: DisbursementInput) -> ApiResult<Disbursement> {
        let r = rc(ctx);
        let row = r.services.disburse(r.principal(), &input).await.api()?;
        Ok(Disbursement { row, bank: policy::sees_bank_details(r.principal()) })
    }

    /// The recipient confirms that a tranche arrived.
    async fn confirm_disbursement(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Disbursement> {
        let r = rc(ctx);
        let row = r.services.confirm_disbursement(r.principal(), parse_id(&id, "id")?).await.api()?;
        Ok(Disbursement { row, bank: policy::sees_bank_details(r.principal()) })
    }

    /// The recipient reports what was done with a grant's money.
    async fn report_on_grant(&self, ctx: &Context<'_>, input: GrantReportInput) -> ApiResult<GrantReport> {
        let r = rc(ctx);
        let row = r.services.report_on_grant(r.principal(), &input).await.api()?;
        let needs = input.need_ids.iter().filter_map(|i| Uuid::parse_str(i.as_str()).ok()).collect();
        Ok(GrantReport { row, needs })
    }

    /// Records a programme (e.g. SDLG) and its budget lines (pool coordinators, fund officers, admins).
    async fn create_programme(&self, ctx: &Context<'_>, input: ProgrammeInput) -> ApiResult<Programme> {
        let r = rc(ctx);
        Ok(Programme(r.services.create_programme(r.principal(), &input).await.api()?))
    }

    /// Adds a budget line to a programme.
    async fn add_budget_line(
        &self,
        ctx: &Context<'_>,
        programme_code: String,
        input: BudgetLineInput,
    ) -> ApiResult<BudgetLine> {
        let r = rc(ctx);
        Ok(BudgetLine(r.services.add_budget_line(r.principal(), &programme_code, &input).await.api()?))
    }

    /// Books an expense against a budget line, never past the line's budget.
    async fn book_expense(&self, ctx: &Context<'_>, input: ExpenseInput) -> ApiResult<Expense> {
        let r = rc(ctx);
        Ok(Expense(r.services.book_expense(r.principal(), &input).await.api()?))
    }

    /// A committed expense was paid: it becomes SPENT with its receipt's reference.
    async fn mark_expense_spent(&self, ctx: &Context<'_>, id: ID, receipt_reference: String) -> ApiResult<Expense> {
        let r = rc(ctx);
        Ok(Expense(r.services.mark_expense_spent(r.principal(), parse_id(&id, "id")?, &receipt_reference).await.api()?))
    }
}
