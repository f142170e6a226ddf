//! Notifications in the API: each user's inbox, their e-mail choice, the live subscription, and the proposals
//! waiting too long (for coordinators).

use async_graphql::connection::{Connection, ConnectionNameType, Edge, EdgeNameType, EmptyFields, OpaqueCursor};
use async_graphql::{Context, ID, Object, OutputType, Subscription};
use chrono::{DateTime, Utc};
use futures_util::Stream;
use futures_util::StreamExt;
use uuid::Uuid;

use super::assignments::Assignment;
use super::connection::after_id;
use super::context::rc;
use super::error::{ApiResult, ResultExt};
use super::parse_id;
use crate::service::notifications::EmailMode;
use crate::store::notification::NotificationRow;

/// Something the signed-in user must know or act on (docs/workflows.md).
pub struct Notification(pub NotificationRow);

/// Something the signed-in user must know or act on (docs/workflows.md).
#[Object]
impl Notification {
    /// The notification's id (its cursor in the inbox too).
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// Machine-readable kind, e.g. `assignment.proposed` or `assignment.stale`.
    async fn kind(&self) -> &str {
        &self.0.kind
    }
    /// One line: what happened.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// What happened and what to do next.
    async fn body(&self) -> &str {
        &self.0.body
    }
    /// The kind of object it is about, e.g. `assignment`, `need`.
    async fn object_type(&self) -> &str {
        &self.0.object_type
    }
    /// The object it is about.
    async fn object_id(&self) -> ID {
        ID(self.0.object_id.to_string())
    }
    /// When it was made (UTC).
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the user marked it read; null while unread.
    async fn read_at(&self) -> Option<DateTime<Utc>> {
        self.0.read_at
    }
    /// Whether the user has marked it read.
    async fn read(&self) -> bool {
        self.0.read_at.is_some()
    }
}

/// What a list's `totalCount` counts.
#[derive(Clone, Copy)]
enum Counted {
    Inbox { unread_only: bool },
    StaleProposals,
}

/// The extra field of the lists of this module.
pub struct Total {
    of: Counted,
    /// Known without a query when the first page already holds everything.
    known: Option<i64>,
}

#[Object]
impl Total {
    /// How many items the whole list holds (all pages), with the same filters.
    async fn total_count(&self, ctx: &Context<'_>) -> ApiResult<i64> {
        if let Some(n) = self.known {
            return Ok(n);
        }
        let r = rc(ctx);
        let n = match self.of {
            Counted::Inbox { unread_only } => r.services.count_notifications(r.principal(), unread_only).await,
            Counted::StaleProposals => r.services.count_stale_proposals(r.principal()).await,
        };
        Ok(n.api()?)
    }
}

/// Names the list of stale proposals apart from the general list of assignments.
pub struct StaleProposalConnectionName;

impl ConnectionNameType for StaleProposalConnectionName {
    fn type_name<T: OutputType>() -> String {
        "StaleProposalConnection".into()
    }
}

pub struct StaleProposalEdgeName;

impl EdgeNameType for StaleProposalEdgeName {
    fn type_name<T: OutputType>() -> String {
        "StaleProposalEdge".into()
    }
}

pub type Inbox = Connection<OpaqueCursor<Uuid>, Notification, Total>;
pub type StaleProposals =
    Connection<OpaqueCursor<Uuid>, Assignment, Total, EmptyFields, StaleProposalConnectionName, StaleProposalEdgeName>;

fn total(of: Counted, had_cursor: bool, has_next: bool, len: usize) -> Total {
    Total { of, known: (!had_cursor && !has_next).then_some(len as i64) }
}

#[derive(Default)]
pub struct NotificationQuery;

#[Object]
impl NotificationQuery {
    /// The signed-in user's notifications, newest first.
    async fn notifications(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only those not yet marked read (default false).")] unread_only: Option<bool>,
        #[graphql(desc = "Page size, 1–100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item of the previous page.")] after: Option<String>,
    ) -> ApiResult<Inbox> {
        let r = rc(ctx);
        let unread_only = unread_only.unwrap_or(false);
        let page =
            r.services.notifications(r.principal(), unread_only, after_id(after.as_deref())?, first).await.api()?;
        let info = total(Counted::Inbox { unread_only }, after.is_some(), page.has_next, page.items.len());
        let mut c = Connection::with_additional_fields(after.is_some(), page.has_next, info);
        c.edges.extend(page.items.into_iter().map(|n| Edge::new(OpaqueCursor(n.id), Notification(n))));
        Ok(c)
    }

    /// How many of the signed-in user's notifications are unread.
    async fn unread_notification_count(&self, ctx: &Context<'_>) -> ApiResult<i64> {
        let r = rc(ctx);
        Ok(r.services.count_notifications(r.principal(), true).await.api()?)
    }

    /// How the signed-in user receives notifications by e-mail.
    async fn notification_preference(&self, ctx: &Context<'_>) -> ApiResult<EmailMode> {
        let r = rc(ctx);
        Ok(r.services.notification_preference(r.principal()).await.api()?)
    }

    /// Proposals that have waited longer than the configured hours for an answer, oldest first (pool
    /// coordinators, admins).
    async fn stale_proposals(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 1–100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item of the previous page.")] after: Option<String>,
    ) -> ApiResult<StaleProposals> {
        let r = rc(ctx);
        let page = r.services.stale_proposals(r.principal(), after_id(after.as_deref())?, first).await.api()?;
        let info = total(Counted::StaleProposals, after.is_some(), page.has_next, page.items.len());
        let mut c = Connection::with_additional_fields(after.is_some(), page.has_next, info);
        c.edges.extend(page.items.into_iter().map(|a| Edge::new(OpaqueCursor(a.id), Assignment(a))));
        Ok(c)
    }
}

#[derive(Default)]
pub struct NotificationMutation;

#[Object]
impl NotificationMutation {
    /// Marks one of your notifications read.
    async fn mark_notification_read(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Notification> {
        let r = rc(ctx);
        Ok(Notification(r.services.mark_notification_read(r.principal(), parse_id(&id, "id")?).await.api()?))
    }

    /// Marks all your notifications read; how many were unread.
    async fn mark_all_notifications_read(&self, ctx: &Context<'_>) -> ApiResult<i64> {
        let r = rc(ctx);
        Ok(r.services.mark_all_notifications_read(r.principal()).await.api()?)
    }

    /// Chooses how you receive notifications by e-mail: each at once, a daily digest, or none.
    async fn set_notification_preference(&self, ctx: &Context<'_>, mode: EmailMode) -> ApiResult<EmailMode> {
        let r = rc(ctx);
        Ok(r.services.set_notification_preference(r.principal(), mode).await.api()?)
    }
}

#[derive(Default)]
pub struct NotificationSubscription;

#[Subscription]
impl NotificationSubscription {
    /// The signed-in user's new notifications as they are made (over WebSocket at `/graphql/ws`, protocol
    /// graphql-transport-ws; sign in with `{"authorization": "Bearer <token>"}` in `connection_init`).
    async fn notifications(&self, ctx: &Context<'_>) -> async_graphql::Result<impl Stream<Item = Notification>> {
        let r = rc(ctx);
        let live = r.services.live_notifications(r.principal()).api()?;
        Ok(live.map(Notification))
    }
}
