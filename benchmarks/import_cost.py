"""`import routilux` in a fresh interpreter: this routilux against another one.

    python benchmarks/import_cost.py                       # this interpreter only
    python benchmarks/import_cost.py --other /path/to/python-with-routilux-0.10

Prints the median wall time of ``python -c "import routilux"`` minus that of
``python -c "pass"`` (the interpreter's own start), over --runs fresh processes each,
and, with --other, the ratio (target: no slower than routilux 0.10, ratio <= 1).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time


def median_start(python: str, code: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([python, "-c", code], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def import_cost(python: str, runs: int) -> float:
    """Seconds `import routilux` adds to an interpreter's start (interleaved runs)."""
    return median_start(python, "import routilux", runs) - median_start(python, "pass", runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--other", help="another interpreter with a routilux installed")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    ours = import_cost(sys.executable, args.runs)
    print(f"import routilux: {ours * 1e3:.1f} ms (this routilux)")
    if args.other:
        theirs = import_cost(args.other, args.runs)
        print(f"import routilux: {theirs * 1e3:.1f} ms ({args.other})")
        verdict = "met" if ours <= theirs else "NOT MET"
        print(f"ratio {ours / theirs:.2f} (target <= 1.0): {verdict}")


if __name__ == "__main__":
    main()
