"""No import cycles among the core modules, counting imports inside functions.

One cycle is a deliberate facade: Flow's spec methods (``from_spec``,
``deserialize`` ...) import routilux.spec_build on first use, and routilux.spec_build
imports Flow. Imports under ``if TYPE_CHECKING:`` do not run.
"""

from __future__ import annotations

import ast
from pathlib import Path

import routilux
from routilux.cli.spec_tools import strongly_connected

CORE = Path(routilux.__file__).parent
FACADES = {frozenset({"routilux.flow", "routilux.spec_build"})}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(CORE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(["routilux", *parts])


def _imports(path: Path, modules: set[str]) -> set[str]:
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    type_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for inner in ast.walk(node)
    }
    found = set()
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                if node.level > 1:
                    parts = parts[: -(node.level - 1)]
                target = ".".join([*parts, node.module] if node.module else parts)
            else:
                target = node.module or ""
            names = [f"{target}.{alias.name}" for alias in node.names]
            candidates = ([target] if node.module else []) + names
        elif isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        else:
            continue
        found.update(c for c in candidates if c in modules and c != name)
    return found


def _cycles() -> list[frozenset[str]]:
    paths = {_module_name(p): p for p in CORE.rglob("*.py") if "plugins" not in p.parts}
    graph = {name: _imports(path, set(paths)) for name, path in paths.items()}
    return [frozenset(group) for group in strongly_connected(graph) if len(group) > 1]


def test_no_import_cycles_but_the_documented_facades():
    assert [sorted(c) for c in _cycles() if c not in FACADES] == []
