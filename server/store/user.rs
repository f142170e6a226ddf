//! User accounts.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::Conn;
use super::sql::{Page, Sql};
use crate::domain::AppResult;
use crate::domain::{Role, UserStatus};

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct UserRow {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    #[serde(skip)]
    pub password_hash: String,
    pub role: Role,
    pub municipality_id: Option<Uuid>,
    pub expert_id: Option<Uuid>,
    pub status: UserStatus,
    pub created_at: DateTime<Utc>,
    /// Raised whenever the account's tokens must end (sign-out, password, status, role or scope change); a token
    /// carries the version it was issued under.
    #[serde(skip)]
    pub token_version: i64,
    /// `en`, `nl` or `uk`.
    pub language: String,
}

const COLUMNS: &str = "id, email, display_name, password_hash, role, municipality_id, expert_id, status, created_at, token_version, \
     language";

pub async fn insert(conn: &mut Conn<'_>, u: &UserRow) -> AppResult<()> {
    Sql::new(&format!("INSERT INTO users ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"))
        .arg(u.id)
        .arg(u.email.as_str())
        .arg(u.display_name.as_str())
        .arg(u.password_hash.as_str())
        .arg(u.role.as_str())
        .arg(u.municipality_id)
        .arg(u.expert_id)
        .arg(u.status.as_str())
        .arg(u.created_at)
        .arg(u.token_version)
        .arg(u.language.as_str())
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn get(conn: &mut Conn<'_>, id: Uuid) -> AppResult<Option<UserRow>> {
    Sql::new(&format!("SELECT {COLUMNS} FROM users WHERE id = $1")).arg(id).fetch_optional(conn).await
}

/// The account of an expert profile, if any.
pub async fn by_expert(conn: &mut Conn<'_>, expert_id: Uuid) -> AppResult<Option<UserRow>> {
    Sql::new(&format!("SELECT {COLUMNS} FROM users WHERE expert_id = $1")).arg(expert_id).fetch_optional(conn).await
}

pub async fn by_email(conn: &mut Conn<'_>, email: &str) -> AppResult<Option<UserRow>> {
    Sql::new(&format!("SELECT {COLUMNS} FROM users WHERE email = $1")).arg(email).fetch_optional(conn).await
}

pub async fn list(conn: &mut Conn<'_>, after: Option<Uuid>, first: usize) -> AppResult<Page<UserRow>> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS} FROM users WHERE 1 = 1"));
    if let Some(a) = after {
        q.push(" AND id > ").bind(a);
    }
    q.push(" ORDER BY id LIMIT ").bind(first as i64 + 1);
    Ok(Page::from_rows(q.fetch_all(conn).await?, first))
}

pub async fn count_all(conn: &mut Conn<'_>) -> AppResult<i64> {
    Sql::new("SELECT COUNT(*) FROM users").fetch_count(conn).await
}

pub async fn set_status(conn: &mut Conn<'_>, id: Uuid, status: UserStatus) -> AppResult<u64> {
    Sql::new("UPDATE users SET status = $1 WHERE id = $2").arg(status).arg(id).execute(conn).await
}

pub async fn set_language(conn: &mut Conn<'_>, id: Uuid, language: &str) -> AppResult<u64> {
    Sql::new("UPDATE users SET language = $1 WHERE id = $2").arg(language).arg(id).execute(conn).await
}

pub async fn set_password_hash(conn: &mut Conn<'_>, id: Uuid, hash: &str) -> AppResult<u64> {
    Sql::new("UPDATE users SET password_hash = $1 WHERE id = $2").arg(hash).arg(id).execute(conn).await
}

/// What decides whether a token still counts: the account's status and token version.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TokenState {
    pub status: UserStatus,
    pub token_version: i64,
}

pub async fn token_state(conn: &mut Conn<'_>, id: Uuid) -> AppResult<Option<TokenState>> {
    Sql::new("SELECT status, token_version FROM users WHERE id = $1").arg(id).fetch_optional(conn).await
}

/// Ends every token issued to the account so far.
pub async fn raise_token_version(conn: &mut Conn<'_>, id: Uuid) -> AppResult<u64> {
    Sql::new("UPDATE users SET token_version = token_version + 1 WHERE id = $1").arg(id).execute(conn).await
}

/// An account's second factor: its secret (proposed or confirmed), when it was confirmed, the last step used.
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct SecondFactor {
    pub totp_secret: Option<String>,
    pub totp_enabled_at: Option<DateTime<Utc>>,
    pub totp_last_step: Option<i64>,
}

pub async fn second_factor(conn: &mut Conn<'_>, id: Uuid) -> AppResult<SecondFactor> {
    let lock = super::for_update(conn);
    let row: Option<SecondFactor> =
        Sql::new(&format!("SELECT totp_secret, totp_enabled_at, totp_last_step FROM users WHERE id = $1{lock}"))
            .arg(id)
            .fetch_optional(conn)
            .await?;
    Ok(row.unwrap_or_default())
}

/// Sets (or with `None` clears) the account's second factor.
pub async fn set_second_factor(conn: &mut Conn<'_>, id: Uuid, f: &SecondFactor) -> AppResult<u64> {
    Sql::new("UPDATE users SET totp_secret = $2, totp_enabled_at = $3, totp_last_step = $4 WHERE id = $1")
        .arg(id)
        .arg(f.totp_secret.clone())
        .arg(f.totp_enabled_at)
        .arg(f.totp_last_step)
        .execute(conn)
        .await
}

/// Uses time step `step` of the account's codes: true only the first time a step at least this late is used,
/// so a code never works twice, even for two sign-ins at once.
pub async fn claim_step(conn: &mut Conn<'_>, id: Uuid, step: i64) -> AppResult<bool> {
    let n = Sql::new(
        "UPDATE users SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)",
    )
    .arg(id)
    .arg(step)
    .execute(conn)
    .await?;
    Ok(n == 1)
}
