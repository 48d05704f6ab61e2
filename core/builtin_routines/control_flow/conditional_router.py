"""`ConditionalRouter`: send data out through the event of the route it matches."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from ...routine import Routine
from .._input import extract_input
from .conditions import matches

# Routes may name events not declared yet; they are declared on first use.
_DECLARE_LOCK = threading.Lock()


class ConditionalRouter(Routine):
    """Route ``data`` to the event named after the first (or every) matching route.

    Config ``routes`` is a list of ``(route_name, condition)``: a string
    expression over ``data`` and ``config`` (e.g. ``"data.get('x', 0) >
    config.get('limit', 0)"``), a dict of field -> expected value or predicate,
    or a callable taking ``data`` (and ``config`` if it names it). With
    ``route_priority="first_match"`` (default) only the first match is used;
    ``"all_matches"`` emits on each. The emitted data is ``data`` and
    ``route`` (the route name). Without a match, it goes to ``default_route``
    if set, else to event ``output`` with ``route="unmatched"``. A route's
    event is declared by `add_route`, or when first used.

    String expressions see only ``data``, ``config``, ``stats`` (``{}``) and
    a few builtins (``len``, ``isinstance``, ...), and may not use names
    starting with ``_``.
    """

    def __init__(self) -> None:
        super().__init__()
        self.set_config(routes=[], default_route=None, route_priority="first_match")
        self.input_slot = self.define_slot("input", handler=self._handle_input)
        self.default_output = self.define_event("output", ["data", "route"])

    def add_route(
        self, route_name: str, condition: Callable[..., Any] | dict[str, Any] | str
    ) -> None:
        """Append a route and declare its event (if the routine has none of that name)."""
        self.set_config(routes=[*self.get_config("routes", []), (route_name, condition)])
        self._declare(route_name)

    def _declare(self, name: str) -> None:
        with _DECLARE_LOCK:
            if self.get_event(name) is None:
                self.define_event(name, ["data", "route"])

    def _handle_input(self, data: Any = None, **kwargs: Any) -> None:
        value = extract_input(data, kwargs)
        config = self.config()
        first_only = self.get_config("route_priority", "first_match") == "first_match"
        chosen: list[str] = []
        for route_name, condition in self.get_config("routes", []):
            if matches(condition, value, config):
                chosen.append(route_name)
                if first_only:
                    break
        if not chosen:
            default = self.get_config("default_route")
            if not default:
                self.emit("output", data=value, route="unmatched")
                return
            chosen = [default]
        for name in chosen:
            self._declare(name)
            self.emit(name, data=value, route=name)
