//! The exact min-cost-flow solver of a round.
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
//! # The algorithm
//!
//! Successive shortest paths with node potentials, on the reversed network (roles send their seats
//! towards the source, which plays the sink `t`): for every role in turn, for every seat, a Dijkstra
//! search from the role on the residual graph with reduced costs finds a cheapest way to place the
//! seat — a free expert, a chain of experts moving between roles, an expert of a busy municipality
//! making room, or leaving the seat unfilled — and augments one unit along it. Each step keeps the
//! flow a minimum-cost flow for the seats placed so far (all reduced costs stay non-negative), so the
//! final flow is optimal. [`verify`] then checks the optimality certificate independently: a
//! feasible flow, and a non-negative reduced cost on every arc of the residual graph, over the whole
//! network; the round fails loudly if it does not hold.
//!
//! What makes it fast enough for millions of arcs (measured; see the engine's report):
//! - roles are processed with the fewest eligible experts first: constrained roles choose first,
//!   flexible ones find alternatives close by later (on the 20,000 × 10,000 benchmark about 2× fewer
//!   nodes settled and 4× fewer arcs scanned than in id order);
//! - a role's potential is set when it is first processed, to the best value it can reach, so most
//!   searches end at once on a free best expert (as in the Jonker–Volgenant method);
//! - reduced distances are integers bounded by the largest pair value, so the queue is an array of
//!   buckets (Dial) — or a binary heap when that value is too large for one bucket per distance (a
//!   huge penalty over a huge municipality makes the seat value large); the search stops when the
//!   sink is reached or nothing is left to visit, and only the nodes settled before it get new
//!   potentials;
//! - experts are never queued: an expert has one arc out, relaxed at once when it is reached, and a
//!   free expert's path to the sink through its municipality is known at once, which bounds the
//!   search early;
//! - a role's arcs are sorted by value and cut into blocks of 8 that carry an upper bound of their
//!   experts' potentials (potentials only decrease, so a bound stays valid): whole blocks, and the
//!   whole rest of the list, are skipped when they cannot beat the best path found;
//! - after each search, the municipalities whose state changed get the lowest potential their arcs
//!   allow, and their free experts the same: the arcs into free experts then carry the marginal
//!   penalty of their municipality, so later searches do not have to discover it;
//! - the parallel unit arcs of a municipality are never materialised: the next one costs
//!   `penalty × (experts already drawn)`; per-expert state read on every arc is packed in 16 bytes.
//!
//! Ties: the queue and the arcs are visited in a fixed order (roles by need id then role id within
//! equal degree, arcs by value then expert id), and an unfilled seat is preferred over an equally
//! cheap path, so the same input always gives the same proposals.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

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

/// What the solver did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct SolverStats {
    /// Dijkstra searches (one per seat of a role with at least one eligible expert).
    pub searches: u64,
    /// Roles and municipalities taken from the queue, over all searches.
    pub settled_nodes: u64,
    /// Times an expert's label improved, over all searches.
    pub reached_experts: u64,
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

/// Per-expert solver state read on every arc: 16 bytes, so the whole array stays in cache.
#[derive(Clone, Copy)]
struct Hot {
    pi: i64,
    /// Distance label of the current search (`DIST_INF` when unlabelled); distances are below the
    /// largest arc value, so they fit.
    dist: i32,
    /// Role holding the expert, or `FREE | municipality`.
    role: u32,
}

/// Per-expert state read only on the search's path and at the expert's own turn.
#[derive(Clone, Copy)]
struct ExpertState {
    /// Value of the arc to the role holding the expert.
    value: i32,
    /// Tagged predecessor in the current search.
    pred: u32,
    /// Value of the arc from `pred` when it is a role.
    pred_value: i32,
    /// Position in its municipality's list of drawn experts.
    member_pos: u32,
}

const DIST_INF: i32 = i32::MAX;
/// Marks a free expert in `Hot::role` (the rest is its municipality).
const FREE: u32 = 1 << 31;
const BLOCK: usize = 8;

const TAG_SHIFT: u32 = 30;
const ROLE: u32 = 0;
const EXPERT: u32 = 1 << TAG_SHIFT;
const MUNI: u32 = 2 << TAG_SHIFT;
const TAG_MASK: u32 = 3 << TAG_SHIFT;
const INF: i64 = i64::MAX;

/// The search's queue of (distance, node), smallest distance first; distances pushed are never below the
/// last one popped.
trait Queue {
    fn push(&mut self, dist: i64, node: u32);
    /// The next entry with a distance below `limit`, if any.
    fn pop_below(&mut self, limit: i64) -> Option<(i64, u32)>;
    /// Empties the queue for the next search.
    fn reset(&mut self);
}

/// One bucket per distance (Dial): O(1) per operation while distances stay small.
struct Buckets {
    buckets: Vec<Vec<u32>>,
    cursor: usize,
    top: usize,
    pending: usize,
}

impl Queue for Buckets {
    fn push(&mut self, dist: i64, node: u32) {
        let d = dist as usize;
        self.buckets[d].push(node);
        self.top = self.top.max(d);
        self.pending += 1;
    }

    fn pop_below(&mut self, limit: i64) -> Option<(i64, u32)> {
        while self.pending > 0 && (self.cursor as i64) < limit {
            if let Some(node) = self.buckets[self.cursor].pop() {
                self.pending -= 1;
                return Some((self.cursor as i64, node));
            }
            self.cursor += 1;
        }
        None
    }

    fn reset(&mut self) {
        if self.pending > 0 {
            for b in &mut self.buckets[self.cursor..=self.top.max(self.cursor)] {
                b.clear();
            }
        }
        (self.cursor, self.top, self.pending) = (0, 0, 0);
    }
}

/// A binary heap, for distance ranges too large for buckets; ties by node, so the order is fixed.
struct Heap(BinaryHeap<Reverse<(i64, u32)>>);

impl Queue for Heap {
    fn push(&mut self, dist: i64, node: u32) {
        self.0.push(Reverse((dist, node)));
    }

    fn pop_below(&mut self, limit: i64) -> Option<(i64, u32)> {
        match self.0.peek() {
            Some(Reverse((d, _))) if *d < limit => self.0.pop().map(|Reverse(entry)| entry),
            _ => None,
        }
    }

    fn reset(&mut self) {
        self.0.clear();
    }
}

/// Above this largest arc value the queue is a heap rather than one bucket per distance.
const MAX_BUCKETS: i32 = 1 << 20;

/// Solves the round's min-cost flow exactly.
pub(crate) fn solve(net: &FlowNetwork) -> FlowSolution {
    let max_value = net.arcs.iter().map(|a| a.value).max().unwrap_or(0).max(0);
    if max_value <= MAX_BUCKETS {
        let buckets = vec![Vec::new(); max_value as usize + 2];
        solve_with(net, Buckets { buckets, cursor: 0, top: 0, pending: 0 })
    } else {
        solve_with(net, Heap(BinaryHeap::new()))
    }
}

/// [`solve`] with the heap whatever the values (to test one queue against the other).
#[cfg(test)]
pub(crate) fn solve_with_heap(net: &FlowNetwork) -> FlowSolution {
    solve_with(net, Heap(BinaryHeap::new()))
}

fn solve_with<Q: Queue>(net: &FlowNetwork, mut queue: Q) -> FlowSolution {
    let n_roles = net.roles.len();
    let n_munis = net.municipalities.len();
    assert!(n_roles.max(net.experts.len()).max(n_munis) < (1 << TAG_SHIFT), "fewer than 2^30 nodes of each kind");
    let penalty = i64::from(net.penalty);

    let mut hot: Vec<Hot> =
        net.experts.iter().map(|&(_, muni)| Hot { pi: 0, dist: DIST_INF, role: FREE | muni }).collect();
    let mut ex: Vec<ExpertState> =
        vec![ExpertState { value: 0, pred: NONE, pred_value: 0, member_pos: NONE }; net.experts.len()];
    let mut pi_r = vec![0i64; n_roles];
    let mut dist_r = vec![INF; n_roles];
    let mut pred_r = vec![NONE; n_roles];
    let mut pi_m = vec![0i64; n_munis];
    let mut dist_m = vec![INF; n_munis];
    let mut pred_m = vec![NONE; n_munis];
    let mut members: Vec<Vec<u32>> = vec![Vec::new(); n_munis];
    let mut unfilled = vec![0u32; n_roles];
    let max_value = net.arcs.iter().map(|a| a.value).max().unwrap_or(0).max(0);
    assert!(max_value < 1 << 30, "arc values are bounded when the network is built");
    let mut touched: Vec<u32> = Vec::new();
    let mut cost = 0i64;
    let mut stats = SolverStats::default();
    // Each role's arcs in blocks of `BLOCK`, each with an upper bound of its experts' potentials.
    let mut block_start = Vec::with_capacity(n_roles);
    let mut blocks = 0u32;
    for role in &net.roles {
        block_start.push(blocks);
        blocks += role.arcs.len.div_ceil(BLOCK as u32);
    }
    let mut block_max_pi = vec![0i32; blocks as usize];
    let role_range: Vec<(u32, u32)> = net.roles.iter().map(|r| (r.arcs.start, r.arcs.start + r.arcs.len)).collect();
    // Experts of each municipality.
    let mut muni_start = vec![0u32; n_munis + 1];
    for &(_, m) in &net.experts {
        muni_start[m as usize + 1] += 1;
    }
    for m in 0..n_munis {
        muni_start[m + 1] += muni_start[m];
    }
    let mut muni_experts = vec![0u32; net.experts.len()];
    let mut fill = muni_start.clone();
    for (e, &(_, m)) in net.experts.iter().enumerate() {
        muni_experts[fill[m as usize] as usize] = e as u32;
        fill[m as usize] += 1;
    }
    let mut retighten: Vec<u32> = Vec::new();

    // Roles with fewer eligible experts first (then in network order): the most constrained roles
    // choose first, and the flexible ones, placed later, find alternatives close by. Any order gives
    // an optimal flow; this one keeps the searches short.
    let mut order: Vec<usize> = (0..n_roles).collect();
    order.sort_by_key(|&r| net.roles[r].arcs.len);

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
        for arc in &net.arcs[arcs.clone()] {
            let value = i64::from(arc.value);
            if value <= p {
                break; // arcs are by value descending, and potentials of experts are ≤ 0
            }
            p = p.max(value + hot[arc.expert as usize].pi);
        }
        pi_r[r] = p;

        for _seat in 0..role.seats {
            stats.searches += 1;
            // The bypass (seat unfilled) is the first path known to the sink; others must be strictly
            // cheaper to replace it.
            let mut dist_t = pi_r[r];
            let mut pred_t = ROLE | r as u32;
            dist_r[r] = 0;
            pred_r[r] = NONE;
            touched.push(ROLE | r as u32);
            queue.push(0, ROLE | r as u32);
            let mut cursor: i64;
            // Experts are never queued: an expert has a single arc out (to the role holding it,
            // or to its municipality when free), so it is relaxed at once whenever its label
            // improves, which is what settling it would do.
            macro_rules! reach_expert {
                ($e:expr, $nd:expr, $pred:expr, $value:expr) => {{
                    let e: u32 = $e;
                    let nd: i64 = $nd;
                    let h = &mut hot[e as usize];
                    debug_assert!(nd >= cursor, "reduced costs are non-negative");
                    if nd < dist_t && nd < i64::from(h.dist) {
                        if h.dist == DIST_INF {
                            touched.push(EXPERT | e);
                        }
                        h.dist = nd as i32;
                        let x = &mut ex[e as usize];
                        x.pred = $pred;
                        x.pred_value = $value;
                        stats.reached_experts += 1;
                        if h.role & FREE == 0 {
                            // Back to the role holding it.
                            let r0 = h.role as usize;
                            let nd = nd + i64::from(x.value) + h.pi - pi_r[r0];
                            debug_assert!(nd >= cursor);
                            if nd < dist_t && nd < dist_r[r0] {
                                if dist_r[r0] == INF {
                                    touched.push(ROLE | r0 as u32);
                                }
                                dist_r[r0] = nd;
                                pred_r[r0] = e;
                                queue.push(nd, ROLE | r0 as u32);
                            }
                        } else {
                            // Free: on to its municipality, and from there to the sink (the
                            // municipality is queued too, for its arcs back to drawn experts).
                            let m = (h.role & !FREE) as usize;
                            let nd = nd + h.pi - pi_m[m];
                            debug_assert!(nd >= cursor);
                            if nd < dist_t && nd < dist_m[m] {
                                if dist_m[m] == INF {
                                    touched.push(MUNI | m as u32);
                                }
                                dist_m[m] = nd;
                                pred_m[m] = e;
                                queue.push(nd, MUNI | m as u32);
                                let nd_t = nd + pi_m[m] + penalty * members[m].len() as i64;
                                if nd_t < dist_t {
                                    dist_t = nd_t;
                                    pred_t = MUNI | m as u32;
                                }
                            }
                        }
                    }
                }};
            }
            while let Some((d, node)) = queue.pop_below(dist_t) {
                cursor = d;
                let i = (node & !TAG_MASK) as usize;
                if node & TAG_MASK == ROLE {
                    if dist_r[i] != cursor {
                        continue; // stale entry
                    }
                    stats.settled_nodes += 1;
                    // To each expert the role is not holding, and to the sink.
                    let base = cursor + pi_r[i];
                    if base < dist_t {
                        dist_t = base;
                        pred_t = ROLE | i as u32;
                    }
                    let (start, end) = role_range[i];
                    let (start, end) = (start as usize, end as usize);
                    let mut a = start;
                    let mut b = block_start[i] as usize;
                    while a < end {
                        // Arcs are by value descending and an expert's potential is at most its
                        // block's bound (potentials only decrease), so `base − value − bound`
                        // bounds the distance of every arc of the block from below, and
                        // `base − value` (potentials are ≤ 0) that of every later arc.
                        let lower_first = base - i64::from(net.arcs[a].value);
                        if lower_first >= dist_t {
                            break;
                        }
                        let block_end = (a + BLOCK).min(end);
                        if lower_first - i64::from(block_max_pi[b]) >= dist_t {
                            a = block_end;
                            b += 1;
                            continue;
                        }
                        let mut max_pi = i64::MIN;
                        for arc in &net.arcs[a..block_end] {
                            let (e, value) = (arc.expert, arc.value);
                            stats.scanned_arcs += 1;
                            let h = &hot[e as usize];
                            max_pi = max_pi.max(h.pi);
                            if h.role == i as u32 {
                                continue;
                            }
                            let nd = base - i64::from(value) - h.pi;
                            reach_expert!(e, nd, ROLE | i as u32, value);
                        }
                        // Rounded up into 32 bits, it stays an upper bound.
                        block_max_pi[b] = max_pi.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32;
                        a = block_end;
                        b += 1;
                    }
                } else {
                    if dist_m[i] != cursor {
                        continue;
                    }
                    stats.settled_nodes += 1;
                    // Its next unit arc to the sink, or back to one of its drawn experts (who
                    // then leaves their role).
                    let base = cursor + pi_m[i];
                    let nd = base + penalty * members[i].len() as i64;
                    if nd < dist_t {
                        dist_t = nd;
                        pred_t = MUNI | i as u32;
                    }
                    stats.scanned_arcs += members[i].len() as u64 + 1;
                    for k in 0..members[i].len() {
                        let e = members[i][k];
                        let nd = base - hot[e as usize].pi;
                        reach_expert!(e, nd, MUNI | i as u32, 0);
                    }
                }
            }

            // The path's real cost (the sink's potential is 0), then the potentials of the nodes
            // settled before the sink, then reset the labels.
            cost += dist_t - pi_r[r];
            for &node in &touched {
                let i = (node & !TAG_MASK) as usize;
                let (d, pi) = match node & TAG_MASK {
                    ROLE => (dist_r[i], &mut pi_r[i]),
                    EXPERT => {
                        let h = &mut hot[i];
                        (i64::from(h.dist), &mut h.pi)
                    }
                    _ => (dist_m[i], &mut pi_m[i]),
                };
                if d < dist_t {
                    *pi -= dist_t - d;
                    if node & TAG_MASK == MUNI {
                        retighten.push(i as u32);
                    }
                }
            }

            // Augment one unit along the path, walking back from the sink.
            let mut node = pred_t;
            if node & TAG_MASK == ROLE {
                unfilled[(node & !TAG_MASK) as usize] += 1;
            }
            loop {
                let i = (node & !TAG_MASK) as usize;
                let prev = match node & TAG_MASK {
                    ROLE => {
                        let e = pred_r[i];
                        if e == NONE {
                            break; // the start
                        }
                        EXPERT | e
                    }
                    EXPERT => {
                        let x = &mut ex[i];
                        let prev = x.pred;
                        if prev & TAG_MASK == ROLE {
                            // Takes the role it was reached from (leaving its old one, next on the path).
                            hot[i].role = prev & !TAG_MASK;
                            x.value = x.pred_value;
                        } else {
                            // Reached from its municipality: leaves its role.
                            let m = (prev & !TAG_MASK) as usize;
                            let pos = x.member_pos as usize;
                            hot[i].role = FREE | m as u32;
                            x.member_pos = NONE;
                            retighten.push(m as u32);
                            members[m].swap_remove(pos);
                            if let Some(&moved) = members[m].get(pos) {
                                ex[moved as usize].member_pos = pos as u32;
                            }
                        }
                        prev
                    }
                    _ => {
                        // Entered from a free expert, who is now drawn from this municipality.
                        let e = pred_m[i];
                        ex[e as usize].member_pos = members[i].len() as u32;
                        members[i].push(e);
                        retighten.push(i as u32);
                        EXPERT | e
                    }
                };
                node = prev;
            }

            for &node in &touched {
                let i = (node & !TAG_MASK) as usize;
                match node & TAG_MASK {
                    ROLE => dist_r[i] = INF,
                    EXPERT => hot[i].dist = DIST_INF,
                    _ => dist_m[i] = INF,
                }
            }
            touched.clear();

            // Lower the potentials of the municipalities whose state changed as far as their
            // arcs allow, and give their free experts the same potential (the lowest a free
            // expert may have). Reduced costs stay non-negative; the arcs into free experts then
            // carry the municipality's current marginal penalty, which keeps later searches short.
            for &m in &retighten {
                let m = m as usize;
                let drawn = &members[m];
                let mut low = -penalty * drawn.len() as i64;
                for &e in drawn {
                    low = low.max(hot[e as usize].pi);
                }
                debug_assert!(low <= pi_m[m]);
                pi_m[m] = low;
                for &e in &muni_experts[muni_start[m] as usize..muni_start[m + 1] as usize] {
                    let h = &mut hot[e as usize];
                    if h.role & FREE != 0 {
                        h.pi = low;
                    }
                }
            }
            retighten.clear();
            queue.reset();
        }
    }

    let mut potentials = pi_r;
    potentials.extend(hot.iter().map(|h| h.pi));
    potentials.extend_from_slice(&pi_m);
    potentials.push(0);
    FlowSolution {
        assign: hot.iter().map(|h| if h.role & FREE != 0 { NONE } else { h.role }).collect(),
        unfilled,
        cost,
        potentials,
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
        return Err(format!("objective {objective} differs from −cost {}", -sol.cost));
    }
    Ok(())
}
