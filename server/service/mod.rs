//! Use cases: authorize → validate → transaction → write → audit. Used by the GraphQL API and the CLI alike;
//! neither of them touches the store directly.

pub mod assignments;
pub mod audit_log;
pub mod batch;
pub mod community;
pub mod demo;
pub mod events;
pub mod expert_sheet;
pub mod experts;
pub mod exports;
pub mod fund;
pub mod fund_account;
pub mod hours;
pub mod info_sessions;
pub mod invitations;
pub mod ledger;
pub mod matching;
pub mod municipalities;
pub mod need_sheet;
pub mod needs;
pub mod network;
pub mod notifications;
pub mod plans;
pub mod privacy;
pub mod programmes;
pub mod reference;
pub mod second_factor;
pub mod sessions;
pub mod sheet;
pub mod skills;
pub mod statistics;
pub mod users;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use crate::auth::Principal;
use crate::auth::jwt::TokenKeys;
use crate::auth::rate_limit::LoginLimiter;
use crate::config::WorkflowSettings;
use crate::domain::{AppError, AppResult, new_id};
use crate::store::audit::AuditRow;
use crate::store::{Conn, Db};

/// The largest page a list returns.
pub const MAX_PAGE: usize = 100;
/// The page size when a client names none.
pub const DEFAULT_PAGE: usize = 20;

/// Everything a use case needs: the database, the token keys and the login limiter.
#[derive(Clone)]
pub struct Services {
    pub db: Db,
    pub tokens: Arc<TokenKeys>,
    pub limiter: Arc<LoginLimiter>,
    pub settings: Arc<WorkflowSettings>,
    /// Live events for subscriptions (fanned out across replicas on PostgreSQL).
    pub events: events::EventHub,
    /// Which tokens still count.
    pub sessions: Arc<sessions::Sessions>,
}

impl Services {
    pub fn new(db: Db, tokens: TokenKeys) -> Services {
        Services {
            db,
            tokens: Arc::new(tokens),
            limiter: Arc::new(LoginLimiter::new()),
            settings: Arc::new(WorkflowSettings::default()),
            events: events::EventHub::new(),
            sessions: Arc::new(sessions::Sessions::default()),
        }
    }

    pub fn with_settings(mut self, settings: WorkflowSettings) -> Services {
        self.settings = Arc::new(settings);
        self
    }
}

/// The current time, truncated to microseconds so it reads back equal from both databases.
pub fn now() -> DateTime<Utc> {
    let t = Utc::now();
    DateTime::from_timestamp_micros(t.timestamp_micros()).unwrap_or(t)
}

/// A checked page request: `first` within 1..=MAX_PAGE.
pub fn page_size(first: Option<i32>) -> AppResult<usize> {
    match first {
        None => Ok(DEFAULT_PAGE),
        Some(n) if n >= 1 && n as usize <= MAX_PAGE => Ok(n as usize),
        Some(_) => Err(AppError::invalid("first", format!("must be between 1 and {MAX_PAGE}"))),
    }
}

/// A row as the audit log keeps it.
pub fn snapshot<T: Serialize>(row: &T) -> Option<serde_json::Value> {
    Some(serde_json::to_value(row).unwrap_or(serde_json::Value::Null))
}

/// Appends one audit event, in the caller's transaction.
pub async fn audit(
    conn: &mut Conn<'_>,
    actor: Option<&Principal>,
    action: &str,
    object_id: Uuid,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> AppResult<()> {
    let object_type = action.split('.').next().unwrap_or(action);
    let (mut before, mut after) = (before, after);
    if PEOPLE.contains(&object_type) {
        minimise_personal(&mut before, &mut after);
    }
    for state in [before.as_mut(), after.as_mut()].into_iter().flatten() {
        mask_bank_details(state);
    }
    let row = AuditRow {
        id: new_id(),
        at: now(),
        actor_id: actor.map(|p| p.user_id),
        actor_role: actor.map(|p| p.role),
        action: action.to_string(),
        object_type: object_type.to_string(),
        object_id,
        before_state: before.map(|v| v.to_string()),
        after_state: after.map(|v| v.to_string()),
        seq: None,
        prev_hash: None,
        hash: None,
    };
    crate::store::audit::append(conn, &row).await
}

/// The kinds of objects whose audit states would name a person.
const PEOPLE: [&str; 3] = ["expert", "user", "invitation"];
/// Their fields that identify or contact the person.
const PERSONAL_FIELDS: [&str; 5] = ["name", "email", "phone", "bio", "display_name"];

/// The audit trail is append-only and hash-chained, so it can never be erased from: it keeps that a person's
/// name, address, phone or bio was set or changed, by whom and when, but never the values.
fn minimise_personal(before: &mut Option<serde_json::Value>, after: &mut Option<serde_json::Value>) {
    mask_personal(before.as_mut(), after.as_mut());
}

/// Masks the personal fields of two versions of one object, and of the objects nested in it (`{expert: {...}}`).
fn mask_personal(before: Option<&mut serde_json::Value>, after: Option<&mut serde_json::Value>) {
    use serde_json::Value;
    let (before, after) = (before.and_then(Value::as_object_mut), after.and_then(Value::as_object_mut));
    let mut keys: Vec<String> = before.iter().chain(after.iter()).flat_map(|m| m.keys().cloned()).collect();
    keys.sort();
    keys.dedup();
    let (mut before, mut after) = (before, after);
    for key in keys {
        let old = before.as_mut().and_then(|m| m.get_mut(&key));
        let new = after.as_mut().and_then(|m| m.get_mut(&key));
        if !PERSONAL_FIELDS.contains(&key.as_str()) {
            mask_personal(old, new);
            continue;
        }
        let changed = matches!((&old, &new), (Some(o), Some(n)) if o != n);
        if let Some(v) = old.filter(|v| !v.is_null()) {
            *v = Value::String("(personal)".into());
        }
        if let Some(v) = new.filter(|v| !v.is_null()) {
            *v = Value::String(if changed { "(personal, changed)" } else { "(personal)" }.into());
        }
    }
}

/// Fields that hold bank account details or transfer references.
const BANK_FIELDS: [&str; 3] = ["account_iban", "account_holder", "bank_reference"];

/// Bank account details and references are for fund officers and admins only; the audit log, which pool
/// coordinators read too, records that they were set, not what they are (the fund's own rows keep them).
fn mask_bank_details(state: &mut serde_json::Value) {
    if let Some(map) = state.as_object_mut() {
        for (key, value) in map.iter_mut() {
            if BANK_FIELDS.contains(&key.as_str()) && !value.is_null() {
                *value = serde_json::Value::String("(bank detail)".into());
            } else {
                mask_bank_details(value);
            }
        }
    }
}

/// Unwraps a looked-up row or says which kind of object was not found.
pub fn found<T>(row: Option<T>, what: &'static str) -> AppResult<T> {
    row.ok_or(AppError::not_found(what))
}
