"""routilux 0.10's module path for the output handlers: ``routilux.output_handler``
imports them, and they print (and pickle) under it, as 0.10's did."""

from __future__ import annotations

import pickle

import routilux


def test_the_output_handlers_import_and_print_under_routilux_output_handler():
    from routilux.output_handler import (
        CallbackOutputHandler,
        NullOutputHandler,
        OutputHandler,
        QueueOutputHandler,
    )

    assert QueueOutputHandler is routilux.QueueOutputHandler
    assert issubclass(CallbackOutputHandler, OutputHandler)
    assert repr(QueueOutputHandler()).startswith(
        "<routilux.output_handler.QueueOutputHandler object at "
    )
    again = pickle.loads(pickle.dumps(NullOutputHandler()))
    assert type(again) is NullOutputHandler
