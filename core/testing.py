"""Helpers for testing plugins and flows.

`plugin` registers a plugin object (a module, class instance or namespace
with ``@routilux.hookimpl`` functions) for the duration of a ``with`` block,
using pluggy's own ``register``/``unregister``::

    class Square:
        @routilux.hookimpl
        def routilux_routines(self):
            return {"acme.square": SquareRoutine}

    with routilux.testing.plugin(Square()):
        flow.add_routine("acme.square", "sq")

With pytest, the ``routilux_plugin`` fixture does the same and unregisters
at the end of the test: ``routilux_plugin(Square())``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

from .registry import registered


@contextmanager
def plugin(obj: object, name: str | None = None) -> Iterator[object]:
    """Register `obj` as a routilux plugin inside the ``with`` block."""
    with registered(obj, name) as registered_obj:
        yield registered_obj


try:  # the fixture is offered only where pytest is installed
    import pytest
except ImportError:  # pragma: no cover
    pass
else:

    @pytest.fixture
    def routilux_plugin() -> Iterator[Callable[[object], Any]]:
        """Register plugins for the rest of the test: ``routilux_plugin(obj)``."""
        with ExitStack() as stack:

            def register(obj: object, name: str | None = None) -> object:
                return stack.enter_context(plugin(obj, name))

            yield register
