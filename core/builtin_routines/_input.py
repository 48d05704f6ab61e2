"""How the built-in routines pick their input out of what a slot received."""

from __future__ import annotations

from typing import Any


def extract_input(data: Any, received: dict[str, Any]) -> Any:
    """The value a built-in routine works on, chosen as routilux 0.10 chose it.

    `data` if the handler got it (not None); else the ``data`` key; else the
    only value received; else everything received as a dict; else ``{}``.
    This lets an upstream event carry the input under any single key.
    """
    if data is not None:
        return data
    if "data" in received:
        return received["data"]
    if len(received) == 1:
        return next(iter(received.values()))
    if received:
        return received
    return {}
