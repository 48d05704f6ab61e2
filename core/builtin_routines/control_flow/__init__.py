"""Control-flow routines: route data to events by conditions."""

from __future__ import annotations

from .conditional_router import ConditionalRouter

__all__ = ["ConditionalRouter"]
