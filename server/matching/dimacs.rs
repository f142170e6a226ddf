//! The round's flow network in DIMACS min-cost-flow format, so that any independent solver can
//! confirm the optimum.
//!
//! Nodes: `1` the source, then the municipalities, the experts and the roles (in the network's
//! order; `c node` lines map each number to its id). Supplies: the source supplies the total number
//! of open seats `S`; each role demands its seats (`n <role> -<seats>`). Arcs, each `a from to low cap
//! cost`:
//!
//! - source → municipality: one unit arc per expert of that municipality in the network, costs
//!   `0, p, 2p, …` (the convex penalty `p`); a single arc of cost 0 when `p` is 0;
//! - municipality → expert: capacity 1, cost 0;
//! - expert → role: capacity 1, cost `−(score + priority reward)`;
//! - source → role: capacity `seats`, cost 0 (a seat left unfilled), so every instance is feasible.
//!
//! Sign convention: costs are minimised, so the minimum cost is `−objective`; it is written in a
//! `c optimal cost:` line (and the objective in `c objective:`).

use std::io::{self, Write};

use super::flow::FlowNetwork;

/// Writes `net` with the optimal cost `−objective`.
pub fn write<W: Write>(out: &mut W, net: &FlowNetwork, objective: i64) -> io::Result<()> {
    let (nodes, arcs) = net.size();
    let supply: u64 = net.roles.iter().map(|r| u64::from(r.seats)).sum();
    let muni0 = 2usize;
    let expert0 = muni0 + net.municipalities.len();
    let role0 = expert0 + net.experts.len();
    writeln!(out, "c recovery-pool matching round: DIMACS min-cost flow")?;
    writeln!(out, "c source -> municipality (convex unit arcs) -> expert -> role; source -> role = unfilled seat")?;
    writeln!(
        out,
        "c cost of expert -> role = -(seat value + priority step * rank + priority reward + score); minimum cost = -objective"
    )?;
    writeln!(out, "c municipality penalty: {}", net.penalty)?;
    writeln!(out, "c seat value: {}, priority step: {}", net.seat_value, net.priority_step)?;
    writeln!(out, "c objective: {objective}")?;
    writeln!(out, "c optimal cost: {}", -objective)?;
    writeln!(out, "c node 1 source")?;
    for (i, (id, _)) in net.municipalities.iter().enumerate() {
        writeln!(out, "c node {} municipality {id}", muni0 + i)?;
    }
    for (i, (id, _)) in net.experts.iter().enumerate() {
        writeln!(out, "c node {} expert {id}", expert0 + i)?;
    }
    for (i, r) in net.roles.iter().enumerate() {
        writeln!(out, "c node {} role {} need {}", role0 + i, r.role_id, r.need_id)?;
    }
    writeln!(out, "p min {nodes} {arcs}")?;
    writeln!(out, "n 1 {supply}")?;
    for (i, r) in net.roles.iter().enumerate() {
        if r.seats > 0 {
            writeln!(out, "n {} -{}", role0 + i, r.seats)?;
        }
    }
    let penalty = u64::from(net.penalty);
    for (i, &(_, size)) in net.municipalities.iter().enumerate() {
        if penalty == 0 {
            writeln!(out, "a 1 {} 0 {size} 0", muni0 + i)?;
        } else {
            for k in 0..u64::from(size) {
                writeln!(out, "a 1 {} 0 1 {}", muni0 + i, penalty * k)?;
            }
        }
    }
    for (i, &(_, m)) in net.experts.iter().enumerate() {
        writeln!(out, "a {} {} 0 1 0", muni0 + m as usize, expert0 + i)?;
    }
    for (r, role) in net.roles.iter().enumerate() {
        for (e, value) in net.role_arcs(r) {
            writeln!(out, "a {} {} 0 1 {}", expert0 + e as usize, role0 + r, -i64::from(value))?;
        }
        writeln!(out, "a 1 {} 0 {} 0", role0 + r, role.seats)?;
    }
    Ok(())
}

/// The network as DIMACS text.
pub fn to_string(net: &FlowNetwork, objective: i64) -> String {
    let mut buf = Vec::new();
    write(&mut buf, net, objective).expect("writing to memory cannot fail");
    String::from_utf8(buf).expect("ASCII")
}
