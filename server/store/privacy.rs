//! A person's data: what the service holds about them (for their own copy), and erasing it. What is kept for
//! accountability (assignments, hours, the ledger, the audit trail) keeps its ids and loses the person.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::Conn;
use super::sql::Sql;
use crate::domain::AppResult;

/// The dates of an expert's consent and departure.
#[derive(Debug, Clone, Default, sqlx::FromRow, serde::Serialize)]
pub struct ConsentState {
    pub consent_withdrawn_at: Option<DateTime<Utc>>,
    pub left_at: Option<DateTime<Utc>>,
    pub contact_erased_at: Option<DateTime<Utc>>,
    pub erased_at: Option<DateTime<Utc>>,
}

pub async fn consent_state(conn: &mut Conn<'_>, expert_id: Uuid) -> AppResult<ConsentState> {
    let row: Option<ConsentState> =
        Sql::new("SELECT consent_withdrawn_at, left_at, contact_erased_at, erased_at FROM experts WHERE id = $1")
            .arg(expert_id)
            .fetch_optional(conn)
            .await?;
    Ok(row.unwrap_or_default())
}

/// The expert leaves the pool (`left_at` starts the retention period), or comes back (`left_at` cleared).
pub async fn set_left(conn: &mut Conn<'_>, expert_id: Uuid, left_at: Option<DateTime<Utc>>) -> AppResult<u64> {
    Sql::new("UPDATE experts SET left_at = $2 WHERE id = $1").arg(expert_id).arg(left_at).execute(conn).await
}

/// Back in the pool: no longer leaving, and consent (when it had been withdrawn) given anew today.
pub async fn rejoin(conn: &mut Conn<'_>, expert_id: Uuid, at: DateTime<Utc>) -> AppResult<u64> {
    Sql::new(
        "UPDATE experts SET left_at = NULL, consent_date = CASE WHEN consent_withdrawn_at IS NULL THEN consent_date \
         ELSE $2 END, consent_withdrawn_at = NULL WHERE id = $1",
    )
    .arg(expert_id)
    .arg(at.date_naive())
    .execute(conn)
    .await
}

/// Consent withdrawn: out of the pool from now on.
pub async fn withdraw_consent(conn: &mut Conn<'_>, expert_id: Uuid, at: DateTime<Utc>) -> AppResult<u64> {
    Sql::new(
        "UPDATE experts SET status = 'WITHDRAWN', consent_withdrawn_at = $2, left_at = COALESCE(left_at, $2), \
         updated_at = $2 WHERE id = $1",
    )
    .arg(expert_id)
    .arg(at)
    .execute(conn)
    .await
}

/// The address an erased person's rows carry instead of theirs: unique, and undeliverable by definition
/// (`.invalid` is reserved).
pub fn erased_address(id: Uuid) -> String {
    format!("erased-{}@erased.invalid", id.simple())
}

/// Removes an expert's personal fields, skills and languages, and what they wrote as feedback.
pub async fn erase_expert(conn: &mut Conn<'_>, expert_id: Uuid, name: &str, at: DateTime<Utc>) -> AppResult<()> {
    Sql::new(
        "UPDATE experts SET name = $2, email = $3, phone = NULL, bio = NULL, job_title = '', status = 'WITHDRAWN', \
         consent_withdrawn_at = COALESCE(consent_withdrawn_at, $4), left_at = COALESCE(left_at, $4), \
         contact_erased_at = $4, erased_at = $4, updated_at = $4 WHERE id = $1",
    )
    .arg(expert_id)
    .arg(name)
    .arg(erased_address(expert_id))
    .arg(at)
    .execute(conn)
    .await?;
    Sql::new("DELETE FROM expert_skills WHERE expert_id = $1").arg(expert_id).execute(conn).await?;
    Sql::new("DELETE FROM expert_languages WHERE expert_id = $1").arg(expert_id).execute(conn).await?;
    Sql::new("UPDATE assignments SET expert_feedback = NULL WHERE expert_id = $1").arg(expert_id).execute(conn).await?;
    Ok(())
}

/// Closes an account and removes what identifies it: address, name, password, its notices, e-mails, links.
pub async fn erase_user(conn: &mut Conn<'_>, user_id: Uuid, name: &str, at: DateTime<Utc>) -> AppResult<()> {
    let address = erased_address(user_id);
    Sql::new(
        "UPDATE users SET email = $2, display_name = $3, password_hash = '!erased', status = 'DISABLED', \
         erased_at = $4 WHERE id = $1",
    )
    .arg(user_id)
    .arg(address.as_str())
    .arg(name)
    .arg(at)
    .execute(conn)
    .await?;
    for table in ["notifications", "email_outbox", "password_resets"] {
        Sql::new(&format!("DELETE FROM {table} WHERE user_id = $1")).arg(user_id).execute(conn).await?;
    }
    Sql::new("UPDATE invitations SET email = $2, display_name = $3 WHERE user_id = $1")
        .arg(user_id)
        .arg(address.as_str())
        .arg(name)
        .execute(conn)
        .await?;
    Ok(())
}

/// Invitations sent to an expert's profile or address that nobody accepted: they go.
pub async fn drop_open_invitations(conn: &mut Conn<'_>, expert_id: Uuid, email: &str) -> AppResult<u64> {
    Sql::new("DELETE FROM invitations WHERE accepted_at IS NULL AND (expert_id = $1 OR LOWER(email) = LOWER($2))")
        .arg(expert_id)
        .arg(email)
        .execute(conn)
        .await
}

/// Replaces `text` (a name or an address) by `stand_in` wherever other people's notices, e-mails and matching
/// explanations quote it.
pub async fn scrub_mentions(conn: &mut Conn<'_>, text: &str, stand_in: &str) -> AppResult<()> {
    // A name this short would match inside other words.
    if text.trim().chars().count() < 3 {
        return Ok(());
    }
    let pattern = format!("%{}%", super::municipality::escape_like(text));
    let columns: [(&str, &[&str]); 4] = [
        ("notifications", &["title", "body"]),
        ("email_outbox", &["subject", "body"]),
        ("assignments", &["explanation"]),
        ("round_proposals", &["explanation"]),
    ];
    for (table, cols) in columns {
        let set: Vec<String> = cols.iter().map(|c| format!("{c} = REPLACE({c}, $1, $2)")).collect();
        let any: Vec<String> = cols.iter().map(|c| format!("{c} LIKE $3 ESCAPE '\\'")).collect();
        Sql::new(&format!("UPDATE {table} SET {} WHERE {}", set.join(", "), any.join(" OR ")))
            .arg(text)
            .arg(stand_in)
            .arg(pattern.as_str())
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// Experts who left the pool before `cutoff` and still have contact details.
pub async fn departed_before(conn: &mut Conn<'_>, cutoff: DateTime<Utc>, limit: i64) -> AppResult<Vec<(Uuid, String)>> {
    Sql::new(
        "SELECT id, email FROM experts WHERE status = 'WITHDRAWN' AND contact_erased_at IS NULL AND left_at < $1 \
         ORDER BY left_at LIMIT $2",
    )
    .arg(cutoff)
    .arg(limit)
    .fetch_all(conn)
    .await
}

/// Erases an expert's contact details (address and phone) and nothing else.
pub async fn erase_contact(conn: &mut Conn<'_>, expert_id: Uuid, at: DateTime<Utc>) -> AppResult<u64> {
    Sql::new("UPDATE experts SET email = $2, phone = NULL, contact_erased_at = $3 WHERE id = $1")
        .arg(expert_id)
        .arg(erased_address(expert_id))
        .arg(at)
        .execute(conn)
        .await
}

/// The account's notices, newest last.
pub async fn notifications_of(
    conn: &mut Conn<'_>,
    user_id: Uuid,
) -> AppResult<Vec<super::notification::NotificationRow>> {
    Sql::new(&format!("SELECT {} FROM notifications WHERE user_id = $1 ORDER BY id", super::notification::COLUMNS))
        .arg(user_id)
        .fetch_all(conn)
        .await
}

/// Invitations that name the account or the expert profile.
pub async fn invitations_of(
    conn: &mut Conn<'_>,
    user_id: Uuid,
    expert_id: Option<Uuid>,
) -> AppResult<Vec<super::invitation::InvitationRow>> {
    Sql::new(&format!(
        "SELECT {} FROM invitations WHERE user_id = $1 OR expert_id = $2 ORDER BY id",
        super::invitation::COLUMNS
    ))
    .arg(user_id)
    .arg(expert_id)
    .fetch_all(conn)
    .await
}

/// Audit events the person did, or that were about their account or profile, oldest first (at most `limit`).
pub async fn audit_about(
    conn: &mut Conn<'_>,
    user_id: Uuid,
    expert_id: Option<Uuid>,
    limit: i64,
) -> AppResult<Vec<super::audit::AuditRow>> {
    Sql::new(
        "SELECT id, at, actor_id, actor_role, action, object_type, object_id, before_state, after_state, seq, \
         prev_hash, hash FROM audit_events WHERE actor_id = $1 OR object_id = $1 OR object_id = $2 ORDER BY at, id \
         LIMIT $3",
    )
    .arg(user_id)
    .arg(expert_id)
    .arg(limit)
    .fetch_all(conn)
    .await
}
