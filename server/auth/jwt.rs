//! Access tokens: HS256 only (the algorithm is pinned), `exp`, `nbf`, `iss` and `aud` validated, a key id in the
//! header so keys can rotate: new tokens are signed with the first key, any listed key verifies.

use std::path::Path;

use anyhow::Context;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, decode_header, encode};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::Principal;
use crate::domain::{AppError, AppResult, Role};

pub const ISSUER: &str = "recovery-pool";
pub const AUDIENCE: &str = "recovery-pool";

/// One signing key.
#[derive(Clone, Serialize, Deserialize)]
pub struct SigningKey {
    pub kid: String,
    /// The secret, base64url without padding (at least 32 bytes).
    pub secret: String,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey").field("kid", &self.kid).finish_non_exhaustive()
    }
}

#[derive(Serialize, Deserialize)]
struct KeyFile {
    keys: Vec<SigningKey>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: Uuid,
    role: Role,
    #[serde(skip_serializing_if = "Option::is_none")]
    mun: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    exp_id: Option<Uuid>,
    /// The account's token version when the token was issued: a sign-out, a password change, a role or scope
    /// change and a deactivation raise it, which ends every token issued before.
    ver: i64,
    iss: String,
    aud: String,
    iat: i64,
    nbf: i64,
    exp: i64,
}

/// Issues and verifies tokens.
pub struct TokenKeys {
    keys: Vec<(String, EncodingKey, DecodingKey)>,
    pub ttl_seconds: i64,
}

impl std::fmt::Debug for TokenKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kids: Vec<&str> = self.keys.iter().map(|k| k.0.as_str()).collect();
        f.debug_struct("TokenKeys").field("kids", &kids).field("ttl_seconds", &self.ttl_seconds).finish()
    }
}

impl TokenKeys {
    pub fn new(keys: Vec<SigningKey>, ttl_seconds: i64) -> anyhow::Result<TokenKeys> {
        anyhow::ensure!(!keys.is_empty(), "at least one signing key is needed");
        let keys = keys
            .into_iter()
            .map(|k| {
                let secret = URL_SAFE_NO_PAD.decode(k.secret.trim()).context("the signing key is not base64url")?;
                anyhow::ensure!(secret.len() >= 32, "a signing key must hold at least 32 bytes");
                Ok((k.kid, EncodingKey::from_secret(&secret), DecodingKey::from_secret(&secret)))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(TokenKeys { keys, ttl_seconds })
    }

    /// Reads the key file in the data folder, creating it with a fresh random key on first start.
    pub fn load_or_create(path: &Path, ttl_seconds: i64) -> anyhow::Result<TokenKeys> {
        if !path.exists() {
            let key = generate_key();
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
            }
            let text = serde_json::to_string_pretty(&KeyFile { keys: vec![key] })?;
            write_private(path, &text).with_context(|| format!("writing {}", path.display()))?;
            tracing::info!(path = %path.display(), "generated a new token signing key");
        }
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let file: KeyFile = serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
        TokenKeys::new(file.keys, ttl_seconds)
    }

    /// A token for `p`, bound to the account's current token `version`.
    pub fn issue(&self, p: &Principal, version: i64) -> AppResult<String> {
        let (kid, enc, _) = &self.keys[0];
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: p.user_id,
            role: p.role,
            mun: p.municipality_id,
            exp_id: p.expert_id,
            ver: version,
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            iat: now,
            nbf: now,
            exp: now + self.ttl_seconds,
        };
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(kid.clone());
        encode(&header, &claims, enc).map_err(AppError::internal)
    }

    /// What a valid token says; any defect (signature, algorithm, expiry, issuer, audience, unknown key) is
    /// `Unauthenticated`, without saying which. Whether the account still honours it is the caller's check
    /// (`Services::authenticate`).
    pub fn verify(&self, token: &str) -> AppResult<VerifiedToken> {
        let header = decode_header(token).map_err(|_| AppError::Unauthenticated)?;
        if header.alg != Algorithm::HS256 {
            return Err(AppError::Unauthenticated);
        }
        let kid = header.kid.ok_or(AppError::Unauthenticated)?;
        let (_, _, dec) = self.keys.iter().find(|k| k.0 == kid).ok_or(AppError::Unauthenticated)?;
        let mut v = Validation::new(Algorithm::HS256);
        v.set_issuer(&[ISSUER]);
        v.set_audience(&[AUDIENCE]);
        v.validate_nbf = true;
        v.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub", "ver"]);
        v.leeway = 30;
        let data = decode::<Claims>(token, dec, &v).map_err(|_| AppError::Unauthenticated)?;
        let c = data.claims;
        Ok(VerifiedToken {
            principal: Principal { user_id: c.sub, role: c.role, municipality_id: c.mun, expert_id: c.exp_id },
            version: c.ver,
            expires_at: c.exp,
        })
    }
}

/// A token whose signature and claims hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedToken {
    pub principal: Principal,
    /// The account's token version it was issued under.
    pub version: i64,
    /// Expiry, in seconds since the Unix epoch.
    pub expires_at: i64,
}

/// A new random 256-bit key with a random key id.
pub fn generate_key() -> SigningKey {
    let mut secret = [0u8; 32];
    rand::rng().fill_bytes(&mut secret);
    SigningKey { kid: Uuid::new_v4().simple().to_string()[..12].to_string(), secret: URL_SAFE_NO_PAD.encode(secret) }
}

fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        let mut f = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
        f.write_all(text.as_bytes())
    }
    #[cfg(not(unix))]
    {
        std::fs::write(path, text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn principal() -> Principal {
        Principal {
            user_id: Uuid::now_v7(),
            role: Role::HromadaOfficer,
            municipality_id: Some(Uuid::now_v7()),
            expert_id: None,
        }
    }

    #[test]
    fn a_token_round_trips_to_the_same_principal() {
        let keys = TokenKeys::new(vec![generate_key()], 600).expect("keys");
        let p = principal();
        let verified = keys.verify(&keys.issue(&p, 3).expect("issue")).expect("verify");
        assert_eq!((verified.principal, verified.version), (p, 3));
    }

    #[test]
    fn a_token_signed_with_another_key_is_refused() {
        let a = TokenKeys::new(vec![generate_key()], 600).expect("keys");
        let b = TokenKeys::new(vec![generate_key()], 600).expect("keys");
        let t = a.issue(&principal(), 0).expect("issue");
        assert!(matches!(b.verify(&t), Err(AppError::Unauthenticated)));
    }

    #[test]
    fn an_expired_token_is_refused() {
        let keys = TokenKeys::new(vec![generate_key()], -120).expect("keys");
        let t = keys.issue(&principal(), 0).expect("issue");
        assert!(matches!(keys.verify(&t), Err(AppError::Unauthenticated)));
    }

    #[test]
    fn a_token_with_the_none_algorithm_is_refused() {
        let keys = TokenKeys::new(vec![generate_key()], 600).expect("keys");
        let t = keys.issue(&principal(), 0).expect("issue");
        let mut parts: Vec<&str> = t.split('.').collect();
        let none = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT","kid":"x"}"#);
        parts[0] = &none;
        let forged = format!("{}.{}.", parts[0], parts[1]);
        assert!(matches!(keys.verify(&forged), Err(AppError::Unauthenticated)));
    }

    #[test]
    fn rotated_keys_still_verify_tokens_of_the_old_key() {
        let old = generate_key();
        let before = TokenKeys::new(vec![old.clone()], 600).expect("keys");
        let t = before.issue(&principal(), 0).expect("issue");
        let after = TokenKeys::new(vec![generate_key(), old], 600).expect("keys");
        assert!(after.verify(&t).is_ok());
    }
}
