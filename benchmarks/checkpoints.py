"""Checkpoint cost per activation for each store, and jobs/s with every_activation.

A 2-routine flow whose source emits N items runs with ``checkpoint="every_activation"``
on each built-in store; the cost per activation is (time with the store - time without)
/ activations, median of several runs. Printed beside the same flow without a store
(the in-memory baseline). Not a pass/fail test.

    python benchmarks/checkpoints.py [--items 500] [--runs 5]
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


def timed_run(store, items):
    flow = flow_with(store)
    start = time.perf_counter()
    job = flow.run("source", {"count": items})
    elapsed = time.perf_counter() - start
    assert job.status == "completed"
    flow.shutdown()
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    activations = args.items + 1
    with tempfile.TemporaryDirectory() as tmp:
        stores = {
            "none": lambda: None,
            "memory": lambda: f"memory://{uuid.uuid4()}",
            "file": lambda: f"file://{tmp}/{uuid.uuid4()}",
            "sqlite": lambda: f"sqlite:///{tmp}/{uuid.uuid4()}.db",
        }
        medians = {}
        for name, url in stores.items():
            timed_run(url(), 10)  # warm up (imports, converter)
            medians[name] = statistics.median(
                timed_run(url(), args.items) for _ in range(args.runs)
            )
    base = medians["none"]
    print(f"{activations} activations per job, every_activation checkpoints, median of {args.runs}")
    print(
        f"{'store':<8} {'job time':>10} {'checkpoint/activation':>22} {'jobs/s':>8} {'vs no store':>12}"
    )
    for name, elapsed in medians.items():
        per = (elapsed - base) / activations * 1e6 if name != "none" else 0.0
        print(
            f"{name:<8} {elapsed * 1e3:8.1f}ms {per:19.1f} µs {1 / elapsed:8.1f} {elapsed / base:11.1f}x"
        )


if __name__ == "__main__":
    main()
