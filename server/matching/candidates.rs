//! `candidates(role, k)`: the k best eligible experts for one role, and the check of one hand-picked
//! expert.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::eligibility::{self, Ineligibility};
use super::index::CandidateIndex;
use super::model::{Need, Role};
use super::score::{self, Explanation};

/// One proposed expert for a role.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub expert_id: Uuid,
    pub score: u16,
    pub explanation: Explanation,
}

/// The `k` best eligible experts for `role` of `need`: score descending, then expert id ascending.
///
/// Only experts holding the role's rarest essential skill at its minimum level are looked at (all
/// active experts when the role has no essential skill).
pub fn candidates(index: &CandidateIndex, need: &Need, role: &Role, k: usize) -> Vec<Candidate> {
    if k == 0 {
        return Vec::new();
    }
    let compiled = index.compile(need, role);
    let weights = index.params.weights;
    // Min-heap of the best k so far, keyed so that the worst (lowest score, then highest index) is on
    // top.
    let mut best: BinaryHeap<Reverse<(u16, Reverse<u32>)>> = BinaryHeap::with_capacity(k + 1);
    let min_coverage = index.params.min_period_coverage_permille;
    let mut source = Vec::new();
    index.candidate_source(&compiled, &mut source);
    for &idx in &source {
        if !eligibility::may_fit(idx, &index.quick[idx as usize], &compiled, min_coverage) {
            continue;
        }
        let e = &index.experts[idx as usize];
        let Ok(fit) = eligibility::check(index, e, &compiled) else {
            continue;
        };
        let total = score::parts(index, e, &compiled, &fit, &weights).total();
        let key = Reverse((total, Reverse(idx)));
        if best.len() < k {
            best.push(key);
        } else if best.peek().is_some_and(|top| key < *top) {
            best.pop();
            best.push(key);
        }
    }
    let mut chosen: Vec<(u16, u32)> = best.into_iter().map(|Reverse((s, Reverse(i)))| (s, i)).collect();
    chosen.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    chosen
        .into_iter()
        .map(|(total, idx)| {
            let e = &index.experts[idx as usize];
            let fit = eligibility::check(index, e, &compiled).expect("checked above");
            let explanation = score::explain(index, e, role, &compiled, &fit);
            debug_assert_eq!(explanation.total, total);
            Candidate { expert_id: index.expert_ids[idx as usize], score: total, explanation }
        })
        .collect()
}

/// Checks one expert (e.g. hand-picked by a coordinator) for a role: the explanation when eligible,
/// otherwise the first failing reason. `None` when the expert is not in the index.
pub fn evaluate(
    index: &CandidateIndex,
    need: &Need,
    role: &Role,
    expert_id: Uuid,
) -> Option<Result<Explanation, Ineligibility>> {
    let &idx = index.expert_by_id.get(&expert_id)?;
    let e = &index.experts[idx as usize];
    let compiled = index.compile(need, role);
    Some(match eligibility::check(index, e, &compiled) {
        Ok(fit) => Ok(score::explain(index, e, role, &compiled, &fit)),
        Err(fail) => Err(eligibility::describe(fail, e, role, &compiled, index)),
    })
}
