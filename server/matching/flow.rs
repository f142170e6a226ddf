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
        Solver::new(net, Buckets { buckets, cursor: 0, top: 0, pending: 0 }).run()
    } else {
        Solver::new(net, Heap(BinaryHeap::new())).run()
    }
}

/// [`solve`] with the heap whatever the values (to test one queue against the other).
#[cfg(test)]
pub(crate) fn solve_with_heap(net: &FlowNetwork) -> FlowSolution {
    Solver::new(net, Heap(BinaryHeap::new())).run()
}

/// The solver's state: the flow (who holds whom, what is drawn), the potentials, and the scratch of a
/// search.
struct Solver<'a, Q> {
    net: &'a FlowNetwork,
    queue: Q,
    penalty: i64,
    hot: Vec<Hot>,
    ex: Vec<ExpertState>,
    pi_r: Vec<i64>,
    dist_r: Vec<i64>,
    pred_r: Vec<u32>,
    pi_m: Vec<i64>,
    dist_m: Vec<i64>,
    pred_m: Vec<u32>,
    /// The experts drawn from each municipality.
    members: Vec<Vec<u32>>,
    unfilled: Vec<u32>,
    /// Nodes labelled by the current search.
    touched: Vec<u32>,
    /// Municipalities whose state changed since their potential was last lowered.
    retighten: Vec<u32>,
    cost: i64,
    stats: SolverStats,
    /// Each role's arcs in blocks of `BLOCK`, each with an upper bound of its experts' potentials.
    block_start: Vec<u32>,
    block_max_pi: Vec<i32>,
    /// The experts of each municipality: `muni_experts[muni_start[m]..muni_start[m + 1]]`.
    muni_start: Vec<u32>,
    muni_experts: Vec<u32>,
    /// Each role's arcs, `start..end` in `net.arcs` (read on every settle, so kept small).
    role_range: Vec<(u32, u32)>,
}

/// The best path to the sink found so far in a search: its distance and the node it enters the sink
/// from (a role leaving the seat unfilled, or a municipality's next unit arc).
#[derive(Clone, Copy)]
struct Best {
    dist: i64,
    from: u32,
}

impl<'a, Q: Queue> Solver<'a, Q> {
    fn new(net: &'a FlowNetwork, queue: Q) -> Self {
        let (n_roles, n_experts, n_munis) = (net.roles.len(), net.experts.len(), net.municipalities.len());
        assert!(n_roles.max(n_experts).max(n_munis) < (1 << TAG_SHIFT), "fewer than 2^30 nodes of each kind");
        let max_value = net.arcs.iter().map(|a| a.value).max().unwrap_or(0).max(0);
        assert!(max_value < 1 << 30, "arc values are bounded when the network is built");
        let mut block_start = Vec::with_capacity(n_roles);
        let mut blocks = 0u32;
        for role in &net.roles {
            block_start.push(blocks);
            blocks += role.arcs.len.div_ceil(BLOCK as u32);
        }
        let mut muni_start = vec![0u32; n_munis + 1];
        for &(_, m) in &net.experts {
            muni_start[m as usize + 1] += 1;
        }
        for m in 0..n_munis {
            muni_start[m + 1] += muni_start[m];
        }
        let mut muni_experts = vec![0u32; n_experts];
        let mut fill = muni_start.clone();
        for (e, &(_, m)) in net.experts.iter().enumerate() {
            muni_experts[fill[m as usize] as usize] = e as u32;
            fill[m as usize] += 1;
        }
        Solver {
            net,
            queue,
            penalty: i64::from(net.penalty),
            hot: net.experts.iter().map(|&(_, muni)| Hot { pi: 0, dist: DIST_INF, role: FREE | muni }).collect(),
            ex: vec![ExpertState { value: 0, pred: NONE, pred_value: 0, member_pos: NONE }; n_experts],
            pi_r: vec![0; n_roles],
            dist_r: vec![INF; n_roles],
            pred_r: vec![NONE; n_roles],
            pi_m: vec![0; n_munis],
            dist_m: vec![INF; n_munis],
            pred_m: vec![NONE; n_munis],
            members: vec![Vec::new(); n_munis],
            unfilled: vec![0; n_roles],
            touched: Vec::new(),
            retighten: Vec::new(),
            cost: 0,
            stats: SolverStats::default(),
            block_start,
            block_max_pi: vec![0; blocks as usize],
            muni_start,
            muni_experts,
            role_range: net.roles.iter().map(|r| (r.arcs.start, r.arcs.start + r.arcs.len)).collect(),
        }
    }

    /// Every seat of every role in turn: a search, new potentials, one unit along the path found.
    fn run(mut self) -> FlowSolution {
        let net = self.net;
        // Roles with fewer eligible experts first (then in network order): the most constrained roles
        // choose first, and the flexible ones, placed later, find alternatives close by. Any order gives
        // an optimal flow; this one keeps the searches short.
        let mut order: Vec<usize> = (0..net.roles.len()).collect();
        order.sort_by_key(|&r| net.roles[r].arcs.len);
        for r in order {
            let role = &net.roles[r];
            if role.arcs.len == 0 {
                self.unfilled[r] = role.seats;
                continue;
            }
            self.start_role(r);
            for _seat in 0..role.seats {
                let best = self.search(r);
                // The path's real cost (the sink's potential is 0).
                self.cost += best.dist - self.pi_r[r];
                self.lower_potentials(best.dist);
                self.augment(best.from);
                self.clear_labels();
                self.retighten_municipalities();
            }
        }
        self.into_solution()
    }

    /// The role's potential: the best value it can reach now (never below the sink's 0), so that every
    /// arc out of it has a non-negative reduced cost and the best one has 0.
    fn start_role(&mut self, r: usize) {
        let net = self.net;
        let mut p = 0i64;
        for arc in &net.arcs[net.roles[r].arcs.range()] {
            let value = i64::from(arc.value);
            if value <= p {
                break; // arcs are by value descending, and potentials of experts are ≤ 0
            }
            p = p.max(value + self.hot[arc.expert as usize].pi);
        }
        self.pi_r[r] = p;
    }

    /// Dijkstra on reduced costs from role `r` to the sink: the cheapest way to place one seat.
    #[inline(always)]
    fn search(&mut self, r: usize) -> Best {
        self.stats.searches += 1;
        // The bypass (seat unfilled) is the first path known to the sink; others must be strictly
        // cheaper to replace it.
        let mut best = Best { dist: self.pi_r[r], from: ROLE | r as u32 };
        self.dist_r[r] = 0;
        self.pred_r[r] = NONE;
        self.touched.push(ROLE | r as u32);
        self.queue.push(0, ROLE | r as u32);
        while let Some((d, node)) = self.queue.pop_below(best.dist) {
            let i = (node & !TAG_MASK) as usize;
            if node & TAG_MASK == ROLE {
                if self.dist_r[i] == d {
                    self.settle_role(i, d, &mut best);
                }
            } else if self.dist_m[i] == d {
                self.settle_municipality(i, d, &mut best);
            } // else a stale entry
        }
        self.queue.reset();
        best
    }

    /// A role settled at distance `d`: on to the sink, and to each expert it is not holding.
    #[inline(always)]
    fn settle_role(&mut self, i: usize, d: i64, best: &mut Best) {
        let net = self.net;
        self.stats.settled_nodes += 1;
        let base = d + self.pi_r[i];
        if base < best.dist {
            *best = Best { dist: base, from: ROLE | i as u32 };
        }
        let (start, end) = self.role_range[i];
        let (start, end) = (start as usize, end as usize);
        let mut a = start;
        let mut b = self.block_start[i] as usize;
        let mut scanned = 0;
        while a < end {
            // Arcs are by value descending and an expert's potential is at most its block's bound
            // (potentials only decrease), so `base − value − bound` bounds the distance of every arc of
            // the block from below, and `base − value` (potentials are ≤ 0) that of every later arc.
            let lower_first = base - i64::from(net.arcs[a].value);
            if lower_first >= best.dist {
                break;
            }
            let block_end = (a + BLOCK).min(end);
            if lower_first - i64::from(self.block_max_pi[b]) >= best.dist {
                a = block_end;
                b += 1;
                continue;
            }
            let mut max_pi = i64::MIN;
            scanned += (block_end - a) as u64;
            for arc in &net.arcs[a..block_end] {
                let h = self.hot[arc.expert as usize];
                max_pi = max_pi.max(h.pi);
                if h.role != i as u32 {
                    let nd = base - i64::from(arc.value) - h.pi;
                    self.reach_expert(arc.expert, nd, d, ROLE | i as u32, arc.value, best);
                }
            }
            // Rounded up into 32 bits, it stays an upper bound.
            self.block_max_pi[b] = max_pi.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32;
            a = block_end;
            b += 1;
        }
        self.stats.scanned_arcs += scanned;
    }

    /// A municipality settled at distance `d`: its next unit arc to the sink, or back to one of its
    /// drawn experts (who then leaves their role).
    #[inline(always)]
    fn settle_municipality(&mut self, i: usize, d: i64, best: &mut Best) {
        self.stats.settled_nodes += 1;
        let base = d + self.pi_m[i];
        let nd = base + self.penalty * self.members[i].len() as i64;
        if nd < best.dist {
            *best = Best { dist: nd, from: MUNI | i as u32 };
        }
        self.stats.scanned_arcs += self.members[i].len() as u64 + 1;
        for k in 0..self.members[i].len() {
            let e = self.members[i][k];
            let nd = base - self.hot[e as usize].pi;
            self.reach_expert(e, nd, d, MUNI | i as u32, 0, best);
        }
    }

    /// An expert's label improves to `nd`, reached from `pred` (over an arc of `value` when a role).
    /// Experts are never queued: an expert has a single arc out (to the role holding it, or to its
    /// municipality when free), so it is relaxed at once, which is what settling it would do.
    #[inline(always)]
    fn reach_expert(&mut self, e: u32, nd: i64, cursor: i64, pred: u32, value: i32, best: &mut Best) {
        let h = &mut self.hot[e as usize];
        debug_assert!(nd >= cursor, "reduced costs are non-negative");
        if nd >= best.dist || nd >= i64::from(h.dist) {
            return;
        }
        if h.dist == DIST_INF {
            self.touched.push(EXPERT | e);
        }
        h.dist = nd as i32;
        let x = &mut self.ex[e as usize];
        x.pred = pred;
        x.pred_value = value;
        self.stats.reached_experts += 1;
        if h.role & FREE == 0 {
            // Back to the role holding it.
            let r0 = h.role as usize;
            let nd = nd + i64::from(x.value) + h.pi - self.pi_r[r0];
            debug_assert!(nd >= cursor);
            if nd < best.dist && nd < self.dist_r[r0] {
                if self.dist_r[r0] == INF {
                    self.touched.push(ROLE | r0 as u32);
                }
                self.dist_r[r0] = nd;
                self.pred_r[r0] = e;
                self.queue.push(nd, ROLE | r0 as u32);
            }
        } else {
            // Free: on to its municipality, and from there to the sink (the municipality is queued too,
            // for its arcs back to drawn experts).
            let m = (h.role & !FREE) as usize;
            let nd = nd + h.pi - self.pi_m[m];
            debug_assert!(nd >= cursor);
            if nd < best.dist && nd < self.dist_m[m] {
                if self.dist_m[m] == INF {
                    self.touched.push(MUNI | m as u32);
                }
                self.dist_m[m] = nd;
                self.pred_m[m] = e;
                self.queue.push(nd, MUNI | m as u32);
                let nd_t = nd + self.pi_m[m] + self.penalty * self.members[m].len() as i64;
                if nd_t < best.dist {
                    *best = Best { dist: nd_t, from: MUNI | m as u32 };
                }
            }
        }
    }

    /// The nodes settled before the sink (closer than `dist_t`) get potentials lowered by the difference:
    /// reduced costs stay non-negative and the path found becomes tight.
    fn lower_potentials(&mut self, dist_t: i64) {
        for &node in &self.touched {
            let i = (node & !TAG_MASK) as usize;
            let (d, pi) = match node & TAG_MASK {
                ROLE => (self.dist_r[i], &mut self.pi_r[i]),
                EXPERT => {
                    let h = &mut self.hot[i];
                    (i64::from(h.dist), &mut h.pi)
                }
                _ => (self.dist_m[i], &mut self.pi_m[i]),
            };
            if d < dist_t {
                *pi -= dist_t - d;
                if node & TAG_MASK == MUNI {
                    self.retighten.push(i as u32);
                }
            }
        }
    }

    /// Moves one unit along the path found, walking back from the node that entered the sink.
    fn augment(&mut self, from: u32) {
        let mut node = from;
        if node & TAG_MASK == ROLE {
            self.unfilled[(node & !TAG_MASK) as usize] += 1;
        }
        loop {
            let i = (node & !TAG_MASK) as usize;
            node = match node & TAG_MASK {
                ROLE => match self.pred_r[i] {
                    NONE => break, // the start
                    e => EXPERT | e,
                },
                EXPERT => {
                    let x = &mut self.ex[i];
                    let prev = x.pred;
                    if prev & TAG_MASK == ROLE {
                        // Takes the role it was reached from (leaving its old one, next on the path).
                        self.hot[i].role = prev & !TAG_MASK;
                        x.value = x.pred_value;
                    } else {
                        // Reached from its municipality: leaves its role.
                        let m = (prev & !TAG_MASK) as usize;
                        let pos = x.member_pos as usize;
                        x.member_pos = NONE;
                        self.hot[i].role = FREE | m as u32;
                        self.retighten.push(m as u32);
                        self.members[m].swap_remove(pos);
                        if let Some(&moved) = self.members[m].get(pos) {
                            self.ex[moved as usize].member_pos = pos as u32;
                        }
                    }
                    prev
                }
                _ => {
                    // Entered from a free expert, who is now drawn from this municipality.
                    let e = self.pred_m[i];
                    self.ex[e as usize].member_pos = self.members[i].len() as u32;
                    self.members[i].push(e);
                    self.retighten.push(i as u32);
                    EXPERT | e
                }
            };
        }
    }

    fn clear_labels(&mut self) {
        for &node in &self.touched {
            let i = (node & !TAG_MASK) as usize;
            match node & TAG_MASK {
                ROLE => self.dist_r[i] = INF,
                EXPERT => self.hot[i].dist = DIST_INF,
                _ => self.dist_m[i] = INF,
            }
        }
        self.touched.clear();
    }

    /// Lowers the potentials of the municipalities whose state changed as far as their arcs allow, and
    /// gives their free experts the same potential (the lowest a free expert may have). Reduced costs
    /// stay non-negative; the arcs into free experts then carry the municipality's current marginal
    /// penalty, which keeps later searches short.
    fn retighten_municipalities(&mut self) {
        for &m in &self.retighten {
            let m = m as usize;
            let drawn = &self.members[m];
            let mut low = -self.penalty * drawn.len() as i64;
            for &e in drawn {
                low = low.max(self.hot[e as usize].pi);
            }
            debug_assert!(low <= self.pi_m[m]);
            self.pi_m[m] = low;
            for &e in &self.muni_experts[self.muni_start[m] as usize..self.muni_start[m + 1] as usize] {
                let h = &mut self.hot[e as usize];
                if h.role & FREE != 0 {
                    h.pi = low;
                }
            }
        }
        self.retighten.clear();
    }

    fn into_solution(self) -> FlowSolution {
        let mut potentials = self.pi_r;
        potentials.extend(self.hot.iter().map(|h| h.pi));
        potentials.extend_from_slice(&self.pi_m);
        potentials.push(0);
        FlowSolution {
            assign: self.hot.iter().map(|h| if h.role & FREE != 0 { NONE } else { h.role }).collect(),
            unfilled: self.unfilled,
            cost: self.cost,
            potentials,
            stats: self.stats,
        }
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
