//! Local recovery plans.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::Conn;
use super::sql::{Page, Sql};
use crate::domain::AppResult;
use crate::domain::PlanStatus;

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct PlanRow {
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub title: String,
    pub summary: String,
    /// Sector codes, comma-separated.
    pub sectors: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub programme: Option<String>,
    pub status: PlanStatus,
    pub return_reason: Option<String>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const COLUMNS: &str = "id, municipality_id, title, summary, sectors, period_start, period_end, programme, status, \
     return_reason, created_by, created_at, updated_at";

/// Which rows a reader may see, decided by `auth::policy` and applied in SQL so pages and counts agree.
#[derive(Debug, Clone, Default)]
pub struct Visibility {
    /// Sees every row.
    pub all: bool,
    /// Sees every row of this (their own) municipality.
    pub own_municipality: Option<Uuid>,
    /// Sees other rows only in these statuses.
    pub public_statuses: Vec<&'static str>,
    /// For needs: sees other municipalities' needs only when their plan is in one of these statuses too.
    pub plan_statuses: Vec<&'static str>,
}

impl Visibility {
    /// Appends the visibility condition; `municipality` and `status` are the column expressions to test.
    pub fn push_condition(&self, q: &mut Sql, municipality: &str, status: &str) {
        if self.all {
            return;
        }
        q.push(" AND ((").push(status).push(" IN ");
        q.bind_list(&self.public_statuses);
        if !self.plan_statuses.is_empty() {
            q.push(" AND p.status IN ");
            q.bind_list(&self.plan_statuses);
        }
        q.push(")");
        if let Some(own) = self.own_municipality {
            q.push(" OR ").push(municipality).push(" = ").bind(own);
        }
        q.push(")");
    }
}

#[derive(Debug, Clone, Default)]
pub struct PlanFilter {
    pub municipality_id: Option<Uuid>,
    pub status: Option<PlanStatus>,
    pub sector: Option<String>,
}

fn filtered(select: &str, f: &PlanFilter, v: &Visibility) -> Sql {
    let mut q = Sql::new(select);
    q.push(" WHERE 1 = 1");
    if let Some(m) = f.municipality_id {
        q.push(" AND municipality_id = ").bind(m);
    }
    if let Some(s) = &f.status {
        q.push(" AND status = ").bind(s.as_str());
    }
    if let Some(s) = &f.sector {
        q.push(" AND (',' || sectors || ',') LIKE ").bind(format!("%,{},%", super::municipality::escape_like(s)));
        q.push(" ESCAPE '\\'");
    }
    v.push_condition(&mut q, "municipality_id", "status");
    q
}

pub async fn list(
    conn: &mut Conn<'_>,
    f: &PlanFilter,
    v: &Visibility,
    after: Option<Uuid>,
    first: usize,
) -> AppResult<Page<PlanRow>> {
    let mut q = filtered(&format!("SELECT {COLUMNS} FROM recovery_plans"), f, v);
    if let Some(a) = after {
        q.push(" AND id > ").bind(a);
    }
    q.push(" ORDER BY id LIMIT ").bind(first as i64 + 1);
    Ok(Page::from_rows(q.fetch_all(conn).await?, first))
}

pub async fn count(conn: &mut Conn<'_>, f: &PlanFilter, v: &Visibility) -> AppResult<i64> {
    filtered("SELECT COUNT(*) FROM recovery_plans", f, v).fetch_count(conn).await
}

pub async fn get(conn: &mut Conn<'_>, id: Uuid) -> AppResult<Option<PlanRow>> {
    Sql::new(&format!("SELECT {COLUMNS} FROM recovery_plans WHERE id = $1")).arg(id).fetch_optional(conn).await
}

/// The plan row, locked for the rest of the transaction on PostgreSQL.
pub async fn get_for_update(conn: &mut Conn<'_>, id: Uuid) -> AppResult<Option<PlanRow>> {
    let lock = super::for_update(conn);
    Sql::new(&format!("SELECT {COLUMNS} FROM recovery_plans WHERE id = $1{lock}")).arg(id).fetch_optional(conn).await
}

pub async fn by_ids(conn: &mut Conn<'_>, ids: &[Uuid]) -> AppResult<Vec<PlanRow>> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS} FROM recovery_plans WHERE id IN "));
    q.bind_list(ids);
    q.fetch_all(conn).await
}

pub async fn insert(conn: &mut Conn<'_>, p: &PlanRow) -> AppResult<()> {
    Sql::new(&format!(
        "INSERT INTO recovery_plans ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
    ))
    .arg(p.id)
    .arg(p.municipality_id)
    .arg(p.title.as_str())
    .arg(p.summary.as_str())
    .arg(p.sectors.as_str())
    .arg(p.period_start)
    .arg(p.period_end)
    .arg(p.programme.clone())
    .arg(p.status.as_str())
    .arg(p.return_reason.clone())
    .arg(p.created_by)
    .arg(p.created_at)
    .arg(p.updated_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Writes every editable column and the status (the service has decided both).
pub async fn update(conn: &mut Conn<'_>, p: &PlanRow) -> AppResult<u64> {
    Sql::new(
        "UPDATE recovery_plans SET title = $2, summary = $3, sectors = $4, period_start = $5, period_end = $6, \
         programme = $7, status = $8, return_reason = $9, updated_at = $10 WHERE id = $1",
    )
    .arg(p.id)
    .arg(p.title.as_str())
    .arg(p.summary.as_str())
    .arg(p.sectors.as_str())
    .arg(p.period_start)
    .arg(p.period_end)
    .arg(p.programme.clone())
    .arg(p.status.as_str())
    .arg(p.return_reason.clone())
    .arg(p.updated_at)
    .execute(conn)
    .await
}
