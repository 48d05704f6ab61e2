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
                        "entry_points": list(p.entry_points),
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
                [
                    {
                        "name": r.name,
                        "summary": r.summary,
                        "distribution": r.owner,
                        "config": _config_fields(r.config_schema),
                    }
                    for r in regs
                ],
                indent=2,
            )
        )
        return 0
    if not regs:
        print("no routines registered; pip install a routine pack")
        return 0
    owners: dict[str, list[str]] = {}
    for r in regs:
        owners.setdefault(r.name, []).append(r.owner)
    for names_owners in owners.values():
        names_owners.sort()
    width = max(len(r.name) for r in regs)
    for name, names_owners in owners.items():
        summary = next(r.summary for r in regs if r.name == name)
        if len(names_owners) > 1:
            summary = f"REGISTERED TWICE ({' and '.join(names_owners)}): lookups fail"
        print(f"{name.ljust(width)}  {summary}")
    return 0


def _config_fields(schema: type | None) -> list[dict[str, Any]]:
    """The config keys a routine accepts, from its ``config_schema`` attrs class."""
    if schema is None:
        return []
    import attrs

    try:
        attrs.resolve_types(schema)
    except Exception:
        pass  # show the annotations as written
    fields = []
    for field in attrs.fields(schema):
        entry: dict[str, Any] = {"name": field.name, "type": _type_name(field.type)}
        if field.default is attrs.NOTHING:
            entry["required"] = True
        elif isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
            entry["default"] = _jsonable(field.default.factory())
        else:
            entry["default"] = _jsonable(field.default)
        fields.append(entry)
    return fields


def _type_name(tp: Any) -> str:
    if isinstance(tp, type):
        return tp.__name__
    return str(tp).replace("typing.", "")


def _jsonable(value: Any) -> Any:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return repr(value)
    return value
