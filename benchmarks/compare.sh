#!/usr/bin/env bash
# Runs benchmarks/scenarios.py against this routilux and against the original
# routilux 0.10.0 (with serilux 0.3.1, the version it was released against), in
# one invocation, and prints our/their ratios.
#
#   benchmarks/compare.sh            # this package from the current Python env
#   PYTHON=/path/to/python benchmarks/compare.sh
#
# The original polls (about 350 ms per job), so it runs the "small" scale.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
python="${PYTHON:-python3}"
venv="$here/.venv-original"

if [ ! -x "$venv/bin/python" ]; then
    echo "creating $venv with routilux==0.10.0 serilux==0.3.1 ..." >&2
    "$python" -m venv "$venv"
    "$venv/bin/pip" install --quiet "routilux==0.10.0" "serilux==0.3.1"
fi

ours="$(mktemp)"; theirs="$(mktemp)"
trap 'rm -f "$ours" "$theirs"' EXIT
echo "running the scenarios on this routilux ..." >&2
"$python" "$here/scenarios.py" --scale full --json > "$ours"
echo "running the scenarios on routilux 0.10.0 (takes about a minute) ..." >&2
"$venv/bin/python" "$here/scenarios.py" --scale small --json > "$theirs"

"$python" - "$ours" "$theirs" <<'PY'
import json, sys
ours, theirs = (json.load(open(p)) for p in sys.argv[1:3])
better_high = {"events_per_s", "jobs_per_s", "efficiency"}
print(f"{'scenario':<16} {'measure':<16} {'ours':>14} {'0.10.0':>14} {'ours vs 0.10.0':>16}")
for name, entry in ours.items():
    other = theirs.get(name, {})
    if "error" in entry or "error" in other:
        print(f"{name:<16} n/a: {entry.get('error') or other.get('error')}")
        continue
    for key, value in entry["result"].items():
        old = other["result"].get(key)
        if old in (None, 0):
            continue
        factor = value / old if key in better_high else old / value
        verdict = f"{factor:.1f}x better" if factor >= 1 else f"{1 / factor:.1f}x worse"
        print(f"{name:<16} {key:<16} {value:14.1f} {old:14.1f} {verdict:>16}")
PY
