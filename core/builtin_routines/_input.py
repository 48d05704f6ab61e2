"""How the built-in routines pick their input out of what a slot received
(`routilux.slot.extract_input`, which `Routine._extract_input_data` also offers)."""

from __future__ import annotations

from ..slot import extract_input

__all__ = ["extract_input"]
