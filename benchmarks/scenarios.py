"""The issue-2 benchmark scenarios, written against the seed API only.

The same file runs on this routilux and on the original routilux 0.10.0 (see
compare.sh), so it uses nothing but Flow, Routine, define_slot/define_event,
emit, flow.execute, ``JobState.wait_for_completion(flow, job_state, timeout=)``,
record_execution and JobState serialize/deserialize.

Each scenario is also run as a plain-Python baseline in the same process (no
framework: direct calls, a deque, a queue to a worker thread, a thread pool),
and results are printed as ratios against it, together with the issue's
target. Run ``python benchmarks/scenarios.py`` (``--json`` for machine output,
``--scale small`` for fewer iterations).

(a) runs twice: as it comes, and with its threads on one CPU (`on_one_cpu`). A job
handed from the caller to a worker and back crosses threads twice; on an idle
virtual machine each crossing can wait tens of µs for the other CPU to wake, which
the baseline shows, and which no framework can save. On one CPU what is left is the
framework's own work.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from queue import Queue

from routilux import Flow, Routine
from routilux.job_state import JobState

TIMEOUT = 600.0

# --------------------------------------------------------------------- routines


class Source(Routine):
    """Emits `count` items (from the entry params) on "out"."""

    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.send)
        self.out = self.define_event("out", ["item"])

    def send(self, count=1, **kwargs):
        for i in range(count):
            self.emit("out", item=i)


class Relay(Routine):
    """Passes each item on, optionally after sleeping `delay` seconds."""

    def __init__(self, delay=0.0):
        super().__init__()
        self.delay = delay
        self.input_slot = self.define_slot("input", handler=self.relay)
        self.out = self.define_event("out", ["item"])

    def relay(self, item=None, **kwargs):
        if self.delay:
            time.sleep(self.delay)
        self.emit("out", item=item)


class Sink(Routine):
    """Receives items and does nothing with them."""

    def __init__(self, merge_strategy="override"):
        super().__init__()
        self.input_slot = self.define_slot(
            "input", handler=self.take, merge_strategy=merge_strategy
        )

    def take(self, **kwargs):
        return None


def chain(stages, strategy="sequential", max_workers=5, delay_stage=None, delay=0.0):
    """source -> relay ... -> sink, `stages` routines in all."""
    flow = Flow(flow_id=f"chain{stages}", execution_strategy=strategy, max_workers=max_workers)
    flow.add_routine(Source(), "r0")
    for i in range(1, stages - 1):
        flow.add_routine(Relay(delay if i == delay_stage else 0.0), f"r{i}")
        flow.connect(f"r{i - 1}", "out", f"r{i}", "input")
    flow.add_routine(Sink(), f"r{stages - 1}")
    flow.connect(f"r{stages - 2}", "out", f"r{stages - 1}", "input")
    return flow


def run_job(flow, params=None):
    job = flow.execute("r0", entry_params=params)
    JobState.wait_for_completion(flow, job, timeout=TIMEOUT)
    if job.status != "completed":
        raise RuntimeError(f"job ended {job.status}")
    return job


# ------------------------------------------------------------------- scenarios


def latency(runs):
    """(a) execute -> completion of a 3-routine chain: median and p95, in µs."""
    flow = chain(3)
    for _ in range(min(20, runs)):
        run_job(flow)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        run_job(flow)
        samples.append(time.perf_counter() - start)
    samples.sort()
    return {
        "median_us": statistics.median(samples) * 1e6,
        "p95_us": samples[int(len(samples) * 0.95) - 1] * 1e6,
    }


def latency_baseline(runs):
    """A 3-step chain handed to a worker thread through a queue, waited on with an Event."""
    requests = Queue()

    def worker():
        while True:
            done = requests.get()
            if done is None:
                return
            items = deque([(0, 1)])
            while items:
                stage, item = items.popleft()
                if stage < 2:
                    items.append((stage + 1, item))
            done.set()

    thread = threading.Thread(target=worker, daemon=True)
    thread.start()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        done = threading.Event()
        requests.put(done)
        done.wait()
        samples.append(time.perf_counter() - start)
    requests.put(None)
    samples.sort()
    return {"median_us": statistics.median(samples) * 1e6}


def throughput(items):
    """(b) routed events per second through a 5-stage chain fed `items` items in one job."""
    flow = chain(5)
    run_job(flow, {"count": 10})
    start = time.perf_counter()
    run_job(flow, {"count": items})
    elapsed = time.perf_counter() - start
    return {"events_per_s": items * 4 / elapsed}


def throughput_baseline(items):
    """The same routing as a deque of (stage, item) pairs and five functions."""
    stages = [lambda i: i] * 5
    start = time.perf_counter()
    queue = deque((1, i) for i in range(items))
    routed = 0
    while queue:
        stage, item = queue.popleft()
        stages[stage](item)
        routed += 1
        if stage < 4:
            queue.append((stage + 1, item))
    elapsed = time.perf_counter() - start
    return {"events_per_s": routed / elapsed}


def fan_out_in(runs):
    """(c) one item fanned out to 8 branches and collected by an append-merge slot: jobs/s."""
    flow = Flow(flow_id="fan")
    flow.add_routine(Source(), "r0")
    flow.add_routine(Sink("append"), "collect")
    for b in range(8):
        flow.add_routine(Relay(), f"b{b}")
        flow.connect("r0", "out", f"b{b}", "input")
        flow.connect(f"b{b}", "out", "collect", "input")
    run_job(flow)
    start = time.perf_counter()
    for _ in range(runs):
        run_job(flow)
    return {"jobs_per_s": runs / (time.perf_counter() - start)}


def fan_out_in_baseline(runs):
    """The same fan-out/fan-in as direct calls, one item per job, handed to a worker."""
    requests = Queue()

    def worker():
        while True:
            done = requests.get()
            if done is None:
                return
            collected = []
            for _branch in range(8):
                collected.append(0)
            done.set()

    threading.Thread(target=worker, daemon=True).start()
    start = time.perf_counter()
    for _ in range(runs):
        done = threading.Event()
        requests.put(done)
        done.wait()
    requests.put(None)
    return {"jobs_per_s": runs / (time.perf_counter() - start)}


def fan_out(items, branches=8):
    """(f) one job whose source emits `items` items, each delivered to `branches` sinks."""
    flow = Flow(flow_id="fan-out")
    flow.add_routine(Source(), "r0")
    for b in range(branches):
        flow.add_routine(Sink(), f"s{b}")
        flow.connect("r0", "out", f"s{b}", "input")
    run_job(flow, {"count": 10})
    start = time.perf_counter()
    run_job(flow, {"count": items})
    return {"deliveries_per_s": items * branches / (time.perf_counter() - start)}


def fan_out_baseline(items, branches=8):
    """The same deliveries as a deque of (sink, item) pairs and plain functions."""
    sinks = [lambda item: None] * branches
    start = time.perf_counter()
    queue = deque()
    for i in range(items):
        for b in range(branches):
            queue.append((b, i))
    while queue:
        b, item = queue.popleft()
        sinks[b](item)
    return {"deliveries_per_s": items * branches / (time.perf_counter() - start)}


def concurrent_jobs(jobs, delay=0.005, workers=16):
    """(d) `jobs` 3-stage chains, middle stage sleeps `delay`, concurrent strategy."""
    flow = chain(3, strategy="concurrent", max_workers=workers, delay_stage=1, delay=delay)
    run_job(flow)
    start = time.perf_counter()
    started = [flow.execute("r0") for _ in range(jobs)]
    for job in started:
        JobState.wait_for_completion(flow, job, timeout=TIMEOUT)
    elapsed = time.perf_counter() - start
    ideal = jobs * delay / workers
    return {"elapsed_s": elapsed, "efficiency": ideal / elapsed}


def concurrent_jobs_baseline(jobs, delay=0.005, workers=16):
    """The same work as plain tasks on a ThreadPoolExecutor of `workers` threads."""
    start = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(lambda _: time.sleep(delay), range(jobs)))
    elapsed = time.perf_counter() - start
    return {"elapsed_s": elapsed, "efficiency": jobs * delay / workers / elapsed}


def serialization(records):
    """(e) serialize + deserialize a JobState with `records` history records, in ms."""
    JobState().deserialize(JobState(flow_id="warm-up").serialize())  # one-time converter setup
    job = JobState(flow_id="bench")
    for i in range(records):
        job.record_execution("routine", "out", {"item": i, "text": "payload"})
    start = time.perf_counter()
    data = job.serialize()
    serialize_s = time.perf_counter() - start
    start = time.perf_counter()
    restored = JobState()
    restored.deserialize(data)
    deserialize_s = time.perf_counter() - start
    if len(restored.execution_history) != records:
        raise RuntimeError("round trip lost records")
    return {"serialize_ms": serialize_s * 1e3, "deserialize_ms": deserialize_s * 1e3}


def serialization_baseline(records):
    """The same records as plain objects turned into dicts and back by hand."""

    class Record:
        __slots__ = ("data", "event_name", "routine_id", "timestamp")

        def __init__(self, routine_id, event_name, data, timestamp):
            self.routine_id, self.event_name, self.data, self.timestamp = (
                routine_id,
                event_name,
                data,
                timestamp,
            )

    from datetime import datetime

    rows = [
        Record("routine", "out", {"item": i, "text": "payload"}, datetime.now())
        for i in range(records)
    ]
    start = time.perf_counter()
    data = [
        {
            "routine_id": r.routine_id,
            "event_name": r.event_name,
            "data": dict(r.data),
            "timestamp": r.timestamp.isoformat(),
        }
        for r in rows
    ]
    serialize_s = time.perf_counter() - start
    start = time.perf_counter()
    [
        Record(
            d["routine_id"],
            d["event_name"],
            dict(d["data"]),
            datetime.fromisoformat(d["timestamp"]),
        )
        for d in data
    ]
    deserialize_s = time.perf_counter() - start
    return {"serialize_ms": serialize_s * 1e3, "deserialize_ms": deserialize_s * 1e3}


# --------------------------------------------------------------------- driver

SCALES = {
    # name: (latency runs, chain items, fan-in jobs, concurrent jobs, history records,
    #        fan-out items)
    "full": (2000, 20000, 500, 200, 10000, 5000),
    "small": (20, 2000, 10, 200, 10000, 500),
}

TARGETS = {
    "a_latency": ("median_us", "<", 50.0, "median job latency at most 50 µs"),
    "a_latency_1cpu": ("median_us", "<", 50.0, "the same, threads on one CPU"),
    "b_throughput": ("events_per_s", ">", 250_000.0, "at least 250,000 routed events/s"),
    "f_fan_out": ("deliveries_per_s", ">", 250_000.0, "at least 250,000 fan-out deliveries/s"),
    "d_concurrent": ("efficiency", ">", 0.85, "efficiency over 85%"),
    "e_serialize": ("serialize_ms", "<", 100.0, "serialize under 100 ms"),
    "e_deserialize": ("deserialize_ms", "<", 100.0, "deserialize under 100 ms"),
}


LOWER_IS_BETTER = {"median_us", "p95_us", "elapsed_s", "serialize_ms", "deserialize_ms"}


def best_of(function, arg, repeat):
    """`function(arg)` run `repeat` times; the best value of each measure (a loaded
    machine only ever makes a run slower)."""
    runs = [function(arg) for _ in range(repeat)]
    return {
        key: (min if key in LOWER_IS_BETTER else max)(run[key] for run in runs) for key in runs[0]
    }


def on_one_cpu(function):
    """`function`, run with this thread and the threads it starts (a new flow's workers,
    the baseline's worker) on one CPU: a hand-off between threads is then a thread switch,
    not the wake-up of another, idle CPU (which a virtual machine may take tens of µs to
    give). None where threads cannot be pinned (os.sched_setaffinity is Linux's)."""
    if not hasattr(os, "sched_setaffinity"):
        return None

    def pinned(arg):
        allowed = os.sched_getaffinity(0)
        os.sched_setaffinity(0, {min(allowed)})  # 0: this thread, on Linux
        try:
            return function(arg)
        finally:
            os.sched_setaffinity(0, allowed)

    return pinned


def run_all(scale, repeat=1):
    lat, items, fan, jobs, records, fan_items = SCALES[scale]
    results = {}
    for name, ours, base, arg in (
        ("a_latency", latency, latency_baseline, lat),
        ("a_latency_1cpu", on_one_cpu(latency), on_one_cpu(latency_baseline), lat),
        ("b_throughput", throughput, throughput_baseline, items),
        ("c_fan_out_in", fan_out_in, fan_out_in_baseline, fan),
        ("d_concurrent", concurrent_jobs, concurrent_jobs_baseline, jobs),
        ("e_serialization", serialization, serialization_baseline, records),
        ("f_fan_out", fan_out, fan_out_baseline, fan_items),
    ):
        if ours is None:
            results[name] = {"error": "cannot pin threads to one CPU on this OS"}
            continue
        try:
            results[name] = {
                "result": best_of(ours, arg, repeat),
                "baseline": best_of(base, arg, repeat),
            }
        except Exception as exc:  # the original cannot run every scenario
            results[name] = {"error": f"{type(exc).__name__}: {exc}"}
    return results


def _ratio(value, base):
    return value / base if base else float("nan")


def report(results):
    print(f"{'scenario':<16} {'measure':<16} {'value':>14} {'baseline':>14} {'ratio':>8}")
    for name, entry in results.items():
        if "error" in entry:
            print(f"{name:<16} n/a: {entry['error']}")
            continue
        for key, value in entry["result"].items():
            base = entry["baseline"].get(key)
            ratio = f"{_ratio(value, base):8.2f}" if base is not None else " " * 8
            base_text = f"{base:14.1f}" if base is not None else " " * 14
            print(f"{name:<16} {key:<16} {value:14.1f} {base_text} {ratio}")
    print()
    flat = {
        "a_latency": results.get("a_latency", {}).get("result"),
        "a_latency_1cpu": results.get("a_latency_1cpu", {}).get("result"),
        "b_throughput": results.get("b_throughput", {}).get("result"),
        "d_concurrent": results.get("d_concurrent", {}).get("result"),
        "e_serialize": results.get("e_serialization", {}).get("result"),
        "e_deserialize": results.get("e_serialization", {}).get("result"),
        "f_fan_out": results.get("f_fan_out", {}).get("result"),
    }
    for name, (key, op, target, text) in TARGETS.items():
        measured = (flat.get(name) or {}).get(key)
        if measured is None:
            print(f"target {text}: not measured")
            continue
        met = measured < target if op == "<" else measured > target
        print(f"target {text}: {'MET' if met else 'NOT MET'} ({measured:,.3g})")
        floor = (results.get(name, {}).get("baseline") or {}).get(key)
        if op == "<" and floor is not None and floor >= target:
            print(
                f"  (its baseline alone takes {floor:,.3g}: on this machine no design "
                "that hands the job to another thread can meet it)"
            )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="full")
    parser.add_argument("--json", action="store_true", help="print results as JSON")
    parser.add_argument(
        "--repeat", type=int, default=1, help="run each scenario N times and keep the best"
    )
    args = parser.parse_args(argv)
    results = run_all(args.scale, args.repeat)
    if args.json:
        json.dump(results, sys.stdout)
        print()
    else:
        report(results)


if __name__ == "__main__":
    main()
