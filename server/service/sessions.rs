//! Which tokens still count. A token is honoured while its account is active and its token version is the
//! account's current one; signing out, a password change and a status change raise the version, so every
//! token issued before ends on its next request, and every open subscription of the account is closed.
//!
//! The account's state is cached for [`CACHE_TTL`] so that a request does not pay a statement for it. This
//! replica forgets its entry the moment it revokes; another replica sharing the database notices within the
//! TTL at most.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use tokio::sync::broadcast;
use uuid::Uuid;

use super::Services;
use crate::auth::jwt::VerifiedToken;
use crate::domain::{AppError, AppResult, UserStatus};
use crate::store::{self, Conn};

/// How long one replica trusts what it read of an account.
pub const CACHE_TTL: Duration = Duration::from_secs(5);
/// Accounts remembered at most; past it the cache starts over (a cold read per account is cheap).
const CACHE_MAX: usize = 50_000;

#[derive(Debug, Clone, Copy)]
struct AccountState {
    active: bool,
    version: i64,
    read_at: Instant,
}

/// The cache of account states and the channel that tells open connections of a revocation.
pub struct Sessions {
    accounts: Mutex<HashMap<Uuid, AccountState>>,
    revoked: broadcast::Sender<Uuid>,
}

impl Default for Sessions {
    fn default() -> Self {
        Sessions { accounts: Mutex::new(HashMap::new()), revoked: broadcast::channel(256).0 }
    }
}

impl Sessions {
    fn cached(&self, user: Uuid) -> Option<AccountState> {
        let map = self.accounts.lock().unwrap_or_else(|p| p.into_inner());
        map.get(&user).copied().filter(|s| s.read_at.elapsed() < CACHE_TTL)
    }

    fn remember(&self, user: Uuid, state: AccountState) {
        let mut map = self.accounts.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= CACHE_MAX {
            map.clear();
        }
        map.insert(user, state);
    }

    /// Forgets the account and tells its open connections to re-check (call after the revoking commit).
    pub fn revoked(&self, user: Uuid) {
        self.accounts.lock().unwrap_or_else(|p| p.into_inner()).remove(&user);
        let _ = self.revoked.send(user);
    }

    /// Accounts whose tokens were revoked on this replica, as they happen.
    pub fn revocations(&self) -> broadcast::Receiver<Uuid> {
        self.revoked.subscribe()
    }
}

impl Services {
    /// The token, if it is valid and its account still honours it; `Unauthenticated` otherwise, without saying
    /// why.
    pub async fn authenticate(&self, token: &str) -> AppResult<VerifiedToken> {
        let t = self.tokens.verify(token)?;
        let user = t.principal.user_id;
        let state = match self.sessions.cached(user) {
            Some(s) => s,
            None => {
                let row = {
                    let mut c = self.db.acquire().await?;
                    store::user::token_state(&mut c.conn(), user).await?
                };
                let state = AccountState {
                    active: row.as_ref().is_some_and(|r| r.status == UserStatus::Active),
                    version: row.map_or(-1, |r| r.token_version),
                    read_at: Instant::now(),
                };
                self.sessions.remember(user, state);
                state
            }
        };
        if state.active && state.version == t.version { Ok(t) } else { Err(AppError::Unauthenticated) }
    }
}

/// Ends every token of the account, in the caller's transaction; call [`Sessions::revoked`] after the commit.
pub async fn revoke_in(conn: &mut Conn<'_>, user: Uuid) -> AppResult<()> {
    store::user::raise_token_version(conn, user).await?;
    Ok(())
}
