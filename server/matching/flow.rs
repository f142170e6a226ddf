//! The exact min-cost-flow solver of a round.
//!
//! # The network
//!
//! In the design's direction (DESIGN §5), and exactly as written to DIMACS by [`super::dimacs`]:
//!
//! ```text
//! source ──(k-th unit: cost penalty·(k−1))──▶ municipality ──(cap 1, cost 0)──▶ expert
//!        ──(cap 1, cost −(score + priority reward))──▶ role (demand: its open seats)
//! source ──(cap seats, cost 0)──▶ role        the "unfilled seat" bypass
//! ```
//!
//! The source supplies the total number of seats; every role demands its seats. A seat filled by an
//! expert costs `−value`; an unfilled seat (the bypass) costs 0. So a minimum-cost flow is a best set
//! of proposals, the minimum cost is `−objective`, and a proposal is made only when it lowers the cost.
//!
//! # The algorithm
//!
//! Successive shortest paths with node potentials, computed on the reversed network (roles send their
//! seats to the source, which plays the sink `t`): for every role in turn, for every seat, a Dijkstra
//! from the role on the residual graph with reduced costs finds a cheapest way to place the seat —
//! a free expert, a chain of experts moving between roles, or leaving a seat unfilled — and
//! augments one unit along it. Each step keeps the flow a minimum-cost flow for the seats placed so
//! far (reduced costs stay non-negative), so the final flow is optimal; [`verify`] checks the
//! optimality certificate (every residual arc has a non-negative reduced cost) after each solve.
//!
//! What makes it fast:
//! - a role's potential is set when it is first processed, to the best value it can reach, so the
//!   first Dijkstras stop at once on a free best expert (as in the Jonker–Volgenant method);
//! - reduced distances are small integers bounded by the largest pair value, so the priority queue
//!   is an array of buckets (Dial), and the search stops as soon as the sink is reached; only the
//!   visited nodes get their potentials updated;
//! - the parallel unit arcs of a municipality are never materialised: the next free one costs
//!   `penalty × (experts already drawn)`.
//!
//! Ties: the queue and the arcs are visited in a fixed order (roles by need id then role id, experts
//! by id), and an unfilled seat is preferred over an equally cheap path, so the same input always
//! gives the same proposals.

use serde::Serialize;
use uuid::Uuid;

use super::index::Span;

pub(crate) const NONE: u32 = u32::MAX;

/// One role in the network.
#[derive(Clone, Debug)]
pub struct NetRole {
    pub need_id: Uuid,
    pub role_id: Uuid,
    pub seats: u32,
    /// Its arcs in `FlowNetwork::arc_expert` / `arc_value`: value descending, then expert ascending.
    pub(crate) arcs: Span,
}

/// The flow network of one round (experts and municipalities without any eligible pair are left
/// out).
#[derive(Clone, Debug)]
pub struct FlowNetwork {
    pub roles: Vec<NetRole>,
    pub(crate) arc_expert: Vec<u32>,
    /// `score + priority reward` of each (role, expert) arc; always > 0. The arc's cost is its
    /// negative.
    pub(crate) arc_value: Vec<i32>,
    /// Expert ids and their municipality (index into `municipalities`).
    pub experts: Vec<(Uuid, u32)>,
    /// Municipality ids and their number of experts in the network.
    pub municipalities: Vec<(Uuid, u32)>,
    pub penalty: u32,
}

impl FlowNetwork {
    /// Number of (expert, role) arcs.
    pub fn pair_count(&self) -> usize {
        self.arc_expert.len()
    }

    /// The arcs of a role: `(expert, value)`.
    pub fn role_arcs(&self, role: usize) -> impl Iterator<Item = (u32, i32)> + '_ {
        let range = self.roles[role].arcs.range();
        self.arc_expert[range.clone()]
            .iter()
            .copied()
            .zip(self.arc_value[range].iter().copied())
    }

    /// Parallel unit arcs from the source to a municipality as written to DIMACS: one per expert
    /// (costs 0, p, 2p, …), or a single arc when the penalty is 0.
    pub fn municipality_arc_count(&self, size: u32) -> usize {
        if self.penalty == 0 { 1 } else { size as usize }
    }

    /// Nodes and arcs of the network in DIMACS form (source, municipalities, experts, roles).
    pub fn size(&self) -> (usize, usize) {
        let nodes = 1 + self.municipalities.len() + self.experts.len() + self.roles.len();
        let muni_arcs: usize = self
            .municipalities
            .iter()
            .map(|&(_, n)| self.municipality_arc_count(n))
            .sum();
        let arcs = muni_arcs + self.experts.len() + self.pair_count() + self.roles.len();
        (nodes, arcs)
    }
}

/// What the solver did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SolverStats {
    /// Dijkstra searches (one per seat of a role with at least one eligible expert).
    pub searches: u64,
    /// Nodes taken from the queue, over all searches.
    pub settled_nodes: u64,
    /// Arcs looked at, over all searches.
    pub scanned_arcs: u64,
}

/// An optimal flow.
#[derive(Clone, Debug)]
pub(crate) struct FlowSolution {
    /// Role of each expert, or `NONE`.
    pub assign: Vec<u32>,
    /// Seats of each role left unfilled.
    pub unfilled: Vec<u32>,
    /// Total cost (= −objective).
    pub cost: i64,
    /// Potentials (node order: roles, experts, municipalities, sink), the optimality certificate.
    pub potentials: Vec<i64>,
    pub stats: SolverStats,
}

/// Solves the round's min-cost flow exactly.
pub(crate) fn solve(net: &FlowNetwork) -> FlowSolution {
    let n_roles = net.roles.len();
    let n_experts = net.experts.len();
    let n_munis = net.municipalities.len();
    let e0 = n_roles;
    let m0 = e0 + n_experts;
    let t = m0 + n_munis;
    let n = t + 1;
    let penalty = i64::from(net.penalty);

    let mut pi = vec![0i64; n];
    let mut assign = vec![NONE; n_experts];
    let mut assign_value = vec![0i32; n_experts];
    let mut members: Vec<Vec<u32>> = vec![Vec::new(); n_munis];
    let mut member_pos = vec![NONE; n_experts];
    let mut unfilled = vec![0u32; n_roles];
    let mut dist = vec![i64::MAX; n];
    let mut pred = vec![NONE; n];
    let mut pred_value = vec![0i32; n_experts];
    let max_value = net.arc_value.iter().copied().max().unwrap_or(0).max(0);
    let mut buckets: Vec<Vec<u32>> = vec![Vec::new(); max_value as usize + 2];
    let mut touched: Vec<u32> = Vec::new();
    let mut cost = 0i64;
    let mut stats = SolverStats::default();

    let mut order: Vec<usize> = (0..n_roles).collect();
    match std::env::var("ORDER").as_deref() {
        Ok("desc") => order.sort_by_key(|&r| std::cmp::Reverse(net.arc_value.get(net.roles[r].arcs.start as usize).copied().filter(|_| net.roles[r].arcs.len > 0).unwrap_or(0))),
        Ok("asc") => order.sort_by_key(|&r| net.arc_value.get(net.roles[r].arcs.start as usize).copied().filter(|_| net.roles[r].arcs.len > 0).unwrap_or(0)),
        Ok("deg") => order.sort_by_key(|&r| net.roles[r].arcs.len),
        Ok("degdesc") => order.sort_by_key(|&r| std::cmp::Reverse(net.roles[r].arcs.len)),
        _ => {}
    }
    for r in order {
        let role = &net.roles[r];
        let arcs = role.arcs.range();
        if arcs.is_empty() {
            unfilled[r] = role.seats;
            continue;
        }
        // The role's potential: the best value it can reach now (never below the sink's 0), so that
        // every arc out of it has a non-negative reduced cost and the best one has 0.
        let mut p = 0i64;
        for a in arcs.clone() {
            let value = i64::from(net.arc_value[a]);
            if value <= p {
                break; // arcs are by value descending, and potentials of experts are ≤ 0
            }
            let e = net.arc_expert[a] as usize;
            p = p.max(value + pi[e0 + e]);
        }
        pi[r] = p;

        for _seat in 0..role.seats {
            stats.searches += 1;
            // The bypass (seat unfilled) is the first path known to the sink; others must be strictly
            // cheaper to replace it.
            let mut dist_t = pi[r] - pi[t];
            let mut pred_t = r as u32;
            dist[r] = 0;
            pred[r] = NONE;
            touched.push(r as u32);
            buckets[0].push(r as u32);
            let mut cursor = 0i64;
            let mut top = 0usize;
            macro_rules! relax {
                ($v:expr, $nd:expr, $u:expr) => {{
                    let v = $v;
                    let nd = $nd;
                    debug_assert!(nd >= cursor, "reduced costs are non-negative");
                    if nd < dist_t && nd < dist[v] {
                        if dist[v] == i64::MAX {
                            touched.push(v as u32);
                        }
                        dist[v] = nd;
                        pred[v] = $u as u32;
                        buckets[nd as usize].push(v as u32);
                        top = top.max(nd as usize);
                        true
                    } else {
                        false
                    }
                }};
            }
            while cursor < dist_t {
                let Some(u) = buckets[cursor as usize].pop() else {
                    cursor += 1;
                    continue;
                };
                let u = u as usize;
                if dist[u] != cursor {
                    continue; // a stale entry: u was reached more cheaply since
                }
                stats.settled_nodes += 1;
                if u < e0 {
                    // A role: to each expert it is not holding, and to the sink (leave a seat unfilled).
                    let base = cursor + pi[u];
                    stats.scanned_arcs += 1;
                    for a in net.roles[u].arcs.range() {
                        let value = net.arc_value[a];
                        // Arcs are by value descending and experts' potentials are ≤ 0, so
                        // `base − value` is a lower bound of this and every later arc's distance.
                        if base - i64::from(value) >= dist_t {
                            break;
                        }
                        stats.scanned_arcs += 1;
                        let e = net.arc_expert[a] as usize;
                        if assign[e] == u as u32 {
                            continue;
                        }
                        if relax!(e0 + e, base - i64::from(value) - pi[e0 + e], u) {
                            pred_value[e] = value;
                        }
                    }
                    let nd = base - pi[t];
                    if nd < dist_t {
                        dist_t = nd;
                        pred_t = u as u32;
                    }
                } else if u < m0 {
                    // An expert: back to the role holding it, or on to its municipality when free.
                    let e = u - e0;
                    stats.scanned_arcs += 1;
                    let r0 = assign[e];
                    if r0 != NONE {
                        let r0 = r0 as usize;
                        relax!(
                            r0,
                            cursor + i64::from(assign_value[e]) + pi[u] - pi[r0],
                            u
                        );
                    } else {
                        let m = m0 + net.experts[e].1 as usize;
                        relax!(m, cursor + pi[u] - pi[m], u);
                    }
                } else {
                    // A municipality: its next unit arc to the sink, or back to one of its drawn
                    // experts (who then leaves their role).
                    let m = u - m0;
                    let drawn = &members[m];
                    stats.scanned_arcs += drawn.len() as u64 + 1;
                    let nd = cursor + penalty * drawn.len() as i64 + pi[u] - pi[t];
                    if nd < dist_t {
                        dist_t = nd;
                        pred_t = u as u32;
                    }
                    for &e in drawn {
                        let v = e0 + e as usize;
                        relax!(v, cursor + pi[u] - pi[v], u);
                    }
                }
            }

            if std::env::var_os("FLOW_DEBUG").is_some() { eprintln!("DBG r={r} D={dist_t} pir={} touched={} cost={}", pi[r], touched.len(), dist_t - pi[r]); }
            // The path's real cost, then the potentials of the nodes settled before the sink.
            cost += dist_t - pi[r] + pi[t];
            for &u in &touched {
                let u = u as usize;
                if dist[u] < dist_t {
                    pi[u] -= dist_t - dist[u];
                }
            }

            // Augment one unit along the path, walking back from the sink.
            let mut x = pred_t as usize;
            if x < e0 {
                unfilled[x] += 1;
            }
            loop {
                let px = pred[x];
                if x >= e0 && x < m0 {
                    let e = x - e0;
                    let px = px as usize;
                    if px < e0 {
                        assign[e] = px as u32;
                        assign_value[e] = pred_value[e];
                    } else {
                        // Reached from its municipality: the expert leaves their role.
                        let m = px - m0;
                        assign[e] = NONE;
                        let pos = member_pos[e] as usize;
                        members[m].swap_remove(pos);
                        if let Some(&moved) = members[m].get(pos) {
                            member_pos[moved as usize] = pos as u32;
                        }
                        member_pos[e] = NONE;
                    }
                } else if x >= m0 && x < t {
                    // Entered from a free expert who is now drawn from this municipality.
                    let m = x - m0;
                    let e = px as usize - e0;
                    member_pos[e] = members[m].len() as u32;
                    members[m].push(e as u32);
                }
                if px == NONE {
                    break;
                }
                x = px as usize;
            }

            for &u in &touched {
                dist[u as usize] = i64::MAX;
            }
            touched.clear();
            for b in &mut buckets[cursor as usize..=top.max(cursor as usize)] {
                b.clear();
            }
        }
    }

    FlowSolution {
        assign,
        unfilled,
        cost,
        potentials: pi,
        stats,
    }
}

/// Checks that `sol` is a feasible flow of `net` and that its potentials certify optimality: every
/// arc of the residual graph has a non-negative reduced cost. Also checks the reported cost.
pub(crate) fn verify(net: &FlowNetwork, sol: &FlowSolution) -> Result<(), String> {
    let n_roles = net.roles.len();
    let e0 = n_roles;
    let m0 = e0 + net.experts.len();
    let t = m0 + net.municipalities.len();
    let pi = &sol.potentials;
    let penalty = i64::from(net.penalty);
    let mut filled = vec![0u32; n_roles];
    let mut drawn = vec![0i64; net.municipalities.len()];
    let mut value_sum = 0i64;
    for (e, &r) in sol.assign.iter().enumerate() {
        if r != NONE {
            filled[r as usize] += 1;
            drawn[net.experts[e].1 as usize] += 1;
        }
    }
    for (r, role) in net.roles.iter().enumerate() {
        if filled[r] + sol.unfilled[r] != role.seats {
            return Err(format!("role {r}: seats not balanced"));
        }
        // Bypass arc (sink side in the reversed network): forward if capacity left, backward if used.
        let rc = pi[r] - pi[t];
        if sol.unfilled[r] < role.seats && rc < 0 {
            return Err(format!("role {r}: bypass has reduced cost {rc}"));
        }
        if sol.unfilled[r] > 0 && rc > 0 {
            return Err(format!("role {r}: used bypass has reduced cost {rc}"));
        }
        let mut held = 0;
        for (e, value) in net.role_arcs(r) {
            let rc = -i64::from(value) + pi[r] - pi[e0 + e as usize];
            if sol.assign[e as usize] == r as u32 {
                held += 1;
                value_sum += i64::from(value);
                if rc > 0 {
                    return Err(format!("arc role {r} → expert {e}: used, reduced cost {rc}"));
                }
            } else if rc < 0 {
                return Err(format!("arc role {r} → expert {e}: reduced cost {rc}"));
            }
        }
        if held != filled[r] {
            return Err(format!("role {r}: an expert holds it without an arc"));
        }
    }
    for (e, &(_, m)) in net.experts.iter().enumerate() {
        let rc = pi[e0 + e] - pi[m0 + m as usize];
        let used = sol.assign[e] != NONE;
        if (used && rc > 0) || (!used && rc < 0) {
            return Err(format!("arc expert {e} → municipality {m}: reduced cost {rc}"));
        }
    }
    let mut penalty_sum = 0i64;
    for (m, &(_, size)) in net.municipalities.iter().enumerate() {
        let k = drawn[m];
        penalty_sum += penalty * k * (k - 1).max(0) / 2;
        if k < i64::from(size) && penalty * k + pi[m0 + m] - pi[t] < 0 {
            return Err(format!("municipality {m}: next unit arc has negative reduced cost"));
        }
        if k > 0 && penalty * (k - 1) + pi[m0 + m] - pi[t] > 0 {
            return Err(format!("municipality {m}: last used unit arc has positive reduced cost"));
        }
    }
    let objective = value_sum - penalty_sum;
    if objective != -sol.cost {
        return Err(format!(
            "objective {objective} differs from −cost {}",
            -sol.cost
        ));
    }
    Ok(())
}
