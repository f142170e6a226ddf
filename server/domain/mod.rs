//! Pure types and rules of the pool: enums, validation, workflows. No I/O.

pub mod assignment;
pub mod enums;
pub mod error;
pub mod fund;
pub mod fund_input;
pub mod input;
pub mod network;
pub mod workflow;

pub use enums::*;
pub use error::{AppError, AppResult, OnUnique};

use uuid::Uuid;

/// A new time-ordered id (UUID v7): rows sort by creation, which gives list pages a stable order.
pub fn new_id() -> Uuid {
    Uuid::now_v7()
}
