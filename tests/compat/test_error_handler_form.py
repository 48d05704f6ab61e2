"""How an `ErrorHandler` prints and serializes, as 0.10 programs see it.

0.10 printed a handler as a plain object of `routilux.error_handler` and left
``retryable_exceptions`` out of ``serialize()``. A saved flow must still retry
the same exceptions after loading, so flows and routines store them beside 0.10's
keys.
"""

from __future__ import annotations

import json
import pickle
import re

from routilux import ErrorHandler, Flow, Routine
from routilux.error_handler import ErrorHandler as ErrorHandlerAt010Path


class Fetch(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=self.go)

    def go(self) -> None:
        pass


def test_it_prints_as_a_plain_object_of_0_10s_module():
    handler = ErrorHandler("retry", max_retries=5)
    assert re.fullmatch(
        r"<routilux\.error_handler\.ErrorHandler object at 0x[0-9a-f]+>", repr(handler)
    )
    assert str(handler) == repr(handler)
    assert ErrorHandlerAt010Path is ErrorHandler
    copy = pickle.loads(pickle.dumps(handler))
    assert (copy.strategy_name, copy.max_retries) == ("retry", 5)


def test_serialize_leaves_out_retryable_exceptions_as_0_10_did():
    handler = ErrorHandler("retry", retryable_exceptions=(ValueError,))
    data = handler.serialize()
    assert sorted(data) == [
        "_type",
        "is_critical",
        "max_retries",
        "retry_backoff",
        "retry_count",
        "retry_delay",
        "strategy",
    ]
    again = ErrorHandler().deserialize(json.loads(json.dumps(data)))
    assert again.strategy_name == "retry" and again.retryable_exceptions == (Exception,)


def test_a_saved_flow_and_routine_keep_the_retryable_exceptions(make_flow):
    flow = make_flow(flow_id="keeps")
    fetch = Fetch()
    fetch.set_error_handler(ErrorHandler("retry", retryable_exceptions=(ConnectionError,)))
    flow.add_routine(fetch, "fetch")
    flow.set_error_handler(ErrorHandler("retry", retryable_exceptions=(KeyError, ValueError)))
    loaded = Flow().deserialize(json.loads(json.dumps(flow.serialize())))
    assert loaded.error_handler.retryable_exceptions == (KeyError, ValueError)
    handler = loaded.get_routine("fetch").get_error_handler()
    assert handler.retryable_exceptions == (ConnectionError,)
    routine = Routine()
    routine.deserialize(json.loads(json.dumps(fetch.serialize())))
    assert routine.get_error_handler().retryable_exceptions == (ConnectionError,)
