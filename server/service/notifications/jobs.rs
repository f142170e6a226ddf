//! The periodic work of notifications, and the background tasks that run it: the e-mail sender, the daily
//! digest, the flagging of proposals that wait too long, and (on PostgreSQL) the live-event listener.
//!
//! Each job is one call on [`Services`] (`run_mail_once`, `run_digest_once(now)`, `flag_stale_once(now)`) that
//! is safe to run on several replicas at once; [`Services::start_background`] runs them in loops.

use std::time::Duration;

use chrono::{DateTime, NaiveTime, Utc};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::mailer::Mailer;
use super::texts::Text;
use super::{Audience, Notice, STALE_KIND, record};
use crate::domain::OutboxStatus;
use crate::domain::{AppError, AppResult, Role, new_id};
use crate::service::{Services, events, now};
use crate::store::notification::{self as store, OutboxRow};
use crate::store::{Conn, Db};

/// How often the sender looks at the outbox without being woken.
pub const MAIL_TICK: Duration = Duration::from_secs(15);
/// How often the digest checks whether one is due.
pub const DIGEST_TICK: Duration = Duration::from_secs(60);
/// How often proposals are checked for waiting too long.
pub const STALE_TICK: Duration = Duration::from_secs(15 * 60);
/// How often contact details past their retention period, grant reports coming due and information sessions
/// starting within a day are looked for.
pub const RETENTION_TICK: Duration = Duration::from_secs(60 * 60);
/// Notifications listed in one digest; the rest are counted.
const DIGEST_LIST: usize = 50;
/// Stale proposals flagged per run.
const STALE_BATCH: usize = 200;
/// PostgreSQL advisory lock key of the stale-proposal job (so two replicas do not flag the same proposal).
const STALE_LOCK: i64 = 0x7270_5f73_7461_6c65; // "rp_stale"

/// The most recent digest time at or before `now`: today's `hour` (UTC), or yesterday's if that is still ahead.
pub fn digest_due_at(now: DateTime<Utc>, hour: u32) -> DateTime<Utc> {
    let time = NaiveTime::from_hms_opt(hour.min(23), 0, 0).unwrap_or(NaiveTime::MIN);
    let today = now.date_naive().and_time(time).and_utc();
    if today <= now { today } else { today - chrono::Duration::days(1) }
}

fn digest_email(user: &store::DigestUser, items: &[store::NotificationRow], total: i64) -> OutboxRow {
    let lang = user.language.as_str();
    let subject = Text::new("digest.subject").with("count", total).render(lang);
    let mut body = Text::new("digest.intro").render(lang);
    body.push_str("\n\n");
    for n in items {
        body.push_str(&format!("* {} — {}\n", n.created_at.format("%Y-%m-%d %H:%M UTC"), n.title));
        let first_line = n.body.lines().next().unwrap_or_default();
        if !first_line.is_empty() {
            body.push_str(&format!("  {first_line}\n"));
        }
    }
    let more = total - items.len() as i64;
    if more > 0 {
        body.push('\n');
        body.push_str(&Text::new("digest.more").with("count", more).render(lang));
        body.push('\n');
    }
    body.push_str("\n--\n");
    body.push_str(&Text::new("digest.footer").render(lang));
    body.push('\n');
    OutboxRow {
        id: new_id(),
        user_id: user.id,
        to_address: user.email.clone(),
        subject,
        body,
        status: OutboxStatus::Pending,
        attempts: 0,
        last_error: None,
        created_at: now(),
        sent_at: None,
        next_attempt_at: None,
        attachment_name: None,
        attachment_type: None,
        attachment_body: None,
    }
}

impl Services {
    /// The daily digest as of `now`: for each active user who chose DIGEST and has not had the digest due at
    /// `now` (see [`digest_due_at`]), one outbox e-mail listing their notifications still unread since their
    /// last digest (none when there are none), and `last_digest_at = now`. Each user's digest is taken with a
    /// conditional update, so replicas running it at once send it once. The number of digests e-mailed.
    pub async fn run_digest_once(&self, now: DateTime<Utc>) -> AppResult<usize> {
        let due = digest_due_at(now, self.settings.digest_hour_utc);
        let users = {
            let mut c = self.db.acquire().await?;
            store::digest_due(&mut c.conn(), due).await?
        };
        let mut mailed = 0;
        for user in users {
            let mut tx = self.db.begin().await?;
            if store::claim_digest(&mut tx.conn(), user.id, due, now).await? == 0 {
                continue; // another replica took it, or the user changed their choice
            }
            let since = user.last_digest_at;
            let items = store::unread_between(&mut tx.conn(), user.id, since, now, DIGEST_LIST).await?;
            if !items.is_empty() {
                let total = store::count_unread_between(&mut tx.conn(), user.id, since, now).await?;
                store::insert_outbox(&mut tx.conn(), &[digest_email(&user, &items, total)]).await?;
                mailed += 1;
            }
            tx.commit().await?;
        }
        if mailed > 0 {
            self.events.wake_mailer();
        }
        Ok(mailed)
    }

    /// Flags proposals that have waited longer than `stale_proposal_hours` at `now` to the pool coordinators:
    /// one `assignment.stale` notification per assignment, ever (an assignment that has one is skipped; on
    /// PostgreSQL an advisory lock keeps two replicas from flagging the same one). The number flagged.
    pub async fn flag_stale_once(&self, now: DateTime<Utc>) -> AppResult<usize> {
        let cutoff = now - chrono::Duration::hours(self.settings.stale_proposal_hours.max(0));
        let mut tx = self.db.begin().await?;
        if let Conn::Postgres(_) = tx.conn() {
            store::pg_xact_lock(&mut tx.conn(), STALE_LOCK).await?;
        }
        let stale = store::stale_unflagged(&mut tx.conn(), cutoff, STALE_KIND, STALE_BATCH).await?;
        if stale.is_empty() {
            return Ok(0);
        }
        let notices: Vec<Notice> = stale
            .iter()
            .map(|s| {
                let hours = (now - s.created_at).num_hours();
                Notice {
                    kind: STALE_KIND.into(),
                    title: Text::new("assignment.stale.title").with("hours", hours),
                    body: Text::new("assignment.stale.body")
                        .with("expert", &s.expert_name)
                        .with("need", &s.need_title)
                        .with("when", s.created_at.format("%Y-%m-%d %H:%M UTC")),
                    object_type: "assignment",
                    object_id: s.id,
                    audience: vec![Audience::Role(Role::PoolCoordinator)],
                }
            })
            .collect();
        let rows = record(&mut tx.conn(), &self.settings.public_url, None, &notices).await?;
        tx.commit().await?;
        let flagged = rows.iter().map(|r| r.object_id).collect::<std::collections::HashSet<_>>().len();
        self.after_commit(rows);
        Ok(flagged)
    }

    /// Starts the background work of this process: the e-mail sender, the digest, the stale-proposal check
    /// and, on PostgreSQL, the live-event listener (waiting until it listens, so no event written after this
    /// returns is missed). Stop it with [`Background::stop`]; dropping it aborts the tasks.
    pub async fn start_background(&self) -> anyhow::Result<Background> {
        let mailer = Mailer::from_settings(&self.settings).map_err(|e| anyhow::anyhow!("{e}"))?;
        let (stop, stopped) = watch::channel(false);
        let mut tasks = Vec::new();
        let mut listener = None;
        // The jobs' own few connections, so they neither queue behind requests nor add to their statement log.
        let own_db = background_db(&self.db);
        let jobs = Services { db: own_db.clone().unwrap_or_else(|| self.db.clone()), ..self.clone() };
        if let Db::Postgres(pool) = &jobs.db {
            if let Some((task, ready)) = events::spawn_listener(&self.events, pool) {
                listener = Some(task);
                if tokio::time::timeout(Duration::from_secs(10), ready).await.is_err() {
                    tracing::warn!("live events: PostgreSQL LISTEN is not in place yet; it keeps trying");
                }
            }
        }
        tasks.push(tokio::spawn(mail_loop(jobs.clone(), mailer, stopped.clone())));
        tasks.push(tokio::spawn(every(DIGEST_TICK, stopped.clone(), {
            let s = jobs.clone();
            move || {
                let s = s.clone();
                async move { s.run_digest_once(now()).await.map(|_| ()) }
            }
        })));
        tasks.push(tokio::spawn(every(STALE_TICK, stopped.clone(), {
            let s = jobs.clone();
            move || {
                let s = s.clone();
                async move { s.flag_stale_once(now()).await.map(|_| ()) }
            }
        })));
        tasks.push(tokio::spawn(every(RETENTION_TICK, stopped, {
            let s = jobs.clone();
            move || {
                let s = s.clone();
                async move {
                    s.erase_departed_contacts_once(now()).await?;
                    s.remind_grant_reports_once(crate::service::fund::REPORT_REMINDER_DAYS).await?;
                    s.remind_sessions_once(now()).await.map(|_| ())
                }
            }
        })));
        Ok(Background { stop, tasks, listener, own_db })
    }
}

/// A small pool of its own for the background jobs, on the same database, with statement logging off (their
/// periodic statements would drown a request's in the debug log). None for an in-memory SQLite database, which
/// a second pool would not see.
fn background_db(db: &Db) -> Option<Db> {
    use sqlx::ConnectOptions;
    use sqlx::postgres::PgPoolOptions;
    use sqlx::sqlite::SqlitePoolOptions;
    let acquire = Duration::from_secs(10);
    match db {
        Db::Sqlite(pool) => {
            let opts = (*pool.connect_options()).clone();
            let name = opts.get_filename().to_string_lossy().to_string();
            if name.is_empty()
                || name.contains(":memory:")
                || name.contains("sqlx-in-memory")
                || name.contains("mode=memory")
            {
                return None;
            }
            let opts = opts.disable_statement_logging();
            Some(Db::Sqlite(
                SqlitePoolOptions::new().max_connections(2).acquire_timeout(acquire).connect_lazy_with(opts),
            ))
        }
        Db::Postgres(pool) => {
            let opts = (*pool.connect_options()).clone().disable_statement_logging();
            Some(Db::Postgres(PgPoolOptions::new().max_connections(2).acquire_timeout(acquire).connect_lazy_with(opts)))
        }
    }
}

/// The running background tasks of one server.
pub struct Background {
    stop: watch::Sender<bool>,
    /// The jobs, which stop at the signal.
    tasks: Vec<JoinHandle<()>>,
    /// The live-event listener, which has nothing to finish.
    listener: Option<JoinHandle<()>>,
    own_db: Option<Db>,
}

impl Background {
    /// Asks the tasks to stop, waits a little for the one sending e-mail to finish its batch, aborts the rest.
    pub async fn stop(mut self) {
        if let Some(l) = self.listener.take() {
            l.abort();
        }
        let _ = self.stop.send(true);
        for task in std::mem::take(&mut self.tasks) {
            let abort = task.abort_handle();
            if tokio::time::timeout(Duration::from_secs(5), task).await.is_err() {
                abort.abort();
            }
        }
        if let Some(db) = self.own_db.take() {
            db.close().await;
        }
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        for t in self.tasks.iter().chain(&self.listener) {
            t.abort();
        }
    }
}

async fn stopped(rx: &mut watch::Receiver<bool>) {
    // Returns when `true` is sent or the sender is gone.
    let _ = rx.wait_for(|v| *v).await;
}

/// Sends the outbox at every tick, or at once when woken by a new notification.
async fn mail_loop(s: Services, mailer: Mailer, mut stop: watch::Receiver<bool>) {
    loop {
        if let Err(e) = s.send_outbox(&mailer, now()).await {
            log_job_error("e-mail", &e);
        }
        tokio::select! {
            _ = stopped(&mut stop) => break,
            _ = tokio::time::sleep(MAIL_TICK) => {}
            _ = s.events.mailer_woken() => {}
        }
    }
}

/// Runs `job` now and then every `tick` until stopped.
async fn every<F, Fut>(tick: Duration, mut stop: watch::Receiver<bool>, job: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = AppResult<()>>,
{
    loop {
        if let Err(e) = job().await {
            log_job_error("periodic", &e);
        }
        tokio::select! {
            _ = stopped(&mut stop) => break,
            _ = tokio::time::sleep(tick) => {}
        }
    }
}

fn log_job_error(job: &str, e: &AppError) {
    tracing::error!(job, error = ?e, "a background job failed; it runs again at its next tick");
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn the_digest_due_is_the_last_digest_hour_passed() {
        let at = |h, m| Utc.with_ymd_and_hms(2026, 3, 10, h, m, 0).single().expect("a time");
        assert_eq!(digest_due_at(at(6, 0), 6), at(6, 0));
        assert_eq!(digest_due_at(at(17, 30), 6), at(6, 0));
        assert_eq!(digest_due_at(at(5, 59), 6), at(6, 0) - chrono::Duration::days(1));
        assert_eq!(digest_due_at(at(0, 0), 0), at(0, 0));
    }
}
