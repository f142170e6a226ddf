//! Matching parameters and their documented defaults.

use serde::{Deserialize, Serialize};

use super::model::Priority;

/// The priorities from lowest to highest; a need's rank in the round's priority steps is its position here.
pub const PRIORITIES_LOW_TO_HIGH: [Priority; 4] = [Priority::Low, Priority::Medium, Priority::High, Priority::Critical];

/// Position of a priority in [`PRIORITIES_LOW_TO_HIGH`] (LOW 0 … CRITICAL 3).
pub fn rank(priority: Priority) -> u8 {
    match priority {
        Priority::Low => 0,
        Priority::Medium => 1,
        Priority::High => 2,
        Priority::Critical => 3,
    }
}

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

/// Upper bound on the priority rewards, so that every value fits comfortably in 32 bits.
pub const MAX_REWARD: u32 = 100_000;
/// Upper bound on the municipality penalty: at 1,000 a second expert from one municipality already costs as
/// much as the best score; the bound keeps the derived seat value (below) within 32 bits for any pool.
pub const MAX_PENALTY: u32 = 1_000;

/// Parameters of eligibility, score and round.
///
/// The round maximises
/// `Σ over proposals (seat value + priority step · rank + priority reward + score)
///   −  Σ over municipalities penalty · k(k−1)/2`
/// where `k` is the number of experts the round draws from that municipality: the first expert from a
/// municipality costs nothing, the second `penalty`, the third `2 · penalty`, the k-th
/// `(k−1) · penalty` (convex, so the load spreads over many municipalities).
///
/// The seat value and the priority step are not parameters: they are derived from the round's own pool
/// ([`seat_value`], [`Params::priority_step`]) so that two guarantees hold at any size — the penalty only
/// chooses between ways of filling seats, and a seat of a higher priority is never left empty while one of
/// its eligible experts fills a seat of a lower one (unless [`Params::priority_first`] is off).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Params {
    pub weights: Weights,
    /// The share of the need's period (in permille) the expert must be available for. Default 500
    /// (half the period).
    pub min_period_coverage_permille: u16,
    pub priority_rewards: PriorityRewards,
    /// The municipality penalty: the k-th expert drawn from one municipality in one round costs
    /// `penalty · (k − 1)`. Default 5, at most [`MAX_PENALTY`].
    pub municipality_penalty: u32,
    /// Priority comes first (default): a higher-priority seat is never left empty while one of its eligible
    /// experts fills a lower-priority seat. A coordinator may turn it off for a round; the priority rewards
    /// then only weigh against the scores, and the round's statistics count the seats lost that way.
    pub priority_first: bool,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            weights: Weights::default(),
            min_period_coverage_permille: 500,
            priority_rewards: PriorityRewards::default(),
            municipality_penalty: 5,
            priority_first: true,
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
        if self.municipality_penalty > MAX_PENALTY {
            return bad("municipality_penalty", format!("{} is more than {MAX_PENALTY}", self.municipality_penalty));
        }
        Ok(())
    }

    /// The value one step up in priority adds to every seat of a need: more than any score difference plus any
    /// inversion of the rewards, so that moving an expert to a higher-priority seat always pays (0 when
    /// [`Params::priority_first`] is off).
    ///
    /// Moving expert `e` from a seat of rank `l` to an empty seat of rank `h > l` changes the objective by
    /// `step · (h − l) + reward(h) − reward(l) + score(e, h) − score(e, l)`, and the municipality penalty not at
    /// all (the same expert is drawn). Scores lie in `0..=weights.sum()`, so with
    /// `step = weights.sum() + 1 + max(0, max over l < h of reward(l) − reward(h))` the change is at least 1.
    pub fn priority_step(&self) -> u32 {
        if !self.priority_first {
            return 0;
        }
        let mut inversion = 0u32;
        for (i, &low) in PRIORITIES_LOW_TO_HIGH.iter().enumerate() {
            for &high in &PRIORITIES_LOW_TO_HIGH[i + 1..] {
                inversion = inversion.max(self.priority_rewards.of(low).saturating_sub(self.priority_rewards.of(high)));
            }
        }
        self.weights.sum() + 1 + inversion
    }
}

/// The value every filled seat adds, derived from the round's pool: more than the largest marginal penalty any
/// municipality can pay, so that the penalty only chooses between ways of filling seats.
///
/// Adding an idle eligible expert of municipality `m` to an empty seat gains at least the seat value (scores,
/// rewards and steps are ≥ 0) and costs the marginal penalty `penalty · k`, where `k` — the experts already drawn
/// from `m` — is at most `largest − 1` (`largest`: the most eligible experts one municipality has in the round).
/// With `seat value = penalty · (largest − 1) + 1` the gain is always at least 1, so an optimum never leaves such
/// a seat empty.
pub fn seat_value(penalty: u32, largest: u32) -> u64 {
    u64::from(penalty) * u64::from(largest.saturating_sub(1)) + 1
}
