//! An optional second factor for admins and fund officers: a time-based one-time code (TOTP, RFC 6238: SHA-1,
//! six digits, 30-second steps, one step of clock drift either way) from any authenticator app. Setting it up
//! proposes a secret, which counts only once a code from it is confirmed; from then on signing in asks for a
//! code after the password, and each code works once. Turning it off takes a current code; an admin may remove
//! it from an account whose owner lost their device.

use chrono::Utc;
use rand::RngCore;
use totp_rs::{Algorithm, TOTP};
use uuid::Uuid;

use super::{Services, audit, found, now};
use crate::auth::Principal;
use crate::auth::policy::{Op, Target, check, require};
use crate::domain::{AppError, AppResult};
use crate::store;
use crate::store::Conn;
use crate::store::user::SecondFactor;

const ISSUER: &str = "recovery-pool";
const STEP_SECONDS: u64 = 30;

/// A proposed secret, to put into an authenticator app.
#[derive(Debug, Clone)]
pub struct TotpSetup {
    /// The secret in base32, to type in.
    pub secret: String,
    /// `otpauth://totp/…`, for a QR code.
    pub uri: String,
}

fn totp(secret_base32: &str, account: &str) -> AppResult<TOTP> {
    let bytes = totp_rs::Secret::Encoded(secret_base32.to_string())
        .to_bytes()
        .map_err(|e| AppError::internal(anyhow::anyhow!("the stored second-factor secret: {e:?}")))?;
    TOTP::new(Algorithm::SHA1, 6, 1, STEP_SECONDS, bytes, Some(ISSUER.into()), account.to_string())
        .map_err(|e| AppError::internal(anyhow::anyhow!("the second-factor secret: {e:?}")))
}

/// The time step at which `code` is valid (now, or one step either side), if any.
fn matching_step(t: &TOTP, code: &str) -> Option<i64> {
    let code = code.trim().replace(' ', "");
    let now = Utc::now().timestamp().max(0) as u64 / STEP_SECONDS;
    [now.saturating_sub(1), now, now + 1]
        .into_iter()
        .find(|step| constant_time_eq(t.generate(step * STEP_SECONDS).as_bytes(), code.as_bytes()))
        .map(|s| s as i64)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

const FIELD: &str = "totpCode";

/// Checks a code of the account's confirmed second factor inside `conn` and uses its step up.
pub(super) async fn verify_code(conn: &mut Conn<'_>, user: &store::user::UserRow, code: Option<&str>) -> AppResult<()> {
    let f = store::user::second_factor(conn, user.id).await?;
    let (Some(secret), Some(_)) = (f.totp_secret, f.totp_enabled_at) else { return Ok(()) };
    let Some(code) = code.filter(|c| !c.trim().is_empty()) else {
        return Err(AppError::invalid(FIELD, "enter the six-digit code from your authenticator app"));
    };
    let t = totp(&secret, &user.email)?;
    match matching_step(&t, code) {
        Some(step) if store::user::claim_step(conn, user.id, step).await? => Ok(()),
        Some(_) => Err(AppError::invalid(FIELD, "this code was used already; wait for the next one")),
        None => Err(AppError::invalid(FIELD, "the code is not right (or your device's clock is off)")),
    }
}

impl Services {
    /// Whether the account has a confirmed second factor.
    pub async fn second_factor_enabled(&self, user_id: Uuid) -> AppResult<bool> {
        let mut c = self.db.acquire().await?;
        Ok(store::user::second_factor(&mut c.conn(), user_id).await?.totp_enabled_at.is_some())
    }

    /// Proposes a new secret for the signed-in admin or fund officer; it counts once confirmed.
    pub async fn start_second_factor(&self, p: Option<&Principal>) -> AppResult<TotpSetup> {
        let me = require(p)?;
        check(p, Op::UseSecondFactor, Target::NONE)?;
        let mut tx = self.db.begin().await?;
        let user = found(store::user::get(&mut tx.conn(), me.user_id).await?, "user")?;
        let current = store::user::second_factor(&mut tx.conn(), me.user_id).await?;
        if current.totp_enabled_at.is_some() {
            return Err(AppError::conflict("a second factor is set up already: turn it off first to replace it"));
        }
        let mut bytes = [0u8; 20];
        rand::rng().fill_bytes(&mut bytes);
        let secret = totp_rs::Secret::Raw(bytes.to_vec()).to_encoded().to_string();
        let t = totp(&secret, &user.email)?;
        let proposed = SecondFactor { totp_secret: Some(secret.clone()), totp_enabled_at: None, totp_last_step: None };
        store::user::set_second_factor(&mut tx.conn(), me.user_id, &proposed).await?;
        tx.commit().await?;
        Ok(TotpSetup { secret, uri: t.get_url() })
    }

    /// Confirms the proposed secret with a code from it: from now on signing in asks for a code.
    pub async fn confirm_second_factor(&self, p: Option<&Principal>, code: &str) -> AppResult<()> {
        let me = require(p)?;
        check(p, Op::UseSecondFactor, Target::NONE)?;
        let mut tx = self.db.begin().await?;
        let user = found(store::user::get(&mut tx.conn(), me.user_id).await?, "user")?;
        let f = store::user::second_factor(&mut tx.conn(), me.user_id).await?;
        let Some(secret) = f.totp_secret.filter(|_| f.totp_enabled_at.is_none()) else {
            return Err(AppError::conflict("there is no proposed second factor to confirm: start the set-up first"));
        };
        let step = matching_step(&totp(&secret, &user.email)?, code)
            .ok_or_else(|| AppError::invalid("code", "the code is not right (or your device's clock is off)"))?;
        let enabled =
            SecondFactor { totp_secret: Some(secret), totp_enabled_at: Some(now()), totp_last_step: Some(step) };
        store::user::set_second_factor(&mut tx.conn(), me.user_id, &enabled).await?;
        audit(&mut tx.conn(), p, "user.second_factor_on", me.user_id, None, None).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Turns the caller's second factor off (with a current code), or an admin removes another account's.
    pub async fn remove_second_factor(
        &self,
        p: Option<&Principal>,
        user_id: Uuid,
        code: Option<&str>,
    ) -> AppResult<()> {
        let me = require(p)?;
        let mut tx = self.db.begin().await?;
        let user = found(store::user::get(&mut tx.conn(), user_id).await?, "user")?;
        if me.user_id == user_id {
            check(p, Op::UseSecondFactor, Target::NONE)?;
            let f = store::user::second_factor(&mut tx.conn(), user_id).await?;
            if let (Some(secret), Some(_)) = (f.totp_secret, f.totp_enabled_at) {
                let t = totp(&secret, &user.email)?;
                if code.and_then(|c| matching_step(&t, c)).is_none() {
                    return Err(AppError::invalid("code", "give a current code from your authenticator app"));
                }
            }
        } else {
            check(p, Op::ManageUsers, Target::NONE)?;
        }
        store::user::set_second_factor(&mut tx.conn(), user_id, &SecondFactor::default()).await?;
        audit(&mut tx.conn(), p, "user.second_factor_off", user_id, None, None).await?;
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_matches_its_own_step_and_its_neighbours_only() {
        let t = totp("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "admin@example.org").expect("a secret");
        let now = Utc::now().timestamp() as u64 / STEP_SECONDS;
        assert_eq!(matching_step(&t, &t.generate(now * STEP_SECONDS)), Some(now as i64));
        assert!(matching_step(&t, &t.generate((now - 1) * STEP_SECONDS)).is_some(), "one step of drift");
        assert_eq!(matching_step(&t, &t.generate((now - 3) * STEP_SECONDS)), None);
        assert_eq!(matching_step(&t, "12345"), None);
    }
}
