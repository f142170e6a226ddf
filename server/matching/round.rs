//! `round(...)`: the globally best set of proposals over many needs at once (docs/matching.md).
//!
//! Phases: index the pool; find every eligible (expert, role) pair and its value on all cores; build the
//! flow network, with the seat value derived from it; solve it exactly ([`super::flow`]); check the
//! optimality certificate; explain the proposals and count what priority and fairness did.
//!
//! A pair's value is `seat value + priority step · rank + priority reward + score` ([`Params`] explains
//! why the seat value and the step make the two guarantees hold); [`RoundStats::guarantees`] counts, on
//! every round, the seats the guarantees protect, so a result that breaks one shows it.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::MatchError;
use super::eligibility;
use super::flow::{self, FlowNetwork, NONE, NetArc, NetRole, SolverStats};
use super::index::{CandidateIndex, Span, to_u32};
use super::model::{InvalidField, Need, Pool, Priority, Role};
use super::params::{self, PRIORITIES_LOW_TO_HIGH, Params};
use super::scaling;
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
    /// The round's priority step times the need's rank (LOW 0 … CRITICAL 3): what puts priority first.
    #[serde(default)]
    pub priority_step: u32,
    /// The value of filling a seat at all, the same for every seat of the round.
    #[serde(default)]
    pub seat_value: u32,
    pub explanation: Explanation,
}

impl Proposal {
    /// What this proposal adds to the objective before the municipality penalty.
    pub fn value(&self) -> i64 {
        i64::from(self.seat_value)
            + i64::from(self.priority_step)
            + i64::from(self.priority_reward)
            + i64::from(self.score)
    }
}

/// Wall time of each phase, in milliseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct PhaseTimings {
    /// Reading the pool: set by the caller that reads it from a database (the service), 0 otherwise.
    pub load_ms: f64,
    pub validate_ms: f64,
    pub index_ms: f64,
    pub eligibility_ms: f64,
    pub network_ms: f64,
    pub solve_ms: f64,
    pub verify_ms: f64,
    pub explain_ms: f64,
    pub total_ms: f64,
    /// Storing the result: set by the caller that stores it (the service), 0 otherwise.
    pub store_ms: f64,
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

/// Seats of one priority in a round.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
pub struct PriorityFigures {
    pub priority: Priority,
    pub roles: usize,
    pub open_seats: u64,
    pub filled_seats: u64,
    pub seats_left: u64,
    /// Seats left although an expert eligible for them exists (all of them placed on seats worth more).
    pub seats_left_with_eligible_experts: u64,
}

/// What the round drew from one contributing municipality, and the fairness penalty it paid for that.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
pub struct MunicipalityFigures {
    pub municipality_id: Uuid,
    /// Its experts with at least one eligible seat in the round.
    pub eligible_experts: u32,
    /// Its experts the round proposes.
    pub drawn: u32,
    /// `penalty · drawn (drawn − 1) / 2`.
    pub penalty: i64,
}

/// The two guarantees, counted on the result (both counts are 0 unless priority was relaxed for the round,
/// which only the second may then break).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct GuaranteeFigures {
    /// Roles left with an empty seat although an expert eligible for them got no seat in the round.
    pub roles_empty_beside_idle_experts: u32,
    /// Experts who got no seat although a role they are eligible for was left with an empty one.
    pub idle_experts_eligible_for_empty_seats: u32,
    /// Roles left with an empty seat while an expert eligible for them fills a seat of lower priority.
    pub roles_losing_to_lower_priority: u32,
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
    /// The value of every filled seat (derived: [`params::seat_value`]).
    pub seat_value: i64,
    /// The value one step up in priority adds to a seat (derived: [`Params::priority_step`]; 0 when relaxed).
    pub priority_step: i64,
    /// Whether priority came first in this round.
    pub priority_first: bool,
    /// `Σ seat value` and `Σ priority step · rank` over the proposals.
    pub total_seat_value: i64,
    pub total_priority_step: i64,
    /// Seats by priority, CRITICAL first.
    pub by_priority: Vec<PriorityFigures>,
    /// The municipalities with eligible experts, most drawn first.
    pub by_municipality: Vec<MunicipalityFigures>,
    pub guarantees: GuaranteeFigures,
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
    /// `Σ (seat value + priority step · rank + priority reward + score) − Σ municipality penalties`; the
    /// network's minimum cost is its negative.
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
    round_with(pool, needs, params, Objective::Guaranteed)
}

/// What the round maximises.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Objective {
    /// With the derived seat value and priority step: both guarantees hold. What the service runs.
    Guaranteed,
    /// Score plus priority reward minus the penalty only, with pairs worth nothing left out: what the round
    /// did before the guarantees, kept to measure what they change (`recovery-pool match --plain-objective`).
    Plain,
}

/// [`round_with_network`] with the objective chosen.
pub fn round_with(
    pool: &Pool,
    needs: Option<&[Uuid]>,
    params: &Params,
    objective: Objective,
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
    let step = match objective {
        Objective::Guaranteed => params.priority_step(),
        Objective::Plain => 0,
    };
    let pairs = eligible_pairs(&index, &roles, params, step, objective == Objective::Plain);
    timings.eligibility_ms = ms(t);

    let eligible_per_role = pairs.counts.clone();
    let t = Instant::now();
    let net = build_network(&index, &roles, pairs, params, step, objective)?;
    timings.network_ms = ms(t);

    let t = Instant::now();
    let sol = scaling::solve(&net);
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
        seat_value: i64::from(net.seat_value),
        priority_step: i64::from(step),
        priority_first: step > 0,
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
        let priority_step = step * u32::from(params::rank(need.priority));
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
            stats.total_priority_step += i64::from(priority_step);
            stats.total_seat_value += i64::from(net.seat_value);
            proposals.push(Proposal {
                need_id: need.id,
                role_id: role.id,
                expert_id,
                score: explanation.total,
                priority_reward: reward,
                priority_step,
                seat_value: net.seat_value,
                explanation,
            });
        }
        proposals[start..].sort_by(|a, b| b.score.cmp(&a.score).then(a.expert_id.cmp(&b.expert_id)));
    }
    let penalty = i64::from(params.municipality_penalty);
    stats.total_municipality_penalty = drawn.iter().map(|&k| penalty * k * (k - 1).max(0) / 2).sum();
    let objective =
        stats.total_seat_value + stats.total_priority_step + stats.total_score + stats.total_priority_reward
            - stats.total_municipality_penalty;
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
    stats.by_priority = priority_figures(&net, &sol.unfilled, &eligible_per_role);
    stats.by_municipality = municipality_figures(&net, &drawn, penalty);
    stats.guarantees = guarantee_figures(&net, &sol.assign, &sol.unfilled);
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

/// A pair's value here is `priority step · rank + priority reward + score`; the seat value is added when the
/// network is built, once it is known. With `drop_worthless`, pairs of value 0 are left out (the plain objective).
pub(crate) fn eligible_pairs(
    index: &CandidateIndex,
    roles: &[(&Need, &Role)],
    params: &Params,
    step: u32,
    drop_worthless: bool,
) -> Pairs {
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
                let reward = i32::try_from(
                    params.priority_rewards.of(need.priority) + step * u32::from(params::rank(need.priority)),
                )
                .expect("rewards and weights are validated");
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
                        if value > 0 || !drop_worthless {
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

fn build_network(
    index: &CandidateIndex,
    roles: &[(&Need, &Role)],
    pairs: Pairs,
    params: &Params,
    step: u32,
    objective: Objective,
) -> Result<FlowNetwork, MatchError> {
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
    let largest = municipalities.iter().map(|&(_, n)| n).max().unwrap_or(0);
    let seat = match objective {
        Objective::Guaranteed => params::seat_value(params.municipality_penalty, largest),
        Objective::Plain => 0,
    };
    let highest = pairs.values.iter().copied().max().unwrap_or(0);
    // Values, and the solver's distances, stay below 2^30.
    let highest = u64::from(highest.unsigned_abs());
    let seat = u32::try_from(seat).ok().filter(|&s| u64::from(s) + highest < 1 << 30).ok_or_else(|| InvalidField {
        field: "params.municipality_penalty".into(),
        reason: format!(
            "{} is too large for a round drawing on {largest} experts of one municipality",
            params.municipality_penalty
        ),
    })?;
    // The solver multiplies costs by the number of nodes, and its prices stay within that many times the
    // largest scaled cost: both must fit in 64 bits (true of any pool this service holds; checked so that
    // a pathological one gets an error, not a wrong answer).
    let nodes = (2 + municipalities.len() + experts.len() + roles.len()) as i128;
    if (i128::from(seat) + i128::from(highest)) * nodes * nodes * 4 >= i128::from(i64::MAX) {
        return Err(InvalidField {
            field: "params.municipality_penalty".into(),
            reason: format!(
                "{} is too large for a round over {} experts and {} roles",
                params.municipality_penalty,
                experts.len(),
                roles.len()
            ),
        }
        .into());
    }
    let arcs = pairs
        .experts
        .iter()
        .zip(&pairs.values)
        .map(|(&e, &value)| NetArc { expert: local[e as usize], value: value + seat as i32 })
        .collect();
    let mut start = 0u32;
    let net_roles = roles
        .iter()
        .zip(&pairs.counts)
        .map(|(&(need, role), &len)| {
            let r = NetRole {
                need_id: need.id,
                role_id: role.id,
                priority: need.priority,
                seats: u32::from(role.open_seats),
                arcs: Span { start, len },
            };
            start += len;
            r
        })
        .collect();
    Ok(FlowNetwork {
        roles: net_roles,
        arcs,
        experts,
        municipalities,
        penalty: params.municipality_penalty,
        seat_value: seat,
        priority_step: step,
    })
}

/// Seats by priority, CRITICAL first.
fn priority_figures(net: &FlowNetwork, unfilled: &[u32], eligible: &[u32]) -> Vec<PriorityFigures> {
    PRIORITIES_LOW_TO_HIGH
        .iter()
        .rev()
        .map(|&priority| {
            let mut f = PriorityFigures {
                priority,
                roles: 0,
                open_seats: 0,
                filled_seats: 0,
                seats_left: 0,
                seats_left_with_eligible_experts: 0,
            };
            for (r, role) in net.roles.iter().enumerate().filter(|(_, role)| role.priority == priority) {
                f.roles += 1;
                f.open_seats += u64::from(role.seats);
                f.seats_left += u64::from(unfilled[r]);
                if eligible[r] > 0 {
                    f.seats_left_with_eligible_experts += u64::from(unfilled[r]);
                }
            }
            f.filled_seats = f.open_seats - f.seats_left;
            f
        })
        .filter(|f| f.roles > 0)
        .collect()
}

/// Eligible and drawn experts, and the penalty paid, per municipality: most drawn first, then by id.
fn municipality_figures(net: &FlowNetwork, drawn: &[i64], penalty: i64) -> Vec<MunicipalityFigures> {
    let mut list: Vec<MunicipalityFigures> = net
        .municipalities
        .iter()
        .zip(drawn)
        .map(|(&(municipality_id, eligible_experts), &k)| MunicipalityFigures {
            municipality_id,
            eligible_experts,
            drawn: u32::try_from(k).unwrap_or(u32::MAX),
            penalty: penalty * k * (k - 1).max(0) / 2,
        })
        .collect();
    list.sort_by(|a, b| b.drawn.cmp(&a.drawn).then(a.municipality_id.cmp(&b.municipality_id)));
    list
}

/// Counts, on the result, the seats each guarantee protects (see [`GuaranteeFigures`]).
fn guarantee_figures(net: &FlowNetwork, assign: &[u32], unfilled: &[u32]) -> GuaranteeFigures {
    let mut g = GuaranteeFigures::default();
    let mut idle_counted = vec![false; net.experts.len()];
    for (r, role) in net.roles.iter().enumerate() {
        if unfilled[r] == 0 {
            continue;
        }
        let (mut idle, mut lower) = (false, false);
        for (e, _) in net.role_arcs(r) {
            match assign[e as usize] {
                NONE => {
                    idle = true;
                    if !idle_counted[e as usize] {
                        idle_counted[e as usize] = true;
                        g.idle_experts_eligible_for_empty_seats += 1;
                    }
                }
                held => lower |= params::rank(net.roles[held as usize].priority) < params::rank(role.priority),
            }
        }
        g.roles_empty_beside_idle_experts += u32::from(idle);
        g.roles_losing_to_lower_priority += u32::from(lower);
    }
    g
}
