"""Check that the built docs have a reference entry for every public name and hook.

Run after ``sphinx-build -b html docs docs/_build/html``:
``python docs/check_reference.py docs/_build/html``. Fails (exit 1) listing every
name of ``routilux.__all__`` or hook of ``routilux.hookspecs`` without an entry, or
whose object has no docstring.
"""

from __future__ import annotations

import inspect
import pathlib
import sys

import routilux
from routilux import hookspecs


def main(build_dir: str) -> int:
    html = "".join(p.read_text(encoding="utf-8") for p in pathlib.Path(build_dir).rglob("*.html"))
    problems = []
    for name in routilux.__all__:
        obj = getattr(routilux, name)
        anchors = [f'id="routilux.{name}"', f'id="{getattr(obj, "__module__", "")}.{name}"']
        if not any(anchor in html for anchor in anchors):
            problems.append(f"routilux.{name}: no entry in the API reference")
        if (inspect.isclass(obj) or inspect.isfunction(obj)) and not inspect.getdoc(obj):
            problems.append(f"routilux.{name}: no docstring")
    for hook in hookspecs.OBSERVER_HOOKS + tuple(hookspecs.REGISTRATION_HOOKS.values()):
        if f'id="routilux.hookspecs.{hook}"' not in html:
            problems.append(f"hook {hook}: no entry in the hook reference")
        if not inspect.getdoc(getattr(hookspecs, hook)):
            problems.append(f"hook {hook}: no docstring")
    for problem in problems:
        print(problem)
    print(
        f"{len(routilux.__all__)} public names and {len(hookspecs.OBSERVER_HOOKS) + len(hookspecs.REGISTRATION_HOOKS)} hooks checked; {len(problems)} problems"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "docs/_build/html"))
