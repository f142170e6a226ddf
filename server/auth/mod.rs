//! Who is asking and what they may do: tokens, passwords, the principal, and the one policy module.

pub mod jwt;
pub mod password;
pub mod policy;
pub mod rate_limit;

#[cfg(test)]
mod policy_matrix;

use uuid::Uuid;

use crate::domain::Role;

/// The authenticated user behind a request, as the token states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub user_id: Uuid,
    pub role: Role,
    /// The municipality an officer acts for.
    pub municipality_id: Option<Uuid>,
    /// The expert profile of an EXPERT account.
    pub expert_id: Option<Uuid>,
}
