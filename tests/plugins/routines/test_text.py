"""text.normalize, text.clip, text.template."""

from __future__ import annotations

import pytest
from conftest import outputs_of

from routilux import FlowSpecError


def one(run_spec, routine, config, data):
    spec = {"entry": "r", "routines": {"r": {"type": routine, "config": config}}}
    _, job = run_spec(spec, data)
    return job, outputs_of(job, "r")


def test_normalize_lowercases_drops_punctuation_and_collapses_spaces(run_spec):
    _, out = one(
        run_spec, "text.normalize", {}, {"text": "  Hello,   WORLD!  It's  fine. ", "n": 1}
    )
    assert out == [{"text": "hello world it's fine", "n": 1}]
    _, kept = one(
        run_spec,
        "text.normalize",
        {"lowercase": False, "strip_punctuation": False},
        {"text": "A,  B"},
    )
    assert kept == [{"text": "A, B"}]


def test_clip_cuts_long_text_with_an_ellipsis(run_spec):
    _, out = one(run_spec, "text.clip", {"max_len": 5}, {"text": "abcdefgh"})
    assert out == [{"text": "abcd…", "clipped": True}]
    _, short = one(run_spec, "text.clip", {"max_len": 5, "ellipsis": "..."}, {"text": "abc"})
    assert short == [{"text": "abc", "clipped": False}]


def test_clip_rejects_a_max_len_below_one(run_spec):
    with pytest.raises(FlowSpecError, match="routines.r.config"):
        one(run_spec, "text.clip", {"max_len": 0}, {"text": "x"})


def test_template_fills_plain_fields_only(run_spec):
    _, out = one(
        run_spec, "text.template", {"template": "Hi {name}, {n}!"}, {"name": "Ada", "n": 3}
    )
    assert out[0]["text"] == "Hi Ada, 3!"
    # refused when the flow is built, before any data is formatted with it
    with pytest.raises(FlowSpecError, match=r"routines.r.config.template: .*plain name"):
        one(run_spec, "text.template", {"template": "{name.__class__}"}, {"name": "Ada"})
    missing, _ = one(run_spec, "text.template", {"template": "{who}"}, {"name": "Ada"})
    assert missing.status == "failed" and "'who'" in missing.get_routine_state("r")["error"]
