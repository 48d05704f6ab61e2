"""The checkpoint's JSON encoder: what it writes reads back as the same data.

`encode_json` uses orjson where it can and the standard library for what orjson
refuses; a store writes its text as it is, so every value a job may hold must
come out, and read back equal."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime
from enum import Enum

import pytest

from routilux.job_changes import encode_json


class Colour(str, Enum):
    RED = "red"


@pytest.mark.parametrize(
    "value",
    [
        {"n": 1, "f": 0.1, "big": 1e300, "none": None, "ok": True, "list": [1, [2, {"a": ()}]]},
        {"int beyond 64 bits": 2**70, "negative": -(2**80)},
        {"text": "caf\u00e9 \u2028 \U0001f600", "lone surrogate": "\ud800"},
        {"enum": Colour.RED},
    ],
    ids=["json", "big-ints", "unicode", "enum"],
)
def test_what_a_job_holds_reads_back_as_the_same_data(value):
    text = encode_json(value)
    assert json.loads(text) == json.loads(json.dumps(value))
    assert ", " not in text and ": " not in text  # compact: stores write it as it is


def test_datetimes_are_written_as_their_iso_text():
    moment = datetime(2026, 11, 29, 19, 0, 0)
    assert json.loads(encode_json({"at": moment})) == {"at": moment.isoformat()}


def test_other_objects_are_refused():
    class Thing:
        pass

    @dataclasses.dataclass
    class Point:
        x: int

    with pytest.raises(TypeError, match="Thing is not JSON data"):
        encode_json({"x": Thing()})
    with pytest.raises(TypeError, match="Point is not JSON data"):
        encode_json({"x": Point(1)})
