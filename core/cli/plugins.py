"""``routilux plugins`` and ``routilux routines``: what is installed."""

from __future__ import annotations

import argparse
import json
from typing import Any


def register(subparsers: Any) -> None:
    plugins = subparsers.add_parser(
        "plugins", help="list installed plugin distributions and what each registers"
    )
    plugins.add_argument("--json", action="store_true", help="machine-readable output")
    plugins.set_defaults(func=cmd_plugins)
    routines = subparsers.add_parser("routines", help="list registered routine names")
    routines.add_argument("--json", action="store_true", help="machine-readable output")
    routines.set_defaults(func=cmd_routines)


def cmd_plugins(args: argparse.Namespace) -> int:
    from ..registry import list_plugins

    infos = list_plugins()
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "name": p.name,
                        "distribution": p.distribution,
                        "version": p.version,
                        "module": p.module,
                        "registers": p.registers,
                        "error": p.error,
                    }
                    for p in infos
                ],
                indent=2,
            )
        )
        return 0
    for p in infos:
        head = f"{p.distribution} {p.version}".strip()
        print(f"{head}  ({p.module or p.name})")
        if p.error:
            print(f"    FAILED TO LOAD: {p.error}")
        for kind, names in sorted(p.registers.items()):
            print(f"    {kind}: {', '.join(names)}")
    return 0


def cmd_routines(args: argparse.Namespace) -> int:
    from ..registry import registrations

    regs = sorted(registrations("routine"), key=lambda r: r.name)
    if args.json:
        print(
            json.dumps(
                [{"name": r.name, "summary": r.summary, "distribution": r.owner} for r in regs],
                indent=2,
            )
        )
        return 0
    if not regs:
        print("no routines registered; pip install a routine pack")
        return 0
    width = max(len(r.name) for r in regs)
    for r in regs:
        print(f"{r.name.ljust(width)}  {r.summary}")
    return 0
