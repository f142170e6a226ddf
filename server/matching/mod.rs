//! The matching engine (docs/matching.md): pure Rust over an in-memory snapshot of the pool.
//!
//! - [`model`]: the snapshot (experts, needs with roles, continuity) — also the instance file's shape;
//! - [`Params`]: weights, minimum coverage, priority rewards, municipality penalty, with defaults;
//! - [`eligibility`]: who may be proposed, and why not ([`Ineligibility`]);
//! - [`score`]: the 0–1000 score and its [`Explanation`];
//! - [`candidates()`] over a [`CandidateIndex`]: the k best experts for one role;
//! - [`round()`]: the globally best proposals, solved exactly as a min-cost flow ([`flow`]);
//! - [`instance`] and [`dimacs`]: the JSON instance file and the DIMACS export of the network;
//! - [`generate`]: synthetic instances for tests and benchmarks.
//!
//! No SQL, no GraphQL, no network; only `instance` and `dimacs` touch files.

pub mod candidates;
pub mod dimacs;
pub mod eligibility;
pub mod flow;
pub mod generate;
pub mod index;
pub mod instance;
pub mod model;
pub mod params;
pub mod round;
pub mod scaling;
pub mod score;

#[cfg(test)]
mod tests;

pub use candidates::{Candidate, candidates, evaluate};
pub use eligibility::Ineligibility;
pub use flow::FlowNetwork;
pub use index::CandidateIndex;
pub use model::{InvalidField, Pool};
pub use params::{Params, PriorityRewards, Weights};
pub use round::{
    GuaranteeFigures, MunicipalityFigures, Objective, PhaseTimings, PriorityFigures, Proposal, RoundResult, RoundStats,
    UnfilledRole, round, round_with, round_with_network,
};
pub use score::{Explanation, ScoreParts};

/// Errors of the engine.
#[derive(Debug, thiserror::Error)]
pub enum MatchError {
    /// A field of the pool or the parameters breaks a rule.
    #[error("invalid {0}")]
    Invalid(#[from] InvalidField),
    /// A need asked for is not in the pool.
    #[error("need {0} is not in the pool")]
    UnknownNeed(uuid::Uuid),
    /// A bug: the solver's own checks failed.
    #[error("internal matching error: {0}")]
    Internal(String),
}
