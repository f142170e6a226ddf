//! The one mapping from service errors to GraphQL errors with `extensions.code` (and `field` for bad input).
//! [`ApiError`] deliberately has no `Display`, so async-graphql's blanket `From<Display>` can never turn an
//! internal error's text into a client message.

use async_graphql::ErrorExtensions;

use crate::domain::AppError;

pub struct ApiError(pub AppError);

impl From<ApiError> for async_graphql::Error {
    fn from(ApiError(e): ApiError) -> Self {
        to_graphql(&e)
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

/// The GraphQL error for a service error; internal details are logged here and never sent.
pub fn to_graphql(e: &AppError) -> async_graphql::Error {
    let message = match e {
        AppError::Internal(inner) => {
            tracing::error!(error = ?inner, "internal error");
            "internal error".to_string()
        }
        other => other.to_string(),
    };
    let code = e.code();
    let field = e.field().map(str::to_string);
    async_graphql::Error::new(message).extend_with(|_, ext| {
        ext.set("code", code);
        if let Some(f) = &field {
            ext.set("field", f.as_str());
        }
    })
}

/// `?` on a service result inside a resolver: `svc.thing().await.api()?`.
pub trait ResultExt<T> {
    fn api(self) -> Result<T, ApiError>;
}

impl<T> ResultExt<T> for Result<T, AppError> {
    fn api(self) -> Result<T, ApiError> {
        self.map_err(ApiError)
    }
}

/// What resolvers return; service errors reach it through `.api()?`.
pub type ApiResult<T> = async_graphql::Result<T>;
