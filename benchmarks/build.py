"""Building flows: a 1,000-routine chain and a fan-out of 1,000 (issue 10).

Building a flow must cost O(routines + connections). Each shape is built with
routilux (routine instances made beforehand, so that only ``add_routine`` and
``connect`` are timed) and, as the baseline in the same process, wired by hand
into plain dicts of the same routine instances. Results are printed as ratios
against the baseline, with the issue's target (a 1,000-routine chain under
50 ms). Uses only the seed API, so it runs on routilux 0.10 too:
``python benchmarks/build.py [--size N] [--json]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

from routilux import Flow, Routine


class Relay(Routine):
    """One input slot and one output event."""

    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.relay)
        self.define_slot("trigger", handler=self.relay)
        self.define_event("out", ["item"])

    def relay(self, item=None, **kwargs):
        self.emit("out", item=item)


def chain_edges(size):
    return [(f"r{i - 1}", f"r{i}") for i in range(1, size)]


def fan_out_edges(size):
    return [("r0", f"r{i}") for i in range(1, size)]


def build_with_routilux(routines, edges):
    start = time.perf_counter()
    flow = Flow(flow_id="build")
    for rid, routine in routines.items():
        flow.add_routine(routine, rid)
    for source, target in edges:
        flow.connect(source, "out", target, "input")
    return time.perf_counter() - start


def build_by_hand(routines, edges):
    start = time.perf_counter()
    table = {}
    by_id = {}
    for rid, routine in routines.items():
        by_id[rid] = routine
    for source, target in edges:
        table.setdefault((source, "out"), []).append((target, "input"))
    return time.perf_counter() - start


def measure(shape, size, repeats):
    edges = chain_edges(size) if shape == "chain" else fan_out_edges(size)
    ours, base = [], []
    for _ in range(repeats):
        routines = {f"r{i}": Relay() for i in range(size)}
        ours.append(build_with_routilux(routines, edges))
        base.append(build_by_hand(routines, edges))
    return {"build_ms": statistics.median(ours) * 1e3}, {"build_ms": statistics.median(base) * 1e3}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print results as JSON")
    args = parser.parse_args(argv)
    results = {}
    for shape in ("chain", "fan_out"):
        ours, base = measure(shape, args.size, args.repeats)
        results[f"{shape}_{args.size}"] = {"result": ours, "baseline": base}
    if args.json:
        json.dump(results, sys.stdout)
        print()
        return
    print(f"{'scenario':<16} {'measure':<10} {'value':>10} {'baseline':>10} {'ratio':>8}")
    for name, entry in results.items():
        value, base = entry["result"]["build_ms"], entry["baseline"]["build_ms"]
        print(f"{name:<16} {'build_ms':<10} {value:10.2f} {base:10.2f} {value / base:8.1f}")
    chain_ms = results[f"chain_{args.size}"]["result"]["build_ms"]
    if args.size == 1000:
        met = "MET" if chain_ms < 50 else "NOT MET"
        print(f"\ntarget a 1,000-routine chain builds in under 50 ms: {met} ({chain_ms:.3g})")


if __name__ == "__main__":
    main()
