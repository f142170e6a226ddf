//! Each person's rights over their data: their own copy of everything the service holds about them, erasure,
//! consent that can be withdrawn, and contact details erased after a retention period once an expert left.
//!
//! Erasure keeps what accountability needs, without the person: the expert row and the account stay (so
//! assignments, hours reports, the contribution ledger's totals and the audit trail keep their ids and still add
//! up) but carry a stand-in name and an address under `.invalid`; the person's skills, languages, feedback text,
//! notices, e-mails, reset links and unaccepted invitations go; their name and address are replaced wherever other
//! people's notices, e-mails and matching explanations quote them. The audit trail is not rewritten: since it
//! keeps no personal fields (see `minimise_personal` in the service module), there is nothing in it to erase.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{Services, audit, found, now};
use crate::auth::Principal;
use crate::auth::policy::{Op, Target, check, require};
use crate::domain::{AppError, AppResult};
use crate::store;
use crate::store::privacy as privacy_store;

/// Audit events listed in a person's copy at most (the oldest first); the summary says when there were more.
const AUDIT_IN_COPY: i64 = 10_000;
/// Experts whose contact details one retention run erases at most.
const RETENTION_BATCH: i64 = 200;
/// The name an erased expert's row and account carry from then on.
pub const ERASED_NAME: &str = "Erased person";
const ERASED_MENTION: &str = "an erased person";
const ERASED_ADDRESS_MENTION: &str = "an erased address";

/// A person's own copy: the data as JSON, and a short summary to read first.
#[derive(Debug, Clone)]
pub struct PersonalData {
    pub generated_at: DateTime<Utc>,
    pub summary: String,
    pub data: Value,
}

/// What an erasure did.
#[derive(Debug, Clone)]
pub struct Erasure {
    pub erased_at: DateTime<Utc>,
    pub expert_id: Option<Uuid>,
    pub user_id: Option<Uuid>,
}

impl Services {
    /// Everything the service holds about the signed-in person.
    pub async fn my_data(&self, p: Option<&Principal>) -> AppResult<PersonalData> {
        let me = require(p)?;
        check(p, Op::ReadOwnData, Target::own(me))?;
        let mut c = self.db.acquire().await?;
        let user = found(store::user::get(&mut c.conn(), me.user_id).await?, "user")?;
        let mut data = json!({
            "generatedAt": now(),
            "about": "Everything recovery-pool holds about you. Ids link the sections; times are UTC.",
            "account": user,
        });
        let mut lines =
            vec![format!("Account: {} <{}>, {} ({}).", user.display_name, user.email, user.role, user.status)];
        if let Some(expert_id) = user.expert_id {
            let expert = found(store::expert::get(&mut c.conn(), expert_id).await?, "expert")?;
            let skills = store::expert::skills_of(&mut c.conn(), &[expert_id]).await?;
            let languages = store::expert::languages_of(&mut c.conn(), &[expert_id]).await?;
            let consent = privacy_store::consent_state(&mut c.conn(), expert_id).await?;
            let assignments = store::assignment::of_expert(&mut c.conn(), expert_id).await?;
            let mut hours = Vec::new();
            for a in &assignments {
                hours.extend(store::hours::of_assignment(&mut c.conn(), a.id).await?);
            }
            lines.push(format!(
                "Expert profile: {}, {}; {} skills, {} languages; in the pool since you agreed on {}{}.",
                expert.name,
                expert.job_title,
                skills.len(),
                languages.len(),
                expert.consent_date,
                consent
                    .consent_withdrawn_at
                    .map(|d| format!(", consent withdrawn on {}", d.date_naive()))
                    .unwrap_or_default()
            ));
            let total: i64 = hours.iter().map(|h| i64::from(h.hours)).sum();
            lines.push(format!(
                "Assignments: {}; hours reported: {total} in {} monthly reports.",
                assignments.len(),
                hours.len()
            ));
            data["expertProfile"] =
                json!({"profile": expert, "skills": skills, "languages": languages, "consent": consent});
            data["assignments"] = json!(assignments);
            data["hoursReports"] = json!(hours);
        }
        let notifications = privacy_store::notifications_of(&mut c.conn(), me.user_id).await?;
        let emails = store::notification::outbox_of(&mut c.conn(), me.user_id).await?;
        let invitations = privacy_store::invitations_of(&mut c.conn(), me.user_id, user.expert_id).await?;
        let events = privacy_store::audit_about(&mut c.conn(), me.user_id, user.expert_id, AUDIT_IN_COPY + 1).await?;
        lines.push(format!("Notifications: {}; e-mails sent or waiting: {}.", notifications.len(), emails.len()));
        lines.push(format!("Invitations naming you: {}.", invitations.len()));
        let shown = events.len().min(AUDIT_IN_COPY as usize);
        lines.push(if events.len() > shown {
            format!("Audit events by you or about you: the first {shown} (there are more; ask an admin for the rest).")
        } else {
            format!("Audit events by you or about you: {shown}.")
        });
        data["notifications"] = json!(notifications);
        data["emails"] = json!(emails);
        data["invitations"] = json!(invitations);
        data["auditEvents"] = json!(events.into_iter().take(shown).collect::<Vec<_>>());
        Ok(PersonalData { generated_at: now(), summary: lines.join("\n"), data })
    }

    /// When the expert withdrew consent, left the pool, and had contact details or everything erased; for callers
    /// who see the expert's contact details (the caller checks that).
    pub async fn consent_record(&self, expert_id: Uuid) -> AppResult<privacy_store::ConsentState> {
        let mut c = self.db.acquire().await?;
        privacy_store::consent_state(&mut c.conn(), expert_id).await
    }

    /// Erases an expert (and their account, if they have one): an admin, or the expert's municipality officer.
    /// Refused while one of their assignments is still open: it must be ended through its workflow first.
    pub async fn erase_expert(&self, p: Option<&Principal>, expert_id: Uuid) -> AppResult<Erasure> {
        require(p)?;
        let mut tx = self.db.begin().await?;
        let expert = found(store::expert::get_for_update(&mut tx.conn(), expert_id).await?, "expert")?;
        check(p, Op::ErasePerson, Target::expert(expert.municipality_id, expert_id))?;
        if privacy_store::consent_state(&mut tx.conn(), expert_id).await?.erased_at.is_some() {
            return Err(AppError::invalid("id", "this person has been erased already"));
        }
        let open = store::assignment::of_expert(&mut tx.conn(), expert_id)
            .await?
            .into_iter()
            .filter(|a| a.status.is_open())
            .count();
        if open > 0 {
            return Err(AppError::invalid(
                "id",
                format!(
                    "{open} assignment(s) of this expert are still open: withdraw, cancel or complete them before \
                     erasing"
                ),
            ));
        }
        let at = now();
        privacy_store::erase_expert(&mut tx.conn(), expert_id, ERASED_NAME, at).await?;
        privacy_store::drop_open_invitations(&mut tx.conn(), expert_id, &expert.email).await?;
        privacy_store::scrub_mentions(&mut tx.conn(), &expert.name, ERASED_MENTION).await?;
        privacy_store::scrub_mentions(&mut tx.conn(), &expert.email, ERASED_ADDRESS_MENTION).await?;
        audit(&mut tx.conn(), p, "expert.erase", expert_id, None, None).await?;
        let account = store::user::by_expert(&mut tx.conn(), expert_id).await?;
        if let Some(u) = &account {
            erase_account_in(&mut tx.conn(), p, u, at).await?;
        }
        tx.commit().await?;
        if let Some(u) = &account {
            self.sessions.revoked(u.id);
        }
        Ok(Erasure { erased_at: at, expert_id: Some(expert_id), user_id: account.map(|u| u.id) })
    }

    /// Erases an account; an expert's account goes with their profile, through [`Services::erase_expert`].
    pub async fn erase_user(&self, p: Option<&Principal>, user_id: Uuid) -> AppResult<Erasure> {
        let me = require(p)?;
        let user = {
            let mut c = self.db.acquire().await?;
            found(store::user::get(&mut c.conn(), user_id).await?, "user")?
        };
        if let Some(expert_id) = user.expert_id {
            return self.erase_expert(p, expert_id).await;
        }
        check(p, Op::ErasePerson, Target::NONE)?;
        if me.user_id == user_id {
            return Err(AppError::invalid("id", "you cannot erase your own account; ask another admin"));
        }
        let mut tx = self.db.begin().await?;
        let user = found(store::user::get(&mut tx.conn(), user_id).await?, "user")?;
        if user.email.ends_with("@erased.invalid") {
            return Err(AppError::invalid("id", "this person has been erased already"));
        }
        let at = now();
        erase_account_in(&mut tx.conn(), p, &user, at).await?;
        tx.commit().await?;
        self.sessions.revoked(user_id);
        Ok(Erasure { erased_at: at, expert_id: None, user_id: Some(user_id) })
    }

    /// The expert withdraws their consent to being in the pool (or their officer records that they did): they
    /// leave the pool at once, the date is kept, and the retention period for their contact details starts.
    pub async fn withdraw_consent(
        &self,
        p: Option<&Principal>,
        expert_id: Uuid,
    ) -> AppResult<store::expert::ExpertRow> {
        require(p)?;
        let mut tx = self.db.begin().await?;
        let before = found(store::expert::get_for_update(&mut tx.conn(), expert_id).await?, "expert")?;
        check(p, Op::SetExpertStatus, Target::expert(before.municipality_id, expert_id))?;
        if privacy_store::consent_state(&mut tx.conn(), expert_id).await?.consent_withdrawn_at.is_some() {
            return Err(AppError::invalid("expertId", "consent has been withdrawn already"));
        }
        privacy_store::withdraw_consent(&mut tx.conn(), expert_id, now()).await?;
        let after = found(store::expert::get(&mut tx.conn(), expert_id).await?, "expert")?;
        audit(
            &mut tx.conn(),
            p,
            "expert.withdraw_consent",
            expert_id,
            super::snapshot(&before),
            super::snapshot(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Erases the contact details of experts who left the pool more than the retention period before `at`;
    /// the number erased. Safe on several replicas at once (each row is re-checked under its lock).
    pub async fn erase_departed_contacts_once(&self, at: DateTime<Utc>) -> AppResult<u64> {
        let cutoff = at - chrono::Duration::days(self.settings.contact_retention_days.max(0));
        let due = {
            let mut c = self.db.acquire().await?;
            privacy_store::departed_before(&mut c.conn(), cutoff, RETENTION_BATCH).await?
        };
        let mut erased = 0;
        for (expert_id, email) in due {
            let mut tx = self.db.begin().await?;
            if store::expert::get_for_update(&mut tx.conn(), expert_id).await?.is_none() {
                continue;
            }
            let state = privacy_store::consent_state(&mut tx.conn(), expert_id).await?;
            if state.contact_erased_at.is_some() || state.left_at.is_none_or(|left| left >= cutoff) {
                continue;
            }
            privacy_store::erase_contact(&mut tx.conn(), expert_id, at).await?;
            privacy_store::scrub_mentions(&mut tx.conn(), &email, ERASED_ADDRESS_MENTION).await?;
            audit(&mut tx.conn(), None, "expert.erase_contact", expert_id, None, None).await?;
            tx.commit().await?;
            erased += 1;
        }
        if erased > 0 {
            tracing::info!(erased, "erased the contact details of experts past their retention period");
        }
        Ok(erased)
    }
}

/// Closes and de-identifies one account in the caller's transaction; [`super::sessions::Sessions::revoked`]
/// after the commit.
async fn erase_account_in(
    conn: &mut store::Conn<'_>,
    p: Option<&Principal>,
    user: &store::user::UserRow,
    at: DateTime<Utc>,
) -> AppResult<()> {
    privacy_store::erase_user(conn, user.id, ERASED_NAME, at).await?;
    super::sessions::revoke_in(conn, user.id).await?;
    privacy_store::scrub_mentions(conn, &user.display_name, ERASED_MENTION).await?;
    privacy_store::scrub_mentions(conn, &user.email, ERASED_ADDRESS_MENTION).await?;
    audit(conn, p, "user.erase", user.id, None, None).await
}
