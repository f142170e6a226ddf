//! Stored matching rounds and their proposals, kept for review until a coordinator commits some.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::Conn;
use super::sql::{Page, Sql};
use crate::domain::AppResult;
use crate::domain::RoundStatus;

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct RoundRow {
    pub id: Uuid,
    pub status: RoundStatus,
    /// The parameters used, as JSON.
    pub params: String,
    pub need_count: i32,
    pub expert_count: i32,
    pub eligible_pairs: Option<i64>,
    pub objective: Option<i64>,
    /// Solver statistics (sizes, timings), as JSON.
    pub stats: Option<String>,
    pub error: Option<String>,
    pub run_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str = "id, status, params, need_count, expert_count, eligible_pairs, objective, stats, error, run_by, \
     created_at, finished_at";

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct ProposalRow {
    pub round_id: Uuid,
    pub position: i32,
    pub need_id: Uuid,
    pub role_id: Uuid,
    pub expert_id: Uuid,
    pub score: i32,
    pub explanation: String,
    pub assignment_id: Option<Uuid>,
}

const PROPOSAL_COLUMNS: &str = "round_id, position, need_id, role_id, expert_id, score, explanation, assignment_id";

pub async fn insert(conn: &mut Conn<'_>, r: &RoundRow) -> AppResult<()> {
    Sql::new(&format!(
        "INSERT INTO matching_rounds ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
    ))
    .arg(r.id)
    .arg(r.status.as_str())
    .arg(r.params.as_str())
    .arg(r.need_count)
    .arg(r.expert_count)
    .arg(r.eligible_pairs)
    .arg(r.objective)
    .arg(r.stats.clone())
    .arg(r.error.clone())
    .arg(r.run_by)
    .arg(r.created_at)
    .arg(r.finished_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Replaces a round's statistics.
pub async fn set_stats(conn: &mut Conn<'_>, id: Uuid, stats: Option<&str>) -> AppResult<u64> {
    Sql::new("UPDATE matching_rounds SET stats = $1 WHERE id = $2").arg(stats).arg(id).execute(conn).await
}

/// Inserts a round's proposals in multi-row statements (8 parameters a row: 1,000 rows stay below both engines'
/// limits on parameters per statement).
pub async fn insert_proposals(conn: &mut Conn<'_>, rows: &[ProposalRow]) -> AppResult<()> {
    for chunk in rows.chunks(1000) {
        let mut q = Sql::new(&format!("INSERT INTO round_proposals ({PROPOSAL_COLUMNS}) VALUES "));
        for (i, p) in chunk.iter().enumerate() {
            q.push(if i == 0 { "(" } else { ", (" }).bind(p.round_id).push(", ").bind(p.position);
            q.push(", ").bind(p.need_id).push(", ").bind(p.role_id).push(", ").bind(p.expert_id);
            q.push(", ").bind(p.score).push(", ").bind(p.explanation.as_str()).push(", ").bind(p.assignment_id);
            q.push(")");
        }
        q.execute(conn).await?;
    }
    Ok(())
}

pub async fn get(conn: &mut Conn<'_>, id: Uuid) -> AppResult<Option<RoundRow>> {
    Sql::new(&format!("SELECT {COLUMNS} FROM matching_rounds WHERE id = $1")).arg(id).fetch_optional(conn).await
}

pub async fn list(conn: &mut Conn<'_>, after: Option<Uuid>, first: usize) -> AppResult<Page<RoundRow>> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS} FROM matching_rounds WHERE 1 = 1"));
    if let Some(a) = after {
        q.push(" AND id < ").bind(a);
    }
    q.push(" ORDER BY id DESC LIMIT ").bind(first as i64 + 1);
    Ok(Page::from_rows(q.fetch_all(conn).await?, first))
}

pub async fn proposals(conn: &mut Conn<'_>, round_id: Uuid) -> AppResult<Vec<ProposalRow>> {
    Sql::new(&format!("SELECT {PROPOSAL_COLUMNS} FROM round_proposals WHERE round_id = $1 ORDER BY position"))
        .arg(round_id)
        .fetch_all(conn)
        .await
}

/// The proposal, locked against a concurrent commit of the same one on PostgreSQL.
pub async fn proposal_for_update(conn: &mut Conn<'_>, round_id: Uuid, position: i32) -> AppResult<Option<ProposalRow>> {
    let lock = super::for_update(conn);
    Sql::new(&format!("SELECT {PROPOSAL_COLUMNS} FROM round_proposals WHERE round_id = $1 AND position = $2{lock}"))
        .arg(round_id)
        .arg(position)
        .fetch_optional(conn)
        .await
}

pub async fn set_proposal_assignment(
    conn: &mut Conn<'_>,
    round_id: Uuid,
    position: i32,
    assignment_id: Uuid,
) -> AppResult<u64> {
    Sql::new("UPDATE round_proposals SET assignment_id = $1 WHERE round_id = $2 AND position = $3")
        .arg(assignment_id)
        .arg(round_id)
        .arg(position)
        .execute(conn)
        .await
}

pub async fn count(conn: &mut Conn<'_>) -> AppResult<i64> {
    Sql::new("SELECT COUNT(*) FROM matching_rounds").fetch_count(conn).await
}
