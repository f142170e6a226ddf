//! Live events for GraphQL subscriptions: an in-process broadcast, fed on PostgreSQL by LISTEN/NOTIFY so that
//! every replica delivers what any replica wrote.

use tokio::sync::broadcast;

use crate::store::notification::NotificationRow;

/// The hub subscriptions listen on.
#[derive(Clone)]
pub struct EventHub {
    tx: broadcast::Sender<NotificationRow>,
}

impl Default for EventHub {
    fn default() -> Self {
        EventHub::new()
    }
}

impl EventHub {
    pub fn new() -> EventHub {
        let (tx, _) = broadcast::channel(1024);
        EventHub { tx }
    }

    pub fn publish(&self, n: NotificationRow) {
        // No subscriber is not an error: the inbox keeps every notification.
        let _ = self.tx.send(n);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<NotificationRow> {
        self.tx.subscribe()
    }
}
