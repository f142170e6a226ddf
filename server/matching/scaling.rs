//! The cost-scaling solver of a round's min-cost flow (push–relabel with ε-scaling, in the manner of
//! Goldberg's and Bertsekas' auction methods), specialised to the round's network.
//!
//! The network is the one [`super::flow`] describes, taken in its reversed direction: each role supplies
//! its open seats, which flow to an expert (cost `−value`), from the expert to its municipality (cost
//! 0), and from the municipality to the sink over unit arcs of cost `0, p, 2p, …`; or straight from the
//! role to the sink (an unfilled seat, cost 0).
//!
//! Prices: the reduced cost of a residual arc `u → v` is `cost + p(u) − p(v)`; an arc is admissible when
//! that is negative; a node with excess and no admissible arc is relabelled to `max(p(head) − cost) − ε`
//! over its residual arcs, which only ever lowers its price within a phase. The flow is ε-optimal when
//! every residual arc's reduced cost is at least `−ε`.
//!
//! Costs are multiplied by `N` (more than the number of nodes). Each phase keeps the experts' and
//! municipalities' prices (adjusted so that the arcs keeping their flow are 0-optimal) and who is drawn
//! from each municipality, but takes every seat back to its role (roles then have no arc in, so their
//! prices start afresh, above every arc); the roles, in a first-in-first-out
//! queue, bid for experts (push to an admissible arc, else relabel), an expert holding two seats gives
//! back the one it values less, a municipality with one expert too many sends a unit to the sink or lets
//! one of its drawn experts go, and the sink, when it has received more than its demand, gives a unit
//! back. ε is divided by `ALPHA` each phase, and a flow that is 1-optimal in units of `1/N` is optimal.
//! A label-correcting pass over the residual graph then turns the prices into exact integer potentials,
//! the certificate [`super::flow::verify`] checks.
//!
//! Determinism: nothing depends on a hash or a clock; roles are queued in network order, and every tie
//! (between a role's choices, an expert's two seats, a municipality's drawn experts, the sink's arcs) is
//! broken by position (an unfilled seat before an expert of equal value), so the same network always
//! gives the same flow.
//!
//! Why it is fast on large pools: a successive-shortest-path search must cross the wide plateaus of
//! near-equal reduced costs that ties between experts and the municipality penalty create; here every
//! step is local (an expert has at most two arcs out, a municipality one per drawn expert), and the
//! scaling settles the municipality prices in the early, coarse phases.

use std::collections::{BinaryHeap, VecDeque};

use super::flow::{FlowNetwork, FlowSolution, NONE, SolverStats};

/// ε is divided by this each phase.
const ALPHA: i64 = 4;

/// The first phase's ε is the largest scaled arc value divided by this and by `ALPHA`: prices start at 0
/// and a role's first bid moves an expert's price by the whole gap to its second choice, so coarser
/// phases only reshuffle (on generated pools of 1,000 to 20,000 experts, 16 here is about twice as fast
/// as 1).
const FIRST_EPS_DIVISOR: i64 = 16;

/// Arcs a role keeps in its cache of best arcs beyond its seats.
const CACHED: u32 = 6;

/// Arcs per block of a role's arc list.
const BLOCK: usize = 16;

/// Tags a municipality in the sink's heap.
const MUNI: u32 = 1 << 31;

/// A role's price before it is first relabelled in a phase: above every arc, so nothing is admissible.
const UNPRICED: i64 = i64::MAX / 4;

/// Solves the round's min-cost flow exactly.
pub(crate) fn solve(net: &FlowNetwork) -> FlowSolution {
    Scaling::new(net).run()
}

struct Scaling<'a> {
    net: &'a FlowNetwork,
    /// Cost multiplier: more than the number of nodes.
    scale: i64,
    /// Penalty per drawn expert, scaled.
    pen: i64,
    eps: i64,
    pr: Vec<i64>,
    pe: Vec<i64>,
    pm: Vec<i64>,
    pt: i64,
    /// Seats of a role not placed yet (its excess).
    ex_r: Vec<u32>,
    /// Seats of a role sent to the sink (unfilled).
    unfilled: Vec<u32>,
    /// Role whose seat the expert holds, or `NONE`, and that arc's value.
    held: Vec<u32>,
    held_value: Vec<i32>,
    /// Position in its municipality's `members`, or `NONE` when not drawn.
    member_pos: Vec<u32>,
    muni_of: Vec<u32>,
    /// Experts drawn from each municipality (flow on expert → municipality).
    members: Vec<Vec<u32>>,
    /// Unit arcs to the sink in use.
    units: Vec<u32>,
    /// The sink's inflow minus its demand.
    ex_t: i64,
    active: VecDeque<u32>,
    queued: Vec<bool>,
    role_range: Vec<(u32, u32)>,
    /// Each role's best arcs when last scanned (`cache_arcs[cache_start[r]..][..cache_len[r]]`, best
    /// first, held ones included), and a bound on the `p(head) − cost` of all its other arcs.
    cache_start: Vec<u32>,
    cache_len: Vec<u32>,
    cache_arcs: Vec<u32>,
    cache_bound: Vec<i64>,
    /// Scratch of `rebuild_cache`: the best arcs found so far, best first.
    scratch: Vec<(i64, u32)>,
    /// Each role's arcs in blocks of `BLOCK`, each with an upper bound of its experts' prices (prices start
    /// at 0), and the highest expert price at the start of the phase.
    block_start: Vec<u32>,
    block_max_pe: Vec<i64>,
    max_pe: i64,
    /// The sink's residual arcs back (roles, or `MUNI | m`), keyed by an upper bound of `p(head) − cost`.
    sink_heap: BinaryHeap<(i64, u32)>,
    /// The key of each node's live entry in the heap (`i64::MIN` when none); roles, then municipalities.
    sink_key: Vec<i64>,
    stats: SolverStats,
}

impl<'a> Scaling<'a> {
    fn new(net: &'a FlowNetwork) -> Self {
        let (n_roles, n_experts, n_munis) = (net.roles.len(), net.experts.len(), net.municipalities.len());
        let scale = (n_roles + n_experts + n_munis + 2) as i64;
        // The block bounds and the early stop of `rebuild_cache` rely on it.
        debug_assert!(net.roles.iter().all(|r| net.arcs[r.arcs.range()].windows(2).all(|w| w[0].value >= w[1].value)));
        let mut block_start = Vec::with_capacity(n_roles);
        let mut blocks = 0u32;
        for role in &net.roles {
            block_start.push(blocks);
            blocks += role.arcs.len.div_ceil(BLOCK as u32);
        }
        let mut cache_start = Vec::with_capacity(n_roles);
        let mut cache_total = 0u32;
        for role in &net.roles {
            cache_start.push(cache_total);
            cache_total += role.arcs.len.min(role.seats.saturating_add(CACHED));
        }
        Scaling {
            net,
            scale,
            pen: i64::from(net.penalty) * scale,
            eps: 0,
            pr: vec![0; n_roles],
            pe: vec![0; n_experts],
            pm: vec![0; n_munis],
            pt: 0,
            ex_r: vec![0; n_roles],
            unfilled: vec![0; n_roles],
            held: vec![NONE; n_experts],
            held_value: vec![0; n_experts],
            member_pos: vec![NONE; n_experts],
            muni_of: net.experts.iter().map(|&(_, m)| m).collect(),
            members: vec![Vec::new(); n_munis],
            units: vec![0; n_munis],
            ex_t: 0,
            active: VecDeque::new(),
            queued: vec![false; n_roles],
            role_range: net.roles.iter().map(|r| (r.arcs.start, r.arcs.start + r.arcs.len)).collect(),
            cache_start,
            cache_len: vec![0; n_roles],
            cache_arcs: vec![0; cache_total as usize],
            cache_bound: vec![i64::MAX; n_roles],
            scratch: Vec::new(),
            block_start,
            block_max_pe: vec![0; blocks as usize],
            max_pe: 0,
            sink_heap: BinaryHeap::new(),
            sink_key: vec![i64::MIN; n_roles + n_munis],
            stats: SolverStats::default(),
        }
    }

    fn run(mut self) -> FlowSolution {
        let max_value = self.net.arcs.iter().map(|a| i64::from(a.value)).max().unwrap_or(0);
        let mut eps = max_value * self.scale / FIRST_EPS_DIVISOR;
        loop {
            eps = (eps / ALPHA).max(1);
            self.refine(eps);
            if eps == 1 {
                break;
            }
        }
        self.into_solution()
    }

    /// One phase: from the previous phase's (coarser) ε-optimal flow to an ε-optimal one.
    fn refine(&mut self, eps: i64) {
        self.eps = eps;
        self.stats.phases += 1;
        let net = self.net;
        // Every seat back to its role; drawn experts stay drawn (each now a deficit of one unit).
        self.held.fill(NONE);
        let mut seats = 0i64;
        for (r, role) in net.roles.iter().enumerate() {
            self.unfilled[r] = 0;
            if role.arcs.len == 0 {
                self.unfilled[r] = role.seats;
                self.ex_r[r] = 0;
                continue;
            }
            seats += i64::from(role.seats);
            self.ex_r[r] = role.seats;
            self.pr[r] = UNPRICED;
        }
        let used: i64 = self.units.iter().map(|&u| i64::from(u)).sum();
        self.ex_t = used - seats;
        // Prices made 0-optimal on every arc that keeps its flow: a municipality's between its last used
        // and its next unit arc, a free expert's not below its municipality's, a drawn one's not above.
        for m in 0..self.pm.len() {
            let u = i64::from(self.units[m]);
            let low = self.pt - self.pen * u;
            let mut p = self.pm[m].max(low);
            if u > 0 {
                p = p.min(self.pt - self.pen * (u - 1));
            }
            self.pm[m] = p;
        }
        // A free expert's price may rise here (by about twice the previous ε); the largest rise is added to
        // every bound on experts' prices, so the roles' caches and blocks stay true across the phase.
        let mut rise = 0i64;
        for e in 0..self.pe.len() {
            let pm = self.pm[self.muni_of[e] as usize];
            let p = if self.member_pos[e] == NONE { self.pe[e].max(pm) } else { self.pe[e].min(pm) };
            rise = rise.max(p - self.pe[e]);
            self.pe[e] = p;
        }
        if rise > 0 {
            for bound in self.cache_bound.iter_mut().chain(self.block_max_pe.iter_mut()) {
                *bound = bound.saturating_add(rise);
            }
        }
        self.sink_heap.clear();
        // Roles without arcs are left out: they are dead ends, no unit could go anywhere through them (the
        // final label-correcting pass gives them their potentials).
        self.sink_key.fill(i64::MIN);
        for m in 0..self.pm.len() {
            if let Some(v) = self.sink_arc(MUNI | m as u32) {
                self.sink_offer(MUNI | m as u32, v);
            }
        }
        self.max_pe = self.pe.iter().copied().max().unwrap_or(0);
        self.active.clear();
        for r in 0..net.roles.len() {
            if self.ex_r[r] > 0 {
                self.active.push_back(r as u32);
                self.queued[r] = true;
            }
        }
        loop {
            while let Some(r) = self.active.pop_front() {
                self.queued[r as usize] = false;
                self.discharge_role(r as usize);
            }
            if self.ex_t <= 0 || !self.discharge_sink() {
                break;
            }
        }
        debug_assert!(self.ex_t == 0 && self.ex_r.iter().all(|&x| x == 0), "every seat placed");
        debug_assert!(self.held.iter().zip(&self.member_pos).all(|(&r, &pos)| (r == NONE) == (pos == NONE)));
        debug_assert!(self.members.iter().zip(&self.units).all(|(m, &u)| m.len() == u as usize));
    }

    fn activate(&mut self, r: usize) {
        if !self.queued[r] {
            self.queued[r] = true;
            self.active.push_back(r as u32);
        }
    }

    /// Places the role's remaining seats: each on its best arc when that arc is admissible, else the role
    /// is relabelled. With one seat left the relabel goes to just below the *second* best arc and the seat
    /// is pushed to the best at once (Goldberg and Kennedy's double push: the arc pushed on leaves the
    /// residual graph, so it may be more than ε below): the expert's price then falls by the whole gap,
    /// as in an auction bid, instead of by ε at a time.
    fn discharge_role(&mut self, r: usize) {
        let net = self.net;
        let seats = net.roles[r].seats;
        while self.ex_r[r] > 0 {
            let (best, at, second) = self.best_arc(r);
            if best <= self.pr[r] {
                self.stats.relabels += 1;
                if self.ex_r[r] == 1 && at != NONE {
                    self.pr[r] = second - self.eps;
                } else {
                    self.pr[r] = best - self.eps;
                }
            }
            if at == NONE {
                let q = self.ex_r[r].min(seats - self.unfilled[r]);
                if self.unfilled[r] == 0 {
                    self.sink_offer(r as u32, self.pr[r]);
                }
                self.unfilled[r] += q;
                self.ex_r[r] -= q;
                self.ex_t += i64::from(q);
            } else {
                let a = net.arcs[at as usize];
                self.ex_r[r] -= 1;
                self.push_to_expert(r as u32, a.expert as usize, a.value);
            }
        }
    }

    /// The role's residual arc with the highest `p(head) − cost` (`NONE` for the bypass), that value, and
    /// an upper bound of the next one; from the role's cache of best arcs while the cache's best still
    /// beats the bound on the others (prices only fall within a phase, so the bound stays true);
    /// otherwise the role's arcs are scanned and the cache rebuilt.
    fn best_arc(&mut self, r: usize) -> (i64, u32, i64) {
        let seats = self.net.roles[r].seats;
        let bypass = if self.unfilled[r] < seats { self.pt } else { i64::MIN };
        let (best, at, second) = self.best_cached(r, bypass);
        if best >= self.cache_bound[r] {
            return (best, at, second.max(self.cache_bound[r]));
        }
        self.rebuild_cache(r);
        let (best, at, second) = self.best_cached(r, bypass);
        (best, at, second.max(self.cache_bound[r]))
    }

    fn best_cached(&self, r: usize, bypass: i64) -> (i64, u32, i64) {
        let (mut best, mut at, mut second) = (bypass, NONE, i64::MIN);
        let start = self.cache_start[r] as usize;
        for &a in &self.cache_arcs[start..start + self.cache_len[r] as usize] {
            let arc = self.net.arcs[a as usize];
            let e = arc.expert as usize;
            if self.held[e] != r as u32 {
                let cand = self.pe[e] + i64::from(arc.value) * self.scale;
                if cand > best {
                    second = best;
                    (best, at) = (cand, a);
                } else if cand > second {
                    second = cand;
                }
            }
        }
        (best, at, second)
    }

    /// Takes the role's best arcs into its cache (held ones too: they come back when let go, at a price no
    /// higher than now) and the highest value among the rest as its bound. Arcs are by value descending,
    /// in blocks that carry an upper bound of their experts' prices (prices only fall within a phase), so
    /// a block that cannot enter the cache is passed over, its bound taken instead.
    fn rebuild_cache(&mut self, r: usize) {
        let net = self.net;
        let (start, end) = self.role_range[r];
        let k = (end - start).min(net.roles[r].seats.saturating_add(CACHED)) as usize;
        let mut top = std::mem::take(&mut self.scratch);
        top.clear();
        let (n, max_pe, pe) = (self.scale, self.max_pe, &self.pe[..]);
        let blocks = &mut self.block_max_pe[self.block_start[r] as usize..];
        let arcs = &net.arcs[start as usize..end as usize];
        let mut bound = i64::MIN;
        let mut scanned = 0u64;
        for (b, chunk) in arcs.chunks(BLOCK).enumerate() {
            let first = i64::from(chunk[0].value) * n;
            if top.len() == k {
                let kth = top[k - 1].0;
                if first + max_pe <= kth {
                    bound = bound.max(first + max_pe);
                    break;
                }
                let ub = first + blocks[b];
                if ub <= kth {
                    bound = bound.max(ub);
                    continue;
                }
            }
            scanned += chunk.len() as u64;
            let mut block_max = i64::MIN;
            let base = start + (b * BLOCK) as u32;
            for (i, arc) in chunk.iter().enumerate() {
                let p = pe[arc.expert as usize];
                block_max = block_max.max(p);
                let cand = p + i64::from(arc.value) * n;
                if top.len() < k {
                    top.push((cand, base + i as u32));
                    let mut j = top.len() - 1;
                    while j > 0 && top[j - 1].0 < top[j].0 {
                        top.swap(j - 1, j);
                        j -= 1;
                    }
                } else if cand > top[k - 1].0 {
                    bound = bound.max(top[k - 1].0);
                    top[k - 1] = (cand, base + i as u32);
                    let mut j = k - 1;
                    while j > 0 && top[j - 1].0 < top[j].0 {
                        top.swap(j - 1, j);
                        j -= 1;
                    }
                } else {
                    bound = bound.max(cand);
                }
            }
            blocks[b] = block_max;
        }
        self.stats.scanned_arcs += scanned;
        let from = self.cache_start[r] as usize;
        for (slot, &(_, a)) in self.cache_arcs[from..from + k].iter_mut().zip(top.iter()) {
            *slot = a;
        }
        self.scratch = top;
        self.cache_len[r] = k as u32;
        self.cache_bound[r] = bound;
    }

    /// One unit from role `r` into expert `e` (over an arc of `value`), and on until it rests.
    fn push_to_expert(&mut self, r: u32, e: usize, value: i32) {
        self.stats.pushes += 1;
        let old = self.held[e];
        if old == NONE {
            self.held[e] = r;
            self.held_value[e] = value;
            // A drawn expert without a seat (a deficit of one unit) takes it and rests; a free one moves on.
            if self.member_pos[e] == NONE {
                self.discharge_expert(e);
            }
            return;
        }
        // The expert holds two seats: it gives back the one whose arc is admissible, else relabels.
        let n = self.scale;
        let (v0, v) = (i64::from(self.held_value[e]), i64::from(value));
        let back_old = v0 * n + self.pe[e] - self.pr[old as usize];
        let back_new = v * n + self.pe[e] - self.pr[r as usize];
        if back_old >= 0 && back_new >= 0 {
            let to_old = self.pr[old as usize] - v0 * n;
            let to_new = self.pr[r as usize] - v * n;
            self.pe[e] = to_old.max(to_new) - self.eps;
            self.stats.relabels += 1;
        }
        let back_old = v0 * n + self.pe[e] - self.pr[old as usize];
        let back_new = v * n + self.pe[e] - self.pr[r as usize];
        if back_old < back_new {
            // Bumps the old holder.
            self.held[e] = r;
            self.held_value[e] = value;
            self.ex_r[old as usize] += 1;
            self.activate(old as usize);
        } else {
            self.ex_r[r as usize] += 1;
        }
    }

    /// A held expert not drawn from its municipality (one unit of excess): on to the municipality, or
    /// back to the role.
    fn discharge_expert(&mut self, mut e: usize) {
        loop {
            let m = self.muni_of[e] as usize;
            let r = self.held[e] as usize;
            let v = i64::from(self.held_value[e]) * self.scale;
            let mut to_m = self.pe[e] - self.pm[m];
            let mut back = v + self.pe[e] - self.pr[r];
            if to_m >= 0 && back >= 0 {
                self.pe[e] = self.pm[m].max(self.pr[r] - v) - self.eps;
                self.stats.relabels += 1;
                to_m = self.pe[e] - self.pm[m];
                back = v + self.pe[e] - self.pr[r];
            }
            if to_m <= back {
                self.member_pos[e] = self.members[m].len() as u32;
                self.members[m].push(e as u32);
                match self.discharge_municipality(m) {
                    Some(bumped) => e = bumped,
                    None => return,
                }
            } else {
                self.held[e] = NONE;
                self.ex_r[r] += 1;
                self.activate(r);
                return;
            }
        }
    }

    /// A municipality with one drawn expert more than its units: a unit to the sink, or lets a drawn
    /// expert go. Returns that expert when it holds a seat (it then has a unit to place).
    fn discharge_municipality(&mut self, m: usize) -> Option<usize> {
        loop {
            let next = self.pen * i64::from(self.units[m]) + self.pm[m] - self.pt;
            if next < 0 {
                self.units[m] += 1;
                self.ex_t += 1;
                self.sink_offer(MUNI | m as u32, self.pm[m] + self.pen * i64::from(self.units[m] - 1));
                return None;
            }
            // The drawn expert with the highest price (ties: the first in the list) is the most admissible.
            let mut top = i64::MIN;
            let mut at = usize::MAX;
            for (k, &e) in self.members[m].iter().enumerate() {
                let p = self.pe[e as usize];
                if p > top {
                    top = p;
                    at = k;
                }
            }
            self.stats.scanned_arcs += self.members[m].len() as u64 + 1;
            if top > self.pm[m] {
                let e = self.members[m].swap_remove(at);
                if let Some(&moved) = self.members[m].get(at) {
                    self.member_pos[moved as usize] = at as u32;
                }
                self.member_pos[e as usize] = NONE;
                return if self.held[e as usize] == NONE { None } else { Some(e as usize) };
            }
            self.pm[m] = (self.pt - self.pen * i64::from(self.units[m])).max(top) - self.eps;
            self.stats.relabels += 1;
        }
    }

    /// The sink received more than its demand: it gives units back over its best residual arc (a role's
    /// used bypass or a municipality's last unit arc), relabelled first when none is admissible. False if
    /// it has no arc back (a bug: the certificate then fails and the round says so).
    fn discharge_sink(&mut self) -> bool {
        while self.ex_t > 0 {
            let Some((best, node)) = self.sink_best() else {
                return false;
            };
            if best <= self.pt {
                self.pt = best - self.eps;
                self.stats.relabels += 1;
            }
            self.stats.pushes += 1;
            self.ex_t -= 1;
            let i = (node & !MUNI) as usize;
            if node & MUNI != 0 {
                self.units[i] -= 1;
                if let Some(e) = self.discharge_municipality(i) {
                    self.discharge_expert(e);
                }
            } else {
                self.unfilled[i] -= 1;
                self.ex_r[i] += 1;
                self.activate(i);
            }
        }
        true
    }

    /// The value `p(head) − cost` of the sink's arc back to `node`, if it is residual.
    fn sink_arc(&self, node: u32) -> Option<i64> {
        let i = (node & !MUNI) as usize;
        if node & MUNI != 0 {
            (self.units[i] > 0).then(|| self.pm[i] + self.pen * i64::from(self.units[i] - 1))
        } else {
            (self.unfilled[i] > 0).then(|| self.pr[i])
        }
    }

    /// The sink's best residual arc back. The heap's keys are upper bounds (prices only fall within a
    /// phase; a new key is pushed whenever an arc is added or its value rises), so the top is the best
    /// once its key is exact.
    fn sink_best(&mut self) -> Option<(i64, u32)> {
        while let Some(&(key, node)) = self.sink_heap.peek() {
            self.stats.scanned_arcs += 1;
            let slot = self.sink_slot(node);
            if key != self.sink_key[slot] {
                self.sink_heap.pop(); // superseded by a higher key
                continue;
            }
            match self.sink_arc(node) {
                None => {
                    self.sink_heap.pop();
                    self.sink_key[slot] = i64::MIN;
                }
                Some(v) if v == key => return Some((v, node)),
                Some(v) => {
                    self.sink_heap.pop();
                    self.sink_heap.push((v, node));
                    self.sink_key[slot] = v;
                }
            }
        }
        None
    }

    /// Adds the sink's arc back to `node` with value `v` to the heap, unless an entry already bounds it.
    fn sink_offer(&mut self, node: u32, v: i64) {
        let slot = self.sink_slot(node);
        if v > self.sink_key[slot] {
            self.sink_key[slot] = v;
            self.sink_heap.push((v, node));
        }
    }

    fn sink_slot(&self, node: u32) -> usize {
        if node & MUNI != 0 { self.pr.len() + (node & !MUNI) as usize } else { node as usize }
    }

    /// The flow, and exact integer potentials for it: the scaled prices rounded down, corrected by
    /// shortest distances over the residual graph (the flow is optimal, so there is no negative cycle).
    fn into_solution(self) -> FlowSolution {
        let net = self.net;
        let (n_roles, n_experts, n_munis) = (net.roles.len(), net.experts.len(), net.municipalities.len());
        let (e0, m0, t) = (n_roles, n_roles + n_experts, n_roles + n_experts + n_munis);
        let mut pi: Vec<i64> = Vec::with_capacity(t + 1);
        pi.extend(self.pr.iter().map(|&p| p.div_euclid(self.scale)));
        pi.extend(self.pe.iter().map(|&p| p.div_euclid(self.scale)));
        pi.extend(self.pm.iter().map(|&p| p.div_euclid(self.scale)));
        pi.push(self.pt.div_euclid(self.scale));
        let penalty = i64::from(net.penalty);
        let held = &self.held;
        let held_value = &self.held_value;
        let units = &self.units;
        let unfilled = &self.unfilled;
        let members = &self.members;
        let member_pos = &self.member_pos;
        // Residual arcs out of a node, as (head, cost).
        let out = |node: usize, f: &mut dyn FnMut(usize, i64)| {
            if node < e0 {
                let r = node;
                for a in &net.arcs[net.roles[r].arcs.range()] {
                    if held[a.expert as usize] != r as u32 {
                        f(e0 + a.expert as usize, -i64::from(a.value));
                    }
                }
                if unfilled[r] < net.roles[r].seats {
                    f(t, 0);
                }
            } else if node < m0 {
                let e = node - e0;
                if member_pos[e] == NONE {
                    f(m0 + net.experts[e].1 as usize, 0);
                }
                if held[e] != NONE {
                    f(held[e] as usize, i64::from(held_value[e]));
                }
            } else if node < t {
                let m = node - m0;
                if units[m] < net.municipalities[m].1 {
                    f(t, penalty * i64::from(units[m]));
                }
                for &e in &members[m] {
                    f(e0 + e as usize, 0);
                }
            } else {
                for (r, &u) in unfilled.iter().enumerate() {
                    if u > 0 {
                        f(r, 0);
                    }
                }
                for (m, &u) in units.iter().enumerate() {
                    if u > 0 {
                        f(m0 + m, -penalty * i64::from(u - 1));
                    }
                }
            }
        };
        // Label-correcting (SPFA) from a virtual root joined to every node at 0.
        let total = t + 1;
        let mut dist = vec![0i64; total];
        let mut in_queue = vec![true; total];
        let mut queue: VecDeque<usize> = (0..total).collect();
        // A node queued more often than there are nodes means a negative cycle, i.e. a flow that is not
        // optimal (a bug): the pass stops and `verify` then rejects the potentials, loudly.
        let mut queued = vec![0u32; total];
        while let Some(u) = queue.pop_front() {
            in_queue[u] = false;
            queued[u] += 1;
            if queued[u] as usize > total {
                break;
            }
            let du = dist[u] + pi[u];
            out(u, &mut |v, c| {
                let nd = du + c - pi[v];
                if nd < dist[v] {
                    dist[v] = nd;
                    if !in_queue[v] {
                        in_queue[v] = true;
                        queue.push_back(v);
                    }
                }
            });
        }
        for (p, d) in pi.iter_mut().zip(&dist) {
            *p += d;
        }
        let mut cost = 0i64;
        for (&r, &value) in held.iter().zip(held_value) {
            if r != NONE {
                cost -= i64::from(value);
            }
        }
        for &u in units {
            let u = i64::from(u);
            cost += penalty * u * (u - 1).max(0) / 2;
        }
        FlowSolution { assign: self.held, unfilled: self.unfilled, cost, potentials: pi, stats: self.stats }
    }
}
