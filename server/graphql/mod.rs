//! The API face: schema assembly from one part per domain, error mapping, limits. Resolvers call the
//! service layer only; they hold no SQL and no business rules.

pub mod accounts;
pub mod assignments;
pub mod community;
pub mod connection;
pub mod context;
pub mod error;
pub mod experts;
pub mod fund;
pub mod ledger;
pub mod limits;
pub mod loaders;
pub mod matching;
pub mod network;
pub mod notifications;
pub mod plans;
pub mod privacy;
pub mod reference;
pub mod sheets;

use std::hash::Hash;

use async_graphql::dataloader::{DataLoader, Loader};
use async_graphql::{ID, MergedObject, MergedSubscription, Schema};
use uuid::Uuid;

use error::{ApiError, ApiResult};

use crate::domain::AppError;

/// All queries.
#[derive(MergedObject, Default)]
pub struct Query(
    reference::ReferenceQuery,
    experts::ExpertQuery,
    plans::PlanQuery,
    matching::MatchingQuery,
    assignments::AssignmentQuery,
    accounts::AccountQuery,
    notifications::NotificationQuery,
    ledger::LedgerQuery,
    privacy::PrivacyQuery,
    sheets::SheetQuery,
    fund::FundQuery,
    network::NetworkQuery,
    community::CommunityQuery,
);

/// All mutations.
#[derive(MergedObject, Default)]
pub struct Mutation(
    reference::ReferenceMutation,
    experts::ExpertMutation,
    plans::PlanMutation,
    matching::MatchingMutation,
    assignments::AssignmentMutation,
    accounts::AccountMutation,
    notifications::NotificationMutation,
    ledger::LedgerMutation,
    privacy::PrivacyMutation,
    sheets::SheetMutation,
    fund::FundMutation,
    network::NetworkMutation,
    community::CommunityMutation,
);

/// All subscriptions (over WebSocket at `/graphql/ws`).
#[derive(MergedSubscription, Default)]
pub struct Subscription(notifications::NotificationSubscription);

pub type AppSchema = Schema<Query, Mutation, Subscription>;

/// Bounds on what one request may ask for.
#[derive(Debug, Clone)]
pub struct SchemaLimits {
    pub max_depth: usize,
    pub max_complexity: usize,
    /// Fields in the expanded query, counting aliases and `__typename`.
    pub max_fields: usize,
    pub introspection: bool,
}

impl Default for SchemaLimits {
    fn default() -> Self {
        use crate::config::defaults;
        SchemaLimits {
            max_depth: defaults::MAX_DEPTH,
            max_complexity: defaults::MAX_COMPLEXITY,
            max_fields: defaults::MAX_FIELDS,
            introspection: true,
        }
    }
}

impl From<&crate::config::ServeSettings> for SchemaLimits {
    fn from(s: &crate::config::ServeSettings) -> Self {
        SchemaLimits {
            max_depth: s.max_depth,
            max_complexity: s.max_complexity,
            max_fields: s.max_fields,
            introspection: s.introspection,
        }
    }
}

pub fn build_schema(limits: &SchemaLimits) -> AppSchema {
    let mut b = Schema::build(Query::default(), Mutation::default(), Subscription::default())
        // The guard checks the depth of ordinary fields against `max_depth`; introspection (GraphiQL's own query
        // nests type references about 13 deep) is bounded here, more loosely, and by the nesting limit.
        .limit_depth(limits.max_depth.max(limits::MAX_INTROSPECTION_DEPTH))
        .limit_complexity(limits.max_complexity)
        .limit_recursive_depth(32)
        .limit_directives(10);
    if !limits.introspection {
        // "Did you mean …?" would tell the schema that introspection keeps to itself.
        b = b.disable_introspection().disable_suggestions();
    }
    b.finish()
}

/// The schema behind the request guard: what the HTTP and WebSocket handlers execute.
pub fn build_api(limits: &SchemaLimits) -> limits::Api {
    let guard = limits::RequestGuard { max_fields: limits.max_fields, max_depth: limits.max_depth };
    limits::Api { schema: build_schema(limits), guard }
}

/// The schema in SDL, as committed in `schema/schema.graphql`.
pub fn sdl() -> String {
    build_schema(&SchemaLimits::default()).sdl()
}

/// An id argument; a malformed one is bad input naming `field`.
pub fn parse_id(id: &ID, field: &str) -> ApiResult<Uuid> {
    Uuid::parse_str(id.as_str()).map_err(|_| ApiError(AppError::invalid(field, "is not a valid id")).into())
}

/// Loads one related row through a loader; a dangling reference is an internal error.
pub async fn load_one<L, K>(
    loader: &DataLoader<L, async_graphql::dataloader::HashMapCache>,
    key: K,
    what: &'static str,
) -> async_graphql::Result<L::Value>
where
    L: Loader<K, Error = async_graphql::Error>,
    K: Send + Sync + Hash + Eq + Clone + std::fmt::Debug + 'static,
{
    match loader.load_one(key.clone()).await? {
        Some(v) => Ok(v),
        None => Err(error::to_graphql(&AppError::internal(anyhow::anyhow!("{what} {key:?} is missing")))),
    }
}
