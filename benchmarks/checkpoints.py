"""Checkpoint cost per activation for each store, and jobs/s with every_activation.

A 2-routine flow whose source emits N items runs with ``checkpoint="every_activation"``
on each built-in store; the cost per activation is (time with the store - time without)
/ activations, median of several runs. Printed beside the same flow without a store
(the in-memory baseline). Not a pass/fail test.

    python benchmarks/checkpoints.py [--items 500] [--runs 5] [--stores sqlite,file]

Also printed: the bytes each activation's checkpoint writes (write() calls of this
process, from /proc/self/io; SQLite's WAL frames, the file store's journal).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid

from routilux import Flow, Routine


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
        self.define_slot("input", handler=lambda n: None)


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


WRITTEN: dict[str, list[float]] = {}


def timed_run(store, items, name="warm-up"):
    flow = flow_with(store)
    before = written_bytes()
    start = time.perf_counter()
    job = flow.run("source", {"count": items})
    elapsed = time.perf_counter() - start
    WRITTEN.setdefault(name, []).append((written_bytes() - before) / (items + 1))
    assert job.status == "completed"
    flow.shutdown()
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--stores", default="memory,file,sqlite", help="comma-separated")
    args = parser.parse_args()
    activations = args.items + 1
    with tempfile.TemporaryDirectory() as tmp:
        stores = {
            "none": lambda: None,
            "memory": lambda: f"memory://{uuid.uuid4()}",
            "file": lambda: f"file://{tmp}/{uuid.uuid4()}",
            "sqlite": lambda: f"sqlite:///{tmp}/{uuid.uuid4()}.db",
        }
        chosen = ["none", *args.stores.split(",")]
        stores = {name: stores[name] for name in chosen}
        medians = {}
        for name, url in stores.items():
            timed_run(url(), 10)  # warm up (imports, converter)
            medians[name] = statistics.median(
                timed_run(url(), args.items, name) for _ in range(args.runs)
            )
    base = medians["none"]
    print(f"{activations} activations per job, every_activation checkpoints, median of {args.runs}")
    print(
        f"{'store':<8} {'job time':>10} {'checkpoint/activation':>22} {'jobs/s':>8} "
        f"{'vs no store':>12} {'written/activation':>19}"
    )
    for name, elapsed in medians.items():
        per = (elapsed - base) / activations * 1e6 if name != "none" else 0.0
        written = statistics.median(WRITTEN[name]) / 1024
        print(
            f"{name:<8} {elapsed * 1e3:8.1f}ms {per:19.1f} µs {1 / elapsed:8.1f} "
            f"{elapsed / base:11.1f}x {written:16.1f} KB"
        )


if __name__ == "__main__":
    main()
