//! Programme budgets (e.g. SDLG, financed by the Ministry of Foreign Affairs): budget lines and the expenses
//! booked against them. Committed and spent are sums over the expenses, never stored.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::Conn;
use super::sql::Sql;
use crate::domain::AppResult;
use crate::domain::fund::{ExpenseKind, ExpenseStatus};

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct ProgrammeRow {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub funder: String,
    pub created_at: DateTime<Utc>,
}

pub async fn insert_programme(conn: &mut Conn<'_>, p: &ProgrammeRow) -> AppResult<()> {
    Sql::new("INSERT INTO programmes (id, code, name, funder, created_at) VALUES ($1, $2, $3, $4, $5)")
        .arg(p.id)
        .arg(p.code.as_str())
        .arg(p.name.as_str())
        .arg(p.funder.as_str())
        .arg(p.created_at)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn programmes(conn: &mut Conn<'_>) -> AppResult<Vec<ProgrammeRow>> {
    Sql::new("SELECT id, code, name, funder, created_at FROM programmes ORDER BY code").fetch_all(conn).await
}

pub async fn programme_by_code(conn: &mut Conn<'_>, code: &str) -> AppResult<Option<ProgrammeRow>> {
    Sql::new("SELECT id, code, name, funder, created_at FROM programmes WHERE code = $1")
        .arg(code)
        .fetch_optional(conn)
        .await
}

/// A budget line with what is committed and spent against it.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct BudgetLineRow {
    pub id: Uuid,
    pub programme_id: Uuid,
    pub code: String,
    pub name: String,
    pub amount_cents: i64,
    #[serde(skip)]
    pub committed_cents: i64,
    #[serde(skip)]
    pub spent_cents: i64,
}

const LINE_SELECT: &str = "SELECT l.id, l.programme_id, l.code, l.name, l.amount_cents, \
     (SELECT CAST(COALESCE(SUM(e.amount_cents), 0) AS BIGINT) FROM programme_expenses e \
      WHERE e.budget_line_id = l.id AND e.status = 'COMMITTED') AS committed_cents, \
     (SELECT CAST(COALESCE(SUM(e.amount_cents), 0) AS BIGINT) FROM programme_expenses e \
      WHERE e.budget_line_id = l.id AND e.status = 'SPENT') AS spent_cents FROM budget_lines l";

pub async fn insert_line(conn: &mut Conn<'_>, l: &BudgetLineRow) -> AppResult<()> {
    Sql::new("INSERT INTO budget_lines (id, programme_id, code, name, amount_cents) VALUES ($1, $2, $3, $4, $5)")
        .arg(l.id)
        .arg(l.programme_id)
        .arg(l.code.as_str())
        .arg(l.name.as_str())
        .arg(l.amount_cents)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn lines_of(conn: &mut Conn<'_>, programme_ids: &[Uuid]) -> AppResult<Vec<BudgetLineRow>> {
    let mut s = Sql::new(&format!("{LINE_SELECT} WHERE l.programme_id IN "));
    s.bind_list(programme_ids).push(" ORDER BY l.programme_id, l.code");
    s.fetch_all(conn).await
}

/// One budget line, locked for the rest of the transaction on PostgreSQL.
pub async fn line_for_update(conn: &mut Conn<'_>, id: Uuid) -> AppResult<Option<BudgetLineRow>> {
    if let Conn::Postgres(_) = conn {
        Sql::new("SELECT id FROM budget_lines WHERE id = $1 FOR UPDATE").arg(id).execute(conn).await?;
    }
    Sql::new(&format!("{LINE_SELECT} WHERE l.id = $1")).arg(id).fetch_optional(conn).await
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct ExpenseRow {
    pub id: Uuid,
    pub budget_line_id: Uuid,
    pub kind: ExpenseKind,
    pub status: ExpenseStatus,
    pub amount_cents: i64,
    pub description: String,
    pub booked_on: NaiveDate,
    pub assignment_id: Option<Uuid>,
    pub plan_id: Option<Uuid>,
    pub receipt_reference: Option<String>,
    pub booked_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

const EXPENSE_COLUMNS: &str = "id, budget_line_id, kind, status, amount_cents, description, booked_on, assignment_id, \
     plan_id, receipt_reference, booked_by, created_at";

pub async fn insert_expense(conn: &mut Conn<'_>, e: &ExpenseRow) -> AppResult<()> {
    Sql::new(&format!(
        "INSERT INTO programme_expenses ({EXPENSE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
    ))
    .arg(e.id)
    .arg(e.budget_line_id)
    .arg(e.kind.as_str())
    .arg(e.status.as_str())
    .arg(e.amount_cents)
    .arg(e.description.as_str())
    .arg(e.booked_on)
    .arg(e.assignment_id)
    .arg(e.plan_id)
    .arg(e.receipt_reference.clone())
    .arg(e.booked_by)
    .arg(e.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn expense_for_update(conn: &mut Conn<'_>, id: Uuid) -> AppResult<Option<ExpenseRow>> {
    let lock = super::for_update(conn);
    Sql::new(&format!("SELECT {EXPENSE_COLUMNS} FROM programme_expenses WHERE id = $1{lock}"))
        .arg(id)
        .fetch_optional(conn)
        .await
}

pub async fn mark_spent(conn: &mut Conn<'_>, id: Uuid, receipt_reference: &str) -> AppResult<u64> {
    Sql::new(
        "UPDATE programme_expenses SET status = 'SPENT', receipt_reference = $1 WHERE id = $2 AND status = 'COMMITTED'",
    )
    .arg(receipt_reference)
    .arg(id)
    .execute(conn)
    .await
}

/// Expenses of some budget lines, newest first.
pub async fn expenses_of(conn: &mut Conn<'_>, line_ids: &[Uuid]) -> AppResult<Vec<ExpenseRow>> {
    let mut s = Sql::new(&format!("SELECT {EXPENSE_COLUMNS} FROM programme_expenses WHERE budget_line_id IN "));
    s.bind_list(line_ids).push(" ORDER BY booked_on DESC, id DESC");
    s.fetch_all(conn).await
}

/// Committed and spent per plan and programme: (programme, plan, plan title, committed, spent).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PlanSpendRow {
    pub programme_id: Uuid,
    pub plan_id: Uuid,
    pub plan_title: String,
    pub committed_cents: i64,
    pub spent_cents: i64,
}

pub async fn per_plan(conn: &mut Conn<'_>, programme_ids: &[Uuid]) -> AppResult<Vec<PlanSpendRow>> {
    let mut s = Sql::new(
        "SELECT l.programme_id, e.plan_id, p.title AS plan_title, \
         CAST(COALESCE(SUM(CASE WHEN e.status = 'COMMITTED' THEN e.amount_cents ELSE 0 END), 0) AS BIGINT) AS committed_cents, \
         CAST(COALESCE(SUM(CASE WHEN e.status = 'SPENT' THEN e.amount_cents ELSE 0 END), 0) AS BIGINT) AS spent_cents \
         FROM programme_expenses e JOIN budget_lines l ON l.id = e.budget_line_id \
         JOIN recovery_plans p ON p.id = e.plan_id WHERE l.programme_id IN ",
    );
    s.bind_list(programme_ids).push(" GROUP BY l.programme_id, e.plan_id, p.title ORDER BY l.programme_id, p.title");
    s.fetch_all(conn).await
}

/// The plan an assignment works for, and whether its need takes on-site or hosting work: (plan, on site or hosting).
pub async fn assignment_plan(conn: &mut Conn<'_>, assignment_id: Uuid) -> AppResult<Option<(Uuid, bool)>> {
    Sql::new(
        "SELECT n.plan_id, (n.on_site OR n.hosting) AS travels FROM assignments a JOIN needs n ON n.id = a.need_id \
         WHERE a.id = $1",
    )
    .arg(assignment_id)
    .fetch_optional(conn)
    .await
}
