//! The append-only audit log, kept as a hash chain. There is no update or delete here, and triggers refuse them
//! in the database too. Events are staged in `audit_pending` during their transaction and linked into the chain
//! by [`seal`] as the transaction commits: the chain's head is locked last and only for the commit, so no writer
//! ever waits for it while holding another lock.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::Conn;
use super::sql::{Page, Sql};
use crate::domain::AppResult;
use crate::domain::Role;

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct AuditRow {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub actor_id: Option<Uuid>,
    pub actor_role: Option<Role>,
    pub action: String,
    pub object_type: String,
    pub object_id: Uuid,
    pub before_state: Option<String>,
    pub after_state: Option<String>,
    /// The event's place in the chain; none for events recorded before the chain existed.
    #[sqlx(default)]
    pub seq: Option<i64>,
    #[sqlx(default)]
    pub prev_hash: Option<String>,
    #[sqlx(default)]
    pub hash: Option<String>,
}

const EVENT: &str = "id, at, actor_id, actor_role, action, object_type, object_id, before_state, after_state";
const COLUMNS: &str =
    "id, at, actor_id, actor_role, action, object_type, object_id, before_state, after_state, seq, prev_hash, hash";

/// Stages one event in the caller's transaction; [`seal`] links it when the transaction commits.
pub async fn append(conn: &mut Conn<'_>, e: &AuditRow) -> AppResult<()> {
    Sql::new(&format!("INSERT INTO audit_pending ({EVENT}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"))
        .arg(e.id)
        .arg(e.at)
        .arg(e.actor_id)
        .arg(e.actor_role)
        .arg(e.action.as_str())
        .arg(e.object_type.as_str())
        .arg(e.object_id)
        .arg(e.before_state.clone())
        .arg(e.after_state.clone())
        .execute(conn)
        .await?;
    Ok(())
}

/// Rows per multi-row statement (well under SQLite's bound-parameter limit).
const CHUNK: usize = 200;

/// Links the transaction's staged events into the chain: called by `Tx::commit` just before it commits.
pub async fn seal(conn: &mut Conn<'_>) -> AppResult<()> {
    let pending: Vec<AuditRow> =
        Sql::new(&format!("SELECT {EVENT} FROM audit_pending ORDER BY id")).fetch_all(conn).await?;
    if pending.is_empty() {
        return Ok(());
    }
    // Takes the head's lock (PostgreSQL; SQLite's writer lock is held already) and reserves the places.
    let reserve =
        Sql::new("UPDATE audit_chain SET seq = seq + $1 WHERE id = 1 RETURNING seq, hash").arg(pending.len() as i64);
    let head: Option<(i64, String)> = match reserve.fetch_optional(conn).await? {
        Some(h) => Some(h),
        None => {
            // A database that never started the chain (the service starts it at start-up; this is for tools
            // and tests that write first).
            let first = genesis(&legacy(conn).await?);
            start_chain(conn, &first).await?;
            reserve.fetch_optional(conn).await?
        }
    };
    let (last, mut prev) = head
        .ok_or_else(|| crate::domain::AppError::internal(anyhow::anyhow!("the audit chain's head cannot be made")))?;
    let mut seq = last - pending.len() as i64;
    let mut linked = Vec::with_capacity(pending.len());
    for mut e in pending {
        seq += 1;
        let hash = link(&prev, seq, &e);
        e.seq = Some(seq);
        e.prev_hash = Some(std::mem::replace(&mut prev, hash.clone()));
        e.hash = Some(hash);
        linked.push(e);
    }
    for chunk in linked.chunks(CHUNK) {
        let mut q = Sql::new(&format!("INSERT INTO audit_events ({COLUMNS}) VALUES "));
        for (i, e) in chunk.iter().enumerate() {
            q.push(if i == 0 { "(" } else { ", (" });
            q.bind(e.id).push(", ").bind(e.at).push(", ").bind(e.actor_id).push(", ");
            q.bind(e.actor_role).push(", ").bind(e.action.as_str()).push(", ");
            q.bind(e.object_type.as_str()).push(", ").bind(e.object_id).push(", ");
            q.bind(e.before_state.clone()).push(", ").bind(e.after_state.clone()).push(", ");
            q.bind(e.seq).push(", ").bind(e.prev_hash.clone()).push(", ").bind(e.hash.clone()).push(")");
        }
        q.execute(conn).await?;
        let ids: Vec<Uuid> = chunk.iter().map(|e| e.id).collect();
        let mut d = Sql::new("DELETE FROM audit_pending WHERE id IN ");
        d.bind_list(&ids);
        d.execute(conn).await?;
    }
    Sql::new("UPDATE audit_chain SET hash = $1 WHERE id = 1").arg(prev).execute(conn).await?;
    Ok(())
}

/// The hash that links event `e` at place `seq` to the one before it: SHA-256 over the previous hash and every
/// field of the event, each field length-prefixed so that no two events can read the same.
pub fn link(prev: &str, seq: i64, e: &AuditRow) -> String {
    fn field(h: &mut Sha256, v: Option<&str>) {
        match v {
            None => h.update(b"-"),
            Some(s) => {
                h.update(format!("{}:", s.len()).as_bytes());
                h.update(s.as_bytes());
            }
        }
    }
    let mut h = Sha256::new();
    field(&mut h, Some(prev));
    field(&mut h, Some(&seq.to_string()));
    field(&mut h, Some(&e.id.to_string()));
    field(&mut h, Some(&e.at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()));
    field(&mut h, e.actor_id.map(|a| a.to_string()).as_deref());
    field(&mut h, e.actor_role.map(Role::as_str));
    field(&mut h, Some(&e.action));
    field(&mut h, Some(&e.object_type));
    field(&mut h, Some(&e.object_id.to_string()));
    field(&mut h, e.before_state.as_deref());
    field(&mut h, e.after_state.as_deref());
    hex(&h.finalize())
}

/// The chain's first link: a hash over the events recorded before the chain existed (in id order), so that
/// they too cannot change unseen.
pub fn genesis(legacy: &[AuditRow]) -> String {
    legacy.iter().fold(hex(&Sha256::digest(b"recovery-pool audit chain")), |prev, e| link(&prev, 0, e))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Events recorded before the chain existed, oldest first.
pub async fn legacy(conn: &mut Conn<'_>) -> AppResult<Vec<AuditRow>> {
    Sql::new(&format!("SELECT {COLUMNS} FROM audit_events WHERE seq IS NULL ORDER BY id")).fetch_all(conn).await
}

/// The head: the last event's place and hash.
pub async fn head(conn: &mut Conn<'_>) -> AppResult<Option<(i64, String)>> {
    Sql::new("SELECT seq, hash FROM audit_chain WHERE id = 1").fetch_optional(conn).await
}

/// Makes the head on first start (its hash the genesis over the events before the chain); one of several
/// replicas starting together wins, and they all compute the same head.
pub async fn start_chain(conn: &mut Conn<'_>, genesis: &str) -> AppResult<()> {
    Sql::new("INSERT INTO audit_chain (id, seq, hash) VALUES (1, 0, $1) ON CONFLICT (id) DO NOTHING")
        .arg(genesis)
        .execute(conn)
        .await?;
    Ok(())
}

/// Chained events after place `after` up to place `until`, in order.
pub async fn chained(conn: &mut Conn<'_>, after: i64, until: i64, limit: usize) -> AppResult<Vec<AuditRow>> {
    Sql::new(&format!("SELECT {COLUMNS} FROM audit_events WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3"))
        .arg(after)
        .arg(until)
        .arg(limit as i64)
        .fetch_all(conn)
        .await
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
