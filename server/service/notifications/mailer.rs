//! The e-mail outbox's sender: claims PENDING e-mails in small batches and sends them over SMTP (lettre), or,
//! without `smtp_url`, only marks them RECORDED.
//!
//! A claim gives a row one more attempt and hides it from other senders for [`LEASE`] (on PostgreSQL under
//! `FOR UPDATE SKIP LOCKED`, so replicas never take the same row); the sending itself runs outside any
//! transaction. A failure keeps the error and retries after a growing backoff; after [`MAX_ATTEMPTS`] the row is
//! FAILED. A sender that dies mid-send leaves its rows to be retried once the lease runs out.

use std::time::Duration;

use chrono::{DateTime, Utc};
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::WorkflowSettings;
use crate::domain::{AppError, AppResult};
use crate::service::{Services, now};
use crate::store::notification::{self as store, OutboxRow};

/// E-mails claimed at once.
pub const BATCH: usize = 10;
/// Attempts before an e-mail is given up (FAILED).
pub const MAX_ATTEMPTS: i32 = 5;
/// How long a claimed e-mail stays hidden from other senders.
pub const LEASE: Duration = Duration::from_secs(10 * 60);
/// The wait before the first retry; it doubles with each failed attempt.
pub const FIRST_RETRY: Duration = Duration::from_secs(60);
/// Batches one run sends at most before it yields to the next tick.
const MAX_BATCHES: usize = 100;

/// How to send: the SMTP transport when configured, and the sender address.
#[derive(Clone)]
pub struct Mailer {
    transport: Option<AsyncSmtpTransport<Tokio1Executor>>,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    // The transport holds the SMTP credentials: not printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer").field("smtp", &self.transport.is_some()).field("from", &self.from).finish()
    }
}

impl Mailer {
    /// The sender the settings describe; a malformed `smtp_url` or `mail_from` is a configuration error.
    pub fn from_settings(s: &WorkflowSettings) -> AppResult<Mailer> {
        let from: Mailbox = s
            .mail_from
            .parse()
            .map_err(|e| AppError::internal(anyhow::anyhow!("RECOVERY_POOL_MAIL_FROM is not an address: {e}")))?;
        let transport = match s.smtp_url.as_ref().map(|u| u.expose().trim()).filter(|u| !u.is_empty()) {
            None => None,
            Some(url) => Some(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| AppError::internal(anyhow::anyhow!("RECOVERY_POOL_SMTP_URL is not usable: {e}")))?
                    .timeout(Some(Duration::from_secs(20)))
                    .build(),
            ),
        };
        Ok(Mailer { transport, from })
    }

    pub fn sends(&self) -> bool {
        self.transport.is_some()
    }

    fn message(&self, row: &OutboxRow) -> Result<Message, String> {
        let to: Mailbox =
            row.to_address.parse().map_err(|e| format!("the address {:?} is not valid: {e}", row.to_address))?;
        let builder = Message::builder().from(self.from.clone()).to(to).subject(row.subject.clone());
        let built = match (&row.attachment_name, &row.attachment_type, &row.attachment_body) {
            (Some(name), Some(media_type), Some(content)) => {
                let kind = ContentType::parse(media_type).map_err(|e| format!("the attachment's type: {e}"))?;
                let file = Attachment::new(name.clone()).body(content.clone(), kind);
                builder.multipart(MultiPart::mixed().singlepart(SinglePart::plain(row.body.clone())).singlepart(file))
            }
            _ => builder.header(ContentType::TEXT_PLAIN).body(row.body.clone()),
        };
        built.map_err(|e| format!("the message cannot be built: {e}"))
    }
}

/// What one run of the sender did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MailRun {
    /// Sent over SMTP.
    pub sent: usize,
    /// Marked RECORDED (no SMTP configured).
    pub recorded: usize,
    /// Failed and left to retry later.
    pub retrying: usize,
    /// Failed for good.
    pub failed: usize,
}

/// When a row whose `attempts`-th attempt failed may be tried again; none when it is given up.
fn retry_at(attempts: i32, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    if attempts >= MAX_ATTEMPTS {
        return None;
    }
    let factor = 1u32 << attempts.clamp(1, 16).saturating_sub(1) as u32;
    let wait = chrono::Duration::from_std(FIRST_RETRY * factor).unwrap_or(chrono::Duration::hours(1));
    Some(now + wait)
}

fn short(error: &str) -> String {
    error.chars().take(500).collect()
}

impl Services {
    /// Sends (or records) every due outbox e-mail once, now: what the background sender does at each tick.
    pub async fn run_mail_once(&self) -> AppResult<MailRun> {
        let mailer = Mailer::from_settings(&self.settings)?;
        self.send_outbox(&mailer, now()).await
    }

    /// As [`Services::run_mail_once`], as if it were `now` (so tests can step past the retry backoff).
    pub async fn run_mail_at(&self, now: DateTime<Utc>) -> AppResult<MailRun> {
        let mailer = Mailer::from_settings(&self.settings)?;
        self.send_outbox(&mailer, now).await
    }

    /// Works through the due outbox rows with `mailer`.
    pub async fn send_outbox(&self, mailer: &Mailer, now: DateTime<Utc>) -> AppResult<MailRun> {
        let mut run = MailRun::default();
        let Some(transport) = &mailer.transport else {
            let mut tx = self.db.begin().await?;
            run.recorded = store::record_pending(&mut tx.conn()).await? as usize;
            tx.commit().await?;
            return Ok(run);
        };
        let lease_until = now + chrono::Duration::from_std(LEASE).unwrap_or(chrono::Duration::minutes(10));
        for _ in 0..MAX_BATCHES {
            let batch = {
                let mut tx = self.db.begin().await?;
                let rows = store::claim_due(&mut tx.conn(), now, lease_until, BATCH).await?;
                tx.commit().await?;
                rows
            };
            if batch.is_empty() {
                break;
            }
            for row in batch {
                let outcome = match mailer.message(&row) {
                    Err(e) => Err((e, false)),
                    Ok(message) => transport.send(message).await.map(|_| ()).map_err(|e| (e.to_string(), true)),
                };
                let mut c = self.db.acquire().await?;
                match outcome {
                    Ok(()) => {
                        store::mark_sent(&mut c.conn(), row.id, crate::service::now()).await?;
                        run.sent += 1;
                    }
                    Err((error, may_retry)) => {
                        let retry = if may_retry { retry_at(row.attempts, now) } else { None };
                        tracing::warn!(outbox = %row.id, attempts = row.attempts, error = %error, retry = ?retry, "an e-mail was not sent");
                        store::mark_attempt_failed(&mut c.conn(), row.id, &short(&error), retry).await?;
                        if retry.is_some() {
                            run.retrying += 1;
                        } else {
                            run.failed += 1;
                        }
                    }
                }
            }
        }
        Ok(run)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_and_stop_after_five_attempts() {
        let t = now();
        let waits: Vec<_> = (1..=5).map(|a| retry_at(a, t).map(|r| (r - t).num_seconds())).collect();
        assert_eq!(waits, vec![Some(60), Some(120), Some(240), Some(480), None]);
    }

    #[tokio::test]
    async fn settings_without_smtp_only_record() {
        let m = Mailer::from_settings(&WorkflowSettings::default()).expect("the default settings are valid");
        assert!(!m.sends());
        let bad = WorkflowSettings { mail_from: "not an address".into(), ..WorkflowSettings::default() };
        assert!(Mailer::from_settings(&bad).is_err());
        let smtp = WorkflowSettings {
            smtp_url: Some(crate::config::ServerUrl::new("smtp://127.0.0.1:2525")),
            ..WorkflowSettings::default()
        };
        assert!(Mailer::from_settings(&smtp).expect("a plain SMTP URL").sends());
    }
}
