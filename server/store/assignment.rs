//! Assignments: one expert in one role of a need. Written only inside transactions that have locked the
//! expert (PostgreSQL `FOR UPDATE`; SQLite `BEGIN IMMEDIATE`), so capacity checks cannot interleave.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::Conn;
use super::sql::{Page, Sql};
use crate::domain::AppResult;
use crate::domain::assignment::AssignmentStatus;

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct AssignmentRow {
    pub id: Uuid,
    pub need_id: Uuid,
    pub role_id: Uuid,
    pub expert_id: Uuid,
    pub status: AssignmentStatus,
    pub hours_per_week: i32,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub score: i32,
    /// The matcher's explanation at the time of proposal, as JSON.
    pub explanation: String,
    pub round_id: Option<Uuid>,
    /// Why it was rejected, declined, withdrawn or cancelled.
    pub reason: Option<String>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub expert_agreed_at: Option<DateTime<Utc>>,
    pub released_at: Option<DateTime<Utc>>,
    pub started_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    pub outcome_report: Option<String>,
    pub expert_feedback: Option<String>,
    pub expert_rating: Option<i32>,
    pub recipient_feedback: Option<String>,
    pub recipient_rating: Option<i32>,
    pub proposed_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const COLUMNS: &str = "id, need_id, role_id, expert_id, status, hours_per_week, start_date, end_date, score, \
     explanation, round_id, reason, accepted_at, expert_agreed_at, released_at, started_at, completed_at, outcome_report, \
     expert_feedback, expert_rating, recipient_feedback, recipient_rating, proposed_by, created_at, updated_at";

/// Statuses that hold an expert's hours (no double booking), as the domain defines them.
pub fn holding() -> Vec<&'static str> {
    AssignmentStatus::names_where(AssignmentStatus::holds_hours)
}

/// Statuses that take a seat of a role, as the domain defines them.
pub fn seated() -> Vec<&'static str> {
    AssignmentStatus::names_where(AssignmentStatus::takes_seat)
}

/// Statuses that fill a seat of a need (accepted by the Ukrainian side or further), as the domain defines them.
pub fn filling() -> Vec<&'static str> {
    AssignmentStatus::names_where(AssignmentStatus::fills_seat)
}

/// `('A', 'B')`: a status list written into SQL text, for statements that are built once. The names are the
/// domain's own constants, never user input.
pub fn sql_list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    format!("({})", quoted.join(", "))
}

pub async fn insert(conn: &mut Conn<'_>, a: &AssignmentRow) -> AppResult<()> {
    Sql::new(&format!(
        "INSERT INTO assignments ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, \
         $16, $17, $18, $19, $20, $21, $22, $23, $24, $25)"
    ))
    .arg(a.id)
    .arg(a.need_id)
    .arg(a.role_id)
    .arg(a.expert_id)
    .arg(a.status.as_str())
    .arg(a.hours_per_week)
    .arg(a.start_date)
    .arg(a.end_date)
    .arg(a.score)
    .arg(a.explanation.as_str())
    .arg(a.round_id)
    .arg(a.reason.clone())
    .arg(a.accepted_at)
    .arg(a.expert_agreed_at)
    .arg(a.released_at)
    .arg(a.started_at)
    .arg(a.completed_at)
    .arg(a.outcome_report.clone())
    .arg(a.expert_feedback.clone())
    .arg(a.expert_rating)
    .arg(a.recipient_feedback.clone())
    .arg(a.recipient_rating)
    .arg(a.proposed_by)
    .arg(a.created_at)
    .arg(a.updated_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Writes the workflow columns (status, consents, reason, outcome, feedback) of an assignment.
pub async fn update(conn: &mut Conn<'_>, a: &AssignmentRow) -> AppResult<u64> {
    Sql::new(
        "UPDATE assignments SET status = $2, reason = $3, accepted_at = $4, expert_agreed_at = $5, released_at = $6, \
         started_at = $7, completed_at = $8, outcome_report = $9, expert_feedback = $10, expert_rating = $11, \
         recipient_feedback = $12, recipient_rating = $13, updated_at = $14 WHERE id = $1",
    )
    .arg(a.id)
    .arg(a.status.as_str())
    .arg(a.reason.clone())
    .arg(a.accepted_at)
    .arg(a.expert_agreed_at)
    .arg(a.released_at)
    .arg(a.started_at)
    .arg(a.completed_at)
    .arg(a.outcome_report.clone())
    .arg(a.expert_feedback.clone())
    .arg(a.expert_rating)
    .arg(a.recipient_feedback.clone())
    .arg(a.recipient_rating)
    .arg(a.updated_at)
    .execute(conn)
    .await
}

/// The assignment row, locked for the rest of the transaction on PostgreSQL.
pub async fn get_for_update(conn: &mut Conn<'_>, id: Uuid) -> AppResult<Option<AssignmentRow>> {
    let lock = super::for_update(conn);
    Sql::new(&format!("SELECT {COLUMNS} FROM assignments WHERE id = $1{lock}")).arg(id).fetch_optional(conn).await
}

/// For each expert, the (need municipality) of their assignments that are ACCEPTED or further: who on the
/// Ukrainian side may now see the expert's contact details.
pub async fn accepted_need_municipalities(conn: &mut Conn<'_>, expert_ids: &[Uuid]) -> AppResult<Vec<(Uuid, Uuid)>> {
    let mut q = Sql::new(
        "SELECT a.expert_id, p.municipality_id FROM assignments a JOIN needs n ON n.id = a.need_id \
         JOIN recovery_plans p ON p.id = n.plan_id WHERE a.expert_id IN ",
    );
    q.bind_list(expert_ids).push(" AND a.status IN ");
    q.bind_list(&filling());
    q.fetch_all(conn).await
}

pub async fn get(conn: &mut Conn<'_>, id: Uuid) -> AppResult<Option<AssignmentRow>> {
    Sql::new(&format!("SELECT {COLUMNS} FROM assignments WHERE id = $1")).arg(id).fetch_optional(conn).await
}

pub async fn by_ids(conn: &mut Conn<'_>, ids: &[Uuid]) -> AppResult<Vec<AssignmentRow>> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS} FROM assignments WHERE id IN "));
    q.bind_list(ids);
    q.fetch_all(conn).await
}

#[derive(Debug, Clone, Default)]
pub struct AssignmentFilter {
    pub id: Option<Uuid>,
    pub need_id: Option<Uuid>,
    pub expert_id: Option<Uuid>,
    pub status: Option<AssignmentStatus>,
    /// Assignments of experts of this municipality.
    pub expert_municipality_id: Option<Uuid>,
    /// Assignments to needs of this (recovering) municipality.
    pub need_municipality_id: Option<Uuid>,
}

fn filtered(select: &str, f: &AssignmentFilter) -> Sql {
    let mut q = Sql::new(select);
    q.push(" WHERE 1 = 1");
    if let Some(id) = f.id {
        q.push(" AND a.id = ").bind(id);
    }
    if let Some(n) = f.need_id {
        q.push(" AND a.need_id = ").bind(n);
    }
    if let Some(e) = f.expert_id {
        q.push(" AND a.expert_id = ").bind(e);
    }
    if let Some(s) = &f.status {
        q.push(" AND a.status = ").bind(s.as_str());
    }
    if let Some(m) = f.expert_municipality_id {
        q.push(" AND a.expert_id IN (SELECT id FROM experts WHERE municipality_id = ").bind(m).push(")");
    }
    if let Some(m) = f.need_municipality_id {
        q.push(" AND a.need_id IN (SELECT n.id FROM needs n JOIN recovery_plans p ON p.id = n.plan_id ");
        q.push("WHERE p.municipality_id = ").bind(m).push(")");
    }
    q
}

pub async fn list(
    conn: &mut Conn<'_>,
    f: &AssignmentFilter,
    after: Option<Uuid>,
    first: usize,
) -> AppResult<Page<AssignmentRow>> {
    let cols = COLUMNS.split(", ").map(|c| format!("a.{}", c.trim())).collect::<Vec<_>>().join(", ");
    let mut q = filtered(&format!("SELECT {cols} FROM assignments a"), f);
    if let Some(a) = after {
        q.push(" AND a.id > ").bind(a);
    }
    q.push(" ORDER BY a.id LIMIT ").bind(first as i64 + 1);
    Ok(Page::from_rows(q.fetch_all(conn).await?, first))
}

pub async fn count(conn: &mut Conn<'_>, f: &AssignmentFilter) -> AppResult<i64> {
    filtered("SELECT COUNT(*) FROM assignments a", f).fetch_count(conn).await
}

/// Every assignment of one expert (for "not already on, rejected for, or declining that need").
pub async fn of_expert(conn: &mut Conn<'_>, expert_id: Uuid) -> AppResult<Vec<AssignmentRow>> {
    Sql::new(&format!("SELECT {COLUMNS} FROM assignments WHERE expert_id = $1")).arg(expert_id).fetch_all(conn).await
}

/// Assignments of one need in the given statuses (to cancel them when the need is cancelled or closed).
pub async fn of_need_in(
    conn: &mut Conn<'_>,
    need_id: Uuid,
    statuses: &[AssignmentStatus],
) -> AppResult<Vec<AssignmentRow>> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS} FROM assignments WHERE need_id = "));
    q.bind(need_id).push(" AND status IN ");
    q.bind_list(statuses).push(" ORDER BY id");
    q.fetch_all(conn).await
}

/// Per role: (role, seats taken, seats filled). Taken counts every assignment that holds a seat (proposed on);
/// filled only those the Ukrainian side accepted or further.
pub async fn seats_of_roles(conn: &mut Conn<'_>, role_ids: &[Uuid]) -> AppResult<Vec<(Uuid, i64, i64)>> {
    let mut q = Sql::new(&format!(
        "SELECT role_id, COUNT(*), SUM(CASE WHEN status IN {} THEN 1 ELSE 0 END) FROM assignments WHERE role_id IN ",
        sql_list(&filling())
    ));
    q.bind_list(role_ids).push(" AND status IN ");
    q.bind_list(&seated()).push(" GROUP BY role_id");
    q.fetch_all(conn).await
}

/// Per expert: the hours per week held by their assignments that have not ended by `today`.
pub async fn booked_hours(conn: &mut Conn<'_>, expert_ids: &[Uuid], today: NaiveDate) -> AppResult<Vec<(Uuid, i64)>> {
    let mut q = Sql::new("SELECT expert_id, SUM(hours_per_week) FROM assignments WHERE expert_id IN ");
    q.bind_list(expert_ids).push(" AND status IN ");
    q.bind_list(&holding()).push(" AND end_date >= ").bind(today).push(" GROUP BY expert_id");
    q.fetch_all(conn).await
}
