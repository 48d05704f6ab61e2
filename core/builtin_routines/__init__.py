"""routilux 0.10's built-in routines, importable from where 0.10 had them.

``from routilux.builtin_routines import TextClipper`` (or from a subpackage:
``text_processing``, ``utils``, ``data_processing``, ``control_flow``) gives a
routine with 0.10's slots, events, config keys and emitted data, so 0.10
programs that use them run unchanged. Each keeps only static configuration on
the instance; nothing about a run is stored there, so one instance serves any
number of concurrent jobs. New code may prefer the spec-friendly routines of
``routilux.plugins.routines`` (``text.*``, ``data.*``, ``control.*``).

``import routilux`` does not load this package; ``routilux.TextClipper`` and
the others load it on first use.
"""

from __future__ import annotations

from .control_flow import ConditionalRouter
from .data_processing import DataTransformer, DataValidator
from .text_processing import ResultExtractor, TextClipper, TextRenderer
from .utils import DataFlattener, TimeProvider

__all__ = [
    "ConditionalRouter",
    "DataFlattener",
    "DataTransformer",
    "DataValidator",
    "ResultExtractor",
    "TextClipper",
    "TextRenderer",
    "TimeProvider",
]
