"""routilux 0.10's module path for the output handlers.

0.10 programs import them from here (``from routilux.output_handler import
QueueOutputHandler``); they live in `routilux.output`. Each names this module as
its own, so that it prints (and pickles) as 0.10's did.
"""

from __future__ import annotations

from .output import CallbackOutputHandler, NullOutputHandler, OutputHandler, QueueOutputHandler

__all__ = ["CallbackOutputHandler", "NullOutputHandler", "OutputHandler", "QueueOutputHandler"]
