//! Accounts: signing in, creating users, the first admin.

use uuid::Uuid;

use super::sessions::revoke_in;
use super::{Services, audit, found, now, page_size, snapshot};
use crate::auth::policy::{Op, Target, check, require};
use crate::auth::{Principal, password};
use crate::domain::input::UserInput;
use crate::domain::{AppError, AppResult, OnUnique, Role, Side, UserStatus, new_id};
use crate::store::sql::Page;
use crate::store::user::UserRow;
use crate::store::{self, Conn};

/// A successful sign-in.
#[derive(Debug, Clone)]
pub struct Session {
    pub token: String,
    pub expires_in: i64,
    pub user: UserRow,
}

const BAD_LOGIN: &str = "invalid e-mail or password";

pub fn principal_of(u: &UserRow) -> AppResult<Principal> {
    Ok(Principal { user_id: u.id, role: u.role, municipality_id: u.municipality_id, expert_id: u.expert_id })
}

pub(super) async fn hash_off_thread(password: String) -> AppResult<String> {
    tokio::task::spawn_blocking(move || password::hash(&password)).await.map_err(AppError::internal)?
}

/// The languages the service speaks.
pub const LANGUAGES: &[&str] = &["en", "nl", "uk"];

impl Services {
    /// Signs in. Every failure reads the same, whether the account exists or not, and takes as long.
    pub async fn login(&self, email: &str, pass: &str, client: &str) -> AppResult<Session> {
        self.login_with_code(email, pass, None, client).await
    }

    /// Signs in with the password and, for an account with a second factor, a current code from it. A wrong
    /// code counts as a failed attempt, like a wrong password.
    pub async fn login_with_code(
        &self,
        email: &str,
        pass: &str,
        code: Option<&str>,
        client: &str,
    ) -> AppResult<Session> {
        let email = email.trim().to_lowercase();
        if self.limiter.is_blocked(&email, client) {
            return Err(AppError::forbidden("too many failed sign-in attempts; try again later"));
        }
        let user = {
            let mut c = self.db.acquire().await?;
            store::user::by_email(&mut c.conn(), &email).await?
        };
        let hash = user.as_ref().map_or_else(|| password::decoy_hash().to_string(), |u| u.password_hash.clone());
        let pass = pass.to_string();
        let ok =
            tokio::task::spawn_blocking(move || password::verify(&pass, &hash)).await.map_err(AppError::internal)?;
        let user = match user {
            Some(u) if ok && u.status == UserStatus::Active => u,
            _ => {
                self.limiter.record_failure(&email, client);
                return Err(AppError::invalid("password", BAD_LOGIN));
            }
        };
        {
            let mut c = self.db.acquire().await?;
            if let Err(e) = super::second_factor::verify_code(&mut c.conn(), &user, code).await {
                if code.is_some() {
                    self.limiter.record_failure(&email, client);
                }
                return Err(e);
            }
        }
        self.limiter.record_success(&email, client);
        let token = self.tokens.issue(&principal_of(&user)?, user.token_version)?;
        Ok(Session { token, expires_in: self.tokens.ttl_seconds, user })
    }

    pub async fn me(&self, p: Option<&Principal>) -> AppResult<UserRow> {
        let p = require(p)?;
        let mut c = self.db.acquire().await?;
        found(store::user::get(&mut c.conn(), p.user_id).await?, "user")
    }

    pub async fn create_user(&self, p: Option<&Principal>, input: UserInput) -> AppResult<UserRow> {
        check(p, Op::ManageUsers, Target::NONE)?;
        let input = input.validate()?;
        let hash = hash_off_thread(input.password.clone()).await?;
        let mut tx = self.db.begin().await?;
        let user = insert_user(&mut tx.conn(), &input, hash).await?;
        audit(&mut tx.conn(), p, "user.create", user.id, None, snapshot(&user)).await?;
        tx.commit().await?;
        Ok(user)
    }

    pub async fn set_user_status(&self, p: Option<&Principal>, id: Uuid, status: UserStatus) -> AppResult<UserRow> {
        check(p, Op::ManageUsers, Target::NONE)?;
        if p.is_some_and(|p| p.user_id == id) && status == UserStatus::Disabled {
            return Err(AppError::invalid("id", "you cannot disable your own account"));
        }
        let mut tx = self.db.begin().await?;
        let before = found(store::user::get(&mut tx.conn(), id).await?, "user")?;
        store::user::set_status(&mut tx.conn(), id, status).await?;
        revoke_in(&mut tx.conn(), id).await?;
        let after = UserRow { status, token_version: before.token_version + 1, ..before.clone() };
        audit(&mut tx.conn(), p, "user.set_status", id, snapshot(&before), snapshot(&after)).await?;
        tx.commit().await?;
        self.sessions.revoked(id);
        Ok(after)
    }

    /// Chooses the language of the user's own interface, notifications and e-mails.
    pub async fn set_language(&self, p: Option<&Principal>, language: &str) -> AppResult<UserRow> {
        let me = crate::auth::policy::require(p)?;
        if !LANGUAGES.contains(&language) {
            return Err(AppError::invalid("language", "must be one of en, nl, uk"));
        }
        let mut tx = self.db.begin().await?;
        let before = found(store::user::get(&mut tx.conn(), me.user_id).await?, "user")?;
        if before.language == language {
            return Ok(before);
        }
        store::user::set_language(&mut tx.conn(), me.user_id, language).await?;
        let after = UserRow { language: language.to_string(), ..before.clone() };
        audit(&mut tx.conn(), p, "user.set_language", me.user_id, snapshot(&before), snapshot(&after)).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Sets a new password: admins for anyone, every user for themselves with their current password. Every
    /// token of the account ends (its owner signs in again with the new password).
    pub async fn set_password(
        &self,
        p: Option<&Principal>,
        id: Uuid,
        current_password: Option<&str>,
        new_password: &str,
    ) -> AppResult<()> {
        let caller = require(p)?;
        let own = caller.user_id == id;
        if !own {
            check(p, Op::ManageUsers, Target::NONE)?;
        }
        crate::domain::input::password("password", new_password)?;
        if own {
            let current = current_password
                .ok_or_else(|| AppError::invalid("currentPassword", "give your current password to change it"))?;
            let user = {
                let mut c = self.db.acquire().await?;
                found(store::user::get(&mut c.conn(), id).await?, "user")?
            };
            let (current, hash) = (current.to_string(), user.password_hash);
            let ok = tokio::task::spawn_blocking(move || password::verify(&current, &hash))
                .await
                .map_err(AppError::internal)?;
            if !ok {
                return Err(AppError::invalid("currentPassword", "is not your current password"));
            }
        }
        let hash = hash_off_thread(new_password.to_string()).await?;
        let mut tx = self.db.begin().await?;
        found(store::user::get(&mut tx.conn(), id).await?, "user")?;
        store::user::set_password_hash(&mut tx.conn(), id, &hash).await?;
        revoke_in(&mut tx.conn(), id).await?;
        audit(&mut tx.conn(), p, "user.set_password", id, None, None).await?;
        tx.commit().await?;
        self.sessions.revoked(id);
        Ok(())
    }

    /// Signs the caller out everywhere: every token of theirs ends, and their open subscriptions close.
    pub async fn sign_out(&self, p: Option<&Principal>) -> AppResult<()> {
        let caller = require(p)?;
        let mut tx = self.db.begin().await?;
        revoke_in(&mut tx.conn(), caller.user_id).await?;
        audit(&mut tx.conn(), p, "user.sign_out", caller.user_id, None, None).await?;
        tx.commit().await?;
        self.sessions.revoked(caller.user_id);
        Ok(())
    }

    pub async fn users(
        &self,
        p: Option<&Principal>,
        after: Option<Uuid>,
        first: Option<i32>,
    ) -> AppResult<Page<UserRow>> {
        check(p, Op::ManageUsers, Target::NONE)?;
        let first = page_size(first)?;
        let mut c = self.db.acquire().await?;
        store::user::list(&mut c.conn(), after, first).await
    }

    pub async fn count_users(&self, p: Option<&Principal>) -> AppResult<i64> {
        check(p, Op::ManageUsers, Target::NONE)?;
        let mut c = self.db.acquire().await?;
        store::user::count_all(&mut c.conn()).await
    }

    /// Creates an account from the command line or at first start (the system acts, so no principal).
    pub async fn create_user_as_system(&self, input: UserInput) -> AppResult<UserRow> {
        let input = input.validate()?;
        let hash = hash_off_thread(input.password.clone()).await?;
        let mut tx = self.db.begin().await?;
        let user = insert_user(&mut tx.conn(), &input, hash).await?;
        audit(&mut tx.conn(), None, "user.create", user.id, None, snapshot(&user)).await?;
        tx.commit().await?;
        Ok(user)
    }

    pub async fn has_users(&self) -> AppResult<bool> {
        let mut c = self.db.acquire().await?;
        Ok(store::user::count_all(&mut c.conn()).await? > 0)
    }

    /// Sets a password from the command line, by e-mail.
    pub async fn reset_password_as_system(&self, email: &str, new_password: &str) -> AppResult<()> {
        crate::domain::input::password("password", new_password)?;
        let hash = hash_off_thread(new_password.to_string()).await?;
        let mut tx = self.db.begin().await?;
        let user = found(store::user::by_email(&mut tx.conn(), &email.trim().to_lowercase()).await?, "user")?;
        store::user::set_password_hash(&mut tx.conn(), user.id, &hash).await?;
        revoke_in(&mut tx.conn(), user.id).await?;
        audit(&mut tx.conn(), None, "user.set_password", user.id, None, None).await?;
        tx.commit().await?;
        self.sessions.revoked(user.id);
        Ok(())
    }

    /// All users, for the command line.
    pub async fn all_users_as_system(&self) -> AppResult<Vec<UserRow>> {
        let mut c = self.db.acquire().await?;
        let mut out = Vec::new();
        let mut after = None;
        loop {
            let page = store::user::list(&mut c.conn(), after, super::MAX_PAGE).await?;
            after = page.items.last().map(|u| u.id);
            out.extend(page.items);
            if !page.has_next {
                return Ok(out);
            }
        }
    }
}

/// Checks an account's scope against the database: an officer's municipality exists and lies on their role's
/// side, an expert's profile exists.
pub(super) async fn check_scope(
    conn: &mut Conn<'_>,
    role: Role,
    municipality_id: Option<Uuid>,
    expert_id: Option<Uuid>,
) -> AppResult<()> {
    if let Some(m) = municipality_id {
        let mun = found(store::municipality::get(conn, m).await?, "municipality")
            .map_err(|_| AppError::invalid("municipalityId", "no such municipality"))?;
        let side = match role {
            Role::HromadaOfficer => Side::Recovering,
            _ => Side::Contributing,
        };
        if mun.side != side {
            return Err(AppError::invalid("municipalityId", format!("a {role} belongs to a {side} municipality")));
        }
    }
    if let Some(e) = expert_id {
        if store::expert::get(conn, e).await?.is_none() {
            return Err(AppError::invalid("expertId", "no such expert"));
        }
    }
    Ok(())
}

/// Checks the scope references against the database and inserts the account.
pub(super) async fn insert_user(conn: &mut Conn<'_>, input: &UserInput, password_hash: String) -> AppResult<UserRow> {
    check_scope(conn, input.role, input.municipality_id, input.expert_id).await?;
    let user = UserRow {
        id: new_id(),
        email: input.email.clone(),
        display_name: input.display_name.clone(),
        password_hash,
        role: input.role,
        municipality_id: input.municipality_id,
        expert_id: input.expert_id,
        status: UserStatus::Active,
        created_at: now(),
        token_version: 0,
        language: "en".into(),
    };
    if store::user::by_email(conn, &user.email).await?.is_some() {
        return Err(AppError::conflict("an account with this e-mail already exists"));
    }
    store::user::insert(conn, &user).await.on_unique("email")?;
    Ok(user)
}
