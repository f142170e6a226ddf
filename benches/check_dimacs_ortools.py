"""Confirm a matching round's optimum with an independent solver.

Solves a DIMACS min-cost-flow file written by `recovery-pool match INSTANCE --dimacs FILE` with OR-tools'
SimpleMinCostFlow and compares the optimal cost with the file's `c optimal cost:` line (= -objective).

    pip install ortools numpy
    python3 benches/check_dimacs_ortools.py round.min [more.min ...]

Exits 0 when every file matches.
"""
import sys
import time

import numpy as np
from ortools.graph.python import min_cost_flow


def main(path):
    t0 = time.time()
    claimed = None
    supplies = {}
    arcs = []
    nodes = 0
    with open(path) as f:
        for line in f:
            c = line[0]
            if c == "a":
                arcs.append(line[2:])
            elif c == "n":
                _, v, s = line.split()
                supplies[int(v)] = supplies.get(int(v), 0) + int(s)
            elif c == "p":
                nodes = int(line.split()[2])
            elif line.startswith("c optimal cost:"):
                claimed = int(line.split(":")[1])
    a = np.array(" ".join(arcs).split(), dtype=np.int64).reshape(-1, 5)
    t1 = time.time()
    smcf = min_cost_flow.SimpleMinCostFlow()
    smcf.add_arcs_with_capacity_and_unit_cost(a[:, 0] - 1, a[:, 1] - 1, a[:, 3], a[:, 4])
    idx = np.array(list(supplies.keys()), dtype=np.int64) - 1
    sup = np.array(list(supplies.values()), dtype=np.int64)
    smcf.set_nodes_supplies(idx, sup)
    t2 = time.time()
    status = smcf.solve()
    t3 = time.time()
    assert status == smcf.OPTIMAL, status
    cost = smcf.optimal_cost()
    print(f"{path}: {nodes} nodes, {len(a)} arcs; parse {t1 - t0:.1f} s, build {t2 - t1:.1f} s, "
          f"OR-tools solve {t3 - t2:.2f} s; OR-tools optimal cost {cost}, claimed {claimed}: "
          f"{'MATCH' if cost == claimed else 'MISMATCH'}")
    return cost == claimed


if __name__ == "__main__":
    ok = all(main(p) for p in sys.argv[1:])
    sys.exit(0 if ok else 1)
