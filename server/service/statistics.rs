//! Aggregate, non-personal figures for anyone, signed in or not.

use super::Services;
use crate::auth::Principal;
use crate::auth::policy::{Op, Target, check};
use crate::domain::AppResult;
use crate::store;

/// The public figures.
#[derive(Debug, Clone, Default)]
pub struct PublicStatistics {
    /// (sector, open or filled needs)
    pub open_needs_per_sector: Vec<(String, i64)>,
    /// (status, needs)
    pub needs_per_status: Vec<(String, i64)>,
    pub active_experts: i64,
    pub contributing_municipalities: i64,
    /// (`YYYY-MM`, hours delivered over the pool)
    pub hours_per_month: Vec<(String, i64)>,
    /// (region, needs open for matching)
    pub open_needs_per_region: Vec<(String, i64)>,
    /// Seats of open needs that no assignment holds.
    pub open_seats: i64,
}

impl PublicStatistics {
    /// Filled needs as a share of the needs that entered matching (open or filled), 0–1.
    pub fn fill_rate(&self) -> f64 {
        let of = |s: &str| self.needs_per_status.iter().find(|(k, _)| k == s).map_or(0, |(_, n)| *n);
        let (filled, open) = (of("FILLED"), of("OPEN"));
        if filled + open == 0 { 0.0 } else { filled as f64 / (filled + open) as f64 }
    }
}

impl Services {
    pub async fn public_statistics(&self, p: Option<&Principal>) -> AppResult<PublicStatistics> {
        check(p, Op::ReadPublicStatistics, Target::NONE)?;
        let mut c = self.db.acquire().await?;
        let mut conn = c.conn();
        let (active_experts, contributing_municipalities) = store::expert::pool_size(&mut conn).await?;
        Ok(PublicStatistics {
            open_needs_per_sector: store::need::open_per_sector(&mut conn).await?,
            needs_per_status: store::need::per_status(&mut conn).await?,
            active_experts,
            contributing_municipalities,
            hours_per_month: store::hours::per_month(&mut conn).await?,
            open_needs_per_region: store::need::open_per_region(&mut conn).await?,
            open_seats: store::need::open_seats(&mut conn).await?,
        })
    }
}
