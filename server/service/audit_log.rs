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
