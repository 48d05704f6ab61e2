"""Run the routilux 0.10 probe programs on this routilux and compare with 0.10's output.

Each program in ``programs/`` uses only routilux 0.10's public API; ``expected/`` holds
what routilux 0.10.0 (with serilux 0.3.1) printed for it. Ids, ISO timestamps and
memory addresses are normalised on both sides. Prints one line per program that
differs, then the count that match:

    python tools/compat_probes/run.py               # all, with this interpreter
    python tools/compat_probes/run.py --show q024    # the diff of the programs named q024*
    python tools/compat_probes/run.py --python /path/to/venv/bin/python

Not a pass/fail test: some differences are deliberate (docs/guide/coming-from-0.10.md).
Issue 11 measures the same on held-out programs.
"""

from __future__ import annotations

import argparse
import difflib
import pathlib
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

HERE = pathlib.Path(__file__).resolve().parent
_NORMALISE = [
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "<UUID>"),
    (re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9:.]+"), "<TS>"),
    (re.compile(r"0x[0-9a-f]+"), "<ADDR>"),
]


def normalise(text: str) -> str:
    for pattern, replacement in _NORMALISE:
        text = pattern.sub(replacement, text)
    return text


def run(python: str, program: pathlib.Path) -> str:
    """The program's normalised stdout (its stderr is dropped, as the comparison does)."""
    with tempfile.TemporaryDirectory() as scratch:  # files a program writes land here
        try:
            done = subprocess.run(
                [python, str(program)],
                cwd=scratch,
                capture_output=True,
                text=True,
                timeout=60,
            )
        except subprocess.TimeoutExpired:
            return "<timed out after 60 s>\n"
    return normalise(done.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default=sys.executable, help="interpreter to run them")
    parser.add_argument("--show", help="print the diff of the programs whose name starts so")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    programs = sorted((HERE / "programs").glob("*.py"))
    if args.show:
        programs = [p for p in programs if p.name.startswith(args.show)]
    with ThreadPoolExecutor(args.jobs) as pool:
        outputs = list(pool.map(lambda p: run(args.python, p), programs))
    matched = 0
    for program, got in zip(programs, outputs):
        expected = normalise((HERE / "expected" / f"{program.stem}.out").read_text())
        if got == expected:
            matched += 1
            continue
        print(f"differs: {program.stem}")
        if args.show:
            diff = difflib.unified_diff(
                expected.splitlines(),
                got.splitlines(),
                "routilux 0.10",
                "this routilux",
                lineterm="",
            )
            print("\n".join(diff))
    print(f"{matched} of {len(programs)} print what routilux 0.10 printed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
