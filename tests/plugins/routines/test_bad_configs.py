"""Configs of the standard routines that could only fail at run time (or not at
all) are refused when the flow is built, naming the routine and the key."""

from __future__ import annotations

import pytest

from routilux import Flow, RoutineConfigError

CASES = [
    (
        "text.template",
        {"template": "{x.__class__}"},
        "template: template field {x.__class__} is not a plain name",
    ),
    ("text.template", {"template": "{x[0]}"}, "template field {x[0]} is not a plain name"),
    ("text.template", {"template": "hello {x"}, "'hello {x' is not a valid template"),
    ("text.template", {"template": "{}"}, "template field {} is not a plain name"),
    (
        "text.template",
        {"template": "{x:>{y}}"},
        "template field {x} has a field in its format spec ('>{y}')",
    ),
    (
        "io.read_lines",
        {"path": "in.txt", "encoding": "bogus"},
        "encoding: 'bogus' is not a text encoding Python knows",
    ),
    (
        "io.read_lines",
        {"path": "in.txt", "encoding": "rot13"},
        "encoding: 'rot13' is not a text encoding",
    ),
    ("io.write_json", {"path": "out.json", "indent": -3}, "indent: 'indent' must be >= 0"),
    ("io.write_json", {"path": "out.json", "indent": 10**9}, "indent: 'indent' must be <= 16"),
    (
        "control.route",
        {"field": "kind", "routes": {"bug": ""}},
        "routes: an event name may not be empty",
    ),
    ("control.route", {"field": "kind", "default": ""}, "default: an event name may not be empty"),
    (
        "control.human_input",
        {"fields": ["ok", "ok"]},
        "fields: field(s) ['ok'] are listed more than once",
    ),
    ("control.human_input", {"fields": [""]}, "fields: a field name may not be empty"),
]


@pytest.mark.parametrize(("routine", "config", "message"), CASES)
def test_a_bad_config_fails_at_add_routine_naming_routine_and_key(routine, config, message):
    with pytest.raises(RoutineConfigError) as info:
        Flow().add_routine(routine, "r", config=config)
    assert f"invalid config for routine 'r' ({routine}): " in str(info.value)
    assert message in str(info.value)


def test_a_good_config_is_still_accepted():
    flow = Flow()
    flow.add_routine("text.template", "t", config={"template": "{a} {{literal}} {b!r:>5}"})
    flow.add_routine("io.read_lines", "r", config={"path": "in.txt", "encoding": "utf-16"})
    flow.add_routine("io.write_json", "w", config={"path": "out.json", "indent": 0})
    flow.add_routine("control.human_input", "h", config={"fields": ["a", "b"]})
    assert set(flow.routines) == {"t", "r", "w", "h"}
