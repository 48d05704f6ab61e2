"""`DataFlattener`: nested dicts and lists to one flat dict with joined keys."""

from __future__ import annotations

from typing import Any

from ...routine import Routine
from .._input import extract_input


class DataFlattener(Routine):
    """Flatten nested data: ``{"a": {"b": 1, "c": [2]}}`` -> ``{"a.b": 1, "a.c.0": 2}``.

    Slot ``input`` takes ``data`` (or any single value, or everything
    received); event ``output`` carries ``flattened_data``, ``original_type``
    (``"dict"``, ``"list"`` or the scalar's type name) and ``depth`` (the deepest
    nesting level reached). A scalar flattens to ``{"value": scalar}``.

    Config: ``separator`` ("."); ``preserve_lists`` (True: list indices become
    key parts; False: items merge under the list's own key); ``max_depth``
    (100: deeper values are kept as ``str()``). An object with a ``serialize()``
    method (0.10's Serializable) is flattened as what that returns; a structure
    that contains itself gives ``"[Circular Reference]"`` at that key.
    """

    def __init__(self) -> None:
        super().__init__()
        self.set_config(separator=".", preserve_lists=True, max_depth=100)
        self.input_slot = self.define_slot("input", handler=self._handle_input)
        self.output_event = self.define_event(
            "output", ["flattened_data", "original_type", "depth"]
        )

    def _handle_input(self, data: Any = None, **kwargs: Any) -> None:
        flat, kind, depth = self._flatten(extract_input(data, kwargs), "", 0, set())
        self.emit("output", flattened_data=flat, original_type=kind, depth=depth)

    def _flatten(
        self, value: Any, prefix: str, depth: int, seen: set[int]
    ) -> tuple[dict[str, Any], str, int]:
        """(flat dict, type name of `value`, deepest level) for `value` at `prefix`."""
        kind = type(value).__name__
        if depth >= self.get_config("max_depth", 100):
            return {prefix or "value": str(value)}, kind, depth
        if isinstance(value, (dict, list)):
            if id(value) in seen:
                return {prefix or "value": "[Circular Reference]"}, kind, depth
            seen.add(id(value))
            try:
                return self._flatten_container(value, prefix, depth, seen)
            finally:
                seen.discard(id(value))
        serialize = getattr(value, "serialize", None)
        if callable(serialize) and not isinstance(value, type):
            return self._flatten(serialize(), prefix, depth + 1, seen)
        return {prefix or "value": value}, kind, depth

    def _flatten_container(
        self, value: dict[Any, Any] | list[Any], prefix: str, depth: int, seen: set[int]
    ) -> tuple[dict[str, Any], str, int]:
        separator = str(self.get_config("separator", "."))
        if isinstance(value, dict):
            children = [
                (f"{prefix}{separator}{key}" if prefix else key, item)
                for key, item in value.items()
            ]
        elif self.get_config("preserve_lists", True):
            children = [
                (f"{prefix}{separator}{i}" if prefix else str(i), item)
                for i, item in enumerate(value)
            ]
        else:
            children = [(prefix, item) for item in value]
        result: dict[str, Any] = {}
        deepest = depth
        for key, item in children:
            flat, _, level = self._flatten(item, key, depth + 1, seen)
            result.update(flat)
            deepest = max(deepest, level)
        return result, "dict" if isinstance(value, dict) else "list", deepest
