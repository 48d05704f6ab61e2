"""A CPU-bound flow on `threads` vs `dask` (2 worker processes): the speedup.

40 activations of pure-Python work of about 50 ms each. Threads share one GIL, so on
2 cores they run about one at a time; Dask worker processes run two at once. Printed,
not a pass/fail test. Target from issue 6: dask at least 1.6x faster than threads.

    python contrib/routilux-dask/benchmarks/cpu_bound.py [--activations 40] [--ms 50]
"""

from __future__ import annotations

import argparse
import sys
import time

import cloudpickle

from routilux import Flow, JobState, Routine


class Fanout(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.send)
        self.define_event("n", ["n", "loops"])

    def send(self, count, loops):
        for n in range(count):
            self.emit("n", n=n, loops=loops)


class Burn(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.burn)

    def burn(self, n, loops):
        burn(loops)


def burn(loops):
    total = 0
    for i in range(loops):
        total += i * i % 7
    return total


def calibrate(ms):
    """Loops of `burn` taking about `ms` milliseconds (best of 5, after a warm-up)."""
    loops = 200_000
    burn(loops)
    best = min(_time_burn(loops) for _ in range(5))
    return int(loops * (ms / 1000) / best)


def _time_burn(loops):
    start = time.perf_counter()
    burn(loops)
    return time.perf_counter() - start


def timed(strategy, activations, loops, options):
    flow = Flow(flow_id="cpu", execution_strategy=strategy, max_workers=2, executor_options=options)
    flow.add_routine(Fanout(), "fan")
    flow.add_routine(Burn(), "burn")
    flow.connect("fan", "n", "burn", "input")
    flow.run("fan", {"count": 2, "loops": loops // 100})  # warm up (workers, imports)
    start = time.perf_counter()
    job = flow.execute("fan", {"count": activations, "loops": loops})
    JobState.wait_for_completion(flow, job)
    elapsed = time.perf_counter() - start
    assert job.status == "completed", job.routine_states
    flow.shutdown()
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activations", type=int, default=40)
    parser.add_argument("--ms", type=float, default=50.0)
    args = parser.parse_args()
    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # workers need not import us
    loops = calibrate(args.ms)
    threads = timed("threads", args.activations, loops, {})
    dask = timed("dask", args.activations, loops, {})
    work = args.activations * _time_burn(loops)
    print(f"{args.activations} activations of ~{args.ms:.0f} ms of pure-Python work, 2 workers")
    print(f"  the work itself, one after another: {work:6.2f} s")
    print(f"  threads: {threads:6.2f} s")
    print(f"  dask:    {dask:6.2f} s")
    print(f"  dask is {threads / dask:.2f}x faster than threads (target: at least 1.6x)")


if __name__ == "__main__":
    main()
