//! Benchmarks of the matching engine (DESIGN §12), on synthetic pools from the generator.
//!
//! `cargo bench --bench matching` measures:
//! - `candidates(role, 10)` over 20,000 experts: p50 / p99 / max of single queries;
//! - `round` over 1,000 × 500, 5,000 × 2,000 and 20,000 × 10,000 (experts × needs), on pools of both
//!   generator shapes (spread and concentrated): wall time of each phase, eligible pairs, network size,
//!   objective, and the two guarantees counted under the round's objective and under the plain one
//!   (score + reward − penalty, as rounds were before the guarantees).
//!
//! `cargo bench --bench matching -- --quick` skips the 20,000 × 10,000 round. Peak memory is measured
//! on the command instead: `/usr/bin/time -v recovery-pool match FILE` (see the engine's report).

use std::hint::black_box;
use std::time::{Duration, Instant};

use recovery_pool::matching::generate::{self, Shape};
use recovery_pool::matching::{self, CandidateIndex, Objective, Params};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn bench_candidates(experts: usize, needs: usize, seed: u64) {
    let pool = generate::generate(experts, needs, seed);
    let params = Params::default();
    let t = Instant::now();
    let index = CandidateIndex::build(&pool, &params);
    let build = t.elapsed();
    let roles: Vec<_> = pool.needs.iter().flat_map(|n| n.roles.iter().map(move |r| (n, r))).collect();
    // Warm up, then time every role once (up to 5,000 queries).
    for (n, r) in roles.iter().take(200) {
        black_box(matching::candidates(&index, n, r, 10));
    }
    let mut times = Vec::new();
    let mut found = 0usize;
    for (n, r) in roles.iter().take(5000) {
        let t = Instant::now();
        let c = black_box(matching::candidates(&index, n, r, 10));
        times.push(t.elapsed());
        found += c.len();
    }
    times.sort();
    let mean = times.iter().sum::<Duration>() / times.len() as u32;
    println!(
        "candidates(role, 10) over {experts} experts: {} queries, index built in {:.1} ms, \
         p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms, mean {:.3} ms, {:.1} candidates per query",
        times.len(),
        ms(build),
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.99)),
        ms(*times.last().expect("at least one query")),
        ms(mean),
        found as f64 / times.len() as f64
    );
}

fn bench_round(experts: usize, needs: usize, seed: u64, shape: Shape, runs: usize) {
    let pool = generate::generate_shaped(experts, needs, seed, shape);
    let params = Params::default();
    let mut walls = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let result = matching::round(&pool, None, &params).expect("generated pools are valid");
        walls.push(t.elapsed());
        last = Some(result);
    }
    walls.sort();
    let r = last.expect("at least one run");
    let s = &r.stats;
    let tm = &s.timings;
    println!(
        "round {experts} x {needs} ({shape:?}, seed {seed}): median {:.1} ms, min {:.1} ms over {runs} runs | \
         eligible pairs {} | network {} nodes, {} arcs | filled {} of {} seats | objective {} | \
         seat value {}, priority step {} | last run: index {:.1}, eligibility+score {:.1}, network {:.1}, \
         solve {:.1}, verify {:.1}, explain {:.1} ms | phases {}, relabels {}, arcs scanned {}",
        ms(percentile(&walls, 0.5)),
        ms(walls[0]),
        s.eligible_pairs,
        s.nodes,
        s.arcs,
        s.filled_seats,
        s.open_seats,
        r.objective,
        s.seat_value,
        s.priority_step,
        tm.index_ms,
        tm.eligibility_ms,
        tm.network_ms,
        tm.solve_ms,
        tm.verify_ms,
        tm.explain_ms,
        s.solver.phases,
        s.solver.relabels,
        s.solver.scanned_arcs
    );
    // What the guarantees change: the same pool under the plain objective (score + reward − penalty only).
    let (plain, _) = matching::round_with(&pool, None, &params, Objective::Plain).expect("generated pools are valid");
    for (name, result) in [("guaranteed", &r), ("plain     ", &plain)] {
        let g = &result.stats.guarantees;
        let critical = result.stats.by_priority.first().map_or(0, |f| f.filled_seats);
        println!(
            "  {name}: filled {} seats ({critical} CRITICAL), score {}, penalty {} | roles empty beside idle \
             eligible experts {} ({} such experts) | roles losing an expert to a lower priority {}",
            result.stats.filled_seats,
            result.stats.total_score,
            result.stats.total_municipality_penalty,
            g.roles_empty_beside_idle_experts,
            g.idle_experts_eligible_for_empty_seats,
            g.roles_losing_to_lower_priority
        );
    }
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    bench_candidates(20_000, 10_000, 1);
    for shape in [Shape::Spread, Shape::Concentrated] {
        bench_round(1_000, 500, 1, shape, 10);
        bench_round(5_000, 2_000, 1, shape, 5);
        if !quick {
            bench_round(20_000, 10_000, 1, shape, 5);
        }
    }
}
