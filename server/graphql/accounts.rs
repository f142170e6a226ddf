//! Signing in, user accounts, the audit log and the public figures.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};

use super::connection::{CountOf, List, after_id, connection};
use super::context::rc;
use super::error::{ApiResult, ResultExt};
use super::reference::Municipality;
use super::{load_one, parse_id};
use crate::domain::input::UserInput;
use crate::domain::{Role, UserStatus};
use crate::store::audit::{AuditFilter, AuditRow};
use crate::store::user::UserRow;

/// A user account.
pub struct User(pub UserRow);

/// A user account.
#[Object]
impl User {
    /// The account's id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// Sign-in e-mail.
    async fn email(&self) -> &str {
        &self.0.email
    }
    /// The person's name as the service shows it.
    async fn display_name(&self) -> &str {
        &self.0.display_name
    }
    /// Whether signing in asks for a one-time code too; null unless it is your own account or you are an admin.
    async fn second_factor(&self, ctx: &Context<'_>) -> ApiResult<Option<bool>> {
        let r = rc(ctx);
        let mine = r.principal().is_some_and(|p| p.user_id == self.0.id);
        if !mine
            && !crate::auth::policy::allows(
                r.principal(),
                crate::auth::policy::Op::ManageUsers,
                crate::auth::policy::Target::NONE,
            )
        {
            return Ok(None);
        }
        Ok(Some(r.services.second_factor_enabled(self.0.id).await.api()?))
    }
    /// The account's role: what the user may do.
    async fn role(&self) -> Role {
        self.0.role
    }
    /// For officers: the municipality they act for.
    async fn municipality(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Municipality>> {
        match self.0.municipality_id {
            Some(id) => {
                load_one(&rc(ctx).loaders.municipality, id, "municipality").await.map(|m| Some(Municipality(m)))
            }
            None => Ok(None),
        }
    }
    /// For expert accounts: their expert profile's id.
    async fn expert_id(&self) -> Option<ID> {
        self.0.expert_id.map(|e| ID(e.to_string()))
    }
    /// ACTIVE, or DISABLED: a disabled account cannot sign in.
    async fn status(&self) -> UserStatus {
        self.0.status
    }
    /// What the user may do within their own scope (their municipality, their expert profile): what a client
    /// offers them.
    async fn operations(&self) -> async_graphql::Result<Vec<crate::auth::policy::Op>> {
        let principal = crate::auth::Principal {
            user_id: self.0.id,
            role: self.0.role,
            municipality_id: self.0.municipality_id,
            expert_id: self.0.expert_id,
        };
        Ok(crate::auth::policy::own_operations(&principal))
    }
    /// The language the user reads the interface, notifications and e-mails in: `en`, `nl` or `uk`.
    async fn language(&self) -> &str {
        &self.0.language
    }
    /// When the account was created (UTC).
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// Whom to invite, to what.
#[derive(InputObject)]
pub struct InvitationInput {
    /// Where the invitation goes; the account's sign-in e-mail.
    pub email: String,
    /// The person's name as the service will show it.
    pub display_name: String,
    /// The role the account will have.
    pub role: Role,
    /// For officers: the municipality they will act for.
    pub municipality_id: Option<ID>,
    /// For an expert: their profile, which the account will be linked to.
    pub expert_id: Option<ID>,
    /// The invitation e-mail's and the account's language: `en`, `nl` or `uk`.
    #[graphql(default = "en")]
    pub language: String,
}

pub struct Invitation(crate::store::invitation::InvitationRow);

/// An invitation to an account.
#[Object]
impl Invitation {
    /// The invitation's id (the audit log's object).
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// Where it was sent.
    async fn email(&self) -> &str {
        &self.0.email
    }
    /// The invitee's name.
    async fn display_name(&self) -> &str {
        &self.0.display_name
    }
    /// The role the account will have.
    async fn role(&self) -> Role {
        self.0.role
    }
    /// Until when its link works.
    async fn expires_at(&self) -> DateTime<Utc> {
        self.0.expires_at
    }
    /// When it was accepted, if it was.
    async fn accepted_at(&self) -> Option<DateTime<Utc>> {
        self.0.accepted_at
    }
}

/// A signed-in session.
#[derive(SimpleObject)]
pub struct LoginResult {
    /// Bearer token for the `Authorization` header.
    pub token: String,
    /// Seconds until the token expires.
    pub expires_in: i64,
    /// The signed-in user.
    pub user: User,
}

/// One entry of the append-only audit log.
pub struct AuditEvent(AuditRow);

/// One entry of the append-only audit log.
#[Object]
impl AuditEvent {
    /// The event's id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// When it happened (UTC).
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
    /// Who did it; null for the system (first start, command line).
    async fn actor_id(&self) -> Option<ID> {
        self.0.actor_id.map(|a| ID(a.to_string()))
    }
    /// The actor's role at the time.
    async fn actor_role(&self) -> Option<&str> {
        self.0.actor_role.map(Role::as_str)
    }
    /// What was done, e.g. `plan.endorse`.
    async fn action(&self) -> &str {
        &self.0.action
    }
    /// The kind of object, e.g. `plan`.
    async fn object_type(&self) -> &str {
        &self.0.object_type
    }
    /// The id of the object acted on (its kind is `objectType`).
    async fn object_id(&self) -> ID {
        ID(self.0.object_id.to_string())
    }
    /// The object before the change, as JSON.
    async fn before(&self) -> Option<&str> {
        self.0.before_state.as_deref()
    }
    /// The object after the change, as JSON.
    async fn after(&self) -> Option<&str> {
        self.0.after_state.as_deref()
    }
}

/// Filters for the audit log.
#[derive(InputObject, Default)]
pub struct AuditFilterInput {
    /// Events about this object.
    pub object_id: Option<ID>,
    /// Events by this user.
    pub actor_id: Option<ID>,
    /// Events of this action, e.g. `plan.endorse`.
    pub action: Option<String>,
}

/// A count per key.
#[derive(SimpleObject)]
pub struct CountBy {
    /// The sector, status, region or month (`YYYY-MM`) counted.
    pub key: String,
    /// How many needs (in `hoursPerMonth`: how many hours delivered).
    pub count: i64,
}

/// Aggregate, non-personal figures, open to the public.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct PublicStatistics {
    /// Open or filled needs per sector.
    pub open_needs_per_sector: Vec<CountBy>,
    /// Needs per status.
    pub needs_per_status: Vec<CountBy>,
    /// Filled needs as a share (0–1) of needs that entered matching.
    pub fill_rate: f64,
    /// Experts active in the pool.
    pub active_experts: i64,
    /// Municipalities with at least one active expert.
    pub contributing_municipalities: i64,
    /// Hours delivered over the whole pool per calendar month (`key` is `YYYY-MM`), oldest first.
    pub hours_per_month: Vec<CountBy>,
    /// Needs open for matching (not yet filled) per region (oblast) of their hromada, most first.
    pub open_needs_per_region: Vec<CountBy>,
    /// Seats of open needs that no assignment holds yet.
    pub open_seats: i64,
}

#[async_graphql::ComplexObject]
impl PublicStatistics {
    /// The VNG Fund's totals: pledged, received and disbursed per purpose and per oblast, and the number of
    /// giving municipalities; no person and no bank detail.
    async fn fund(&self, ctx: &Context<'_>) -> ApiResult<super::fund::PublicFundTotals> {
        let r = rc(ctx);
        Ok(r.services.fund_totals(r.principal()).await.api()?.into())
    }
    /// Municipalities taking part in the network now (ACTIVE members).
    async fn participating_municipalities(&self, ctx: &Context<'_>) -> ApiResult<i64> {
        Ok(rc(ctx).services.network_figures().await.api()?.0)
    }
    /// Reception places for displaced people offered by municipalities for today.
    async fn reception_places(&self, ctx: &Context<'_>) -> ApiResult<i64> {
        Ok(rc(ctx).services.network_figures().await.api()?.1)
    }
}

fn counts(v: Vec<(String, i64)>) -> Vec<CountBy> {
    v.into_iter().map(|(key, count)| CountBy { key, count }).collect()
}

#[derive(Default)]
pub struct AccountQuery;

#[Object]
impl AccountQuery {
    /// The signed-in user.
    async fn me(&self, ctx: &Context<'_>) -> ApiResult<User> {
        let r = rc(ctx);
        Ok(User(r.services.me(r.principal()).await.api()?))
    }

    /// All user accounts (admins).
    async fn users(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 1–100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item of the previous page.")] after: Option<String>,
    ) -> ApiResult<List<User>> {
        let r = rc(ctx);
        let page = r.services.users(r.principal(), after_id(after.as_deref())?, first).await.api()?;
        Ok(connection(page, after.is_some(), CountOf::Users, |u| u.id, User))
    }

    /// The audit log, newest first (admins, pool coordinators).
    async fn audit_events(
        &self,
        ctx: &Context<'_>,
        filter: Option<AuditFilterInput>,
        #[graphql(desc = "Page size, 1–100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item of the previous page.")] after: Option<String>,
    ) -> ApiResult<List<AuditEvent>> {
        let r = rc(ctx);
        let f = filter.unwrap_or_default();
        let f = AuditFilter {
            object_id: f.object_id.as_ref().map(|i| parse_id(i, "filter.objectId")).transpose()?,
            actor_id: f.actor_id.as_ref().map(|i| parse_id(i, "filter.actorId")).transpose()?,
            action: f.action,
        };
        let page = r.services.audit_events(r.principal(), &f, after_id(after.as_deref())?, first).await.api()?;
        Ok(connection(page, after.is_some(), CountOf::AuditEvents(f), |e| e.id, AuditEvent))
    }

    /// Aggregate figures anyone may see.
    async fn public_statistics(&self, ctx: &Context<'_>) -> ApiResult<PublicStatistics> {
        let r = rc(ctx);
        let s = r.services.public_statistics(r.principal()).await.api()?;
        Ok(PublicStatistics {
            fill_rate: s.fill_rate(),
            active_experts: s.active_experts,
            contributing_municipalities: s.contributing_municipalities,
            open_needs_per_sector: counts(s.open_needs_per_sector),
            needs_per_status: counts(s.needs_per_status),
            hours_per_month: counts(s.hours_per_month),
            open_needs_per_region: counts(s.open_needs_per_region),
            open_seats: s.open_seats,
        })
    }
}

#[derive(Default)]
pub struct AccountMutation;

#[Object]
impl AccountMutation {
    /// Signs in with e-mail and password; returns a short-lived bearer token.
    async fn login(
        &self,
        ctx: &Context<'_>,
        email: String,
        password: String,
        #[graphql(desc = "The six-digit code from the authenticator app, for an account with a second factor \
                          (asked for with a BAD_USER_INPUT error on field `totpCode`).")]
        totp_code: Option<String>,
    ) -> ApiResult<LoginResult> {
        let r = rc(ctx);
        let s = r.services.login_with_code(&email, &password, totp_code.as_deref(), &r.client).await.api()?;
        Ok(LoginResult { token: s.token, expires_in: s.expires_in, user: User(s.user) })
    }

    /// Invites a person to an account by e-mail: a municipality officer their own experts, AUC hromada
    /// officers, pool coordinators and AUC their own kind, admins anyone. The e-mail, in `language`, carries a
    /// one-time link that works for 7 days.
    async fn invite_user(&self, ctx: &Context<'_>, input: InvitationInput) -> ApiResult<Invitation> {
        let r = rc(ctx);
        let i = crate::service::invitations::Invitation {
            email: input.email,
            display_name: input.display_name,
            role: input.role,
            municipality_id: input.municipality_id.as_ref().map(|i| parse_id(i, "input.municipalityId")).transpose()?,
            expert_id: input.expert_id.as_ref().map(|i| parse_id(i, "input.expertId")).transpose()?,
            language: input.language,
        };
        Ok(Invitation(r.services.invite(r.principal(), i).await.api()?))
    }

    /// Accepts an invitation with the token from its link: sets the password, creates the account and signs in.
    async fn accept_invitation(&self, ctx: &Context<'_>, token: String, password: String) -> ApiResult<LoginResult> {
        let s = rc(ctx).services.accept_invitation(&token, &password).await.api()?;
        Ok(LoginResult { token: s.token, expires_in: s.expires_in, user: User(s.user) })
    }

    /// Sends a link to choose a new password to this e-mail, if it belongs to an active account. Always true:
    /// the answer does not tell whether an account exists.
    async fn request_password_reset(&self, ctx: &Context<'_>, email: String) -> ApiResult<bool> {
        rc(ctx).services.request_password_reset(&email).await.api()?;
        Ok(true)
    }

    /// Sets a new password with the token from a reset link (it works once, for an hour); every existing token
    /// of the account ends.
    async fn reset_password(&self, ctx: &Context<'_>, token: String, password: String) -> ApiResult<bool> {
        rc(ctx).services.reset_password(&token, &password).await.api()?;
        Ok(true)
    }

    /// Creates a user account (admins).
    async fn create_user(&self, ctx: &Context<'_>, input: UserInput) -> ApiResult<User> {
        let r = rc(ctx);
        Ok(User(r.services.create_user(r.principal(), input).await.api()?))
    }

    /// Enables or disables an account (admins).
    async fn set_user_status(&self, ctx: &Context<'_>, id: ID, status: UserStatus) -> ApiResult<User> {
        let r = rc(ctx);
        Ok(User(r.services.set_user_status(r.principal(), parse_id(&id, "id")?, status).await.api()?))
    }

    /// Sets a new password: your own (give `currentPassword`), or anyone's for admins. Every token of the account
    /// ends: its owner signs in again.
    async fn set_password(
        &self,
        ctx: &Context<'_>,
        user_id: ID,
        password: String,
        current_password: Option<String>,
    ) -> ApiResult<bool> {
        let r = rc(ctx);
        let id = parse_id(&user_id, "userId")?;
        r.services.set_password(r.principal(), id, current_password.as_deref(), &password).await.api()?;
        Ok(true)
    }

    /// Chooses your language (`en`, `nl` or `uk`): the web client's, and the one your notifications and e-mails
    /// are written in.
    async fn set_language(&self, ctx: &Context<'_>, language: String) -> ApiResult<User> {
        let r = rc(ctx);
        let user = r.services.set_language(r.principal(), &language).await.api()?;
        Ok(User(user))
    }

    /// Signs you out everywhere: every token issued to you so far stops working, and your open subscriptions
    /// close.
    async fn sign_out(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        let r = rc(ctx);
        r.services.sign_out(r.principal()).await.api()?;
        Ok(true)
    }

    /// Proposes a second factor for your account (admins and fund officers): put the secret into an
    /// authenticator app, then confirm with a code from it. Until confirmed, signing in is unchanged.
    async fn start_second_factor(&self, ctx: &Context<'_>) -> ApiResult<SecondFactorSetup> {
        let r = rc(ctx);
        let s = r.services.start_second_factor(r.principal()).await.api()?;
        Ok(SecondFactorSetup { secret: s.secret, uri: s.uri })
    }

    /// Confirms the proposed second factor with a current code: from now on signing in asks for a code.
    async fn confirm_second_factor(&self, ctx: &Context<'_>, code: String) -> ApiResult<bool> {
        let r = rc(ctx);
        r.services.confirm_second_factor(r.principal(), &code).await.api()?;
        Ok(true)
    }

    /// Turns a second factor off: your own (give a current `code`), or, for admins, anyone's (a lost device).
    async fn remove_second_factor(&self, ctx: &Context<'_>, user_id: ID, code: Option<String>) -> ApiResult<bool> {
        let r = rc(ctx);
        r.services.remove_second_factor(r.principal(), parse_id(&user_id, "userId")?, code.as_deref()).await.api()?;
        Ok(true)
    }
}

/// A proposed second factor, to put into an authenticator app.
#[derive(SimpleObject)]
pub struct SecondFactorSetup {
    /// The secret in base32, to type into the app.
    pub secret: String,
    /// The `otpauth://totp/…` link, as a QR code shows it.
    pub uri: String,
}
