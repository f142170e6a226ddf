//! Relay connections: opaque cursors, `pageInfo`, and a `totalCount` that is counted only when asked for.

use async_graphql::connection::{Connection, CursorType, Edge, OpaqueCursor};
use async_graphql::{Context, Object, OutputType};
use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use super::context::rc;
use super::error::{ApiResult, ResultExt};
use crate::domain::AppError;
use crate::store::assignment::AssignmentFilter;
use crate::store::audit::AuditFilter;
use crate::store::expert::ExpertFilter;
use crate::store::municipality::MunicipalityFilter;
use crate::store::need::NeedFilter;
use crate::store::plan::PlanFilter;
use crate::store::sql::Page;

/// What a list's `totalCount` counts: the same filter as the page, without the cursor.
#[derive(Clone)]
pub enum CountOf {
    Municipalities(MunicipalityFilter),
    Experts(ExpertFilter),
    Plans(PlanFilter),
    Needs(NeedFilter),
    Users,
    AuditEvents(AuditFilter),
    Assignments(AssignmentFilter),
    MatchingRounds,
}

/// Extra fields of every connection.
pub struct ListInfo {
    of: CountOf,
    /// Known without a query when the first page already holds everything.
    known_total: Option<i64>,
}

#[Object]
impl ListInfo {
    /// How many items the whole list holds (all pages), with the same filters.
    async fn total_count(&self, ctx: &Context<'_>) -> async_graphql::Result<i64> {
        if let Some(n) = self.known_total {
            return Ok(n);
        }
        let r = rc(ctx);
        let (s, p) = (&r.services, r.principal());
        let n = match &self.of {
            CountOf::Municipalities(f) => s.count_municipalities(p, f).await,
            CountOf::Experts(f) => s.count_experts(p, f).await,
            CountOf::Plans(f) => s.count_plans(p, f).await,
            CountOf::Needs(f) => s.count_needs(p, f).await,
            CountOf::Users => s.count_users(p).await,
            CountOf::AuditEvents(f) => s.count_audit_events(p, f).await,
            CountOf::Assignments(f) => s.count_assignments(p, f.clone()).await,
            CountOf::MatchingRounds => s.count_rounds(p).await,
        };
        Ok(n.api()?)
    }
}

/// A page of a list whose cursor holds the sort key `K` (by default the id of an id-ordered list).
pub type List<T, K = Uuid> = Connection<OpaqueCursor<K>, T, ListInfo>;

/// The sort key in an `after` cursor; a cursor of another list (or none at all) names the argument.
pub fn after_key<K: Serialize + DeserializeOwned>(after: Option<&str>) -> ApiResult<Option<K>> {
    after
        .map(|a| {
            OpaqueCursor::<K>::decode_cursor(a)
                .map(|c| c.0)
                .map_err(|_| AppError::invalid("after", "is not a cursor of this list"))
        })
        .transpose()
        .api()
        .map_err(Into::into)
}

/// An `after` cursor over an id-ordered list.
pub fn after_id(after: Option<&str>) -> ApiResult<Option<Uuid>> {
    after_key(after)
}

/// Builds a connection from a page; `cursor` gives each row's cursor key, `node` its GraphQL object.
pub fn connection<R, T: OutputType, K: Serialize + DeserializeOwned + Send + Sync>(
    page: Page<R>,
    had_cursor: bool,
    of: CountOf,
    cursor: impl Fn(&R) -> K,
    node: impl Fn(R) -> T,
) -> List<T, K> {
    let known_total = (!had_cursor && !page.has_next).then_some(page.items.len() as i64);
    let mut c = Connection::with_additional_fields(had_cursor, page.has_next, ListInfo { of, known_total });
    c.edges.extend(page.items.into_iter().map(|r| Edge::new(OpaqueCursor(cursor(&r)), node(r))));
    c
}
