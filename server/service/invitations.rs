//! Accounts by invitation and passwords reset by e-mail. An officer invites a person to a role and scope; the
//! e-mail (in the invitee's language) carries a link with a one-time token that expires; accepting it sets the
//! password and creates the account, linked to the expert profile when the invitation was for one. A password
//! reset works the same way, and its request answers the same whether or not the account exists. Tokens are
//! stored only as SHA-256 hashes.

use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::notifications::texts::Text;
use super::sessions::revoke_in;
use super::users::{Session, hash_off_thread, insert_user, principal_of};
use super::{Services, audit, found, now, snapshot};
use crate::auth::Principal;
use crate::auth::policy::{Op, Target, check};
use crate::domain::OutboxStatus;
use crate::domain::input::{UserInput, email, password, required_text};
use crate::domain::{AppError, AppResult, Role, UserStatus, new_id};
use crate::store::invitation::{self as store, InvitationRow};
use crate::store::notification::{OutboxRow, insert_outbox};
use crate::store::{self as stores};

/// How long an invitation link works.
pub const INVITATION_DAYS: i64 = 7;
/// Reset links one account gets at most in an hour.
const RESETS_PER_HOUR: i64 = 3;
/// How long a password-reset link works.
pub const RESET_HOURS: i64 = 1;

/// Who is invited, to what.
#[derive(Debug, Clone)]
pub struct Invitation {
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub municipality_id: Option<Uuid>,
    pub expert_id: Option<Uuid>,
    /// `en`, `nl` or `uk`: the e-mail's and the new account's language.
    pub language: String,
}

/// A fresh one-time token and its hash.
fn token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash(&token);
    (token, hash)
}

/// Where the web client opens a one-time link: `{public_url}/#/{page}/{token}` (a fragment, so the token is
/// never sent to a server in a request line or a `Referer`).
fn page_link(public_url: &str, page: &str, token: &str) -> String {
    format!("{}/#/{page}/{token}", public_url.trim_end_matches('/'))
}

fn hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// The operation and target an invitation to `role` is: an expert by their municipality's officers, a hromada
/// officer by AUC, one's own coordinating role by one's peers; anything else only by admins.
fn invite_op(p: &Principal, i: &Invitation, expert_municipality: Option<Uuid>) -> (Op, Target) {
    match (i.role, i.expert_id, expert_municipality) {
        (Role::Expert, Some(e), Some(m)) => (Op::InviteExpert, Target::expert(m, e)),
        (Role::HromadaOfficer, _, _) if p.role != Role::Admin => {
            (Op::InviteHromadaOfficer, i.municipality_id.map_or(Target::NONE, Target::municipality))
        }
        (role, _, _) if role == p.role && matches!(role, Role::PoolCoordinator | Role::NeedsCoordinator) => {
            (Op::InviteColleague, Target::NONE)
        }
        _ => (Op::ManageUsers, Target::NONE),
    }
}

fn mail(user_id: Uuid, to: &str, subject: String, body: String, at: DateTime<Utc>) -> OutboxRow {
    OutboxRow {
        id: new_id(),
        user_id,
        to_address: to.to_string(),
        subject,
        body,
        status: OutboxStatus::Pending,
        attempts: 0,
        last_error: None,
        created_at: at,
        sent_at: None,
        next_attempt_at: None,
        attachment_name: None,
        attachment_type: None,
        attachment_body: None,
    }
}

impl Services {
    /// Invites a person to an account; the e-mail with the link goes out through the outbox.
    pub async fn invite(&self, p: Option<&Principal>, i: Invitation) -> AppResult<InvitationRow> {
        let me = crate::auth::policy::require(p)?;
        let email = email("email", &i.email)?;
        let display_name = required_text("displayName", &i.display_name, crate::domain::input::MAX_TEXT)?;
        if !super::users::LANGUAGES.contains(&i.language.as_str()) {
            return Err(AppError::invalid("language", "must be one of en, nl, uk"));
        }
        let mut tx = self.db.begin().await?;
        let expert = match i.expert_id {
            Some(e) => Some(
                found(stores::expert::get(&mut tx.conn(), e).await?, "expert")
                    .map_err(|_| AppError::invalid("expertId", "no such expert"))?,
            ),
            None => None,
        };
        let (op, target) = invite_op(me, &i, expert.as_ref().map(|e| e.municipality_id));
        check(p, op, target)?;
        // The same scope rules as an account made by an admin, checked before anything is sent.
        let shape = UserInput {
            email: email.clone(),
            display_name: display_name.clone(),
            password: "x".repeat(12),
            role: i.role,
            municipality_id: i.municipality_id,
            expert_id: i.expert_id,
        };
        shape.validate()?;
        super::users::check_scope(&mut tx.conn(), i.role, i.municipality_id, i.expert_id).await?;
        if stores::user::by_email(&mut tx.conn(), &email).await?.is_some() {
            return Err(AppError::conflict("an account with this e-mail already exists"));
        }
        if let Some(e) = &expert {
            if stores::user::by_expert(&mut tx.conn(), e.id).await?.is_some() {
                return Err(AppError::conflict("this expert has an account already"));
            }
        }
        let (token, token_hash) = token();
        let at = now();
        let row = InvitationRow {
            id: new_id(),
            email: email.clone(),
            display_name,
            role: i.role,
            municipality_id: i.municipality_id,
            expert_id: i.expert_id,
            language: i.language.clone(),
            token_hash,
            invited_by: Some(me.user_id),
            created_at: at,
            expires_at: at + Duration::days(INVITATION_DAYS),
            accepted_at: None,
            user_id: None,
        };
        store::insert(&mut tx.conn(), &row).await?;
        audit(&mut tx.conn(), p, "invitation.create", row.id, None, snapshot(&row)).await?;
        let link = page_link(&self.settings.public_url, "invitation", &token);
        let lang = i.language.as_str();
        let subject = Text::new("invitation.subject").render(lang);
        let body = Text::new("invitation.body")
            .with("name", &row.display_name)
            .with("link", link)
            .with("days", INVITATION_DAYS)
            .render(lang);
        // The outbox row names the inviter as its user until the account exists.
        insert_outbox(&mut tx.conn(), &[mail(me.user_id, &email, subject, body, at)]).await?;
        tx.commit().await?;
        self.events.wake_mailer();
        Ok(row)
    }

    /// Accepts an invitation: sets the password, creates the account, and signs it in.
    pub async fn accept_invitation(&self, token: &str, new_password: &str) -> AppResult<Session> {
        password("password", new_password)?;
        let hash_of_password = hash_off_thread(new_password.to_string()).await?;
        let mut tx = self.db.begin().await?;
        let invalid = || AppError::invalid("token", "this invitation link is not valid any more; ask for a new one");
        let i = store::by_token_for_update(&mut tx.conn(), &hash(token)).await?.ok_or_else(invalid)?;
        if i.accepted_at.is_some() || i.expires_at <= now() {
            return Err(invalid());
        }
        let input = UserInput {
            email: i.email.clone(),
            display_name: i.display_name.clone(),
            password: new_password.to_string(),
            role: i.role,
            municipality_id: i.municipality_id,
            expert_id: i.expert_id,
        }
        .validate()?;
        if stores::user::by_email(&mut tx.conn(), &input.email).await?.is_some() {
            return Err(AppError::conflict("an account with this e-mail already exists"));
        }
        let mut user = insert_user(&mut tx.conn(), &input, hash_of_password).await?;
        stores::user::set_language(&mut tx.conn(), user.id, &i.language).await?;
        user.language = i.language.clone();
        store::mark_accepted(&mut tx.conn(), i.id, user.id, now()).await?;
        let principal = principal_of(&user)?;
        audit(&mut tx.conn(), Some(&principal), "user.create", user.id, None, snapshot(&user)).await?;
        tx.commit().await?;
        let token = self.tokens.issue(&principal, user.token_version)?;
        Ok(Session { token, expires_in: self.tokens.ttl_seconds, user })
    }

    /// Sends a password-reset link to the account with this e-mail, if there is an active one. The answer is
    /// the same either way, so it tells nobody whether an account exists.
    pub async fn request_password_reset(&self, address: &str) -> AppResult<()> {
        let address = email("email", address)?;
        let mut tx = self.db.begin().await?;
        let Some(user) = stores::user::by_email(&mut tx.conn(), &address).await? else {
            return Ok(());
        };
        if user.status != UserStatus::Active {
            return Ok(());
        }
        let at = now();
        // A flood of requests must not flood the person's inbox: a few links an hour, then the same answer
        // and nothing sent.
        if store::resets_since(&mut tx.conn(), user.id, at - Duration::hours(1)).await? >= RESETS_PER_HOUR {
            return Ok(());
        }
        let (token, token_hash) = token();
        store::insert_reset(&mut tx.conn(), &token_hash, user.id, at, at + Duration::hours(RESET_HOURS)).await?;
        let link = page_link(&self.settings.public_url, "reset", &token);
        let lang = user.language.as_str();
        let subject = Text::new("reset.subject").render(lang);
        let body = Text::new("reset.body").with("link", link).with("hours", RESET_HOURS).render(lang);
        insert_outbox(&mut tx.conn(), &[mail(user.id, &user.email, subject, body, at)]).await?;
        audit(&mut tx.conn(), None, "user.password_reset_requested", user.id, None, None).await?;
        tx.commit().await?;
        self.events.wake_mailer();
        Ok(())
    }

    /// Sets a new password with a reset link's token; every existing token of the account ends.
    pub async fn reset_password(&self, token: &str, new_password: &str) -> AppResult<()> {
        password("password", new_password)?;
        let hash_of_password = hash_off_thread(new_password.to_string()).await?;
        let mut tx = self.db.begin().await?;
        let at = now();
        let invalid = || AppError::invalid("token", "this reset link is not valid any more; ask for a new one");
        let user_id = store::reset_user(&mut tx.conn(), &hash(token), at).await?.ok_or_else(invalid)?;
        store::use_resets(&mut tx.conn(), user_id, at).await?;
        stores::user::set_password_hash(&mut tx.conn(), user_id, &hash_of_password).await?;
        revoke_in(&mut tx.conn(), user_id).await?;
        audit(&mut tx.conn(), None, "user.password_reset", user_id, None, None).await?;
        tx.commit().await?;
        self.sessions.revoked(user_id);
        Ok(())
    }

    /// Whether the expert has an account, or an open invitation to one.
    pub async fn expert_account_state(&self, expert_id: Uuid) -> AppResult<(bool, bool)> {
        let mut c = self.db.acquire().await?;
        let has = stores::user::by_expert(&mut c.conn(), expert_id).await?.is_some();
        let invited = store::open_for_expert(&mut c.conn(), expert_id, now()).await? > 0;
        Ok((has, invited))
    }
}
