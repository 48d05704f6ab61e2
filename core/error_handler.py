"""routilux 0.10's module path for `ErrorHandler` and `ErrorStrategy`.

0.10 programs import them from here (``from routilux.error_handler import
ErrorHandler``); they live in `routilux.error_handling`. `ErrorHandler` names this
module as its own, so that it prints (and pickles) as 0.10's did.
"""

from __future__ import annotations

from .error_handling import ErrorHandler, ErrorStrategy

__all__ = ["ErrorHandler", "ErrorStrategy"]
