//! The `match` and `generate` commands: run the matching engine on an instance file, and write
//! synthetic instance files. For checking and benchmarking (docs/matching.md).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use uuid::Uuid;

use crate::matching::{self, Objective, dimacs, generate, instance};

/// Run a matching round on a JSON instance file and print the proposals and the objective.
#[derive(Debug, Clone, clap::Args)]
pub struct MatchArgs {
    /// The instance file (format: docs/matching-instance-format.md).
    pub instance: PathBuf,
    /// Print the result as JSON (proposals with explanations, objective, statistics).
    #[arg(long)]
    pub json: bool,
    /// Also write the solved flow network in DIMACS min-cost-flow format to this file.
    #[arg(long, value_name = "FILE")]
    pub dimacs: Option<PathBuf>,
    /// Only these needs (repeatable); all needs of the instance by default.
    #[arg(long = "need", value_name = "NEED_ID")]
    pub needs: Vec<Uuid>,
    /// Print at most this many proposals in the table (the summary always counts all).
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
    /// Maximise score plus priority reward minus the penalty only, without the derived seat value and
    /// priority step: what rounds did before the two guarantees, to measure what they change.
    #[arg(long)]
    pub plain_objective: bool,
}

/// Write a synthetic instance file.
#[derive(Debug, Clone, clap::Args)]
pub struct GenerateArgs {
    /// Number of experts.
    #[arg(long, default_value_t = 1000)]
    pub experts: usize,
    /// Number of needs.
    #[arg(long, default_value_t = 500)]
    pub needs: usize,
    /// Random seed: the same size and seed give the same file.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Output file.
    #[arg(long, short)]
    pub output: PathBuf,
    /// Indent the JSON.
    #[arg(long)]
    pub pretty: bool,
    /// How the pool is drawn: `spread` (many municipalities, varied skills) or `concentrated` (one
    /// municipality holds most experts, and needs of every priority compete for a few skills).
    #[arg(long, value_enum, default_value_t = generate::Shape::Spread)]
    pub shape: generate::Shape,
}

/// Runs the `match` command.
pub fn run_match(args: &MatchArgs) -> anyhow::Result<()> {
    // The DIMACS file is created first, so that a path that cannot be written fails before the round.
    let dimacs_file = match &args.dimacs {
        Some(path) => Some(File::create(path).with_context(|| format!("cannot create {}", path.display()))?),
        None => None,
    };
    let t = Instant::now();
    let (pool, params) = instance::read(&args.instance)?;
    let read_ms = t.elapsed().as_secs_f64() * 1000.0;
    let needs = (!args.needs.is_empty()).then_some(args.needs.as_slice());
    let objective = if args.plain_objective { Objective::Plain } else { Objective::Guaranteed };
    let (result, net) = matching::round_with(&pool, needs, &params, objective)?;
    if let (Some(path), Some(file)) = (&args.dimacs, dimacs_file) {
        let mut out = BufWriter::new(file);
        dimacs::write(&mut out, &net, result.objective)
            .and_then(|()| out.flush())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if args.json {
        serde_json::to_writer_pretty(&mut out, &result)?;
        writeln!(out)?;
    } else {
        print_table(&mut out, &result, args.limit)?;
        let s = &result.stats;
        let tm = &s.timings;
        writeln!(out)?;
        writeln!(out, "objective          {}", result.objective)?;
        writeln!(
            out,
            "  = seat value {} + priority steps {} + priority reward {} + score {} - municipality penalty {}",
            s.total_seat_value,
            s.total_priority_step,
            s.total_priority_reward,
            s.total_score,
            s.total_municipality_penalty
        )?;
        writeln!(
            out,
            "weights            seat value {}, priority step {}{}",
            s.seat_value,
            s.priority_step,
            if args.plain_objective {
                " (plain objective)"
            } else if s.priority_first {
                ""
            } else {
                " (priority relaxed for this round)"
            }
        )?;
        writeln!(out, "filled seats       {} of {}", s.filled_seats, s.open_seats)?;
        for f in &s.by_priority {
            writeln!(
                out,
                "  {:<16} {} of {} filled, {} left ({} of them with an eligible expert placed elsewhere)",
                format!("{:?}", f.priority).to_uppercase(),
                f.filled_seats,
                f.open_seats,
                f.seats_left,
                f.seats_left_with_eligible_experts
            )?;
        }
        let g = &s.guarantees;
        writeln!(
            out,
            "guarantees         {} roles empty beside {} idle eligible experts; {} roles losing an expert to a lower priority",
            g.roles_empty_beside_idle_experts,
            g.idle_experts_eligible_for_empty_seats,
            g.roles_losing_to_lower_priority
        )?;
        let drawing = s.by_municipality.iter().filter(|m| m.drawn > 0).count();
        writeln!(
            out,
            "municipalities     {} drawn from, of {} with eligible experts; most drawn:",
            drawing,
            s.by_municipality.len()
        )?;
        for m in s.by_municipality.iter().take(3).filter(|m| m.drawn > 0) {
            writeln!(
                out,
                "  {}  {} of {} eligible experts drawn, penalty {}",
                short(&m.municipality_id),
                m.drawn,
                m.eligible_experts,
                m.penalty
            )?;
        }
        writeln!(out, "pool               {} experts, {} needs, {} roles", s.experts, s.needs, s.roles)?;
        writeln!(out, "eligible pairs     {}", s.eligible_pairs)?;
        writeln!(out, "network            {} nodes, {} arcs", s.nodes, s.arcs)?;
        writeln!(
            out,
            "solver             {} phases, {} relabels, {} pushes, {} arcs scanned",
            s.solver.phases, s.solver.relabels, s.solver.pushes, s.solver.scanned_arcs
        )?;
        writeln!(
            out,
            "timings (ms)       read {read_ms:.1} | validate {:.1} | index {:.1} | eligibility+score {:.1} | network {:.1} | solve {:.1} | verify {:.1} | explain {:.1} | round total {:.1}",
            tm.validate_ms,
            tm.index_ms,
            tm.eligibility_ms,
            tm.network_ms,
            tm.solve_ms,
            tm.verify_ms,
            tm.explain_ms,
            tm.total_ms
        )?;
        if let Some(path) = &args.dimacs {
            writeln!(out, "dimacs             {} (optimal cost {})", path.display(), -result.objective)?;
        }
    }
    out.flush()?;
    Ok(())
}

fn short(id: &Uuid) -> String {
    id.simple().to_string()[24..].to_string()
}

fn print_table<W: Write>(out: &mut W, result: &matching::RoundResult, limit: usize) -> std::io::Result<()> {
    writeln!(
        out,
        "{:<12} {:<12} {:<12} {:>5} {:>6}  {:>4} {:>4} {:>4} {:>4} {:>4}  {:>5}  period",
        "need", "role", "expert", "score", "reward", "ess", "des", "lang", "cov", "cont", "cov‰"
    )?;
    for p in result.proposals.iter().take(limit) {
        let x = &p.explanation;
        writeln!(
            out,
            "{:<12} {:<12} {:<12} {:>5} {:>6}  {:>4} {:>4} {:>4} {:>4} {:>4}  {:>5}  {}..{}",
            short(&p.need_id),
            short(&p.role_id),
            short(&p.expert_id),
            p.score,
            p.priority_reward,
            x.parts.essential_margin,
            x.parts.desired_skills,
            x.parts.language,
            x.parts.period_coverage,
            x.parts.continuity,
            x.coverage_permille,
            x.period_start,
            x.period_end
        )?;
    }
    if result.proposals.len() > limit {
        writeln!(out, "… {} more proposals (--limit, or --json for all)", result.proposals.len() - limit)?;
    }
    Ok(())
}

/// Runs the `generate` command.
pub fn run_generate(args: &GenerateArgs) -> anyhow::Result<()> {
    let t = Instant::now();
    let pool = generate::generate_shaped(args.experts, args.needs, args.seed, args.shape);
    let params = matching::Params::default();
    instance::write(&args.output, &pool, &params, args.pretty)?;
    let roles: usize = pool.needs.iter().map(|n| n.roles.len()).sum();
    let seats: u64 = pool.needs.iter().flat_map(|n| &n.roles).map(|r| u64::from(r.open_seats)).sum();
    println!(
        "wrote {}: {} experts, {} needs, {} roles, {} seats, seed {} ({:.0} ms)",
        args.output.display(),
        pool.experts.len(),
        pool.needs.len(),
        roles,
        seats,
        args.seed,
        t.elapsed().as_secs_f64() * 1000.0
    );
    Ok(())
}
