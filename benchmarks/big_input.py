"""Issue 13's big input: a 50 MB word count through `routilux run` and through plain Python.

Generates ``examples/alice.txt`` repeated to 50 MB, then runs, each in its own process:

- plain Python: a ten-line loop over the file's lines (NFKC, lower case, punctuation
  stripped, words counted with a Counter), writing the top 10 words as JSON;
- ``routilux run examples/wordcount.toml`` with the default SQLite store in a fresh directory.

Prints the wall-clock ratio (target <= 4x), routilux's peak RSS (<= 200 MB), the job
store's size (<= 10 MB) and whether both wrote identical output. Run
``python benchmarks/big_input.py`` (``--mb 5`` for a quicker run, ``--json`` for scripts).
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"

PLAIN = """
import json, re, sys, unicodedata
from collections import Counter
punctuation = re.compile(r"[^\\w\\s']+|(?<!\\w)'|'(?!\\w)")
word = re.compile(r"[\\w']+")
counts = Counter()
with open(sys.argv[1], encoding="utf-8") as handle:
    for line in handle:
        counts.update(word.findall(punctuation.sub(" ", unicodedata.normalize("NFKC", line).lower())))
top = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:10])
with open(sys.argv[2], "w", encoding="utf-8") as out:
    json.dump(top, out, indent=2)
"""


def generate(path: pathlib.Path, megabytes: float) -> int:
    """`examples/alice.txt` repeated to at least `megabytes` MB; returns its line count."""
    text = (EXAMPLES / "alice.txt").read_bytes()
    copies = int(megabytes * 1_000_000 // len(text)) + 1
    # written copy by copy: this process stays small, and a child's peak RSS as the
    # kernel reports it is never below the peak of the process that started it
    with open(path, "wb") as handle:
        for _ in range(copies):
            handle.write(text)
    return text.count(b"\n") * copies


def measure(command: list[str], cwd: pathlib.Path) -> tuple[float, float, str]:
    """Run `command`; its wall seconds, peak RSS in MB and stdout."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{output}")
    return wall, usage.ru_maxrss / 1024, output  # ru_maxrss is in kB on Linux


def store_size(directory: pathlib.Path) -> int:
    return sum(p.stat().st_size for p in directory.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=50.0, help="input size in MB (default 50)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="routilux-big-") as tmp:
        work = pathlib.Path(tmp)
        source = work / "big.txt"
        lines = generate(source, args.mb)
        plain_script = work / "plain.py"
        plain_script.write_text(PLAIN)
        plain_wall, plain_rss, _ = measure(
            [sys.executable, str(plain_script), str(source), str(work / "plain.json")], work
        )
        run_dir = work / "run"
        run_dir.mkdir()
        ours_wall, ours_rss, output = measure(
            [
                sys.executable,
                "-m",
                "routilux",
                "run",
                str(EXAMPLES / "wordcount.toml"),
                "--param",
                f"input={source}",
                "--param",
                f"output={work / 'ours.json'}",
            ],
            run_dir,
        )
        identical = json.loads((work / "ours.json").read_text()) == json.loads(
            (work / "plain.json").read_text()
        )
        store = store_size(run_dir / ".routilux")
    results = {
        "input_mb": round(source_size_mb := args.mb, 1),
        "lines": lines,
        "plain_wall_s": round(plain_wall, 2),
        "routilux_wall_s": round(ours_wall, 2),
        "wall_ratio": round(ours_wall / plain_wall, 2),
        "plain_peak_rss_mb": round(plain_rss, 1),
        "routilux_peak_rss_mb": round(ours_rss, 1),
        "store_mb": round(store / 1_000_000, 2),
        "identical_output": identical,
    }
    if args.json:
        print(json.dumps(results, indent=2))
        return
    rows = [
        (
            "wall ratio (routilux run / plain)",
            f"{results['wall_ratio']}x",
            "<= 4x",
            results["wall_ratio"] <= 4,
        ),
        (
            "peak RSS of routilux run",
            f"{results['routilux_peak_rss_mb']} MB",
            "<= 200 MB",
            results["routilux_peak_rss_mb"] <= 200,
        ),
        ("job store size", f"{results['store_mb']} MB", "<= 10 MB", results["store_mb"] <= 10),
        ("identical output", str(identical), "True", identical),
    ]
    print(
        f"{source_size_mb:g} MB, {lines:,} lines: plain Python {plain_wall:.2f}s "
        f"({plain_rss:.0f} MB), routilux run {ours_wall:.2f}s"
    )
    for name, value, target, met in rows:
        print(f"  {name:<36} {value:>12}  target {target:<10} {'met' if met else 'NOT MET'}")
    if "final save" in output:
        print("  " + next(line for line in output.splitlines() if "final save" in line))


if __name__ == "__main__":
    main()
