"""What running the entry handler in the caller of ``flow.execute()`` costs (issue 11).

routilux 0.10 runs the entry routine's ``trigger`` handler in the thread that calls
``execute()``; downstream activations run on the flow's workers. Before issue 11 the
whole job ran on the workers. The scenarios whose jobs are short, (a) latency, (c)
fan-out/fan-in and (d) concurrent jobs, are run here both ways in the same process,
alternately, each keeping its best of ``--rounds``:

- **caller**: as shipped (the executors' ``runs_entry_in_caller = True``);
- **workers**: the same executors with ``runs_entry_in_caller`` switched off for the
  measurement, so the entry activation is queued for a worker like any other.

Printed: both results and caller/workers as a cost (1.05 = 5% slower), against issue
11's limit of 10%. The "workers" column is also the engine without that semantics, to
set against an older tree's ``scenarios.py`` (issue 10: no slower than before).

    python benchmarks/entry_cost.py [--rounds 5] [--scale full|small]
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scenarios import concurrent_jobs, fan_out_in, latency

from routilux.registry import get_executor

LIMIT = 1.10
SCALES = {"full": (2000, 500, 200), "small": (200, 50, 100)}
#: The executors the scenarios run on: "sequential" ((a), (c)) and "concurrent" ((d)).
STRATEGIES = ("sequential", "concurrent")


@contextlib.contextmanager
def entry_on_workers():
    """Queue the entry activation for the executors' workers while inside."""
    classes = [get_executor(name) for name in STRATEGIES]
    saved = [cls.__dict__.get("runs_entry_in_caller") for cls in classes]
    for cls in classes:
        cls.runs_entry_in_caller = False
    try:
        yield
    finally:
        for cls, value in zip(classes, saved):
            if value is None:  # inherited: drop the override
                del cls.runs_entry_in_caller
            else:
                cls.runs_entry_in_caller = value


def measure(rounds: int, scale: str) -> dict[str, dict[str, float]]:
    lat_runs, fan_jobs, concurrent = SCALES[scale]
    scenarios = (
        ("a latency, median µs", lambda: latency(lat_runs)["median_us"], min),
        ("c fan-out/in, jobs/s", lambda: fan_out_in(fan_jobs)["jobs_per_s"], max),
        ("d concurrent, efficiency", lambda: concurrent_jobs(concurrent)["efficiency"], max),
    )
    best: dict[str, dict[str, float]] = {name: {} for name, _, _ in scenarios}
    for round_no in range(rounds):
        for name, run, pick in scenarios:
            for mode in ("caller", "workers") if round_no % 2 == 0 else ("workers", "caller"):
                if mode == "workers":
                    with entry_on_workers():
                        value = run()
                else:
                    value = run()
                seen = best[name].get(mode)
                best[name][mode] = value if seen is None else pick(seen, value)
        print(f"round {round_no + 1}/{rounds} done", file=sys.stderr)
    return best


def report(best: dict[str, dict[str, float]]) -> None:
    print(f"{'scenario':<26} {'caller':>10} {'workers':>10} {'cost':>7}  limit {LIMIT:.2f}")
    for name, values in best.items():
        caller, workers = values["caller"], values["workers"]
        # a cost above 1 is slower, whichever way the measure points
        cost = caller / workers if name.startswith("a ") else workers / caller
        verdict = "within" if cost <= LIMIT else "OVER"
        print(f"{name:<26} {caller:10.3f} {workers:10.3f} {cost:7.3f}  {verdict}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--scale", choices=sorted(SCALES), default="full")
    args = parser.parse_args(argv)
    report(measure(args.rounds, args.scale))


if __name__ == "__main__":
    main()
