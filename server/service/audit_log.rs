//! Reading the audit log (admins and pool coordinators).

use uuid::Uuid;

use super::{Services, page_size};
use crate::auth::Principal;
use crate::auth::policy::{Op, Target, check};
use crate::domain::AppResult;
use crate::store::audit::{AuditFilter, AuditRow};
use crate::store::sql::Page;

impl Services {
    pub async fn audit_events(
        &self,
        p: Option<&Principal>,
        filter: &AuditFilter,
        after: Option<Uuid>,
        first: Option<i32>,
    ) -> AppResult<Page<AuditRow>> {
        check(p, Op::ReadAuditLog, Target::NONE)?;
        let first = page_size(first)?;
        let mut c = self.db.acquire().await?;
        crate::store::audit::list(&mut c.conn(), filter, after, first).await
    }

    pub async fn count_audit_events(&self, p: Option<&Principal>, filter: &AuditFilter) -> AppResult<i64> {
        check(p, Op::ReadAuditLog, Target::NONE)?;
        let mut c = self.db.acquire().await?;
        crate::store::audit::count(&mut c.conn(), filter).await
    }
}

/// What [`Services::verify_audit_chain`] found.
#[derive(Debug, Clone)]
pub struct ChainReport {
    /// Events recorded before the chain existed (bound by the chain's first link).
    pub legacy: usize,
    /// Events in the chain.
    pub chained: i64,
    /// The head's hash: write it down somewhere outside the database to prove later that nothing before it
    /// was rewritten, even by someone able to recompute the whole chain.
    pub head_hash: String,
    /// What does not hold, first defect first; empty when the chain verifies.
    pub defects: Vec<String>,
}

/// Events read per statement while verifying.
const VERIFY_BATCH: usize = 2_000;

impl Services {
    /// Makes the audit chain's head on first start, before any event is written.
    pub async fn start_audit_chain(&self) -> AppResult<()> {
        let mut c = self.db.acquire().await?;
        if crate::store::audit::head(&mut c.conn()).await?.is_some() {
            return Ok(());
        }
        let legacy = crate::store::audit::legacy(&mut c.conn()).await?;
        crate::store::audit::start_chain(&mut c.conn(), &crate::store::audit::genesis(&legacy)).await
    }

    /// Walks the whole audit chain and recomputes every link: an event rewritten, removed, reordered or slipped
    /// in breaks it. For the command line (`verify-audit`).
    pub async fn verify_audit_chain(&self) -> AppResult<ChainReport> {
        use crate::store::audit::{chained, genesis, head, legacy, link};
        let mut c = self.db.acquire().await?;
        let mut defects = Vec::new();
        let Some((head_seq, head_hash)) = head(&mut c.conn()).await? else {
            defects.push("the chain has no head: the service has never started on this database".to_string());
            return Ok(ChainReport { legacy: 0, chained: 0, head_hash: String::new(), defects });
        };
        let old = legacy(&mut c.conn()).await?;
        let mut prev = genesis(&old);
        let mut seq = 0i64;
        'walk: loop {
            // Up to the head as read above: events committed while the walk runs are checked next time.
            let batch = chained(&mut c.conn(), seq, head_seq, VERIFY_BATCH).await?;
            if batch.is_empty() {
                break;
            }
            for e in batch {
                let at = e.seq.unwrap_or_default();
                if at != seq + 1 {
                    defects.push(format!("events {} to {} are missing", seq + 1, at - 1));
                    break 'walk;
                }
                if e.prev_hash.as_deref() != Some(prev.as_str()) {
                    defects.push(format!(
                        "event {at} ({}) does not follow the event before it{}",
                        e.id,
                        if at == 1 { ": the events recorded before the chain were changed" } else { "" }
                    ));
                    break 'walk;
                }
                let expected = link(&prev, at, &e);
                if e.hash.as_deref() != Some(expected.as_str()) {
                    defects.push(format!("event {at} ({}, {}) was changed after it was written", e.id, e.action));
                    break 'walk;
                }
                prev = expected;
                seq = at;
            }
        }
        if defects.is_empty() && (seq != head_seq || prev != head_hash) {
            defects.push(format!(
                "the chain ends at event {seq} but its head says {head_seq}: events were removed from its end"
            ));
        }
        Ok(ChainReport { legacy: old.len(), chained: seq, head_hash, defects })
    }
}
