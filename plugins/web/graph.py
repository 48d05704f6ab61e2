"""A flow drawn as SVG on the server, coloured by each routine's status.

No JavaScript library, no CDN and no Graphviz binary: a layered layout (each
routine one column right of its furthest upstream routine; cycles broken at
the edge that closes them) drawn with boxes and curves. Every node carries
``data-routine-id`` and ``data-status`` so that pages and tests can read it.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

NODE_W, NODE_H = 160, 46
GAP_X, GAP_Y, PAD = 70, 22, 16

COLOURS = {
    "pending": ("#f3f4f6", "#9ca3af"),
    "running": ("#dbeafe", "#2563eb"),
    "completed": ("#dcfce7", "#16a34a"),
    "failed": ("#fee2e2", "#dc2626"),
    "error_continued": ("#ffedd5", "#ea580c"),
    "skipped": ("#f4f4f5", "#71717a"),
    "waiting": ("#fef9c3", "#ca8a04"),
}


def layers(nodes: list[str], edges: Iterable[tuple[str, str]]) -> dict[str, int]:
    """The column of each node: one more than its furthest upstream node."""
    downstream: dict[str, list[str]] = {n: [] for n in nodes}
    for source, target in edges:
        if source in downstream and target in downstream and source != target:
            downstream[source].append(target)
    # depth-first order; an edge back to a node on the current path closes a cycle
    order: list[str] = []
    state: dict[str, int] = {}
    back: set[tuple[str, str]] = set()
    for root in nodes:
        if root in state:
            continue
        stack = [(root, iter(downstream[root]))]
        state[root] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                state[node] = 2
                order.append(node)
            elif state.get(child) == 1:
                back.add((node, child))
            elif child not in state:
                state[child] = 1
                stack.append((child, iter(downstream[child])))
    column = {n: 0 for n in nodes}
    for node in reversed(order):  # topological order of the acyclic part
        for child in downstream[node]:
            if (node, child) not in back:
                column[child] = max(column[child], column[node] + 1)
    return column


def render_svg(
    nodes: list[str], edges: list[tuple[str, str]], statuses: dict[str, str], title: str = ""
) -> str:
    """The SVG document for a flow of `nodes` and `edges` (routine ids)."""
    column = layers(nodes, edges)
    rows: dict[int, list[str]] = {}
    for node in nodes:
        rows.setdefault(column[node], []).append(node)
    tallest = max((len(r) for r in rows.values()), default=1)
    height = PAD * 2 + tallest * NODE_H + (tallest - 1) * GAP_Y
    width = PAD * 2 + (max(rows, default=0) + 1) * (NODE_W + GAP_X) - GAP_X
    place: dict[str, tuple[float, float]] = {}
    for col, members in rows.items():
        block = len(members) * NODE_H + (len(members) - 1) * GAP_Y
        top = (height - block) / 2
        for i, node in enumerate(members):
            place[node] = (PAD + col * (NODE_W + GAP_X), top + i * (NODE_H + GAP_Y))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="flow-graph" role="img" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
        f'font-family="system-ui, sans-serif" font-size="12">',
        f"<title>{escape(title or 'flow')}</title>",
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#6b7280"/></marker></defs>',
    ]
    for source, target in dict.fromkeys(edges):
        if source not in place or target not in place:
            continue
        (sx, sy), (tx, ty) = place[source], place[target]
        if source == target:
            x, y = sx + NODE_W * 0.7, sy
            d = f"M{x:.1f},{y:.1f} c 10,-26 36,-26 {NODE_W * 0.3 - 8:.1f},{NODE_H / 2:.1f}"
        elif tx > sx:
            x1, y1, x2, y2 = sx + NODE_W, sy + NODE_H / 2, tx, ty + NODE_H / 2
            mid = (x1 + x2) / 2
            d = f"M{x1:.1f},{y1:.1f} C{mid:.1f},{y1:.1f} {mid:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"
        else:  # an edge back (a cycle) or within a column: loop under the boxes
            x1, y1 = sx + NODE_W / 2, sy + NODE_H
            x2, y2 = tx + NODE_W / 2, ty + NODE_H
            low = max(y1, y2) + GAP_Y
            d = f"M{x1:.1f},{y1:.1f} C{x1:.1f},{low:.1f} {x2:.1f},{low:.1f} {x2:.1f},{y2:.1f}"
        parts.append(
            f'<path class="edge" data-from="{escape(source)}" data-to="{escape(target)}" '
            f'd="{d}" fill="none" stroke="#6b7280" stroke-width="1.4" marker-end="url(#arrow)"/>'
        )
    for node in nodes:
        x, y = place[node]
        status = statuses.get(node, "pending")
        fill, stroke = COLOURS.get(status, COLOURS["pending"])
        label = node if len(node) <= 22 else node[:21] + "…"
        parts.append(
            f'<g class="node" data-routine-id="{escape(node)}" data-status="{escape(status)}">'
            f"<title>{escape(node)}: {escape(status)}</title>"
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{NODE_W}" height="{NODE_H}" rx="8" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="2"/>'
            f'<text x="{x + NODE_W / 2:.1f}" y="{y + 19:.1f}" text-anchor="middle" '
            f'font-weight="600" fill="#111827">{escape(label)}</text>'
            f'<text x="{x + NODE_W / 2:.1f}" y="{y + 35:.1f}" text-anchor="middle" '
            f'fill="{stroke}">{escape(status)}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)
