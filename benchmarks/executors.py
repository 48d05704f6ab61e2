"""Executors: async concurrency, stopping runaway handlers, cost per activation.

Scenarios (issue 14), each printed with its baseline from the same process:

- **async-10k**: one job fans out 10,000 activations of an ``async def`` handler that
  awaits ``asyncio.sleep(0.1)``, on the ``asyncio`` executor; seconds from
  ``execute`` to the end of the job. Baseline: the same 10,000 sleeps as bare
  ``asyncio.gather`` tasks. Target: <= 1.5 s.
- **async-io-efficiency**: 1,000 activations awaiting ``asyncio.sleep(1.0)`` (I/O
  dominates, as with HTTP or LLM calls); efficiency = ideal (1.0 s, every wait at
  once) / actual. Target: >= 0.9.
- **processes-timeout**: a sync handler in an endless loop on ``processes`` with
  ``timeout=1``: seconds until the job has failed (target <= 2 s), whether the worker
  process is gone, and the CPU the flow's processes burn in the second after
  (target: none of them busy).
- **processes-cancel**: the same handler without a timeout, stopped by ``flow.cancel``:
  seconds from the cancel until its process is gone, and CPU after.
- **per-activation**: a chain of trivial handlers on each executor (inline, threads,
  asyncio with a sync and with an async handler, processes); microseconds per
  activation, as a ratio to a plain function call.

Run ``python benchmarks/executors.py`` (``--json`` for machine output). Linux only for
the CPU figures (they read /proc).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import pathlib
import sys
import tempfile
import time
from typing import Any

from routilux import ErrorHandler, Flow, JobState, Routine

TIMEOUT = 300.0


class Fan(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", self.fan)
        self.define_event("item", ["index"])

    def fan(self, count: int) -> None:
        for index in range(count):
            self.emit("item", index=index)


class AwaitsIO(Routine):
    """Stands for an HTTP or LLM call: awaits `seconds`."""

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.seconds = seconds
        self.define_slot("inp", self.call)

    async def call(self, index: int) -> None:
        await asyncio.sleep(self.seconds)


class Spin(Routine):
    """Writes its pid to `pid_file`, then loops forever (a runaway sync handler)."""

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", self.spin)

    def spin(self, pid_file: str) -> None:
        pathlib.Path(pid_file).write_text(str(os.getpid()))
        while True:
            pass


class Step(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", self.step)
        self.define_slot("inp", self.step)
        self.define_event("out", ["n"])

    def step(self, n: int) -> None:
        if n:
            self.emit("out", n=n - 1)


class AsyncStep(Step):
    async def step(self, n: int) -> None:  # type: ignore[override]
        if n:
            self.emit("out", n=n - 1)


# ----------------------------------------------------------------- async


def async_fan(count: int, seconds: float) -> float:
    flow = Flow(execution_strategy="asyncio")
    flow.add_routine(Fan(), "fan")
    flow.add_routine(AwaitsIO(seconds), "io")
    flow.connect("fan", "item", "io", "inp")
    flow.run("fan", {"count": 10}, timeout=TIMEOUT)  # warm-up: loop and pool started
    started = time.perf_counter()
    job = flow.execute("fan", {"count": count})
    JobState.wait_for_completion(flow, job, TIMEOUT)
    elapsed = time.perf_counter() - started
    flow.shutdown()
    assert job.status == "completed", job.routine_states
    return elapsed


def bare_gather(count: int, seconds: float) -> float:
    async def main() -> None:
        await asyncio.gather(*(asyncio.sleep(seconds) for _ in range(count)))

    started = time.perf_counter()
    asyncio.run(main())
    return time.perf_counter() - started


# ------------------------------------------------------------- processes


def _descendants() -> list[int]:
    """Pids of every live descendant of this process (from /proc)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = pathlib.Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [], [os.getpid()]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent]
        found.extend(children)
        frontier.extend(children)
    return found


def _cpu_ticks(pid: int) -> int:
    try:
        fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])  # utime + stime


def busiest_descendant(window: float = 1.0) -> float:
    """The highest CPU share (0..1) of any descendant process over `window` seconds."""
    pids = _descendants()
    before = {pid: _cpu_ticks(pid) for pid in pids}
    time.sleep(window)
    ticks = os.sysconf("SC_CLK_TCK")
    shares = [(_cpu_ticks(pid) - before[pid]) / ticks / window for pid in pids]
    return max(shares, default=0.0)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _wait_for_pid(path: pathlib.Path) -> int:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if path.exists() and path.read_text():
            return int(path.read_text())
        time.sleep(0.005)
    raise RuntimeError("the handler never started")


def processes_timeout(tmp: pathlib.Path) -> dict[str, Any]:
    flow = Flow(execution_strategy="processes", max_workers=2)
    flow.add_routine(Spin(), "spin", error_handler=ErrorHandler(timeout=1.0))
    flow.add_routine(Step(), "step")
    flow.run("step", {"n": 2}, timeout=TIMEOUT)  # warm-up: worker processes started
    pid_file = tmp / "timeout.pid"
    started = time.perf_counter()
    job = flow.execute("spin", {"pid_file": str(pid_file)})
    JobState.wait_for_completion(flow, job, TIMEOUT)
    elapsed = time.perf_counter() - started
    pid = _wait_for_pid(pid_file)
    result = {
        "status": job.status,
        "seconds_to_failed": elapsed,
        "error": job.get_routine_state("spin")["error"],
        "worker_gone": not _alive(pid),
        "busiest_process_cpu_after": busiest_descendant(),
    }
    flow.shutdown()
    return result


def processes_cancel(tmp: pathlib.Path) -> dict[str, Any]:
    flow = Flow(execution_strategy="processes", max_workers=2)
    flow.add_routine(Spin(), "spin")
    pid_file = tmp / "cancel.pid"
    job = flow.execute("spin", {"pid_file": str(pid_file)})
    pid = _wait_for_pid(pid_file)
    time.sleep(0.2)  # let it spin
    started = time.perf_counter()
    flow.cancel(job, "benchmark")
    while _alive(pid) and time.perf_counter() - started < TIMEOUT:
        time.sleep(0.001)
    elapsed = time.perf_counter() - started
    result = {
        "status": job.status,
        "seconds_to_process_gone": elapsed,
        "worker_gone": not _alive(pid),
        "busiest_process_cpu_after": busiest_descendant(),
    }
    flow.shutdown()
    return result


# --------------------------------------------------------- per activation


def per_activation(strategy: str, routine: type[Step], count: int) -> float:
    """Microseconds per activation of a chain of `count` trivial activations."""
    flow = Flow(execution_strategy=strategy, max_workers=2)
    flow.add_routine(routine(), "step")
    flow.connect("step", "out", "step", "inp")
    flow.run("step", {"n": 5}, timeout=TIMEOUT)  # warm-up
    started = time.perf_counter()
    job = flow.run("step", {"n": count}, timeout=TIMEOUT)
    elapsed = time.perf_counter() - started
    flow.shutdown()
    assert job.status == "completed", job.routine_states
    return elapsed / (count + 1) * 1e6


def plain_call_us(count: int = 100_000) -> float:
    def step(n: int) -> int:
        return n - 1

    started = time.perf_counter()
    n = count
    while n:
        n = step(n)
    return (time.perf_counter() - started) / count * 1e6


# ------------------------------------------------------------------ main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results: dict[str, Any] = {}

    baseline = bare_gather(10_000, 0.1)
    elapsed = async_fan(10_000, 0.1)
    results["async-10k"] = {
        "seconds": elapsed,
        "bare_asyncio_seconds": baseline,
        "vs_bare_asyncio": elapsed / baseline,
        "target_seconds": 1.5,
        "met": elapsed <= 1.5,
    }
    elapsed = async_fan(1_000, 1.0)
    results["async-io-efficiency"] = {
        "seconds": elapsed,
        "efficiency": 1.0 / elapsed,
        "bare_asyncio_efficiency": 1.0 / bare_gather(1_000, 1.0),
        "target": 0.9,
        "met": 1.0 / elapsed >= 0.9,
    }
    with tempfile.TemporaryDirectory() as tmp:
        timeout = processes_timeout(pathlib.Path(tmp))
        timeout["met"] = (
            timeout["status"] == "failed"
            and timeout["seconds_to_failed"] <= 2.0
            and timeout["worker_gone"]
            and timeout["busiest_process_cpu_after"] < 0.1
        )
        results["processes-timeout"] = timeout
        cancel = processes_cancel(pathlib.Path(tmp))
        cancel["met"] = (
            cancel["status"] == "cancelled"
            and cancel["seconds_to_process_gone"] <= 1.0
            and cancel["worker_gone"]
            and cancel["busiest_process_cpu_after"] < 0.1
        )
        results["processes-cancel"] = cancel
    plain = plain_call_us()
    costs = {
        "inline": per_activation("inline", Step, 20_000),
        "threads": per_activation("threads", Step, 20_000),
        "asyncio (def)": per_activation("asyncio", Step, 5_000),
        "asyncio (async def)": per_activation("asyncio", AsyncStep, 20_000),
        "processes": per_activation("processes", Step, 500),
    }
    results["per-activation-us"] = {
        name: {"us": us, "vs_plain_call": us / plain} for name, us in costs.items()
    }
    results["per-activation-us"]["plain call"] = {"us": plain, "vs_plain_call": 1.0}

    if args.json:
        print(json.dumps(results, indent=2))
        return
    a = results["async-10k"]
    print(
        f"async-10k: {a['seconds']:.2f} s (bare asyncio {a['bare_asyncio_seconds']:.2f} s, "
        f"{a['vs_bare_asyncio']:.1f}x); target <= 1.5 s: {'met' if a['met'] else 'NOT MET'}"
    )
    e = results["async-io-efficiency"]
    print(
        f"async I/O efficiency: {e['efficiency']:.3f} (bare asyncio "
        f"{e['bare_asyncio_efficiency']:.3f}); target >= 0.9: "
        f"{'met' if e['met'] else 'NOT MET'}"
    )
    t = results["processes-timeout"]
    print(
        f"processes timeout=1: job {t['status']} after {t['seconds_to_failed']:.2f} s, worker "
        f"gone: {t['worker_gone']}, busiest process after: "
        f"{t['busiest_process_cpu_after']:.0%} CPU; {'met' if t['met'] else 'NOT MET'}"
    )
    c = results["processes-cancel"]
    print(
        f"processes cancel: job {c['status']}, process gone {c['seconds_to_process_gone']:.3f} s "
        f"after flow.cancel, busiest process after: {c['busiest_process_cpu_after']:.0%} CPU; "
        f"{'met' if c['met'] else 'NOT MET'}"
    )
    print("cost per activation (a chain of trivial handlers):")
    for name, row in results["per-activation-us"].items():
        print(f"  {name:22} {row['us']:9.1f} us  ({row['vs_plain_call']:,.0f}x a plain call)")


if __name__ == "__main__":
    sys.exit(main())
