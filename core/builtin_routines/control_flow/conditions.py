"""How `ConditionalRouter` evaluates one route's condition against the data.

A condition is a string expression over ``data``, ``config`` and ``stats``
(always ``{}``: 0.10 kept none), a dict of field -> expected value (or
predicate), or a callable. Anything that raises counts as "no match", as in
routilux 0.10.
"""

from __future__ import annotations

import ast
import inspect
from typing import Any

#: The only builtins a string condition may call (routilux 0.10's set).
_SAFE_BUILTINS: dict[str, Any] = {
    "isinstance": isinstance,
    "dict": dict,
    "list": list,
    "str": str,
    "int": int,
    "float": float,
    "bool": bool,
    "len": len,
    "getattr": getattr,
    "hasattr": hasattr,
}


def matches(condition: Any, data: Any, config: dict[str, Any]) -> bool:
    """Whether `condition` holds for `data` (False if it raises or is unusable)."""
    try:
        if isinstance(condition, str):
            return _expression_holds(condition, data, config)
        if callable(condition):
            return bool(_call(condition, data, config))
        if isinstance(condition, dict):
            return _fields_match(condition, data)
    except Exception:
        return False
    return False


def _expression_holds(expression: str, data: Any, config: dict[str, Any]) -> bool:
    """Evaluate `expression` with only ``data``, ``config``, ``stats`` and safe builtins.

    Names and attributes starting with ``_`` are refused before evaluation, so
    an expression cannot reach dunder attributes (``().__class__...``) to escape
    the restricted namespace.
    """
    try:
        tree = ast.parse(expression, mode="eval")
        for node in ast.walk(tree):
            name = getattr(node, "attr", None) or getattr(node, "id", None)
            if isinstance(name, str) and name.startswith("_"):
                return False
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and node.value.startswith("_")
                and _under_getattr(tree, node)
            ):
                return False
        code = compile(tree, "<route condition>", "eval")
        scope = {"data": data, "config": config, "stats": {}}
        return bool(eval(code, {"__builtins__": _SAFE_BUILTINS}, scope))
    except Exception:
        return False


def _under_getattr(tree: ast.AST, constant: ast.Constant) -> bool:
    """Whether `constant` is an argument of a ``getattr``/``hasattr`` call in `tree`."""
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "hasattr")
            and constant in node.args
        ):
            return True
    return False


def _call(condition: Any, data: Any, config: dict[str, Any]) -> Any:
    """Call `condition` with what its parameters ask for (0.10's rules).

    One parameter: ``condition(data)``. Two: by keyword if they name
    ``config``/``stats`` (with ``data``), else ``condition(data, config)``.
    Other counts: by keyword for the parameters named ``data``/``config``
    (``stats`` only with ``config``), or ``condition(data)`` if none is. If
    that call raises, ``condition(data)`` is tried once more.
    """
    try:
        params = list(inspect.signature(condition).parameters)
        if len(params) == 1:
            return condition(data)
        if len(params) == 2:
            if "config" in params or "stats" in params:
                named: dict[str, Any] = {"data": data}
                if "config" in params:
                    named["config"] = config
                if "stats" in params:
                    named["stats"] = {}
                return condition(**named)
            return condition(data, config)
        named = {}
        if "data" in params:
            named["data"] = data
        if "config" in params:
            named["config"] = config
            if "stats" in params:
                named["stats"] = {}
        return condition(**named) if named else condition(data)
    except Exception:
        return condition(data)


def _fields_match(condition: dict[str, Any], data: Any) -> bool:
    """Every field of `condition` is in `data` and equal (or passes its predicate)."""
    if not isinstance(data, dict):
        return False
    for field, expected in condition.items():
        if field not in data:
            return False
        actual = data[field]
        if callable(expected):
            if not expected(actual):
                return False
        elif actual != expected:
            return False
    return True
