//! Each person's rights over their data: their own copy, erasure, and consent to being in the pool.

use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};

use super::context::rc;
use super::error::{ApiResult, ResultExt};
use super::experts::Expert;
use super::parse_id;
use crate::store::privacy::ConsentState;

/// Everything the service holds about the signed-in person.
#[derive(SimpleObject)]
pub struct PersonalData {
    /// When this copy was made.
    pub generated_at: DateTime<Utc>,
    /// A few lines to read first: what the copy holds, counted.
    pub summary: String,
    /// The whole copy as a JSON document (account, expert profile with skills and languages, consent, assignments,
    /// hours reports, notifications, e-mails, invitations, and the audit events by or about the person), to save
    /// as a file.
    pub json: String,
}

/// What an erasure did.
#[derive(SimpleObject)]
pub struct Erasure {
    /// When the person was erased.
    pub erased_at: DateTime<Utc>,
    /// The expert profile erased, if any.
    pub expert_id: Option<ID>,
    /// The account closed and erased, if any.
    pub user_id: Option<ID>,
}

/// An expert's consent and departure, as recorded.
#[derive(SimpleObject)]
pub struct ConsentRecord {
    /// When the expert withdrew their consent to being in the pool (they left it then).
    pub consent_withdrawn_at: Option<DateTime<Utc>>,
    /// When the expert left the pool (WITHDRAWN); the retention period of their contact details runs from here.
    pub left_at: Option<DateTime<Utc>>,
    /// When their e-mail address and phone number were erased (after the retention period, or with an erasure).
    pub contact_erased_at: Option<DateTime<Utc>>,
    /// When the person was erased.
    pub erased_at: Option<DateTime<Utc>>,
}

impl From<ConsentState> for ConsentRecord {
    fn from(s: ConsentState) -> Self {
        ConsentRecord {
            consent_withdrawn_at: s.consent_withdrawn_at,
            left_at: s.left_at,
            contact_erased_at: s.contact_erased_at,
            erased_at: s.erased_at,
        }
    }
}

#[derive(Default)]
pub struct PrivacyQuery;

#[Object]
impl PrivacyQuery {
    /// Everything the service holds about you, to download (any signed-in person).
    async fn my_data(&self, ctx: &Context<'_>) -> ApiResult<PersonalData> {
        let r = rc(ctx);
        let d = r.services.my_data(r.principal()).await.api()?;
        let json = serde_json::to_string_pretty(&d.data).unwrap_or_default();
        Ok(PersonalData { generated_at: d.generated_at, summary: d.summary, json })
    }
}

#[derive(Default)]
pub struct PrivacyMutation;

#[Object]
impl PrivacyMutation {
    /// Erases an expert and their account (admins, or the expert's municipality officer). Refused while one of
    /// their assignments is open. What stays is described in the README ("Each person's rights").
    async fn erase_expert(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Erasure> {
        let r = rc(ctx);
        let e = r.services.erase_expert(r.principal(), parse_id(&id, "id")?).await.api()?;
        Ok(erasure(e))
    }

    /// Erases an account (admins); an expert's account is erased with their profile, as by `eraseExpert`.
    async fn erase_user(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Erasure> {
        let r = rc(ctx);
        let e = r.services.erase_user(r.principal(), parse_id(&id, "id")?).await.api()?;
        Ok(erasure(e))
    }

    /// Records that the expert withdrew their consent to being in the pool (the expert, their municipality
    /// officer, or an admin): they leave the pool now. Only the expert can rejoin, from their own account.
    async fn withdraw_consent(&self, ctx: &Context<'_>, expert_id: ID) -> ApiResult<Expert> {
        let r = rc(ctx);
        Ok(Expert(r.services.withdraw_consent(r.principal(), parse_id(&expert_id, "expertId")?).await.api()?))
    }
}

fn erasure(e: crate::service::privacy::Erasure) -> Erasure {
    Erasure {
        erased_at: e.erased_at,
        expert_id: e.expert_id.map(|id| ID(id.to_string())),
        user_id: e.user_id.map(|id| ID(id.to_string())),
    }
}
