//! The rows the contribution ledger is computed from: two statements whatever the number of experts, one for the
//! experts in scope and one for their assignments with the hours reported in the period.

use chrono::NaiveDate;
use uuid::Uuid;

use super::Conn;
use super::sql::Sql;
use crate::domain::AppResult;
use crate::domain::ExpertStatus;
use crate::domain::assignment::AssignmentStatus;

/// An expert as the ledger sees them, with their municipality's code and name.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LedgerExpertRow {
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub municipality_code: String,
    pub municipality_name: String,
    pub name: String,
    pub status: ExpertStatus,
    pub hours_per_week: i32,
    pub available_from: NaiveDate,
    pub available_until: Option<NaiveDate>,
}

/// An assignment as the ledger sees it, with the hours reported for months in the period.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LedgerAssignmentRow {
    pub id: Uuid,
    pub expert_id: Uuid,
    pub status: AssignmentStatus,
    pub hours_per_week: i32,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    /// The (recovering) municipality of the need's plan.
    pub need_municipality_id: Uuid,
    /// Σ hours of the reports whose month is within the month bounds.
    pub delivered_hours: i64,
}

/// What to read: whose experts, which assignments, which months of reports. Bounds are inclusive; `None` is open.
#[derive(Debug, Clone, Default)]
pub struct LedgerBounds<'a> {
    /// One municipality's experts; all experts when `None`.
    pub municipality_id: Option<Uuid>,
    /// Assignments in these statuses overlapping `[from, until]` are read…
    pub statuses: &'a [&'a str],
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    /// …and, whatever their status or dates, those with reports of a month in `[first_month, last_month]`
    /// (`YYYY-MM`, compared as text).
    pub first_month: Option<String>,
    pub last_month: Option<String>,
}

/// Every expert of the municipality (or of the whole pool), whatever their status.
pub async fn experts(conn: &mut Conn<'_>, municipality_id: Option<Uuid>) -> AppResult<Vec<LedgerExpertRow>> {
    let mut q = Sql::new(
        "SELECT e.id, e.municipality_id, m.code AS municipality_code, m.name AS municipality_name, e.name, e.status, \
         e.hours_per_week, e.available_from, e.available_until FROM experts e \
         JOIN municipalities m ON m.id = e.municipality_id",
    );
    if let Some(m) = municipality_id {
        q.push(" WHERE e.municipality_id = ").bind(m);
    }
    q.fetch_all(conn).await
}

/// The assignments of the experts in scope that the ledger counts, each with its delivered hours in the period.
pub async fn assignments(conn: &mut Conn<'_>, b: &LedgerBounds<'_>) -> AppResult<Vec<LedgerAssignmentRow>> {
    let mut q = Sql::new(
        "SELECT a.id, a.expert_id, a.status, a.hours_per_week, a.start_date, a.end_date, \
         p.municipality_id AS need_municipality_id, COALESCE(h.delivered, 0) AS delivered_hours \
         FROM assignments a JOIN experts e ON e.id = a.expert_id JOIN needs n ON n.id = a.need_id \
         JOIN recovery_plans p ON p.id = n.plan_id \
         LEFT JOIN (SELECT assignment_id, SUM(hours) AS delivered FROM hours_reports WHERE 1 = 1",
    );
    if let Some(m) = &b.first_month {
        q.push(" AND month >= ").bind(m.as_str());
    }
    if let Some(m) = &b.last_month {
        q.push(" AND month <= ").bind(m.as_str());
    }
    q.push(" GROUP BY assignment_id) h ON h.assignment_id = a.id WHERE ");
    if let Some(m) = b.municipality_id {
        q.push("e.municipality_id = ").bind(m).push(" AND ");
    }
    q.push("((a.status IN ");
    q.bind_list(b.statuses);
    if let Some(from) = b.from {
        q.push(" AND a.end_date >= ").bind(from);
    }
    if let Some(until) = b.until {
        q.push(" AND a.start_date <= ").bind(until);
    }
    q.push(") OR h.assignment_id IS NOT NULL)");
    q.fetch_all(conn).await
}
