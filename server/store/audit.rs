//! The append-only audit log. There is no update or delete here, and triggers refuse them in the database too.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::Conn;
use super::sql::{Page, Sql};
use crate::domain::AppResult;

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct AuditRow {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub actor_id: Option<Uuid>,
    pub actor_role: Option<String>,
    pub action: String,
    pub object_type: String,
    pub object_id: Uuid,
    pub before_state: Option<String>,
    pub after_state: Option<String>,
}

const COLUMNS: &str = "id, at, actor_id, actor_role, action, object_type, object_id, before_state, after_state";

pub async fn append(conn: &mut Conn<'_>, e: &AuditRow) -> AppResult<()> {
    Sql::new(&format!("INSERT INTO audit_events ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"))
        .arg(e.id)
        .arg(e.at)
        .arg(e.actor_id)
        .arg(e.actor_role.clone())
        .arg(e.action.as_str())
        .arg(e.object_type.as_str())
        .arg(e.object_id)
        .arg(e.before_state.clone())
        .arg(e.after_state.clone())
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub object_id: Option<Uuid>,
    pub actor_id: Option<Uuid>,
    pub action: Option<String>,
}

fn filtered(select: &str, f: &AuditFilter) -> Sql {
    let mut q = Sql::new(select);
    q.push(" WHERE 1 = 1");
    if let Some(o) = f.object_id {
        q.push(" AND object_id = ").bind(o);
    }
    if let Some(a) = f.actor_id {
        q.push(" AND actor_id = ").bind(a);
    }
    if let Some(a) = &f.action {
        q.push(" AND action = ").bind(a.as_str());
    }
    q
}

/// Newest first: ids are time-ordered, so `id < after` walks back in time.
pub async fn list(
    conn: &mut Conn<'_>,
    f: &AuditFilter,
    after: Option<Uuid>,
    first: usize,
) -> AppResult<Page<AuditRow>> {
    let mut q = filtered(&format!("SELECT {COLUMNS} FROM audit_events"), f);
    if let Some(a) = after {
        q.push(" AND id < ").bind(a);
    }
    q.push(" ORDER BY id DESC LIMIT ").bind(first as i64 + 1);
    Ok(Page::from_rows(q.fetch_all(conn).await?, first))
}

pub async fn count(conn: &mut Conn<'_>, f: &AuditFilter) -> AppResult<i64> {
    filtered("SELECT COUNT(*) FROM audit_events", f).fetch_count(conn).await
}
