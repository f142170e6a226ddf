//! The VNG Fund's rows (docs/fund.md): pledges and receipts, grants with their screening, disbursements and the
//! pledges they draw on, and recipients' reports. Balances are sums over these rows, never stored.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::Conn;
use super::sql::Sql;
use crate::domain::AppResult;
use crate::domain::fund::{DonorKind, Earmark, FundPurpose, GrantStatus, RecipientKind, ScreeningCheck};

/// `SUM` of a BIGINT column as a BIGINT on both engines (PostgreSQL widens it to NUMERIC otherwise).
fn sum(expr: &str) -> String {
    format!("CAST(COALESCE(SUM({expr}), 0) AS BIGINT)")
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct PledgeRow {
    pub id: Uuid,
    pub donor_kind: DonorKind,
    pub donor_municipality_id: Option<Uuid>,
    pub donor_name: String,
    pub purpose: FundPurpose,
    pub earmark: Earmark,
    pub earmark_municipality_id: Option<Uuid>,
    pub earmark_plan_id: Option<Uuid>,
    pub amount_cents: i64,
    pub due_date: Option<NaiveDate>,
    pub note: Option<String>,
    pub pledged_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    /// Σ of its receipts.
    #[serde(skip)]
    pub received_cents: i64,
    /// Σ of what disbursements drew on it.
    #[serde(skip)]
    pub drawn_cents: i64,
}

const PLEDGE_COLUMNS: &str = "id, donor_kind, donor_municipality_id, donor_name, purpose, earmark, \
     earmark_municipality_id, earmark_plan_id, amount_cents, due_date, note, pledged_by, created_at";

fn pledge_select() -> String {
    let cols = PLEDGE_COLUMNS.split(", ").map(|c| format!("p.{c}")).collect::<Vec<_>>().join(", ");
    format!(
        "SELECT {cols}, \
         (SELECT {} FROM fund_receipts r WHERE r.pledge_id = p.id) AS received_cents, \
         (SELECT {} FROM fund_draws d WHERE d.pledge_id = p.id) AS drawn_cents \
         FROM fund_pledges p",
        sum("r.amount_cents"),
        sum("d.amount_cents")
    )
}

pub async fn insert_pledge(conn: &mut Conn<'_>, p: &PledgeRow) -> AppResult<()> {
    Sql::new(&format!(
        "INSERT INTO fund_pledges ({PLEDGE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
    ))
    .arg(p.id)
    .arg(p.donor_kind.as_str())
    .arg(p.donor_municipality_id)
    .arg(p.donor_name.as_str())
    .arg(p.purpose.as_str())
    .arg(p.earmark.as_str())
    .arg(p.earmark_municipality_id)
    .arg(p.earmark_plan_id)
    .arg(p.amount_cents)
    .arg(p.due_date)
    .arg(p.note.clone())
    .arg(p.pledged_by)
    .arg(p.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn pledge(conn: &mut Conn<'_>, id: Uuid) -> AppResult<Option<PledgeRow>> {
    Sql::new(&format!("{} WHERE p.id = $1", pledge_select())).arg(id).fetch_optional(conn).await
}

/// Locks one pledge for the rest of the transaction (PostgreSQL; SQLite's writer lock already serialises).
pub async fn lock_pledge(conn: &mut Conn<'_>, id: Uuid) -> AppResult<bool> {
    let lock = super::for_update(conn);
    let row: Option<(Uuid,)> =
        Sql::new(&format!("SELECT id FROM fund_pledges WHERE id = $1{lock}")).arg(id).fetch_optional(conn).await?;
    Ok(row.is_some())
}

/// Pledges, newest first: of one giving municipality, or all.
pub async fn pledges(conn: &mut Conn<'_>, donor: Option<Uuid>) -> AppResult<Vec<PledgeRow>> {
    let mut s = Sql::new(&pledge_select());
    if let Some(m) = donor {
        s.push(" WHERE p.donor_municipality_id = ").bind(m);
    }
    s.push(" ORDER BY p.created_at DESC, p.id DESC");
    s.fetch_all(conn).await
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct ReceiptRow {
    pub id: Uuid,
    pub pledge_id: Uuid,
    pub received_on: NaiveDate,
    pub amount_cents: i64,
    pub bank_reference: String,
    pub overpayment: bool,
    pub recorded_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

const RECEIPT_COLUMNS: &str =
    "id, pledge_id, received_on, amount_cents, bank_reference, overpayment, recorded_by, created_at";

pub async fn insert_receipt(conn: &mut Conn<'_>, r: &ReceiptRow) -> AppResult<()> {
    Sql::new(&format!("INSERT INTO fund_receipts ({RECEIPT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"))
        .arg(r.id)
        .arg(r.pledge_id)
        .arg(r.received_on)
        .arg(r.amount_cents)
        .arg(r.bank_reference.as_str())
        .arg(r.overpayment)
        .arg(r.recorded_by)
        .arg(r.created_at)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn receipts_of(conn: &mut Conn<'_>, pledge_ids: &[Uuid]) -> AppResult<Vec<ReceiptRow>> {
    let mut s = Sql::new(&format!("SELECT {RECEIPT_COLUMNS} FROM fund_receipts WHERE pledge_id IN "));
    s.bind_list(pledge_ids).push(" ORDER BY received_on, id");
    s.fetch_all(conn).await
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct GrantRow {
    pub id: Uuid,
    pub recipient: RecipientKind,
    pub recipient_municipality_id: Option<Uuid>,
    pub plan_id: Option<Uuid>,
    pub need_id: Option<Uuid>,
    pub purpose: FundPurpose,
    pub amount_cents: i64,
    pub title: String,
    pub description: String,
    pub account_holder: String,
    pub account_iban: String,
    pub status: GrantStatus,
    pub decision_note: Option<String>,
    pub report_due: Option<NaiveDate>,
    pub proposed_by: Uuid,
    pub proposed_at: DateTime<Utc>,
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<DateTime<Utc>>,
    /// Σ of its disbursements.
    #[serde(skip)]
    pub disbursed_cents: i64,
}

const GRANT_COLUMNS: &str = "id, recipient, recipient_municipality_id, plan_id, need_id, purpose, amount_cents, title, \
     description, account_holder, account_iban, status, decision_note, report_due, proposed_by, proposed_at, \
     decided_by, decided_at";

fn grant_select() -> String {
    let cols = GRANT_COLUMNS.split(", ").map(|c| format!("g.{c}")).collect::<Vec<_>>().join(", ");
    format!(
        "SELECT {cols}, (SELECT {} FROM fund_disbursements x WHERE x.grant_id = g.id) AS disbursed_cents \
         FROM fund_grants g",
        sum("x.amount_cents")
    )
}

pub async fn insert_grant(conn: &mut Conn<'_>, g: &GrantRow) -> AppResult<()> {
    Sql::new(&format!(
        "INSERT INTO fund_grants ({GRANT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, \
         $14, $15, $16, $17, $18)"
    ))
    .arg(g.id)
    .arg(g.recipient.as_str())
    .arg(g.recipient_municipality_id)
    .arg(g.plan_id)
    .arg(g.need_id)
    .arg(g.purpose.as_str())
    .arg(g.amount_cents)
    .arg(g.title.as_str())
    .arg(g.description.as_str())
    .arg(g.account_holder.as_str())
    .arg(g.account_iban.as_str())
    .arg(g.status.as_str())
    .arg(g.decision_note.clone())
    .arg(g.report_due)
    .arg(g.proposed_by)
    .arg(g.proposed_at)
    .arg(g.decided_by)
    .arg(g.decided_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn grant(conn: &mut Conn<'_>, id: Uuid) -> AppResult<Option<GrantRow>> {
    Sql::new(&format!("{} WHERE g.id = $1", grant_select())).arg(id).fetch_optional(conn).await
}

/// Which grants a list holds.
#[derive(Debug, Clone, Copy)]
pub enum GrantFilter {
    All,
    /// Grants to AUC.
    Auc,
    /// Grants to this hromada.
    Municipality(Uuid),
}

/// Grants, newest first.
pub async fn grants(conn: &mut Conn<'_>, filter: GrantFilter) -> AppResult<Vec<GrantRow>> {
    let mut s = Sql::new(&grant_select());
    match filter {
        GrantFilter::All => {}
        GrantFilter::Auc => {
            s.push(" WHERE g.recipient = 'AUC'");
        }
        GrantFilter::Municipality(m) => {
            s.push(" WHERE g.recipient_municipality_id = ").bind(m);
        }
    }
    s.push(" ORDER BY g.proposed_at DESC, g.id DESC");
    s.fetch_all(conn).await
}

pub async fn lock_grant(conn: &mut Conn<'_>, id: Uuid) -> AppResult<bool> {
    let lock = super::for_update(conn);
    let row: Option<(Uuid,)> =
        Sql::new(&format!("SELECT id FROM fund_grants WHERE id = $1{lock}")).arg(id).fetch_optional(conn).await?;
    Ok(row.is_some())
}

/// Records a grant's decision (or closing) when it is still in `from`; the rows changed (0 when it moved on).
pub async fn set_grant_status(
    conn: &mut Conn<'_>,
    id: Uuid,
    from: GrantStatus,
    to: GrantStatus,
    decided: Option<(Uuid, DateTime<Utc>, Option<String>)>,
) -> AppResult<u64> {
    let mut s = Sql::new("UPDATE fund_grants SET status = ");
    s.bind(to);
    if let Some((by, at, note)) = decided {
        s.push(", decided_by = ").bind(by).push(", decided_at = ").bind(at).push(", decision_note = ").bind(note);
    }
    s.push(" WHERE id = ").bind(id).push(" AND status = ").bind(from);
    s.execute(conn).await
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct ScreeningRow {
    pub grant_id: Uuid,
    pub check_kind: ScreeningCheck,
    pub passed: bool,
    pub note: String,
    pub checked_by: Uuid,
    pub checked_at: DateTime<Utc>,
}

/// Records one check of a grant, replacing an earlier record of the same check (the audit log keeps both).
pub async fn upsert_screening(conn: &mut Conn<'_>, r: &ScreeningRow) -> AppResult<()> {
    Sql::new(
        "INSERT INTO fund_screenings (grant_id, check_kind, passed, note, checked_by, checked_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (grant_id, check_kind) DO UPDATE SET passed = excluded.passed, \
         note = excluded.note, checked_by = excluded.checked_by, checked_at = excluded.checked_at",
    )
    .arg(r.grant_id)
    .arg(r.check_kind.as_str())
    .arg(r.passed)
    .arg(r.note.as_str())
    .arg(r.checked_by)
    .arg(r.checked_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn screenings_of(conn: &mut Conn<'_>, grant_id: Uuid) -> AppResult<Vec<ScreeningRow>> {
    Sql::new(
        "SELECT grant_id, check_kind, passed, note, checked_by, checked_at FROM fund_screenings WHERE grant_id = $1 \
         ORDER BY check_kind",
    )
    .arg(grant_id)
    .fetch_all(conn)
    .await
}

/// Takes the fund's money lock for the rest of the transaction: disbursements are decided one at a time, so two
/// can never both spend the same received money. SQLite's `BEGIN IMMEDIATE` already holds the only writer lock;
/// on PostgreSQL a transaction-scoped advisory lock does it (released at commit or rollback).
pub async fn lock_money(conn: &mut Conn<'_>) -> AppResult<()> {
    if let Conn::Postgres(_) = conn {
        // Any fixed key; this is the fund's money ("FUND" in ASCII).
        let _: Option<(i32,)> =
            Sql::new("SELECT 1 FROM (SELECT pg_advisory_xact_lock(1179995716)) AS l").fetch_optional(conn).await?;
    }
    Ok(())
}

/// A pledge with received money not yet drawn.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MoneyRow {
    pub pledge_id: Uuid,
    pub purpose: FundPurpose,
    pub earmark: Earmark,
    pub earmark_municipality_id: Option<Uuid>,
    pub earmark_plan_id: Option<Uuid>,
    pub available_cents: i64,
}

/// Every pledge's received money that is not yet drawn, where there is some.
pub async fn available_money(conn: &mut Conn<'_>) -> AppResult<Vec<MoneyRow>> {
    Sql::new(&format!(
        "SELECT pledge_id, purpose, earmark, earmark_municipality_id, earmark_plan_id, available_cents FROM \
         (SELECT p.id AS pledge_id, p.purpose, p.earmark, p.earmark_municipality_id, p.earmark_plan_id, \
         (SELECT {} FROM fund_receipts r WHERE r.pledge_id = p.id) - \
         (SELECT {} FROM fund_draws d WHERE d.pledge_id = p.id) AS available_cents FROM fund_pledges p) AS m \
         WHERE available_cents > 0 ORDER BY pledge_id",
        sum("r.amount_cents"),
        sum("d.amount_cents")
    ))
    .fetch_all(conn)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct DisbursementRow {
    pub id: Uuid,
    pub grant_id: Uuid,
    pub tranche: i32,
    pub amount_cents: i64,
    pub paid_on: NaiveDate,
    pub bank_reference: String,
    pub sent_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub confirmed_by: Option<Uuid>,
    pub confirmed_at: Option<DateTime<Utc>>,
}

const DISBURSEMENT_COLUMNS: &str =
    "id, grant_id, tranche, amount_cents, paid_on, bank_reference, sent_by, created_at, confirmed_by, confirmed_at";

pub async fn insert_disbursement(conn: &mut Conn<'_>, d: &DisbursementRow, draws: &[(Uuid, i64)]) -> AppResult<()> {
    Sql::new(&format!(
        "INSERT INTO fund_disbursements ({DISBURSEMENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    ))
    .arg(d.id)
    .arg(d.grant_id)
    .arg(d.tranche)
    .arg(d.amount_cents)
    .arg(d.paid_on)
    .arg(d.bank_reference.as_str())
    .arg(d.sent_by)
    .arg(d.created_at)
    .arg(d.confirmed_by)
    .arg(d.confirmed_at)
    .execute(conn)
    .await?;
    for (pledge_id, cents) in draws {
        Sql::new("INSERT INTO fund_draws (disbursement_id, pledge_id, amount_cents) VALUES ($1, $2, $3)")
            .arg(d.id)
            .arg(*pledge_id)
            .arg(*cents)
            .execute(conn)
            .await?;
    }
    Ok(())
}

pub async fn disbursements_of(conn: &mut Conn<'_>, grant_ids: &[Uuid]) -> AppResult<Vec<DisbursementRow>> {
    let mut s = Sql::new(&format!("SELECT {DISBURSEMENT_COLUMNS} FROM fund_disbursements WHERE grant_id IN "));
    s.bind_list(grant_ids).push(" ORDER BY grant_id, tranche");
    s.fetch_all(conn).await
}

pub async fn disbursement(conn: &mut Conn<'_>, id: Uuid) -> AppResult<Option<DisbursementRow>> {
    let lock = super::for_update(conn);
    Sql::new(&format!("SELECT {DISBURSEMENT_COLUMNS} FROM fund_disbursements WHERE id = $1{lock}"))
        .arg(id)
        .fetch_optional(conn)
        .await
}

pub async fn confirm_disbursement(conn: &mut Conn<'_>, id: Uuid, by: Uuid, at: DateTime<Utc>) -> AppResult<u64> {
    Sql::new(
        "UPDATE fund_disbursements SET confirmed_by = $1, confirmed_at = $2 WHERE id = $3 AND confirmed_at IS NULL",
    )
    .arg(by)
    .arg(at)
    .arg(id)
    .execute(conn)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct ReportRow {
    pub id: Uuid,
    pub grant_id: Uuid,
    pub text: String,
    /// JSON: `[{"label", "value", "unit"}]`.
    pub figures: String,
    /// JSON: `["reference", …]`.
    pub attachments: String,
    pub reported_by: Option<Uuid>,
    pub reported_at: DateTime<Utc>,
}

pub async fn insert_report(conn: &mut Conn<'_>, r: &ReportRow, need_ids: &[Uuid]) -> AppResult<()> {
    Sql::new(
        "INSERT INTO fund_reports (id, grant_id, text, figures, attachments, reported_by, reported_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .arg(r.id)
    .arg(r.grant_id)
    .arg(r.text.as_str())
    .arg(r.figures.as_str())
    .arg(r.attachments.as_str())
    .arg(r.reported_by)
    .arg(r.reported_at)
    .execute(conn)
    .await?;
    for need in need_ids {
        Sql::new("INSERT INTO fund_report_needs (report_id, need_id) VALUES ($1, $2)")
            .arg(r.id)
            .arg(*need)
            .execute(conn)
            .await?;
    }
    Ok(())
}

pub async fn reports_of(conn: &mut Conn<'_>, grant_ids: &[Uuid]) -> AppResult<Vec<ReportRow>> {
    let mut s = Sql::new(
        "SELECT id, grant_id, text, figures, attachments, reported_by, reported_at FROM fund_reports WHERE grant_id IN ",
    );
    s.bind_list(grant_ids).push(" ORDER BY reported_at, id");
    s.fetch_all(conn).await
}

/// The needs each report is linked to: (report, need).
pub async fn report_needs(conn: &mut Conn<'_>, report_ids: &[Uuid]) -> AppResult<Vec<(Uuid, Uuid)>> {
    let mut s = Sql::new("SELECT report_id, need_id FROM fund_report_needs WHERE report_id IN ");
    s.bind_list(report_ids).push(" ORDER BY report_id, need_id");
    s.fetch_all(conn).await
}

/// Where one giving municipality's money went: per grant, the cents drawn from its pledges.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SpentRow {
    pub grant_id: Uuid,
    pub amount_cents: i64,
}

pub async fn spent_from(conn: &mut Conn<'_>, pledge_ids: &[Uuid]) -> AppResult<Vec<SpentRow>> {
    let mut s = Sql::new(&format!(
        "SELECT x.grant_id, {} AS amount_cents FROM fund_draws d \
         JOIN fund_disbursements x ON x.id = d.disbursement_id WHERE d.pledge_id IN ",
        sum("d.amount_cents")
    ));
    s.bind_list(pledge_ids).push(" GROUP BY x.grant_id ORDER BY x.grant_id");
    s.fetch_all(conn).await
}

/// Grants whose report is due by `due_by` with no report yet and no notice of that kind sent; `overdue` picks
/// the notice sent after the due date, otherwise the one sent before it.
pub async fn reports_to_remind(conn: &mut Conn<'_>, due_by: NaiveDate, overdue: bool) -> AppResult<Vec<GrantRow>> {
    let column = if overdue { "report_overdue_noticed_at" } else { "report_due_noticed_at" };
    let mut s = Sql::new(&grant_select());
    s.push(&format!(
        " WHERE g.status IN ('APPROVED', 'CLOSED') AND g.report_due IS NOT NULL AND g.{column} IS NULL \
         AND NOT EXISTS (SELECT 1 FROM fund_reports r WHERE r.grant_id = g.id) \
         AND EXISTS (SELECT 1 FROM fund_disbursements x WHERE x.grant_id = g.id) AND g.report_due "
    ));
    s.push(if overdue { "< " } else { "<= " }).bind(due_by).push(" ORDER BY g.id");
    s.fetch_all(conn).await
}

pub async fn mark_reminded(conn: &mut Conn<'_>, id: Uuid, overdue: bool, at: DateTime<Utc>) -> AppResult<u64> {
    let column = if overdue { "report_overdue_noticed_at" } else { "report_due_noticed_at" };
    Sql::new(&format!("UPDATE fund_grants SET {column} = $1 WHERE id = $2 AND {column} IS NULL"))
        .arg(at)
        .arg(id)
        .execute(conn)
        .await
}

/// One line of the public totals: a key (purpose or region) and its sums in cents.
#[derive(Debug, Clone, sqlx::FromRow, Default)]
pub struct TotalRow {
    pub bucket: Option<String>,
    pub pledged_cents: i64,
    pub received_cents: i64,
    pub disbursed_cents: i64,
}

/// Pledged and received per pledge purpose, and disbursed per grant purpose.
pub async fn totals_per_purpose(conn: &mut Conn<'_>) -> AppResult<Vec<TotalRow>> {
    Sql::new(&format!(
        "SELECT bucket, {pl} AS pledged_cents, {re} AS received_cents, {di} AS disbursed_cents FROM (\
         SELECT p.purpose AS bucket, p.amount_cents AS pledged, \
         (SELECT {rs} FROM fund_receipts r WHERE r.pledge_id = p.id) AS received, 0 AS disbursed FROM fund_pledges p \
         UNION ALL SELECT g.purpose, 0, 0, x.amount_cents FROM fund_disbursements x \
         JOIN fund_grants g ON g.id = x.grant_id) AS t GROUP BY bucket ORDER BY bucket",
        pl = sum("pledged"),
        re = sum("received"),
        di = sum("disbursed"),
        rs = sum("r.amount_cents"),
    ))
    .fetch_all(conn)
    .await
}

/// Per oblast of the Ukrainian municipality the money is for: pledged and received under a hromada's or a
/// plan's earmark, and disbursed to hromadas. Money for AUC's coordination has no oblast (key null).
pub async fn totals_per_region(conn: &mut Conn<'_>) -> AppResult<Vec<TotalRow>> {
    Sql::new(&format!(
        "SELECT bucket, {pl} AS pledged_cents, {re} AS received_cents, {di} AS disbursed_cents FROM (\
         SELECT m.region AS bucket, p.amount_cents AS pledged, \
         (SELECT {rs} FROM fund_receipts r WHERE r.pledge_id = p.id) AS received, 0 AS disbursed FROM fund_pledges p \
         LEFT JOIN recovery_plans pl ON pl.id = p.earmark_plan_id \
         JOIN municipalities m ON m.id = COALESCE(p.earmark_municipality_id, pl.municipality_id) \
         UNION ALL SELECT m.region, 0, 0, x.amount_cents FROM fund_disbursements x \
         JOIN fund_grants g ON g.id = x.grant_id LEFT JOIN municipalities m ON m.id = g.recipient_municipality_id\
         ) AS t GROUP BY bucket ORDER BY bucket",
        pl = sum("pledged"),
        re = sum("received"),
        di = sum("disbursed"),
        rs = sum("r.amount_cents"),
    ))
    .fetch_all(conn)
    .await
}

/// Distinct municipalities that have pledged.
pub async fn giving_municipalities(conn: &mut Conn<'_>) -> AppResult<i64> {
    Sql::new("SELECT COUNT(DISTINCT donor_municipality_id) FROM fund_pledges").fetch_count(conn).await
}
