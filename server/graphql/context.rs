//! What every resolver reads from the request: the services, the caller, and the per-request loaders.

use async_graphql::Context;

use super::loaders::Loaders;
use crate::auth::Principal;
use crate::service::Services;

/// Attached to each GraphQL request by the HTTP layer.
pub struct RequestCtx {
    pub services: Services,
    pub principal: Option<Principal>,
    /// The client's address, for login rate limiting.
    pub client: String,
    pub loaders: Loaders,
}

impl RequestCtx {
    pub fn new(services: Services, principal: Option<Principal>, client: String) -> RequestCtx {
        let loaders = Loaders::new(services.clone(), principal.clone());
        RequestCtx { services, principal, client, loaders }
    }

    pub fn principal(&self) -> Option<&Principal> {
        self.principal.as_ref()
    }
}

/// The request context; it is always attached by the HTTP layer and the tests' executor.
pub fn rc<'a>(ctx: &Context<'a>) -> &'a RequestCtx {
    ctx.data_unchecked::<RequestCtx>()
}
