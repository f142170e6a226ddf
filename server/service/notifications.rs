//! Whoever must act is told, and whoever asked hears back (docs/workflows.md): notices become inbox rows, e-mails in
//! the outbox (per each user's choice) and live events.
//!
//! The flow: a use case calls [`record`] inside its own transaction, commits, then calls
//! [`Services::after_commit`]. On SQLite `after_commit` publishes to this process's [`EventHub`]; on PostgreSQL
//! [`record`] has queued a `NOTIFY` that the database delivers on commit to the listener of every replica
//! (this one included, see [`crate::service::events`]), which publishes it to its own hub — so each live event
//! reaches each replica exactly once. E-mails leave through the outbox ([`mailer`]); the daily digest and the
//! flagging of proposals that wait too long are in [`jobs`].
//!
//! [`EventHub`]: crate::service::events::EventHub

pub mod jobs;
pub mod mailer;
pub mod texts;

use uuid::Uuid;

use super::{Services, audit, now, page_size};
use crate::auth::Principal;
use crate::auth::policy::{Op, Target, check, require};
use crate::domain::OutboxStatus;
use crate::domain::{AppError, AppResult, Role, new_id};
use crate::store::assignment::AssignmentRow;
use crate::store::notification::{self as store, EmailPreference, NotificationRow, OutboxRow, RecipientQuery};
use crate::store::sql::Page;
use crate::store::{Conn, Db};

/// The PostgreSQL channel live events travel on between replicas.
pub const CHANNEL: &str = "recovery_pool_events";
/// The kind of the notice that flags a proposal waiting too long.
pub const STALE_KIND: &str = "assignment.stale";

/// Who a notice is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// These users.
    Users(Vec<Uuid>),
    /// Every active user with this role.
    Role(Role),
    /// Every active officer of this municipality (hromada or municipality officers).
    MunicipalityOfficers(Uuid),
    /// The account of this expert, if they have one.
    ExpertAccount(Uuid),
}

/// Something someone must know or act on.
#[derive(Debug, Clone)]
pub struct Notice {
    /// Machine-readable kind, e.g. `assignment.proposed`.
    pub kind: String,
    /// Rendered for each recipient in their language.
    pub title: texts::Text,
    pub body: texts::Text,
    pub object_type: &'static str,
    pub object_id: Uuid,
    pub audience: Vec<Audience>,
}

pub use crate::domain::EmailMode;

/// One event as it travels over `NOTIFY`: the row itself when it fits in PostgreSQL's payload limit (8000
/// bytes), else only its id, and listeners load it. A payload is a JSON array of these.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Wire {
    pub id: Uuid,
    pub user_id: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<NotificationRow>,
}

/// The largest payload sent; PostgreSQL refuses 8000 bytes and more.
const MAX_PAYLOAD: usize = 7_900;

impl Wire {
    /// One row as it travels: whole, or by id when too large.
    fn encode(row: &NotificationRow) -> String {
        let full = Wire { id: row.id, user_id: row.user_id, row: Some(row.clone()) };
        match serde_json::to_string(&full) {
            Ok(s) if s.len() + 2 <= MAX_PAYLOAD => s,
            _ => format!(r#"{{"id":"{}","user_id":"{}"}}"#, row.id, row.user_id),
        }
    }

    /// The `NOTIFY` payloads for `rows`: as few as fit, each a JSON array under the limit.
    pub fn payloads(rows: &[NotificationRow]) -> Vec<String> {
        let mut out = Vec::new();
        let mut current = String::from("[");
        for row in rows {
            let one = Wire::encode(row);
            if current.len() > 1 && current.len() + one.len() + 2 > MAX_PAYLOAD {
                current.push(']');
                out.push(std::mem::replace(&mut current, String::from("[")));
            }
            if current.len() > 1 {
                current.push(',');
            }
            current.push_str(&one);
        }
        if current.len() > 1 {
            current.push(']');
            out.push(current);
        }
        out
    }
}

fn recipient_query(audience: &[Audience], actor: Option<Uuid>) -> RecipientQuery {
    let mut q = RecipientQuery { except: actor, ..Default::default() };
    for a in audience {
        match a {
            Audience::Users(ids) => q.user_ids.extend(ids.iter().copied()),
            Audience::Role(r) => q.roles.push(r.as_str()),
            Audience::MunicipalityOfficers(m) => q.municipalities.push(*m),
            Audience::ExpertAccount(e) => q.experts.push(*e),
        }
    }
    q
}

/// Where a person opens an object in the web client: `{public_url}/#/{object_type}/{id}`.
pub fn object_link(public_url: &str, object_type: &str, id: Uuid) -> String {
    format!("{}/#/{object_type}/{id}", public_url.trim_end_matches('/'))
}

/// The e-mail of one notification, in its reader's language: subject = title, body = body and where to see it.
fn email_of(public_url: &str, to: &str, language: &str, n: &NotificationRow) -> OutboxRow {
    let link = object_link(public_url, &n.object_type, n.object_id);
    let body = format!(
        "{}\n\n{}\n\n--\n{}\n",
        n.body.trim_end(),
        texts::Text::new("email.open").with("link", link).render(language),
        texts::Text::new("email.footer").render(language),
    );
    OutboxRow {
        id: new_id(),
        user_id: n.user_id,
        to_address: to.to_string(),
        subject: n.title.clone(),
        body,
        status: OutboxStatus::Pending,
        attempts: 0,
        last_error: None,
        created_at: n.created_at,
        sent_at: None,
        next_attempt_at: None,
        attachment_name: None,
        attachment_type: None,
        attachment_body: None,
    }
}

/// Records notices inside the caller's transaction: one inbox row per recipient (each active user once per
/// notice, never the actor), and outbox e-mails for those who chose immediate delivery. On PostgreSQL it also
/// queues a `NOTIFY` per row, which the database delivers only if the transaction commits.
pub async fn record(
    conn: &mut Conn<'_>,
    public_url: &str,
    actor: Option<Uuid>,
    notices: &[Notice],
) -> AppResult<Vec<NotificationRow>> {
    record_with_attachment(conn, public_url, actor, notices, None).await
}

/// A file attached to the e-mails of a notice (e.g. an iCalendar invitation).
#[derive(Debug, Clone)]
pub struct MailAttachment {
    pub name: String,
    pub media_type: String,
    pub body: String,
}

/// [`record`], with `attachment` on every e-mail it queues.
pub async fn record_with_attachment(
    conn: &mut Conn<'_>,
    public_url: &str,
    actor: Option<Uuid>,
    notices: &[Notice],
    attachment: Option<&MailAttachment>,
) -> AppResult<Vec<NotificationRow>> {
    let at = now();
    let mut rows = Vec::new();
    let mut mails = Vec::new();
    for notice in notices {
        let q = recipient_query(&notice.audience, actor);
        for user in store::recipients(conn, &q).await? {
            let row = NotificationRow {
                id: new_id(),
                user_id: user.id,
                kind: notice.kind.clone(),
                title: notice.title.render(&user.language),
                body: notice.body.render(&user.language),
                object_type: notice.object_type.to_string(),
                object_id: notice.object_id,
                created_at: at,
                read_at: None,
            };
            if user.email_mode == EmailMode::Immediate {
                let mut mail = email_of(public_url, &user.email, &user.language, &row);
                if let Some(a) = attachment {
                    mail.attachment_name = Some(a.name.clone());
                    mail.attachment_type = Some(a.media_type.clone());
                    mail.attachment_body = Some(a.body.clone());
                }
                mails.push(mail);
            }
            rows.push(row);
        }
    }
    store::insert_all(conn, &rows).await?;
    store::insert_outbox(conn, &mails).await?;
    if matches!(conn, Conn::Postgres(_)) {
        for payload in Wire::payloads(&rows) {
            store::pg_notify(conn, CHANNEL, &payload).await?;
        }
    }
    Ok(rows)
}

impl Services {
    /// After the transaction that recorded them has committed: publish the notifications live and wake the
    /// e-mail sender. On PostgreSQL the live events come back through every replica's listener instead (the
    /// `NOTIFY` queued by [`record`]), so publishing here as well would deliver them twice.
    pub fn after_commit(&self, rows: Vec<NotificationRow>) {
        if rows.is_empty() {
            return;
        }
        self.events.wake_mailer();
        if let Db::Sqlite(_) = self.db {
            for r in rows {
                self.events.publish(r);
            }
        }
    }

    /// Records notices from the system (no actor) in a transaction of their own, commits, and publishes them.
    pub async fn notify(&self, notices: &[Notice]) -> AppResult<Vec<NotificationRow>> {
        let mut tx = self.db.begin().await?;
        let rows = record(&mut tx.conn(), &self.settings.public_url, None, notices).await?;
        tx.commit().await?;
        self.after_commit(rows.clone());
        Ok(rows)
    }

    /// The caller's new notifications as they are published on this replica's hub (only the caller's own).
    /// Subscribed at the call, so nothing published after it returns is missed; a subscriber that falls more
    /// than the hub's buffer behind skips what it missed (the inbox keeps everything).
    pub fn live_notifications(
        &self,
        p: Option<&Principal>,
    ) -> AppResult<impl futures_util::Stream<Item = NotificationRow> + Send + 'static> {
        use tokio::sync::broadcast::error::RecvError;
        let me = require(p)?.user_id;
        let rx = self.events.subscribe();
        Ok(futures_util::stream::unfold(rx, move |mut rx| async move {
            loop {
                match rx.recv().await {
                    Ok(n) if n.user_id == me => return Some((n, rx)),
                    Ok(_) => continue,
                    Err(RecvError::Lagged(missed)) => {
                        tracing::warn!(missed, "a subscription fell behind; the inbox still has what it skipped");
                    }
                    Err(RecvError::Closed) => return None,
                }
            }
        }))
    }

    // ---- the inbox: every signed-in user, own notifications only ----

    /// The caller's notifications, newest first.
    pub async fn notifications(
        &self,
        p: Option<&Principal>,
        unread_only: bool,
        after: Option<Uuid>,
        first: Option<i32>,
    ) -> AppResult<Page<NotificationRow>> {
        let me = require(p)?;
        let first = page_size(first)?;
        let mut c = self.db.acquire().await?;
        store::page(&mut c.conn(), me.user_id, unread_only, after, first).await
    }

    /// How many notifications the caller has (only unread ones with `unread_only`).
    pub async fn count_notifications(&self, p: Option<&Principal>, unread_only: bool) -> AppResult<i64> {
        let me = require(p)?;
        let mut c = self.db.acquire().await?;
        store::count(&mut c.conn(), me.user_id, unread_only).await
    }

    /// One notification of the caller's; another user's is NOT_FOUND, like one that does not exist.
    pub async fn notification(&self, p: Option<&Principal>, id: Uuid) -> AppResult<NotificationRow> {
        let me = require(p)?;
        let mut c = self.db.acquire().await?;
        store::get_own(&mut c.conn(), id, me.user_id).await?.ok_or(AppError::not_found("notification"))
    }

    /// Marks one of the caller's notifications read (once; again is a no-op).
    pub async fn mark_notification_read(&self, p: Option<&Principal>, id: Uuid) -> AppResult<NotificationRow> {
        let me = require(p)?;
        let mut tx = self.db.begin().await?;
        let before =
            store::get_own(&mut tx.conn(), id, me.user_id).await?.ok_or(AppError::not_found("notification"))?;
        if before.read_at.is_some() {
            return Ok(before);
        }
        let at = now();
        store::mark_read(&mut tx.conn(), id, me.user_id, at).await?;
        let after = NotificationRow { read_at: Some(at), ..before.clone() };
        audit(
            &mut tx.conn(),
            p,
            "notification.read",
            id,
            Some(serde_json::json!({ "read_at": null })),
            Some(serde_json::json!({ "read_at": at })),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Marks all of the caller's notifications read; how many were unread.
    pub async fn mark_all_notifications_read(&self, p: Option<&Principal>) -> AppResult<i64> {
        let me = require(p)?;
        let mut tx = self.db.begin().await?;
        let n = store::mark_all_read(&mut tx.conn(), me.user_id, now()).await?;
        if n > 0 {
            audit(
                &mut tx.conn(),
                p,
                "user.read_all_notifications",
                me.user_id,
                None,
                Some(serde_json::json!({ "marked": n })),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(n as i64)
    }

    /// The caller's e-mail choice.
    pub async fn notification_preference(&self, p: Option<&Principal>) -> AppResult<EmailMode> {
        let me = require(p)?;
        let mut c = self.db.acquire().await?;
        let pref = store::preference(&mut c.conn(), me.user_id).await?.ok_or(AppError::not_found("user"))?;
        Ok(pref.email_mode)
    }

    /// Sets the caller's e-mail choice. Switching to the digest starts it from now: what was already e-mailed
    /// one by one is not listed again.
    pub async fn set_notification_preference(&self, p: Option<&Principal>, mode: EmailMode) -> AppResult<EmailMode> {
        let me = require(p)?;
        let mut tx = self.db.begin().await?;
        let before = store::preference(&mut tx.conn(), me.user_id).await?.ok_or(AppError::not_found("user"))?;
        if before.email_mode == mode {
            return Ok(mode);
        }
        let last_digest_at = if mode == EmailMode::Digest { Some(now()) } else { before.last_digest_at };
        store::set_preference(&mut tx.conn(), me.user_id, &EmailPreference { email_mode: mode, last_digest_at })
            .await?;
        audit(
            &mut tx.conn(),
            p,
            "user.set_notification_preference",
            me.user_id,
            Some(serde_json::json!({ "email_mode": before.email_mode })),
            Some(serde_json::json!({ "email_mode": mode.as_str() })),
        )
        .await?;
        tx.commit().await?;
        Ok(mode)
    }

    // ---- proposals waiting too long (pool coordinators and admins) ----

    fn stale_cutoff(&self, at: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
        at - chrono::Duration::hours(self.settings.stale_proposal_hours.max(0))
    }

    /// PROPOSED assignments older than `stale_proposal_hours`, oldest first.
    pub async fn stale_proposals(
        &self,
        p: Option<&Principal>,
        after: Option<Uuid>,
        first: Option<i32>,
    ) -> AppResult<Page<AssignmentRow>> {
        check(p, Op::ReadStaleProposals, Target::NONE)?;
        let first = page_size(first)?;
        let mut c = self.db.acquire().await?;
        let ids = store::stale_ids(&mut c.conn(), self.stale_cutoff(now()), after, first).await?;
        let mut rows = crate::store::assignment::by_ids(&mut c.conn(), &ids.items).await?;
        rows.sort_by_key(|a| a.id);
        Ok(Page { items: rows, has_next: ids.has_next })
    }

    pub async fn count_stale_proposals(&self, p: Option<&Principal>) -> AppResult<i64> {
        check(p, Op::ReadStaleProposals, Target::NONE)?;
        let mut c = self.db.acquire().await?;
        store::count_stale(&mut c.conn(), self.stale_cutoff(now())).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(body: &str) -> NotificationRow {
        NotificationRow {
            id: new_id(),
            user_id: new_id(),
            kind: "assignment.proposed".into(),
            title: "A proposal".into(),
            body: body.into(),
            object_type: "assignment".into(),
            object_id: new_id(),
            created_at: now(),
            read_at: None,
        }
    }

    #[test]
    fn rows_travel_whole_when_small_by_id_when_large_and_packed_under_the_limit() {
        let small = row("short");
        let large = row(&"я".repeat(5_000));
        let payloads = Wire::payloads(&[small.clone(), large.clone()]);
        assert_eq!(payloads.len(), 1, "both fit in one payload");
        let w: Vec<Wire> = serde_json::from_str(&payloads[0]).expect("a wire payload");
        assert_eq!(w[0].row.as_ref(), Some(&small));
        assert_eq!((w[1].id, w[1].user_id, w[1].row.clone()), (large.id, large.user_id, None));

        let many: Vec<NotificationRow> = (0..200).map(|i| row(&format!("body {i}"))).collect();
        let payloads = Wire::payloads(&many);
        assert!(payloads.len() > 1 && payloads.iter().all(|p| p.len() < 8_000), "split under the limit");
        let back: Vec<NotificationRow> = payloads
            .iter()
            .flat_map(|p| serde_json::from_str::<Vec<Wire>>(p).expect("a wire payload"))
            .map(|w| w.row.expect("small rows travel whole"))
            .collect();
        assert_eq!(back, many, "every row once, in order");
        assert!(Wire::payloads(&[]).is_empty());
    }

    #[test]
    fn audiences_become_one_query_without_the_actor() {
        let (u, m, e, actor) = (new_id(), new_id(), new_id(), new_id());
        let q = recipient_query(
            &[
                Audience::Users(vec![u]),
                Audience::Role(Role::NeedsCoordinator),
                Audience::MunicipalityOfficers(m),
                Audience::ExpertAccount(e),
            ],
            Some(actor),
        );
        assert_eq!(q.user_ids, vec![u]);
        assert_eq!(q.roles, vec!["NEEDS_COORDINATOR"]);
        assert_eq!(q.municipalities, vec![m]);
        assert_eq!(q.experts, vec![e]);
        assert_eq!(q.except, Some(actor));
    }

    #[test]
    fn the_email_says_where_to_see_the_notification() {
        let n = row("Please decide.");
        let mail = email_of("https://pool.example.org/", "a@b.test", "en", &n);
        assert_eq!(mail.subject, n.title);
        assert!(mail.body.starts_with("Please decide."));
        let link = format!("https://pool.example.org/#/{}/{}", n.object_type, n.object_id);
        assert!(mail.body.contains(&link), "{}", mail.body);
        assert_eq!(mail.status, OutboxStatus::Pending);
    }
}
