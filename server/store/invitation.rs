//! Invitations to an account and password resets: one-time links whose tokens are kept only as hashes.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::Conn;
use super::sql::Sql;
use crate::domain::AppResult;
use crate::domain::Role;

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct InvitationRow {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub municipality_id: Option<Uuid>,
    pub expert_id: Option<Uuid>,
    pub language: String,
    /// SHA-256 of the link's token, hex.
    #[serde(skip)]
    pub token_hash: String,
    pub invited_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub user_id: Option<Uuid>,
}

pub(super) const COLUMNS: &str = "id, email, display_name, role, municipality_id, expert_id, language, token_hash, invited_by, \
     created_at, expires_at, accepted_at, user_id";

pub async fn insert(conn: &mut Conn<'_>, i: &InvitationRow) -> AppResult<()> {
    Sql::new(&format!(
        "INSERT INTO invitations ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
    ))
    .arg(i.id)
    .arg(i.email.as_str())
    .arg(i.display_name.as_str())
    .arg(i.role.as_str())
    .arg(i.municipality_id)
    .arg(i.expert_id)
    .arg(i.language.as_str())
    .arg(i.token_hash.as_str())
    .arg(i.invited_by)
    .arg(i.created_at)
    .arg(i.expires_at)
    .arg(i.accepted_at)
    .arg(i.user_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// The invitation with this token hash, locked for the rest of the transaction on PostgreSQL.
pub async fn by_token_for_update(conn: &mut Conn<'_>, token_hash: &str) -> AppResult<Option<InvitationRow>> {
    let lock = super::for_update(conn);
    Sql::new(&format!("SELECT {COLUMNS} FROM invitations WHERE token_hash = $1{lock}"))
        .arg(token_hash)
        .fetch_optional(conn)
        .await
}

pub async fn mark_accepted(conn: &mut Conn<'_>, id: Uuid, user_id: Uuid, at: DateTime<Utc>) -> AppResult<u64> {
    Sql::new("UPDATE invitations SET accepted_at = $1, user_id = $2 WHERE id = $3 AND accepted_at IS NULL")
        .arg(at)
        .arg(user_id)
        .arg(id)
        .execute(conn)
        .await
}

/// Open invitations (not accepted, not expired at `now`) to the account of one expert.
pub async fn open_for_expert(conn: &mut Conn<'_>, expert_id: Uuid, now: DateTime<Utc>) -> AppResult<i64> {
    Sql::new("SELECT COUNT(*) FROM invitations WHERE expert_id = $1 AND accepted_at IS NULL AND expires_at > $2")
        .arg(expert_id)
        .arg(now)
        .fetch_count(conn)
        .await
}

pub async fn insert_reset(
    conn: &mut Conn<'_>,
    token_hash: &str,
    user_id: Uuid,
    at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> AppResult<()> {
    Sql::new("INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .arg(token_hash)
        .arg(user_id)
        .arg(at)
        .arg(expires_at)
        .execute(conn)
        .await?;
    Ok(())
}

/// The user a reset token is for, while it is unused and unexpired at `now`.
pub async fn reset_user(conn: &mut Conn<'_>, token_hash: &str, now: DateTime<Utc>) -> AppResult<Option<Uuid>> {
    let lock = super::for_update(conn);
    let row: Option<(Uuid,)> = Sql::new(&format!(
        "SELECT user_id FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2{lock}"
    ))
    .arg(token_hash)
    .arg(now)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| r.0))
}

/// Uses up every open reset of the user (the one just used, and any older link).
pub async fn use_resets(conn: &mut Conn<'_>, user_id: Uuid, at: DateTime<Utc>) -> AppResult<u64> {
    Sql::new("UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
        .arg(at)
        .arg(user_id)
        .execute(conn)
        .await
}

/// Reset links sent to the account since `since`.
pub async fn resets_since(conn: &mut Conn<'_>, user_id: Uuid, since: DateTime<Utc>) -> AppResult<i64> {
    Sql::new("SELECT COUNT(*) FROM password_resets WHERE user_id = $1 AND created_at > $2")
        .arg(user_id)
        .arg(since)
        .fetch_count(conn)
        .await
}
