//! The one error type of the service. Every variant means something to a user; `Internal` hides the rest.

use thiserror::Error;

pub type AppResult<T> = Result<T, AppError>;

#[derive(Debug, Error)]
pub enum AppError {
    #[error("authentication required")]
    Unauthenticated,
    #[error("{0}")]
    Forbidden(String),
    #[error("{what} not found")]
    NotFound { what: &'static str },
    #[error("{field}: {reason}")]
    Invalid { field: String, reason: String },
    #[error("{0}")]
    Conflict(String),
    /// A unique key is taken already (found by the database, e.g. when two requests race past a check);
    /// `on_unique` names the field.
    #[error("{}", match .field { Some(f) => format!("{f}: another record already has this value"), None => "an object with the same unique key already exists".to_string() })]
    Duplicate { field: Option<&'static str> },
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl AppError {
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        AppError::Invalid { field: field.into(), reason: reason.into() }
    }

    pub fn forbidden(reason: impl Into<String>) -> Self {
        AppError::Forbidden(reason.into())
    }

    pub fn not_found(what: &'static str) -> Self {
        AppError::NotFound { what }
    }

    pub fn conflict(reason: impl Into<String>) -> Self {
        AppError::Conflict(reason.into())
    }

    pub fn internal(e: impl Into<anyhow::Error>) -> Self {
        AppError::Internal(e.into())
    }

    /// The `extensions.code` clients switch on.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthenticated => "UNAUTHENTICATED",
            AppError::Forbidden(_) => "FORBIDDEN",
            AppError::NotFound { .. } => "NOT_FOUND",
            AppError::Invalid { .. } => "BAD_USER_INPUT",
            AppError::Conflict(_) | AppError::Duplicate { .. } => "CONFLICT",
            AppError::Internal(_) => "INTERNAL",
        }
    }

    pub fn field(&self) -> Option<&str> {
        match self {
            AppError::Invalid { field, .. } => Some(field),
            AppError::Duplicate { field } => *field,
            _ => None,
        }
    }
}

/// Names the field when a write hits a unique key: `store::user::insert(..).await.on_unique("email")`.
pub trait OnUnique<T> {
    fn on_unique(self, field: &'static str) -> AppResult<T>;
}

impl<T> OnUnique<T> for AppResult<T> {
    fn on_unique(self, field: &'static str) -> AppResult<T> {
        self.map_err(|e| match e {
            AppError::Duplicate { .. } => AppError::Duplicate { field: Some(field) },
            other => other,
        })
    }
}
