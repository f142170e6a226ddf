//! `round(...)`: the globally best set of proposals over many needs at once (docs/matching.md).
//!
//! Phases: index the pool; find every eligible (expert, role) pair and its value (score + priority
//! reward) on all cores; build the flow network; solve it exactly ([`super::flow`]); check the
//! optimality certificate; explain the proposals.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::MatchError;
use super::eligibility;
use super::flow::{self, FlowNetwork, NONE, NetArc, NetRole, SolverStats};
use super::index::{CandidateIndex, Span, to_u32};
use super::model::{Need, Pool, Role};
use super::params::Params;
use super::score::{self, Explanation};

/// One proposal of a round: an expert for a seat of a role.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    pub need_id: Uuid,
    pub role_id: Uuid,
    pub expert_id: Uuid,
    pub score: u16,
    /// The need's priority reward for filling this seat.
    pub priority_reward: u32,
    pub explanation: Explanation,
}

/// Wall time of each phase, in milliseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct PhaseTimings {
    pub validate_ms: f64,
    pub index_ms: f64,
    pub eligibility_ms: f64,
    pub network_ms: f64,
    pub solve_ms: f64,
    pub verify_ms: f64,
    pub explain_ms: f64,
    pub total_ms: f64,
}

/// A role the round left with open seats, and how many experts could have taken one: none means nobody in the
/// pool meets the role's requirements now; some means they were all placed on seats worth more (or their
/// hours ran out).
#[derive(Clone, Debug, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct UnfilledRole {
    pub need_id: Uuid,
    pub role_id: Uuid,
    pub seats_left: u16,
    pub eligible_experts: u32,
}

/// Figures about a round.
#[derive(Clone, Debug, Default, PartialEq, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct RoundStats {
    pub experts: usize,
    pub needs: usize,
    pub roles: usize,
    pub open_seats: u64,
    pub filled_seats: usize,
    /// Eligible (expert, role) pairs with a positive value: the expert → role arcs.
    pub eligible_pairs: usize,
    /// Nodes and arcs of the network as written to DIMACS.
    pub nodes: usize,
    pub arcs: usize,
    pub total_score: i64,
    pub total_priority_reward: i64,
    pub total_municipality_penalty: i64,
    pub solver: SolverStats,
    pub timings: PhaseTimings,
    /// The roles left with open seats, in role order.
    pub unfilled: Vec<UnfilledRole>,
}

/// The result of a round.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RoundResult {
    /// By need id, role id, then score descending and expert id ascending.
    pub proposals: Vec<Proposal>,
    /// `Σ (score + priority reward) − Σ municipality penalties`; the network's minimum cost is its
    /// negative.
    pub objective: i64,
    pub stats: RoundStats,
}

/// Runs a round over the needs with the given ids (all needs of the pool when `None`).
///
/// Fails on invalid parameters or pool ([`Pool::validate`]), on an unknown need id, and — a bug, never
/// expected — when the solver's optimality certificate does not hold.
pub fn round(pool: &Pool, needs: Option<&[Uuid]>, params: &Params) -> Result<RoundResult, MatchError> {
    round_with_network(pool, needs, params).map(|(result, _)| result)
}

/// [`round`], also returning the flow network it solved (for [`super::dimacs`]).
pub fn round_with_network(
    pool: &Pool,
    needs: Option<&[Uuid]>,
    params: &Params,
) -> Result<(RoundResult, FlowNetwork), MatchError> {
    let started = Instant::now();
    let mut timings = PhaseTimings::default();
    params.validate()?;
    pool.validate()?;
    timings.validate_ms = ms(started);

    let mut selected: Vec<&Need> = match needs {
        None => pool.needs.iter().collect(),
        Some(ids) => {
            let by_id: HashMap<Uuid, &Need> = pool.needs.iter().map(|n| (n.id, n)).collect();
            let mut list = Vec::with_capacity(ids.len());
            for id in ids {
                list.push(*by_id.get(id).ok_or(MatchError::UnknownNeed(*id))?);
            }
            list
        }
    };
    selected.sort_by_key(|n| n.id);
    selected.dedup_by_key(|n| n.id);
    let mut roles: Vec<(&Need, &Role)> = Vec::new();
    for need in &selected {
        let mut rs: Vec<&Role> = need.roles.iter().filter(|r| r.open_seats > 0).collect();
        rs.sort_by_key(|r| r.id);
        roles.extend(rs.into_iter().map(|r| (*need, r)));
    }

    let t = Instant::now();
    let index = CandidateIndex::build(pool, params);
    timings.index_ms = ms(t);

    let t = Instant::now();
    let pairs = eligible_pairs(&index, &roles, params);
    timings.eligibility_ms = ms(t);

    let eligible_per_role = pairs.counts.clone();
    let t = Instant::now();
    let net = build_network(&index, &roles, pairs, params);
    timings.network_ms = ms(t);

    let t = Instant::now();
    let sol = flow::solve(&net);
    timings.solve_ms = ms(t);

    let t = Instant::now();
    flow::verify(&net, &sol)
        .map_err(|e| MatchError::Internal(format!("the solver's optimality certificate failed: {e}")))?;
    timings.verify_ms = ms(t);

    let t = Instant::now();
    let mut proposals = Vec::new();
    let mut by_role: Vec<Vec<u32>> = vec![Vec::new(); net.roles.len()];
    for (e, &r) in sol.assign.iter().enumerate() {
        if r != NONE {
            by_role[r as usize].push(to_u32(e));
        }
    }
    let mut stats = RoundStats {
        experts: index.len(),
        needs: selected.len(),
        roles: roles.len(),
        open_seats: roles.iter().map(|(_, r)| u64::from(r.open_seats)).sum(),
        eligible_pairs: net.pair_count(),
        ..RoundStats::default()
    };
    let mut drawn = vec![0i64; net.municipalities.len()];
    for (r, experts) in by_role.iter().enumerate() {
        if experts.is_empty() {
            continue;
        }
        let (need, role) = roles[r];
        let compiled = index.compile(need, role);
        let reward = params.priority_rewards.of(need.priority);
        let start = proposals.len();
        for &e in experts {
            let (expert_id, m) = net.experts[e as usize];
            drawn[m as usize] += 1;
            let ce = &index.experts[index.expert_by_id[&expert_id] as usize];
            let fit = eligibility::check(&index, ce, &compiled)
                .map_err(|_| MatchError::Internal("a proposal failed eligibility".into()))?;
            let explanation = score::explain(&index, ce, role, &compiled, &fit);
            stats.total_score += i64::from(explanation.total);
            stats.total_priority_reward += i64::from(reward);
            proposals.push(Proposal {
                need_id: need.id,
                role_id: role.id,
                expert_id,
                score: explanation.total,
                priority_reward: reward,
                explanation,
            });
        }
        proposals[start..].sort_by(|a, b| b.score.cmp(&a.score).then(a.expert_id.cmp(&b.expert_id)));
    }
    let penalty = i64::from(params.municipality_penalty);
    stats.total_municipality_penalty = drawn.iter().map(|&k| penalty * k * (k - 1).max(0) / 2).sum();
    let objective = stats.total_score + stats.total_priority_reward - stats.total_municipality_penalty;
    if objective != -sol.cost {
        return Err(MatchError::Internal(format!("objective {objective} differs from the flow's cost {}", sol.cost)));
    }
    stats.filled_seats = proposals.len();
    for (r, (need, role)) in roles.iter().enumerate() {
        let filled = u16::try_from(by_role[r].len()).unwrap_or(u16::MAX);
        if filled < role.open_seats {
            stats.unfilled.push(UnfilledRole {
                need_id: need.id,
                role_id: role.id,
                seats_left: role.open_seats - filled,
                eligible_experts: eligible_per_role[r],
            });
        }
    }
    (stats.nodes, stats.arcs) = net.size();
    stats.solver = sol.stats;
    timings.explain_ms = ms(t);
    timings.total_ms = ms(started);
    stats.timings = timings;
    Ok((RoundResult { proposals, objective, stats }, net))
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

/// The eligible pairs of each role: `(expert index, value)` by value descending then expert index,
/// for the roles in order.
/// Work is shared over the cores in chunks of roles; the result does not depend on the thread timing.
pub(crate) struct Pairs {
    /// `counts[r]`: number of pairs of role `r`.
    counts: Vec<u32>,
    experts: Vec<u32>,
    values: Vec<i32>,
}

pub(crate) fn eligible_pairs(index: &CandidateIndex, roles: &[(&Need, &Role)], params: &Params) -> Pairs {
    const CHUNK: usize = 32;
    // Roles are visited grouped by the list of experts they walk (their rarest essential skill at its
    // level), so that consecutive roles find those experts in the cache; the results are put back in
    // role order afterwards, so the order of visits changes nothing in the output.
    let mut visit: Vec<u32> = (0..to_u32(roles.len())).collect();
    let keys: Vec<u32> = roles.iter().map(|(_, r)| index.source_key(r)).collect();
    visit.sort_by_key(|&r| (keys[r as usize], r));
    let chunks = visit.len().div_ceil(CHUNK);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8).min(chunks.max(1));
    let next = AtomicUsize::new(0);
    let work = |out: &mut Vec<(usize, Pairs)>| {
        let mut scratch: Vec<(i32, u32)> = Vec::new();
        let mut source: Vec<u32> = Vec::new();
        loop {
            let c = next.fetch_add(1, Ordering::Relaxed);
            if c >= chunks {
                break;
            }
            let mut part = Pairs { counts: Vec::with_capacity(CHUNK), experts: Vec::new(), values: Vec::new() };
            for &r in &visit[c * CHUNK..((c + 1) * CHUNK).min(visit.len())] {
                let (need, role) = roles[r as usize];
                let compiled = index.compile(need, role);
                let reward = i32::try_from(params.priority_rewards.of(need.priority)).expect("rewards are validated");
                scratch.clear();
                let min_coverage = params.min_period_coverage_permille;
                index.candidate_source(&compiled, &mut source);
                for &idx in &source {
                    if !eligibility::may_fit(idx, &index.quick[idx as usize], &compiled, min_coverage) {
                        continue;
                    }
                    let e = &index.experts[idx as usize];
                    if let Ok(fit) = eligibility::check(index, e, &compiled) {
                        let total = score::parts(index, e, &compiled, &fit, &params.weights).total();
                        let value = i32::from(total) + reward;
                        if value > 0 {
                            scratch.push((value, idx));
                        }
                    }
                }
                // Value descending, then expert ascending: the solver relies on this order.
                scratch.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
                part.experts.extend(scratch.iter().map(|&(_, e)| e));
                part.values.extend(scratch.iter().map(|&(v, _)| v));
                part.counts.push(to_u32(scratch.len()));
            }
            out.push((c, part));
        }
    };
    let mut parts: Vec<(usize, Pairs)> = Vec::with_capacity(chunks);
    std::thread::scope(|s| {
        let handles: Vec<_> = (1..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut out = Vec::new();
                    work(&mut out);
                    out
                })
            })
            .collect();
        work(&mut parts);
        for h in handles {
            parts.extend(h.join().expect("an eligibility worker panicked"));
        }
    });
    parts.sort_unstable_by_key(|(c, _)| *c);
    // Where each role's pairs are: (part, offset, count).
    let mut place = vec![(0usize, 0usize, 0u32); roles.len()];
    for (p, (c, part)) in parts.iter().enumerate() {
        let mut offset = 0usize;
        for (k, &count) in part.counts.iter().enumerate() {
            place[visit[c * CHUNK + k] as usize] = (p, offset, count);
            offset += count as usize;
        }
    }
    let total: usize = parts.iter().map(|(_, p)| p.experts.len()).sum();
    let mut all = Pairs {
        counts: Vec::with_capacity(roles.len()),
        experts: Vec::with_capacity(total),
        values: Vec::with_capacity(total),
    };
    for &(p, offset, count) in &place {
        let part = &parts[p].1;
        let range = offset..offset + count as usize;
        all.counts.push(count);
        all.experts.extend_from_slice(&part.experts[range.clone()]);
        all.values.extend_from_slice(&part.values[range]);
    }
    all
}

fn build_network(index: &CandidateIndex, roles: &[(&Need, &Role)], pairs: Pairs, params: &Params) -> FlowNetwork {
    // Keep only experts with at least one pair, in index (= id) order, and their municipalities.
    let mut local = vec![NONE; index.len()];
    for &e in &pairs.experts {
        local[e as usize] = 0;
    }
    let mut muni_local = vec![NONE; index.municipalities.len()];
    let mut experts = Vec::new();
    for (idx, slot) in local.iter_mut().enumerate() {
        if *slot == 0 {
            *slot = to_u32(experts.len());
            let m = index.experts[idx].municipality;
            muni_local[m as usize] = 0;
            experts.push((index.expert_ids[idx], m));
        }
    }
    let mut municipalities = Vec::new();
    for (m, slot) in muni_local.iter_mut().enumerate() {
        if *slot == 0 {
            *slot = to_u32(municipalities.len());
            municipalities.push((index.municipalities[m], 0u32));
        }
    }
    for (_, m) in &mut experts {
        *m = muni_local[*m as usize];
        municipalities[*m as usize].1 += 1;
    }
    let arcs = pairs
        .experts
        .iter()
        .zip(&pairs.values)
        .map(|(&e, &value)| NetArc { expert: local[e as usize], value })
        .collect();
    let mut start = 0u32;
    let net_roles = roles
        .iter()
        .zip(&pairs.counts)
        .map(|(&(need, role), &len)| {
            let r = NetRole {
                need_id: need.id,
                role_id: role.id,
                seats: u32::from(role.open_seats),
                arcs: Span { start, len },
            };
            start += len;
            r
        })
        .collect();
    FlowNetwork { roles: net_roles, arcs, experts, municipalities, penalty: params.municipality_penalty }
}
