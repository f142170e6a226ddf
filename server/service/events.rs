//! Live events for GraphQL subscriptions: an in-process broadcast, fed on PostgreSQL by LISTEN/NOTIFY so that
//! every replica delivers what any replica wrote.
//!
//! On SQLite (one process) [`Services::after_commit`](crate::service::Services::after_commit) publishes
//! directly. On PostgreSQL it does not: every replica runs one [`listen`] task, which receives the `NOTIFY` that
//! [`record`](crate::service::notifications::record) queued — delivered by the database only once the writing
//! transaction commits, to all listeners, the writer's own included — and publishes it to its own hub. One
//! path per backend, and at most one listener per hub, so nothing is delivered twice.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use sqlx::postgres::{PgListener, PgPool, PgPoolOptions};
use tokio::sync::{Notify, broadcast, oneshot};

use crate::service::notifications::{CHANNEL, Wire};
use crate::store::Conn;
use crate::store::notification::NotificationRow;

/// The hub subscriptions listen on.
#[derive(Clone)]
pub struct EventHub {
    tx: broadcast::Sender<NotificationRow>,
    /// Wakes the e-mail sender when new outbox rows may be waiting.
    mail: Arc<Notify>,
    /// Whether a PostgreSQL listener feeds this hub already.
    listening: Arc<AtomicBool>,
}

impl Default for EventHub {
    fn default() -> Self {
        EventHub::new()
    }
}

impl EventHub {
    pub fn new() -> EventHub {
        let (tx, _) = broadcast::channel(1024);
        EventHub { tx, mail: Arc::new(Notify::new()), listening: Arc::new(AtomicBool::new(false)) }
    }

    pub fn publish(&self, n: NotificationRow) {
        // No subscriber is not an error: the inbox keeps every notification.
        let _ = self.tx.send(n);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<NotificationRow> {
        self.tx.subscribe()
    }

    /// How many subscriptions listen now (on this replica).
    pub fn subscribers(&self) -> usize {
        self.tx.receiver_count()
    }

    /// Tells the e-mail sender to look at the outbox now rather than at its next tick.
    pub fn wake_mailer(&self) {
        self.mail.notify_one();
    }

    /// Resolves when [`EventHub::wake_mailer`] was called (a call made before waiting counts once).
    pub async fn mailer_woken(&self) {
        self.mail.notified().await;
    }

    /// Claims the right to run this hub's PostgreSQL listener; false when one runs already.
    fn claim_listener(&self) -> bool {
        !self.listening.swap(true, Ordering::SeqCst)
    }

    fn release_listener(&self) {
        self.listening.store(false, Ordering::SeqCst);
    }
}

/// Backoff between reconnection attempts of the listener.
const BACKOFF_START: Duration = Duration::from_millis(250);
const BACKOFF_MAX: Duration = Duration::from_secs(30);

/// Starts this hub's PostgreSQL listener, unless one runs already (then `None`). The returned receiver
/// resolves once the first `LISTEN` is in place, so a caller can wait until no event can be missed.
pub fn spawn_listener(hub: &EventHub, pool: &PgPool) -> Option<(tokio::task::JoinHandle<()>, oneshot::Receiver<()>)> {
    if !hub.claim_listener() {
        return None;
    }
    // A pool of its own: the listener holds its connection for good and must not take one of the app's.
    let own = PgPoolOptions::new()
        .max_connections(1)
        .min_connections(0)
        .idle_timeout(None)
        .max_lifetime(None)
        .acquire_timeout(Duration::from_secs(10))
        .connect_lazy_with((*pool.connect_options()).clone());
    let (ready_tx, ready_rx) = oneshot::channel();
    let hub = hub.clone();
    let app_pool = pool.clone();
    let task = tokio::spawn(async move {
        let _release = ReleaseOnDrop(hub.clone());
        listen(hub, own, app_pool, ready_tx).await;
    });
    Some((task, ready_rx))
}

struct ReleaseOnDrop(EventHub);

impl Drop for ReleaseOnDrop {
    fn drop(&mut self) {
        self.0.release_listener();
    }
}

/// LISTENs on [`CHANNEL`] and publishes what arrives, reconnecting with backoff for as long as it runs.
async fn listen(hub: EventHub, own: PgPool, app_pool: PgPool, ready: oneshot::Sender<()>) {
    let mut ready = Some(ready);
    let mut backoff = BACKOFF_START;
    loop {
        if app_pool.is_closed() {
            break;
        }
        let mut listener = match PgListener::connect_with(&own).await {
            Ok(l) => l,
            Err(e) => {
                tracing::warn!(error = %e, retry_in = ?backoff, "live events: cannot connect to PostgreSQL");
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(BACKOFF_MAX);
                continue;
            }
        };
        // A lost connection returns `None` below and the next `connect_with` starts afresh.
        listener.eager_reconnect(false);
        if let Err(e) = listener.listen(CHANNEL).await {
            tracing::warn!(error = %e, retry_in = ?backoff, "live events: LISTEN failed");
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(BACKOFF_MAX);
            continue;
        }
        tracing::debug!("live events: listening on PostgreSQL");
        backoff = BACKOFF_START;
        if let Some(r) = ready.take() {
            let _ = r.send(());
        }
        loop {
            match listener.try_recv().await {
                Ok(Some(n)) => deliver(&hub, &app_pool, n.payload()).await,
                Ok(None) => {
                    tracing::warn!("live events: lost the PostgreSQL connection; reconnecting");
                    break;
                }
                Err(e) => {
                    tracing::warn!(error = %e, retry_in = ?backoff, "live events: listener failed; reconnecting");
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(BACKOFF_MAX);
                    break;
                }
            }
        }
    }
    own.close().await;
}

/// Publishes the events of one `NOTIFY` payload: each row itself, or loaded by id when it was too large to
/// travel.
async fn deliver(hub: &EventHub, pool: &PgPool, payload: &str) {
    hub.wake_mailer();
    let wires: Vec<Wire> = match serde_json::from_str(payload) {
        Ok(w) => w,
        Err(e) => {
            tracing::warn!(error = %e, "live events: a payload that is not a list of events");
            return;
        }
    };
    for wire in wires {
        match wire.row {
            Some(row) => hub.publish(row),
            None if hub.subscribers() == 0 => {}
            None => match load(pool, wire.id).await {
                Ok(Some(row)) => hub.publish(row),
                Ok(None) => tracing::warn!(id = %wire.id, "live events: the notification is gone"),
                Err(e) => tracing::warn!(error = ?e, id = %wire.id, "live events: cannot load the notification"),
            },
        }
    }
}

async fn load(pool: &PgPool, id: uuid::Uuid) -> Result<Option<NotificationRow>, crate::domain::AppError> {
    let mut c = pool.acquire().await?;
    crate::store::notification::get(&mut Conn::Postgres(&mut c), id).await
}
