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
//! Primal–dual phases with node potentials, on the reversed network (roles send their seats towards the
//! source, which plays the sink `t`). Each phase has two steps:
//!
//! 1. a Dijkstra search on reduced costs from every role with seats left at once gives the distance of
//!    the cheapest way to place one more seat — a free expert, a chain of experts moving between roles,
//!    an expert of a busy municipality making room, or leaving the seat unfilled; every node settled
//!    closer than the sink has its potential lowered by the difference, which keeps every reduced cost
//!    non-negative and makes all those cheapest ways *tight* (reduced cost 0);
//! 2. depth-first walks on tight arcs only, from the roles in order, place as many seats as they find,
//!    each walk moving one unit along its path; a node a walk found leading nowhere is not tried again
//!    in the phase.
//!
//! Moving flow along tight paths keeps every reduced cost non-negative, so the flow stays a minimum-cost
//! flow for the seats placed so far, and the final flow is optimal. [`verify`] then checks the optimality
//! certificate independently: a feasible flow, and a non-negative reduced cost on every arc of the
//! residual graph, over the whole network; the round fails loudly if it does not hold.
//!
//! One search per phase rather than one per seat is what makes it fast: late in a round the flexible
//! roles compete for the same experts across a wide plateau of tight arcs, which a search per seat
//! would explore again for every seat, and a phase explores once and fills from many roles. What else
//! keeps it fast enough for millions of arcs (measured; see the engine's report):
//! - a role's potential starts at the best value it can reach, so the first phase fills most seats
//!   with their best free expert at once (as in the Jonker–Volgenant method), the roles with the fewest
//!   eligible experts choosing first;
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
//!   whole rest of the list, are skipped when they cannot beat the best path found, or cannot be tight;
//! - after each phase, the municipalities whose state or potential changed get the lowest potential
//!   their arcs allow, and their free experts the same: the arcs into free experts then carry the
//!   marginal penalty of their municipality, so later searches do not have to discover it;
//! - the parallel unit arcs of a municipality are never materialised: the next one costs
//!   `penalty × (experts already drawn)`; per-expert state read on every arc is packed in 16 bytes.
//!
//! Ties: the queue, the walks and the arcs are visited in a fixed order (roles by need id then role id
//! within equal degree, arcs by value then expert id), and a walk prefers an unfilled seat over an
//! equally cheap path, so the same input always gives the same proposals.

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
    /// Dijkstra searches (one per phase; a phase places at least one seat).
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

/// Per-expert state read only when the expert is on a path.
#[derive(Clone, Copy)]
struct ExpertState {
    /// Value of the arc to the role holding the expert.
    value: i32,
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
/// The sink, as the next step of a path.
const SINK: u32 = 3 << TAG_SHIFT;
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

/// One step of a path being built on the admissible graph: the node and, for an expert entered from a
/// role, the value of that arc.
#[derive(Clone, Copy)]
struct Step {
    node: u32,
    value: i32,
}

/// Per-phase marks of the walk on the admissible graph, by node kind.
struct Marks {
    /// The walk (one per augmenting attempt) that has the node on its path.
    on_path: Vec<u32>,
    /// The phase in which the node was found to lead nowhere.
    dead: Vec<u32>,
    /// The phase `cursor` belongs to, and the next arc (or drawn expert) to try.
    cursor_phase: Vec<u32>,
    cursor: Vec<u32>,
}

impl Marks {
    fn new(n: usize) -> Self {
        Marks { on_path: vec![0; n], dead: vec![0; n], cursor_phase: vec![0; n], cursor: vec![0; n] }
    }

    fn open(&self, i: usize, walk: u32, phase: u32) -> bool {
        self.on_path[i] != walk && self.dead[i] != phase
    }

    /// The node's cursor in this phase, starting at `start`.
    fn cursor(&mut self, i: usize, phase: u32, start: u32) -> u32 {
        if self.cursor_phase[i] != phase {
            self.cursor_phase[i] = phase;
            self.cursor[i] = start;
        }
        self.cursor[i]
    }
}

/// The solver's state: the flow (who holds whom, what is drawn), the potentials, and the scratch of
/// the searches and walks.
struct Solver<'a, Q> {
    net: &'a FlowNetwork,
    queue: Q,
    penalty: i64,
    hot: Vec<Hot>,
    ex: Vec<ExpertState>,
    pi_r: Vec<i64>,
    dist_r: Vec<i64>,
    pi_m: Vec<i64>,
    dist_m: Vec<i64>,
    /// The experts drawn from each municipality.
    members: Vec<Vec<u32>>,
    /// Seats of each role still to place.
    excess: Vec<u32>,
    unfilled: Vec<u32>,
    /// Nodes labelled by the current search.
    touched: Vec<u32>,
    /// Municipalities whose drawn experts changed since their potential was last lowered.
    retighten: Vec<u32>,
    cost: i64,
    stats: SolverStats,
    /// Each role's arcs in blocks of `BLOCK`, each with an upper bound of its experts' potentials.
    block_start: Vec<u32>,
    block_max_pi: Vec<i32>,
    /// The experts of each municipality: `muni_experts[muni_start[m]..muni_start[m + 1]]`.
    muni_start: Vec<u32>,
    muni_experts: Vec<u32>,
    /// Roles with the fewest eligible experts first, then in network order.
    order: Vec<u32>,
    phase: u32,
    walk: u32,
    role_marks: Marks,
    expert_marks: Marks,
    muni_marks: Marks,
    path: Vec<Step>,
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
        // The most constrained roles choose first in each phase; any order gives an optimal flow.
        let mut order: Vec<u32> = (0..n_roles as u32).collect();
        order.sort_by_key(|&r| net.roles[r as usize].arcs.len);
        Solver {
            net,
            queue,
            penalty: i64::from(net.penalty),
            hot: net.experts.iter().map(|&(_, muni)| Hot { pi: 0, dist: DIST_INF, role: FREE | muni }).collect(),
            ex: vec![ExpertState { value: 0, member_pos: NONE }; n_experts],
            pi_r: vec![0; n_roles],
            dist_r: vec![INF; n_roles],
            pi_m: vec![0; n_munis],
            dist_m: vec![INF; n_munis],
            members: vec![Vec::new(); n_munis],
            excess: vec![0; n_roles],
            unfilled: vec![0; n_roles],
            touched: Vec::new(),
            retighten: Vec::new(),
            cost: 0,
            stats: SolverStats::default(),
            block_start,
            block_max_pi: vec![0; blocks as usize],
            muni_start,
            muni_experts,
            order,
            phase: 0,
            walk: 0,
            role_marks: Marks::new(n_roles),
            expert_marks: Marks::new(n_experts),
            muni_marks: Marks::new(n_munis),
            path: Vec::new(),
        }
    }

    /// Phases until every seat is placed: a search from all roles with seats left gives the distances
    /// that make the cheapest ways to place a seat tight (reduced cost 0), then seats are placed along
    /// tight paths only, as many as a walk finds, before the next search.
    fn run(mut self) -> FlowSolution {
        self.start();
        while self.order.iter().any(|&r| self.excess[r as usize] > 0) {
            let d_t = self.search();
            self.lower_potentials(d_t);
            let placed = self.place_along_tight_paths();
            debug_assert!(placed > 0, "the search's own path is tight, so every phase places a seat");
            self.retighten_municipalities();
        }
        self.into_solution()
    }

    /// Every role's potential starts at the best value it can reach (never below the sink's 0), so
    /// every arc out of it has a non-negative reduced cost and its best one 0; all other potentials
    /// start at 0. Roles without any eligible expert leave their seats unfilled at once.
    fn start(&mut self) {
        let net = self.net;
        for (r, role) in net.roles.iter().enumerate() {
            if role.arcs.len == 0 {
                self.unfilled[r] = role.seats;
                continue;
            }
            self.excess[r] = role.seats;
            self.pi_r[r] = net.arcs[role.arcs.range()].iter().map(|a| i64::from(a.value)).max().unwrap_or(0).max(0);
        }
    }

    /// Dijkstra on reduced costs from every role with seats left at once, up to the sink: returns the
    /// sink's distance. Experts are never queued: an expert has a single arc out (to the role holding
    /// it, or to its municipality when free), so it is relaxed at once whenever its label improves.
    fn search(&mut self) -> i64 {
        self.stats.searches += 1;
        let net = self.net;
        let mut dist_t = INF;
        for &r in &self.order {
            let r = r as usize;
            if self.excess[r] > 0 {
                self.dist_r[r] = 0;
                self.touched.push(ROLE | r as u32);
                self.queue.push(0, ROLE | r as u32);
            }
        }
        while let Some((d, node)) = self.queue.pop_below(dist_t) {
            let i = (node & !TAG_MASK) as usize;
            if node & TAG_MASK == ROLE {
                if self.dist_r[i] != d {
                    continue; // stale entry
                }
                self.stats.settled_nodes += 1;
                // To the sink (the seat left unfilled), and to each expert the role is not holding.
                let base = d + self.pi_r[i];
                dist_t = dist_t.min(base);
                let span = net.roles[i].arcs;
                let (start, end) = (span.start as usize, (span.start + span.len) as usize);
                let mut a = start;
                let mut b = self.block_start[i] as usize;
                while a < end {
                    // Arcs are by value descending and an expert's potential is at most its block's
                    // bound (potentials only decrease), so `base − value − bound` bounds the distance
                    // of every arc of the block from below, and `base − value` (potentials are ≤ 0)
                    // that of every later arc.
                    let lower_first = base - i64::from(net.arcs[a].value);
                    if lower_first >= dist_t {
                        break;
                    }
                    let block_end = (a + BLOCK).min(end);
                    if lower_first - i64::from(self.block_max_pi[b]) >= dist_t {
                        a = block_end;
                        b += 1;
                        continue;
                    }
                    let mut max_pi = i64::MIN;
                    for arc in &net.arcs[a..block_end] {
                        self.stats.scanned_arcs += 1;
                        let h = self.hot[arc.expert as usize];
                        max_pi = max_pi.max(h.pi);
                        if h.role != i as u32 {
                            self.reach_expert(arc.expert, base - i64::from(arc.value) - h.pi, d, &mut dist_t);
                        }
                    }
                    // Rounded up into 32 bits, it stays an upper bound.
                    self.block_max_pi[b] = max_pi.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32;
                    a = block_end;
                    b += 1;
                }
            } else {
                if self.dist_m[i] != d {
                    continue;
                }
                self.stats.settled_nodes += 1;
                // Its next unit arc to the sink, or back to one of its drawn experts (who then leaves
                // their role).
                let base = d + self.pi_m[i];
                dist_t = dist_t.min(base + self.penalty * self.members[i].len() as i64);
                self.stats.scanned_arcs += self.members[i].len() as u64 + 1;
                for k in 0..self.members[i].len() {
                    let e = self.members[i][k];
                    self.reach_expert(e, base - self.hot[e as usize].pi, d, &mut dist_t);
                }
            }
        }
        self.queue.reset();
        dist_t
    }

    /// An expert's label improves to `nd` (unless the sink is already as close): on at once to the role
    /// holding it, or, when free, to its municipality and from there to the sink.
    #[inline(always)]
    fn reach_expert(&mut self, e: u32, nd: i64, cursor: i64, dist_t: &mut i64) {
        let h = &mut self.hot[e as usize];
        debug_assert!(nd >= cursor, "reduced costs are non-negative");
        if nd >= *dist_t || nd >= i64::from(h.dist) {
            return;
        }
        if h.dist == DIST_INF {
            self.touched.push(EXPERT | e);
        }
        h.dist = nd as i32;
        self.stats.reached_experts += 1;
        if h.role & FREE == 0 {
            let r0 = h.role as usize;
            let nd = nd + i64::from(self.ex[e as usize].value) + h.pi - self.pi_r[r0];
            debug_assert!(nd >= cursor);
            if nd < *dist_t && nd < self.dist_r[r0] {
                if self.dist_r[r0] == INF {
                    self.touched.push(ROLE | r0 as u32);
                }
                self.dist_r[r0] = nd;
                self.queue.push(nd, ROLE | r0 as u32);
            }
        } else {
            // The municipality is queued too, for its arcs back to drawn experts.
            let m = (h.role & !FREE) as usize;
            let nd = nd + h.pi - self.pi_m[m];
            debug_assert!(nd >= cursor);
            if nd < *dist_t && nd < self.dist_m[m] {
                if self.dist_m[m] == INF {
                    self.touched.push(MUNI | m as u32);
                }
                self.dist_m[m] = nd;
                self.queue.push(nd, MUNI | m as u32);
                *dist_t = (*dist_t).min(nd + self.pi_m[m] + self.penalty * self.members[m].len() as i64);
            }
        }
    }

    /// Lowers the potential of every node the search settled closer than the sink by the difference,
    /// which keeps every reduced cost non-negative and makes the cheapest ways to the sink tight, then
    /// clears the labels.
    fn lower_potentials(&mut self, d_t: i64) {
        for &node in &self.touched {
            let i = (node & !TAG_MASK) as usize;
            let (d, pi) = match node & TAG_MASK {
                ROLE => (std::mem::replace(&mut self.dist_r[i], INF), &mut self.pi_r[i]),
                EXPERT => {
                    let h = &mut self.hot[i];
                    (i64::from(std::mem::replace(&mut h.dist, DIST_INF)), &mut h.pi)
                }
                _ => (std::mem::replace(&mut self.dist_m[i], INF), &mut self.pi_m[i]),
            };
            if d < d_t {
                *pi -= d_t - d;
                if node & TAG_MASK == MUNI {
                    self.retighten.push(i as u32);
                }
            }
        }
        self.touched.clear();
    }

    /// Places seats along tight paths, roles in order, each as often as a walk from it reaches the
    /// sink; a node a walk found leading nowhere is not tried again in this phase. Returns the seats
    /// placed.
    fn place_along_tight_paths(&mut self) -> u32 {
        self.phase += 1;
        let mut placed = 0;
        for k in 0..self.order.len() {
            let r = self.order[k] as usize;
            while self.excess[r] > 0 && self.role_marks.dead[r] != self.phase && self.walk_from(r) {
                self.excess[r] -= 1;
                // Along a tight path the cost is the start's potential, negated (the sink's is 0).
                self.cost -= self.pi_r[r];
                placed += 1;
            }
        }
        placed
    }

    /// A depth-first walk from role `r` on tight arcs to the sink; on success the flow moves one unit
    /// along it.
    fn walk_from(&mut self, r: usize) -> bool {
        self.walk += 1;
        let (walk, phase) = (self.walk, self.phase);
        self.path.clear();
        self.path.push(Step { node: ROLE | r as u32, value: 0 });
        self.role_marks.on_path[r] = walk;
        while let Some(&top) = self.path.last() {
            let i = (top.node & !TAG_MASK) as usize;
            let next = match top.node & TAG_MASK {
                ROLE => self.next_from_role(i, walk, phase),
                EXPERT => self.next_from_expert(i, walk, phase),
                _ => self.next_from_municipality(i, walk, phase),
            };
            match next {
                Some(step) if step.node == SINK => {
                    self.augment();
                    return true;
                }
                Some(step) => {
                    let j = (step.node & !TAG_MASK) as usize;
                    let marks = match step.node & TAG_MASK {
                        ROLE => &mut self.role_marks,
                        EXPERT => &mut self.expert_marks,
                        _ => &mut self.muni_marks,
                    };
                    marks.on_path[j] = walk;
                    self.path.push(step);
                }
                None => {
                    let marks = match top.node & TAG_MASK {
                        ROLE => &mut self.role_marks,
                        EXPERT => &mut self.expert_marks,
                        _ => &mut self.muni_marks,
                    };
                    marks.dead[i] = phase;
                    self.path.pop();
                }
            }
        }
        false
    }

    /// A role's next tight arc: the sink first (the seat left unfilled is preferred over an equally
    /// cheap path), then experts it does not hold, from its cursor on.
    fn next_from_role(&mut self, r: usize, walk: u32, phase: u32) -> Option<Step> {
        let net = self.net;
        let pi = self.pi_r[r];
        if pi == 0 {
            return Some(Step { node: SINK, value: 0 });
        }
        let span = net.roles[r].arcs;
        let (start, end) = (span.start, span.start + span.len);
        let mut a = self.role_marks.cursor(r, phase, start);
        let mut next = None;
        while a < end {
            let offset = (a - start) as usize;
            let arc = net.arcs[a as usize];
            // Tight means `value + π(expert) = π(role)` with `π(expert) ≤ 0`: no later arc is tight once
            // the value falls below π(role), and no arc of a block whose bound cannot reach it.
            if i64::from(arc.value) < pi {
                a = end;
                break;
            }
            if offset % BLOCK == 0 {
                let b = self.block_start[r] as usize + offset / BLOCK;
                if i64::from(arc.value) + i64::from(self.block_max_pi[b]) < pi {
                    a = (a + BLOCK as u32).min(end);
                    continue;
                }
            }
            a += 1;
            self.stats.scanned_arcs += 1;
            let h = self.hot[arc.expert as usize];
            if h.role != r as u32
                && i64::from(arc.value) + h.pi == pi
                && self.expert_marks.open(arc.expert as usize, walk, phase)
            {
                next = Some(Step { node: EXPERT | arc.expert, value: arc.value });
                break;
            }
        }
        self.role_marks.cursor[r] = a;
        next
    }

    /// An expert's single arc out, if tight and open: to the role holding it, or to its municipality.
    fn next_from_expert(&mut self, e: usize, walk: u32, phase: u32) -> Option<Step> {
        // Its one arc is tried once per walk: back at the expert, the arc led nowhere.
        if self.expert_marks.cursor(e, walk, 0) > 0 {
            return None;
        }
        self.expert_marks.cursor[e] = 1;
        let h = self.hot[e];
        if h.role & FREE == 0 {
            let r0 = h.role as usize;
            let tight = i64::from(self.ex[e].value) + h.pi == self.pi_r[r0];
            (tight && self.role_marks.open(r0, walk, phase)).then_some(Step { node: ROLE | r0 as u32, value: 0 })
        } else {
            let m = (h.role & !FREE) as usize;
            let tight = h.pi == self.pi_m[m];
            (tight && self.muni_marks.open(m, walk, phase)).then_some(Step { node: MUNI | m as u32, value: 0 })
        }
    }

    /// A municipality's next tight arc: its next unit to the sink, then back to its drawn experts.
    fn next_from_municipality(&mut self, m: usize, walk: u32, phase: u32) -> Option<Step> {
        let pi = self.pi_m[m];
        if pi + self.penalty * self.members[m].len() as i64 == 0 {
            return Some(Step { node: SINK, value: 0 });
        }
        let mut k = self.muni_marks.cursor(m, phase, 0) as usize;
        let mut next = None;
        while k < self.members[m].len() {
            let e = self.members[m][k] as usize;
            k += 1;
            self.stats.scanned_arcs += 1;
            if self.hot[e].pi == pi && self.expert_marks.open(e, walk, phase) {
                next = Some(Step { node: EXPERT | e as u32, value: 0 });
                break;
            }
        }
        self.muni_marks.cursor[m] = k as u32;
        next
    }

    /// Moves one unit of flow along the walk's path, which ends at the sink.
    fn augment(&mut self) {
        let path = std::mem::take(&mut self.path);
        for (k, step) in path.iter().enumerate() {
            let i = (step.node & !TAG_MASK) as usize;
            let next = path.get(k + 1).map_or(SINK, |s| s.node);
            let j = (next & !TAG_MASK) as usize;
            match (step.node & TAG_MASK, next & TAG_MASK) {
                // The expert takes the role (leaving the role it held, or its free state, next on the path).
                (ROLE, EXPERT) => {
                    self.hot[j].role = i as u32;
                    self.ex[j].value = path[k + 1].value;
                }
                (ROLE, _) => self.unfilled[i] += 1,
                // A free expert is now drawn from its municipality.
                (EXPERT, MUNI) => {
                    self.ex[i].member_pos = self.members[j].len() as u32;
                    self.members[j].push(i as u32);
                    self.retighten.push(j as u32);
                }
                // A drawn expert leaves its role and is free again.
                (MUNI, EXPERT) => {
                    let pos = self.ex[j].member_pos as usize;
                    self.hot[j].role = FREE | i as u32;
                    self.ex[j].member_pos = NONE;
                    self.members[i].swap_remove(pos);
                    if let Some(&moved) = self.members[i].get(pos) {
                        self.ex[moved as usize].member_pos = pos as u32;
                    }
                    self.retighten.push(i as u32);
                }
                _ => {} // expert back to the role it held, or a municipality's unit arc to the sink
            }
        }
        self.path = path;
    }

    /// Lowers the potentials of the municipalities whose drawn experts changed as far as their arcs
    /// allow, and gives their free experts the same potential (the lowest a free expert may have).
    /// Reduced costs stay non-negative; the arcs into free experts then carry the municipality's
    /// current marginal penalty, which keeps later searches short.
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
