"""`DataTransformer`: apply a chain of named (or given) transformations to data."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...routine import Routine
from .._input import extract_input


def _remove_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if v is not None}
    return value


#: The transformations every DataTransformer knows by name (routilux 0.10's set).
BUILTIN_TRANSFORMATIONS: dict[str, Callable[[Any], Any]] = {
    "lowercase": lambda x: x.lower() if isinstance(x, str) else x,
    "uppercase": lambda x: x.upper() if isinstance(x, str) else x,
    "strip_whitespace": lambda x: x.strip() if isinstance(x, str) else x,
    "to_string": str,
    "to_int": lambda x: int(x) if isinstance(x, (int, float, str)) else x,
    "to_float": lambda x: float(x) if isinstance(x, (int, float, str)) else x,
    "remove_none": _remove_none,
}


def _lookup(entry: Any, name: str) -> Callable[[Any], Any] | None:
    """The function of the ``transformation_map`` entry `entry` for `name`: a callable
    as it is, a str as the built-in it names; without an entry, `name`'s built-in."""
    if isinstance(entry, str):
        return BUILTIN_TRANSFORMATIONS.get(entry)
    if callable(entry):
        return entry  # type: ignore[no-any-return]
    return BUILTIN_TRANSFORMATIONS.get(name) if entry is None else None


class DataTransformer(Routine):
    """Transform ``data`` through each of ``transformations`` in turn.

    Slot ``input`` takes ``data`` (or any single value, or everything
    received) and optionally ``transformations`` (overriding the config's list).
    Each entry is a name (a built-in: ``lowercase``, ``uppercase``,
    ``strip_whitespace``, ``to_string``, ``to_int``, ``to_float``,
    ``remove_none``; or one added with `register_transformation` or config
    ``transformation_map``) or a callable. Event ``output`` carries
    ``transformed_data``, ``transformation_applied`` (the names applied, a
    callable by its ``__name__``) and ``errors``: None, or messages for unknown
    names and transformations that raised (those are skipped, the rest still
    apply).

    As in routilux 0.10, config ``transformation_map`` lists the built-ins from the
    start; each maps to its own name (a str naming a built-in, not a function), so a
    flow holding this routine serializes, and a map read from data can only name
    built-ins, never code. A name missing from the map still finds its built-in.
    """

    def __init__(self) -> None:
        super().__init__()
        self.set_config(
            transformations=[],
            transformation_map={name: name for name in BUILTIN_TRANSFORMATIONS},
            chain_transformations=True,
        )
        self.input_slot = self.define_slot("input", handler=self._handle_input)
        self.output_event = self.define_event(
            "output", ["transformed_data", "transformation_applied", "errors"]
        )

    def register_transformation(self, name: str, func: Callable[[Any], Any]) -> None:
        """Make `func` available under `name` (in config ``transformation_map``)."""
        known = dict(self.get_config("transformation_map", {}) or {})
        known[name] = func
        self.set_config(transformation_map=known)

    def _handle_input(
        self, data: Any = None, transformations: list[Any] | None = None, **kwargs: Any
    ) -> None:
        value = extract_input(data, kwargs)
        steps = transformations or self.get_config("transformations", [])
        known = self.get_config("transformation_map", {}) or {}
        applied: list[str] = []
        errors: list[str] = []
        for step in steps:
            try:
                if isinstance(step, str):
                    func = _lookup(known.get(step), step)
                    if func is None:
                        errors.append(f"Unknown transformation: {step}")
                        continue
                    value = func(value)
                    applied.append(step)
                elif callable(step):
                    value = step(value)
                    applied.append(getattr(step, "__name__", "custom"))
                else:
                    errors.append(f"Invalid transformation: {step}")
            except Exception as exc:
                errors.append(f"Error applying {step}: {exc}")
        self.emit(
            "output",
            transformed_data=value,
            transformation_applied=applied,
            errors=errors or None,
        )
