"""``routilux validate SPEC`` and ``routilux graph SPEC``."""

from __future__ import annotations

import argparse
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from typing import Any

from ..errors import RoutiluxError
from .run import parse_assignments


def register(subparsers: Any) -> None:
    validate = subparsers.add_parser("validate", help="check a flow spec without running it")
    validate.add_argument("spec")
    validate.add_argument("--param", action="append", metavar="KEY=VALUE", help="a spec parameter")
    validate.set_defaults(func=cmd_validate)

    graph = subparsers.add_parser("graph", help="print a flow spec's graph")
    graph.add_argument("spec")
    graph.add_argument("--format", choices=("mermaid", "dot"), default="mermaid")
    graph.add_argument("--output", metavar="FILE", help="render to FILE (.svg, .png) with Graphviz")
    graph.add_argument("--param", action="append", metavar="KEY=VALUE", help="a spec parameter")
    graph.set_defaults(func=cmd_graph)


def _load(args: argparse.Namespace) -> Any:
    """The flow of a spec; params not given stand as placeholders (the graph needs
    only the structure)."""
    from ..flow import Flow
    from ..spec import PLACEHOLDER, load_spec_file

    data = load_spec_file(args.spec)
    defaults = data.get("params", {}) if isinstance(data, dict) else {}
    params = {
        name: f"<{name}>"
        for name in PLACEHOLDER.findall(repr(data))
        if not (isinstance(defaults, dict) and name in defaults)
    }
    params.update(parse_assignments(args.param, "--param"))
    return Flow.from_spec(data, source=args.spec, params=params)


def cmd_validate(args: argparse.Namespace) -> int:
    from ..flow import Flow

    flow = Flow.from_file(args.spec, params=parse_assignments(args.param, "--param"))
    print(
        f"{args.spec}: ok: {counted(len(flow.routines), 'routine')}, "
        f"{counted(len(flow.connections), 'connection')}, entry {flow.entry or '(none)'}"
    )
    limit = flow.max_activations
    for cycle in cycles(flow):
        path = " -> ".join([*cycle, cycle[0]])
        bound = (
            f"a job fails after {limit:,} activations (max_activations)"
            if limit
            else "max_activations is null, so a loop that never ends runs forever"
        )
        print(f"note: the connections form a cycle {path}; it must end by itself, {bound}")
    return 0


def counted(n: int, noun: str) -> str:
    """`1 connection`, `4 connections`: the summary line reads as English."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def cycles(flow: Any) -> list[list[str]]:
    """The routine cycles of the flow's connections, one per strongly connected group
    (each as routine ids in connection order, from the first one added)."""
    graph: dict[str, list[str]] = {rid: [] for rid in flow.routines}
    for c in flow.connections:
        if c.target_routine_id not in graph[c.source_routine_id]:
            graph[c.source_routine_id].append(c.target_routine_id)
    return [
        _ordered_cycle(graph, group)
        for group in strongly_connected(graph)
        if len(group) > 1 or group[0] in graph[group[0]]
    ]


def strongly_connected(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The strongly connected groups of `graph` (node -> the nodes it points to), by
    Tarjan's algorithm; a node on no cycle is a group of its own."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            groups.append(group)

    for node in graph:
        if node not in index:
            visit(node)
    return groups


def _ordered_cycle(graph: dict[str, list[str]], group: list[str]) -> list[str]:
    """The members of a strongly connected group, walked along connections from the
    first-added member (a simple path through the group, as far as it goes)."""
    members = set(group)
    start = next(rid for rid in graph if rid in members)
    path = [start]
    while True:
        nxt = next((n for n in graph[path[-1]] if n in members and n not in path), None)
        if nxt is None:
            return path
        path.append(nxt)


def mermaid(flow: Any) -> str:
    """The flow as a Mermaid flowchart (ids and names shown as text, never as markup)."""
    nodes = _node_ids(flow.routines)
    lines = ["flowchart LR"]
    for rid, routine in flow.routines.items():
        kind = _mermaid_text(routine.registered_name or type(routine).__name__)
        lines.append(f'    {nodes[rid]}["{_mermaid_text(rid)}<br/><small>{kind}</small>"]')
    for c in flow.connections:
        label = _mermaid_text(f"{c.source_event_name} → {c.target_slot_name}")
        source, target = nodes[c.source_routine_id], nodes[c.target_routine_id]
        lines.append(f"    {source} -->|{label}| {target}")
    return "\n".join(lines) + "\n"


def dot(flow: Any) -> str:
    """The flow as a Graphviz digraph."""
    lines = [f"digraph {_dot_text(flow.flow_id)} {{", "    rankdir=LR;", "    node [shape=box];"]
    for rid, routine in flow.routines.items():
        kind = routine.registered_name or type(routine).__name__
        lines.append(f"    {_dot_text(rid)} [label={_dot_text(f'{rid}{chr(10)}{kind}')}];")
    for c in flow.connections:
        label = _dot_text(f"{c.source_event_name} → {c.target_slot_name}")
        lines.append(
            f"    {_dot_text(c.source_routine_id)} -> {_dot_text(c.target_routine_id)} "
            f"[label={label}];"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


def _node_ids(routine_ids: Any) -> dict[str, str]:
    """A Mermaid node id per routine: its id's letters and digits, made unique
    (``a b`` and ``a_b`` would otherwise be drawn as one node)."""
    nodes: dict[str, str] = {}
    used: set[str] = set()
    for rid in routine_ids:
        base = "n_" + "".join(ch if ch.isascii() and ch.isalnum() else "_" for ch in rid)
        node, number = base, 1
        while node in used:
            number += 1
            node = f"{base}_{number}"
        used.add(node)
        nodes[rid] = node
    return nodes


_MERMAID_ESCAPES = {'"': "#quot;", "<": "#lt;", ">": "#gt;", "|": "#124;", "#": "#35;"}


def _mermaid_text(text: str) -> str:
    """`text` as Mermaid label text: quotes, markup and line breaks cannot end the
    label or add HTML."""
    text = "".join(_MERMAID_ESCAPES.get(ch, ch) for ch in text)
    return " ".join(text.split()) if any(ch in text for ch in "\r\n\t") else text


def _dot_text(text: str) -> str:
    """`text` as a quoted Graphviz string (a line break as Graphviz's ``\\n``)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\r", "").replace("\n", "\\n") + '"'


def cmd_graph(args: argparse.Namespace) -> int:
    flow = _load(args)
    if args.output:
        executable = shutil.which("dot")
        if executable is None:
            raise RoutiluxError(
                "rendering needs Graphviz's `dot`, which is not installed; install it "
                "(apt-get install graphviz, brew install graphviz) or print the graph "
                "without --output"
            )
        fmt = args.output.rsplit(".", 1)[-1] if "." in args.output else "svg"
        subprocess.run(
            [executable, f"-T{fmt}", "-o", args.output], input=dot(flow), text=True, check=True
        )
        print(f"wrote {args.output}")
        return 0
    print(mermaid(flow) if args.format == "mermaid" else dot(flow), end="")
    return 0
