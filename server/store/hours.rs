//! Monthly hours delivered on an assignment (`hours_reports`, one row per assignment and calendar month).

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::Conn;
use super::sql::Sql;
use crate::domain::AppResult;
use crate::domain::assignment::AssignmentStatus;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct HoursReportRow {
    pub assignment_id: Uuid,
    /// `YYYY-MM`.
    pub month: String,
    pub hours: i32,
    pub reported_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const COLUMNS: &str = "assignment_id, month, hours, reported_by, created_at, updated_at";

/// What a report is checked against: the assignment with the municipalities on both of its sides.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReportTarget {
    pub expert_id: Uuid,
    /// The municipality that lends the expert.
    pub expert_municipality_id: Uuid,
    /// The (recovering) municipality of the need's plan.
    pub need_municipality_id: Uuid,
    pub status: AssignmentStatus,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
}

const TARGET: &str = "SELECT a.expert_id, e.municipality_id AS expert_municipality_id, \
     p.municipality_id AS need_municipality_id, a.status, a.start_date, a.end_date \
     FROM assignments a JOIN experts e ON e.id = a.expert_id JOIN needs n ON n.id = a.need_id \
     JOIN recovery_plans p ON p.id = n.plan_id WHERE a.id = $1";

/// The assignment a report is about, with its row (only that row) locked for the rest of the transaction on PostgreSQL, so
/// that reports of one assignment, and its status changes, follow one another. SQLite's `BEGIN IMMEDIATE` already
/// serialises writers.
pub async fn target_for_update(conn: &mut Conn<'_>, assignment_id: Uuid) -> AppResult<Option<ReportTarget>> {
    let lock = match conn {
        Conn::Sqlite(_) => "",
        Conn::Postgres(_) => " FOR UPDATE OF a",
    };
    Sql::new(&format!("{TARGET}{lock}")).arg(assignment_id).fetch_optional(conn).await
}

pub async fn get(conn: &mut Conn<'_>, assignment_id: Uuid, month: &str) -> AppResult<Option<HoursReportRow>> {
    Sql::new(&format!("SELECT {COLUMNS} FROM hours_reports WHERE assignment_id = $1 AND month = $2"))
        .arg(assignment_id)
        .arg(month)
        .fetch_optional(conn)
        .await
}

/// Writes the month's figure, replacing an earlier one (its `created_at` is kept); the row as stored.
pub async fn upsert(conn: &mut Conn<'_>, r: &HoursReportRow) -> AppResult<HoursReportRow> {
    let row: Option<HoursReportRow> = Sql::new(&format!(
        "INSERT INTO hours_reports ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (assignment_id, month) DO UPDATE SET hours = excluded.hours, \
         reported_by = excluded.reported_by, updated_at = excluded.updated_at RETURNING {COLUMNS}"
    ))
    .arg(r.assignment_id)
    .arg(r.month.as_str())
    .arg(r.hours)
    .arg(r.reported_by)
    .arg(r.created_at)
    .arg(r.updated_at)
    .fetch_optional(conn)
    .await?;
    row.ok_or_else(|| {
        crate::domain::AppError::internal(anyhow::anyhow!("the upsert of an hours report returned no row"))
    })
}

/// An assignment's reports, oldest month first.
pub async fn of_assignment(conn: &mut Conn<'_>, assignment_id: Uuid) -> AppResult<Vec<HoursReportRow>> {
    Sql::new(&format!("SELECT {COLUMNS} FROM hours_reports WHERE assignment_id = $1 ORDER BY month"))
        .arg(assignment_id)
        .fetch_all(conn)
        .await
}

/// Per assignment: the hours reported over all months.
pub async fn totals_of(conn: &mut Conn<'_>, assignment_ids: &[Uuid]) -> AppResult<Vec<(Uuid, i64)>> {
    let mut q = Sql::new("SELECT assignment_id, SUM(hours) FROM hours_reports WHERE assignment_id IN ");
    q.bind_list(assignment_ids).push(" GROUP BY assignment_id");
    q.fetch_all(conn).await
}

/// Hours delivered over the whole pool per month, oldest first: (`YYYY-MM`, hours). No person in it.
pub async fn per_month(conn: &mut Conn<'_>) -> AppResult<Vec<(String, i64)>> {
    Sql::new("SELECT month, SUM(hours) FROM hours_reports GROUP BY month ORDER BY month").fetch_all(conn).await
}
