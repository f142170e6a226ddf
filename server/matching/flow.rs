//! The flow network of a round, its solution, and the check of its optimality certificate.
//!
//! # The network
//!
//! In the design's direction (docs/matching.md), and exactly as written to DIMACS by [`super::dimacs`]:
//!
//! ```text
//! source ──(k-th unit: cost penalty·(k−1))──▶ municipality ──(cap 1, cost 0)──▶ expert
//!        ──(cap 1, cost −value)──▶ role (demand: its open seats)
//! source ──(cap seats, cost 0)──▶ role        the "unfilled seat" bypass
//! ```
//!
//! The source supplies the total number of seats; every role demands its seats. A seat filled by an
//! expert costs `−value`; an unfilled seat (the bypass) costs 0. So a minimum-cost flow is a best set
//! of proposals, the minimum cost is `−objective`, and a proposal is made only when it lowers the cost.
//!
//! # The solver and its certificate
//!
//! [`super::scaling`] solves the network exactly (cost scaling, with exact integer potentials at the
//! end). [`verify`] then checks the optimality certificate independently: a feasible flow, and a
//! non-negative reduced cost on every arc of the residual graph, over the whole network; the round fails
//! loudly if it does not hold.

use serde::Serialize;
use uuid::Uuid;

use super::index::Span;
use super::model::Priority;

pub(crate) const NONE: u32 = u32::MAX;

/// One role in the network.
#[derive(Clone, Debug)]
pub struct NetRole {
    pub need_id: Uuid,
    pub role_id: Uuid,
    pub priority: Priority,
    pub seats: u32,
    /// Its arcs in `FlowNetwork::arcs`: value descending, then expert ascending.
    pub(crate) arcs: Span,
}

/// An expert → role arc.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct NetArc {
    pub expert: u32,
    /// `seat value + priority step · rank + priority reward + score`; always > 0. The arc's cost is its
    /// negative.
    pub value: i32,
}

/// The flow network of one round (experts and municipalities without any eligible pair are left
/// out).
#[derive(Clone, Debug)]
pub struct FlowNetwork {
    pub roles: Vec<NetRole>,
    /// The (expert, role) arcs, grouped by role.
    pub(crate) arcs: Vec<NetArc>,
    /// Expert ids and their municipality (index into `municipalities`).
    pub experts: Vec<(Uuid, u32)>,
    /// Municipality ids and their number of experts in the network.
    pub municipalities: Vec<(Uuid, u32)>,
    pub penalty: u32,
    /// The seat value and the priority step included in the arc values (for the DIMACS comments).
    pub seat_value: u32,
    pub priority_step: u32,
}

impl FlowNetwork {
    /// Number of (expert, role) arcs.
    pub fn pair_count(&self) -> usize {
        self.arcs.len()
    }

    /// The arcs of a role: `(expert, value)`.
    pub fn role_arcs(&self, role: usize) -> impl Iterator<Item = (u32, i32)> + '_ {
        self.arcs[self.roles[role].arcs.range()].iter().map(|a| (a.expert, a.value))
    }

    /// Parallel unit arcs from the source to a municipality as written to DIMACS: one per expert
    /// (costs 0, p, 2p, …), or a single arc when the penalty is 0.
    pub fn municipality_arc_count(&self, size: u32) -> usize {
        if self.penalty == 0 { 1 } else { size as usize }
    }

    /// Nodes and arcs of the network in DIMACS form (source, municipalities, experts, roles).
    pub fn size(&self) -> (usize, usize) {
        let nodes = 1 + self.municipalities.len() + self.experts.len() + self.roles.len();
        let muni_arcs: usize = self.municipalities.iter().map(|&(_, n)| self.municipality_arc_count(n)).sum();
        let arcs = muni_arcs + self.experts.len() + self.pair_count() + self.roles.len();
        (nodes, arcs)
    }
}

/// What the solver did ([`super::scaling`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct SolverStats {
    /// Scaling phases (ε divided by 4 each time, down to exactness).
    pub phases: u64,
    /// Price changes of roles, experts, municipalities and the sink.
    pub relabels: u64,
    /// Units moved: seats offered to experts, and units the sink gave back.
    pub pushes: u64,
    /// Arcs looked at: roles' arc lists, municipalities' drawn experts, the sink's heap.
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
        return Err(format!("objective {objective} differs from −cost {}", -sol.cost));
    }
    Ok(())
}
