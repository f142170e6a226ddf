//! Notifications: the in-app inbox, the e-mail outbox, each user's delivery choice and the daily digest's mark.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::Conn;
use super::sql::{Page, Sql};
use crate::domain::AppResult;
use crate::domain::{EmailMode, OutboxStatus};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize, serde::Deserialize)]
pub struct NotificationRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub object_type: String,
    pub object_id: Uuid,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

pub(super) const COLUMNS: &str = "id, user_id, kind, title, body, object_type, object_id, created_at, read_at";

/// One e-mail waiting in (or sent from) the outbox.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct OutboxRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    /// PENDING, SENT, RECORDED (no SMTP configured) or FAILED (gave up).
    pub status: OutboxStatus,
    /// Attempts to send it over SMTP so far.
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    /// A PENDING e-mail is not tried before this time (a claim or a backoff); null means now.
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// One attached file, if any: its name, media type and text (e.g. an iCalendar invitation).
    pub attachment_name: Option<String>,
    pub attachment_type: Option<String>,
    pub attachment_body: Option<String>,
}

const OUTBOX_COLUMNS: &str = "id, user_id, to_address, subject, body, status, attempts, last_error, created_at, sent_at, next_attempt_at, \
     attachment_name, attachment_type, attachment_body";

/// An active user a notice goes to, with their e-mail choice.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Recipient {
    pub id: Uuid,
    pub email: String,
    /// IMMEDIATE, DIGEST or OFF.
    pub email_mode: EmailMode,
    /// `en`, `nl` or `uk`: what they read notifications in.
    pub language: String,
}

/// Whom to find: active users matching any of the lists, except one.
#[derive(Debug, Clone, Default)]
pub struct RecipientQuery {
    pub user_ids: Vec<Uuid>,
    pub roles: Vec<&'static str>,
    /// Users acting for one of these municipalities.
    pub municipalities: Vec<Uuid>,
    /// The accounts of these expert profiles.
    pub experts: Vec<Uuid>,
    /// Never this user (the actor).
    pub except: Option<Uuid>,
}

impl RecipientQuery {
    pub fn is_empty(&self) -> bool {
        self.user_ids.is_empty() && self.roles.is_empty() && self.municipalities.is_empty() && self.experts.is_empty()
    }
}

/// The active users a query names, each once, in id order.
pub async fn recipients(conn: &mut Conn<'_>, q: &RecipientQuery) -> AppResult<Vec<Recipient>> {
    if q.is_empty() {
        return Ok(Vec::new());
    }
    let mut s = Sql::new("SELECT id, email, email_mode, language FROM users WHERE status = 'ACTIVE' AND (1 = 0");
    if !q.user_ids.is_empty() {
        s.push(" OR id IN ").bind_list(&q.user_ids);
    }
    if !q.roles.is_empty() {
        s.push(" OR role IN ").bind_list(&q.roles);
    }
    if !q.municipalities.is_empty() {
        s.push(" OR municipality_id IN ").bind_list(&q.municipalities);
    }
    if !q.experts.is_empty() {
        s.push(" OR expert_id IN ").bind_list(&q.experts);
    }
    s.push(")");
    if let Some(x) = q.except {
        s.push(" AND id <> ").bind(x);
    }
    s.push(" ORDER BY id");
    s.fetch_all(conn).await
}

/// Rows per multi-row INSERT: well below both backends' limits on bound values.
const INSERT_CHUNK: usize = 200;

pub async fn insert_all(conn: &mut Conn<'_>, rows: &[NotificationRow]) -> AppResult<()> {
    for chunk in rows.chunks(INSERT_CHUNK) {
        let mut s = Sql::new(&format!("INSERT INTO notifications ({COLUMNS}) VALUES "));
        for (i, n) in chunk.iter().enumerate() {
            s.push(if i == 0 { "(" } else { ", (" });
            s.bind(n.id).push(", ").bind(n.user_id).push(", ").bind(n.kind.as_str()).push(", ");
            s.bind(n.title.as_str()).push(", ").bind(n.body.as_str()).push(", ").bind(n.object_type.as_str());
            s.push(", ").bind(n.object_id).push(", ").bind(n.created_at).push(", ").bind(n.read_at).push(")");
        }
        s.execute(conn).await?;
    }
    Ok(())
}

pub async fn insert_outbox(conn: &mut Conn<'_>, rows: &[OutboxRow]) -> AppResult<()> {
    for chunk in rows.chunks(INSERT_CHUNK) {
        let mut s = Sql::new(&format!("INSERT INTO email_outbox ({OUTBOX_COLUMNS}) VALUES "));
        for (i, o) in chunk.iter().enumerate() {
            s.push(if i == 0 { "(" } else { ", (" });
            s.bind(o.id).push(", ").bind(o.user_id).push(", ").bind(o.to_address.as_str()).push(", ");
            s.bind(o.subject.as_str()).push(", ").bind(o.body.as_str()).push(", ").bind(o.status.as_str());
            s.push(", ").bind(o.attempts).push(", ").bind(o.last_error.clone()).push(", ").bind(o.created_at);
            s.push(", ").bind(o.sent_at).push(", ").bind(o.next_attempt_at).push(", ").bind(o.attachment_name.clone());
            s.push(", ").bind(o.attachment_type.clone()).push(", ").bind(o.attachment_body.clone()).push(")");
        }
        s.execute(conn).await?;
    }
    Ok(())
}

/// PostgreSQL only: queue `payload` on `channel`; it is delivered to every listener when the transaction commits.
pub async fn pg_notify(conn: &mut Conn<'_>, channel: &str, payload: &str) -> AppResult<()> {
    Sql::new("SELECT pg_notify($1, $2)").arg(channel).arg(payload).execute(conn).await?;
    Ok(())
}

// ---- the inbox ----

/// A user's notifications, newest first; `after` is the id of the last one of the previous page.
pub async fn page(
    conn: &mut Conn<'_>,
    user_id: Uuid,
    unread_only: bool,
    after: Option<Uuid>,
    first: usize,
) -> AppResult<Page<NotificationRow>> {
    let mut s = Sql::new(&format!("SELECT {COLUMNS} FROM notifications WHERE user_id = $1"));
    s = s.arg(user_id);
    if unread_only {
        s.push(" AND read_at IS NULL");
    }
    if let Some(a) = after {
        s.push(" AND id < ").bind(a);
    }
    s.push(" ORDER BY id DESC LIMIT ").bind(first as i64 + 1);
    Ok(Page::from_rows(s.fetch_all(conn).await?, first))
}

pub async fn count(conn: &mut Conn<'_>, user_id: Uuid, unread_only: bool) -> AppResult<i64> {
    let mut s = Sql::new("SELECT COUNT(*) FROM notifications WHERE user_id = $1").arg(user_id);
    if unread_only {
        s.push(" AND read_at IS NULL");
    }
    s.fetch_count(conn).await
}

/// One notification, only if it is `user_id`'s.
pub async fn get_own(conn: &mut Conn<'_>, id: Uuid, user_id: Uuid) -> AppResult<Option<NotificationRow>> {
    Sql::new(&format!("SELECT {COLUMNS} FROM notifications WHERE id = $1 AND user_id = $2"))
        .arg(id)
        .arg(user_id)
        .fetch_optional(conn)
        .await
}

pub async fn get(conn: &mut Conn<'_>, id: Uuid) -> AppResult<Option<NotificationRow>> {
    Sql::new(&format!("SELECT {COLUMNS} FROM notifications WHERE id = $1")).arg(id).fetch_optional(conn).await
}

/// Marks one of `user_id`'s notifications read (if it was not already); the number of rows changed.
pub async fn mark_read(conn: &mut Conn<'_>, id: Uuid, user_id: Uuid, at: DateTime<Utc>) -> AppResult<u64> {
    Sql::new("UPDATE notifications SET read_at = $1 WHERE id = $2 AND user_id = $3 AND read_at IS NULL")
        .arg(at)
        .arg(id)
        .arg(user_id)
        .execute(conn)
        .await
}

pub async fn mark_all_read(conn: &mut Conn<'_>, user_id: Uuid, at: DateTime<Utc>) -> AppResult<u64> {
    Sql::new("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
        .arg(at)
        .arg(user_id)
        .execute(conn)
        .await
}

// ---- e-mail choice and the digest ----

/// A user's e-mail choice and when their last digest went out.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EmailPreference {
    pub email_mode: EmailMode,
    pub last_digest_at: Option<DateTime<Utc>>,
}

pub async fn preference(conn: &mut Conn<'_>, user_id: Uuid) -> AppResult<Option<EmailPreference>> {
    Sql::new("SELECT email_mode, last_digest_at FROM users WHERE id = $1").arg(user_id).fetch_optional(conn).await
}

pub async fn set_preference(conn: &mut Conn<'_>, user_id: Uuid, p: &EmailPreference) -> AppResult<u64> {
    Sql::new("UPDATE users SET email_mode = $1, last_digest_at = $2 WHERE id = $3")
        .arg(p.email_mode.as_str())
        .arg(p.last_digest_at)
        .arg(user_id)
        .execute(conn)
        .await
}

/// An active user who chose the digest and has not had the one due at `due`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DigestUser {
    pub id: Uuid,
    pub email: String,
    pub last_digest_at: Option<DateTime<Utc>>,
    /// What they read e-mails in.
    pub language: String,
}

pub async fn digest_due(conn: &mut Conn<'_>, due: DateTime<Utc>) -> AppResult<Vec<DigestUser>> {
    Sql::new(
        "SELECT id, email, last_digest_at, language FROM users WHERE status = 'ACTIVE' AND email_mode = 'DIGEST' \
         AND (last_digest_at IS NULL OR last_digest_at < $1) ORDER BY id",
    )
    .arg(due)
    .fetch_all(conn)
    .await
}

/// Takes the digest due at `due` for one user: sets `last_digest_at = now` only if it is still older than `due`,
/// so of two replicas running the digest at once exactly one sees 1 here.
pub async fn claim_digest(
    conn: &mut Conn<'_>,
    user_id: Uuid,
    due: DateTime<Utc>,
    now: DateTime<Utc>,
) -> AppResult<u64> {
    Sql::new(
        "UPDATE users SET last_digest_at = $1 WHERE id = $2 AND email_mode = 'DIGEST' \
         AND (last_digest_at IS NULL OR last_digest_at < $3)",
    )
    .arg(now)
    .arg(user_id)
    .arg(due)
    .execute(conn)
    .await
}

/// A user's unread notifications created after `since` (all unread when none) up to `until`, oldest first.
pub async fn unread_between(
    conn: &mut Conn<'_>,
    user_id: Uuid,
    since: Option<DateTime<Utc>>,
    until: DateTime<Utc>,
    limit: usize,
) -> AppResult<Vec<NotificationRow>> {
    let mut s = Sql::new(&format!(
        "SELECT {COLUMNS} FROM notifications WHERE user_id = $1 AND read_at IS NULL AND created_at <= $2"
    ))
    .arg(user_id)
    .arg(until);
    if let Some(t) = since {
        s.push(" AND created_at > ").bind(t);
    }
    s.push(" ORDER BY id LIMIT ").bind(limit as i64);
    s.fetch_all(conn).await
}

pub async fn count_unread_between(
    conn: &mut Conn<'_>,
    user_id: Uuid,
    since: Option<DateTime<Utc>>,
    until: DateTime<Utc>,
) -> AppResult<i64> {
    let mut s =
        Sql::new("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL AND created_at <= $2")
            .arg(user_id)
            .arg(until);
    if let Some(t) = since {
        s.push(" AND created_at > ").bind(t);
    }
    s.fetch_count(conn).await
}

// ---- the outbox ----

/// Claims up to `limit` PENDING e-mails that are due at `now` for one sender: each gets one more attempt and is
/// hidden from other senders until `lease_until`. On PostgreSQL rows another sender is claiming are skipped
/// (`FOR UPDATE SKIP LOCKED`); on SQLite the caller's `BEGIN IMMEDIATE` serialises claims.
pub async fn claim_due(
    conn: &mut Conn<'_>,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    limit: usize,
) -> AppResult<Vec<OutboxRow>> {
    let lock = match conn {
        Conn::Sqlite(_) => "",
        Conn::Postgres(_) => " FOR UPDATE SKIP LOCKED",
    };
    let ids: Vec<(Uuid,)> = Sql::new(&format!(
        "SELECT id FROM email_outbox WHERE status = 'PENDING' AND (next_attempt_at IS NULL OR next_attempt_at <= $1) \
         ORDER BY id LIMIT $2{lock}"
    ))
    .arg(now)
    .arg(limit as i64)
    .fetch_all(conn)
    .await?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = ids.into_iter().map(|r| r.0).collect();
    let mut s = Sql::new(
        "UPDATE email_outbox SET attempts = attempts + 1, next_attempt_at = $1 WHERE status = 'PENDING' AND id IN ",
    )
    .arg(lease_until);
    s.bind_list(&ids).push(&format!(" RETURNING {OUTBOX_COLUMNS}"));
    let mut rows: Vec<OutboxRow> = s.fetch_all(conn).await?;
    rows.sort_by_key(|r| r.id);
    Ok(rows)
}

pub async fn mark_sent(conn: &mut Conn<'_>, id: Uuid, at: DateTime<Utc>) -> AppResult<u64> {
    Sql::new(
        "UPDATE email_outbox SET status = 'SENT', sent_at = $1, last_error = NULL, next_attempt_at = NULL \
         WHERE id = $2 AND status = 'PENDING'",
    )
    .arg(at)
    .arg(id)
    .execute(conn)
    .await
}

/// A failed attempt: PENDING again from `retry_at`, or FAILED for good when `retry_at` is none.
pub async fn mark_attempt_failed(
    conn: &mut Conn<'_>,
    id: Uuid,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
) -> AppResult<u64> {
    let status = if retry_at.is_some() { "PENDING" } else { "FAILED" };
    Sql::new(
        "UPDATE email_outbox SET status = $1, last_error = $2, next_attempt_at = $3 WHERE id = $4 AND status = 'PENDING'",
    )
    .arg(status)
    .arg(error)
    .arg(retry_at)
    .arg(id)
    .execute(conn)
    .await
}

/// Without SMTP: every PENDING e-mail is only recorded. The number of rows changed.
pub async fn record_pending(conn: &mut Conn<'_>) -> AppResult<u64> {
    Sql::new("UPDATE email_outbox SET status = 'RECORDED', next_attempt_at = NULL WHERE status = 'PENDING'")
        .execute(conn)
        .await
}

/// A user's e-mails, oldest first (for operators and tests).
pub async fn outbox_of(conn: &mut Conn<'_>, user_id: Uuid) -> AppResult<Vec<OutboxRow>> {
    Sql::new(&format!("SELECT {OUTBOX_COLUMNS} FROM email_outbox WHERE user_id = $1 ORDER BY id"))
        .arg(user_id)
        .fetch_all(conn)
        .await
}

// ---- stale proposals ----

/// A proposal waiting for an answer, with what a coordinator needs to recognise it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StaleProposal {
    pub id: Uuid,
    pub created_at: DateTime<Utc>,
    pub need_title: String,
    pub expert_name: String,
}

/// PROPOSED assignments proposed before `cutoff` that have no notification of `kind` yet, oldest first.
pub async fn stale_unflagged(
    conn: &mut Conn<'_>,
    cutoff: DateTime<Utc>,
    kind: &str,
    limit: usize,
) -> AppResult<Vec<StaleProposal>> {
    Sql::new(
        "SELECT a.id, a.created_at, n.title AS need_title, e.name AS expert_name FROM assignments a \
         JOIN needs n ON n.id = a.need_id JOIN experts e ON e.id = a.expert_id \
         WHERE a.status = 'PROPOSED' AND a.created_at < $1 \
         AND NOT EXISTS (SELECT 1 FROM notifications x WHERE x.object_id = a.id AND x.kind = $2) \
         ORDER BY a.id LIMIT $3",
    )
    .arg(cutoff)
    .arg(kind)
    .arg(limit as i64)
    .fetch_all(conn)
    .await
}

/// Ids of PROPOSED assignments proposed before `cutoff`, oldest first (ids are time-ordered), after `after`.
pub async fn stale_ids(
    conn: &mut Conn<'_>,
    cutoff: DateTime<Utc>,
    after: Option<Uuid>,
    first: usize,
) -> AppResult<Page<Uuid>> {
    let mut s = Sql::new("SELECT id FROM assignments WHERE status = 'PROPOSED' AND created_at < $1").arg(cutoff);
    if let Some(a) = after {
        s.push(" AND id > ").bind(a);
    }
    s.push(" ORDER BY id LIMIT ").bind(first as i64 + 1);
    let rows: Vec<(Uuid,)> = s.fetch_all(conn).await?;
    Ok(Page::from_rows(rows.into_iter().map(|r| r.0).collect(), first))
}

pub async fn count_stale(conn: &mut Conn<'_>, cutoff: DateTime<Utc>) -> AppResult<i64> {
    Sql::new("SELECT COUNT(*) FROM assignments WHERE status = 'PROPOSED' AND created_at < $1")
        .arg(cutoff)
        .fetch_count(conn)
        .await
}

/// PostgreSQL only: a lock held until the transaction ends, serialising a job across replicas.
pub async fn pg_xact_lock(conn: &mut Conn<'_>, key: i64) -> AppResult<()> {
    Sql::new("SELECT pg_advisory_xact_lock($1)").arg(key).execute(conn).await?;
    Ok(())
}
