"""Checkpoint cost per activation for each store, against issue 13's targets.

A 2-routine flow whose source emits N items runs with ``checkpoint="every_activation"``
on each built-in store and without a store (the baseline), in the same process; the
runs alternate between the stores (so a busy moment of the machine hits them all) and
each store keeps its best of ``--runs``. Printed per store: the job's time, the cost of
a checkpoint (time with the store - time without, per activation), the ratio to the
run without a store, and the bytes each activation's checkpoint writes (write() calls
of this process, from /proc/self/io: SQLite's WAL frames, the file store's journal).

Then the file store (and SQLite, for comparison) at two job sizes, 100 and 2,000
activations by default: a checkpoint that costs what changed costs the same per
activation however long the job has run.

    python benchmarks/checkpoints.py [--items 500] [--runs 7] [--stores memory,file,sqlite]
                                     [--grow 100,2000]

Targets (issue 13): SQLite every_activation within 6x of the run without a store and
at most 4 KB written per activation; the file store flat as the job grows (per
activation at the larger size within 1.5x of the smaller). Not a pass/fail test.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import tempfile
import time
import uuid

from routilux import Flow, Routine

SQLITE_RATIO = 6.0
SQLITE_BYTES = 4096
FLAT_RATIO = 1.5
#: Activations per window when comparing early and late in a job.
WINDOW = 50


class Source(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.send)
        self.define_event("item", ["n"])

    def send(self, count):
        for n in range(count):
            self.emit("item", n=n)


class Sink(Routine):
    def __init__(self):
        super().__init__()
        #: perf_counter() at each activation: the gaps are what one activation costs
        self.times = []
        self.define_slot("input", handler=self.take)

    def take(self, n):
        self.times.append(time.perf_counter())


def flow_with(store):
    flow = Flow(flow_id="bench", store=store, checkpoint="every_activation")
    flow.add_routine(Source(), "source")
    flow.add_routine(Sink(), "sink")
    flow.connect("source", "item", "sink", "input")
    return flow


def written_bytes():
    """Bytes this process has written through write() so far (Linux), or 0."""
    try:
        with open("/proc/self/io") as handle:
            for line in handle:
                if line.startswith("wchar:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def timed_run(store, items):
    """(seconds, bytes written per activation, gaps between the sink's activations)
    of one job of `items` + 1 activations."""
    flow = flow_with(store)
    if flow.store is not None:
        flow.store.list(limit=1)  # open the database before the clock starts
    before = written_bytes()
    start = time.perf_counter()
    job = flow.run("source", {"count": items})
    elapsed = time.perf_counter() - start
    written = (written_bytes() - before) / (items + 1)
    assert job.status == "completed", job.status
    times = flow.get_routine("sink").times
    flow.shutdown()
    return elapsed, written, [b - a for a, b in itertools.pairwise(times)]


def best_runs(urls, items, runs):
    """{store: [result of each run]} (see `timed_run`), the runs alternating between
    the stores so that a busy moment of the machine hits them all."""
    for url in urls.values():
        timed_run(url(), 10)  # warm up (imports, converter, the database file)
    results = {name: [] for name in urls}
    for _ in range(runs):
        for name, url in urls.items():
            results[name].append(timed_run(url(), items))
    return results


def verdict(ok):
    return "met" if ok else "NOT met"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--stores", default="memory,file,sqlite", help="comma-separated")
    parser.add_argument("--grow", default="100,2000", help="two job sizes (activations)")
    args = parser.parse_args()
    small, large = (int(n) for n in args.grow.split(","))
    with tempfile.TemporaryDirectory() as tmp:
        makers = {
            "none": lambda: None,
            "memory": lambda: f"memory://{uuid.uuid4()}",
            "file": lambda: f"file://{tmp}/{uuid.uuid4()}",
            "sqlite": lambda: f"sqlite:///{tmp}/{uuid.uuid4()}.db",
        }
        chosen = ["none", *args.stores.split(",")]
        urls = {name: makers[name] for name in chosen}
        results = best_runs(urls, args.items, args.runs)
        best = {name: min(runs) for name, runs in results.items()}
        grown = [s for s in ("file", "sqlite") if s in urls]
        long_runs = best_runs({k: urls[k] for k in ("none", *grown)}, large, max(3, args.runs // 2))

    activations = args.items + 1
    base = best["none"][0]
    print(
        f"{activations} activations per job, checkpoint='every_activation', "
        f"best of {args.runs} (runs alternate between the stores)"
    )
    print(
        f"{'store':<8} {'job':>9} {'checkpoint/activation':>22} {'vs no store':>12} "
        f"{'written/activation':>19}   target"
    )
    for name, (elapsed, written, _) in best.items():
        per = (elapsed - base) / activations * 1e6
        ratio = elapsed / base
        target = ""
        if name == "sqlite":
            target = (
                f"<= {SQLITE_RATIO:g}x: {verdict(ratio <= SQLITE_RATIO)}; "
                f"<= {SQLITE_BYTES // 1024} KB: {verdict(written <= SQLITE_BYTES)}"
            )
        print(
            f"{name:<8} {elapsed * 1e3:7.1f}ms {per:19.1f} µs {ratio:11.1f}x "
            f"{written / 1024:16.2f} KB   {target}"
        )

    print()
    print(
        f"As the job grows: one job of {large} activations; the cost of an activation and "
        f"its checkpoint around activation {small} and near the end (median gap between "
        f"{WINDOW} consecutive activations, less the same without a store; best of "
        f"{len(long_runs['none'])})"
    )
    print(f"{'store':<8} {'at ' + str(small):>12} {'at ' + str(large):>12} {'ratio':>7}   target")
    early, late = slice(small - WINDOW, small), slice(large - 1 - WINDOW, large - 1)
    cost = {
        name: [min(statistics.median(run[2][part]) for run in runs) for part in (early, late)]
        for name, runs in long_runs.items()
    }
    for name in grown:
        at_small, at_large = (cost[name][i] - cost["none"][i] for i in (0, 1))
        ratio = at_large / at_small
        target = f"<= {FLAT_RATIO:g}x: {verdict(ratio <= FLAT_RATIO)}" if name == "file" else ""
        print(
            f"{name:<8} {at_small * 1e6:9.1f} µs {at_large * 1e6:9.1f} µs {ratio:6.2f}x   {target}"
        )


if __name__ == "__main__":
    main()
