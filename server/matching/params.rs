//! Matching parameters and their documented defaults.

use serde::{Deserialize, Serialize};

use super::model::Priority;

/// Weights of the five score parts. Each part is `weight × fit / 1000` (integer division), where the
/// fit of a part is a permille in `0..=1000`; the score is their sum. With the defaults the weights add
/// up to 1000, so the score is in `0..=1000`; the weights must never add up to more than 1000.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Weights {
    /// How far above the minimum levels the essential skills are. Default 300.
    pub essential_margin: u16,
    /// Share and level of the desired skills the expert has. Default 200.
    pub desired_skills: u16,
    /// How well the expert shares a language with the team (an interpreter scores lower). Default 150.
    pub language: u16,
    /// Share of the need's period the expert is available for. Default 200.
    pub period_coverage: u16,
    /// The expert's municipality already works with the need's municipality. Default 150.
    pub continuity: u16,
}

impl Default for Weights {
    fn default() -> Self {
        Weights { essential_margin: 300, desired_skills: 200, language: 150, period_coverage: 200, continuity: 150 }
    }
}

impl Weights {
    pub fn sum(&self) -> u32 {
        u32::from(self.essential_margin)
            + u32::from(self.desired_skills)
            + u32::from(self.language)
            + u32::from(self.period_coverage)
            + u32::from(self.continuity)
    }
}

/// Reward added to the round's objective for every seat filled, by the need's priority.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PriorityRewards {
    /// Default 400.
    pub critical: u32,
    /// Default 250.
    pub high: u32,
    /// Default 150.
    pub medium: u32,
    /// Default 50.
    pub low: u32,
}

impl Default for PriorityRewards {
    fn default() -> Self {
        PriorityRewards { critical: 400, high: 250, medium: 150, low: 50 }
    }
}

impl PriorityRewards {
    pub fn of(&self, priority: Priority) -> u32 {
        match priority {
            Priority::Critical => self.critical,
            Priority::High => self.high,
            Priority::Medium => self.medium,
            Priority::Low => self.low,
        }
    }
}

/// Upper bound on rewards and the penalty, so that every cost fits comfortably in 32 bits.
pub const MAX_REWARD: u32 = 100_000;

/// Parameters of eligibility, score and round.
///
/// The round maximises
/// `Σ over proposals (score + priority reward of the need)  −  Σ over municipalities penalty · k(k−1)/2`
/// where `k` is the number of experts the round draws from that municipality: the first expert from a
/// municipality costs nothing, the second `penalty`, the third `2 · penalty`, the k-th
/// `(k−1) · penalty` (convex, so the load spreads over many municipalities).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Params {
    pub weights: Weights,
    /// The share of the need's period (in permille) the expert must be available for. Default 500
    /// (half the period).
    pub min_period_coverage_permille: u16,
    pub priority_rewards: PriorityRewards,
    /// The municipality penalty: the k-th expert drawn from one municipality in one round costs
    /// `penalty · (k − 1)`. Default 5.
    pub municipality_penalty: u32,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            weights: Weights::default(),
            min_period_coverage_permille: 500,
            priority_rewards: PriorityRewards::default(),
            municipality_penalty: 5,
        }
    }
}

impl Params {
    /// Checks the ranges; the error names the field.
    pub fn validate(&self) -> Result<(), super::model::InvalidField> {
        let bad =
            |field: &str, reason: String| Err(super::model::InvalidField { field: format!("params.{field}"), reason });
        if self.weights.sum() > 1000 {
            return bad("weights", format!("the weights add up to {}, more than 1000", self.weights.sum()));
        }
        if self.min_period_coverage_permille > 1000 {
            return bad(
                "min_period_coverage_permille",
                format!("{} is more than 1000", self.min_period_coverage_permille),
            );
        }
        let r = &self.priority_rewards;
        for (name, value) in [("critical", r.critical), ("high", r.high), ("medium", r.medium), ("low", r.low)] {
            if value > MAX_REWARD {
                return bad(&format!("priority_rewards.{name}"), format!("{value} is more than {MAX_REWARD}"));
            }
        }
        if self.municipality_penalty > MAX_REWARD {
            return bad("municipality_penalty", format!("{} is more than {MAX_REWARD}", self.municipality_penalty));
        }
        Ok(())
    }
}
