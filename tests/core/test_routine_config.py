"""Routine configs checked against their schema when a routine is built from Python."""

from __future__ import annotations

import datetime
import enum
from typing import Any, Literal

import attrs
import pytest

from routilux import FlowSpecError, PluginError, RoutineConfigError
from routilux.routine_config import validate_config


def test_a_bad_config_key_from_add_routine_names_the_routine_and_the_key(make_flow: Any) -> None:
    flow = make_flow()
    with pytest.raises(RoutineConfigError) as caught:
        flow.add_routine("text.clip", "clipper", config={"max_lne": 40})
    message = str(caught.value)
    assert message.startswith("invalid config for routine 'clipper' (text.clip): max_lne: ")
    assert "did you mean 'max_len'?" in message
    assert "spec" not in message
    assert caught.value.problems[0][0] == "clipper.config.max_lne"
    assert "clipper" not in flow.routines
    # still a FlowSpecError, for code written against earlier releases
    assert isinstance(caught.value, FlowSpecError)


def test_every_bad_key_is_listed_relative_to_the_config(make_flow: Any) -> None:
    flow = make_flow()
    with pytest.raises(RoutineConfigError) as caught:
        flow.add_routine("text.clip", config={"max_len": "3", "elipsis": "."})
    assert str(caught.value) == (
        "invalid config for routine 'text.clip' (2 problems):\n"
        "  max_len: expected int, got str '3'\n"
        "  elipsis: unknown config key; did you mean 'ellipsis'? known: ['ellipsis', 'max_len']"
    )


class Colour(enum.Enum):
    RED = "red"
    GREEN = "green"


@attrs.define
class Settings:
    mode: Literal["fast", "careful"] = "fast"
    names: list[str] = attrs.field(factory=list)
    limit: int = attrs.field(default=1, validator=attrs.validators.ge(1))
    width: int | str | None = None
    colour: Colour = Colour.RED


@pytest.mark.parametrize(
    "config, problems",
    [
        ({"mode": "carefull"}, {"c.mode": "did you mean 'careful'?"}),
        ({"names": "ab"}, {"c.names": "expected a list, got str 'ab'"}),
        ({"names": ["a", 2]}, {"c.names[1]": "expected str, got int 2"}),
        ({"limit": 0}, {"c.limit": "must be >= 1"}),
        ({"limit": True}, {"c.limit": "expected int, got bool True"}),
        ({"width": 2.5}, {"c.width": "expected int | str | None, got float 2.5"}),
        ({"colour": "gren"}, {"c.colour": "did you mean 'green'?"}),
        ({"nmes": [], "limit": "2"}, {"c.nmes": "did you mean 'names'?", "c.limit": "got str"}),
    ],
)
def test_schema_types_are_checked_without_coercion(
    config: dict[str, Any], problems: dict[str, str]
) -> None:
    with pytest.raises(RoutineConfigError) as caught:
        validate_config(Settings, config, "c")
    found = dict(caught.value.problems)
    assert found.keys() == problems.keys()
    for path, part in problems.items():
        assert part in found[path]


def test_defaults_are_filled_in() -> None:
    assert validate_config(Settings, {"names": ["a"], "width": "wide"}, "c") == {
        "mode": "fast",
        "names": ["a"],
        "limit": 1,
        "width": "wide",
        "colour": "red",
    }


@attrs.define
class Uncheckable:
    on: datetime.date = datetime.date(2026, 1, 1)


def test_a_schema_field_configs_cannot_be_checked_against_is_a_plugin_error() -> None:
    with pytest.raises(PluginError, match=r"config_schema Uncheckable has a field type"):
        validate_config(Uncheckable, {}, "c", "'c' (acme.dated)")


def test_a_config_nested_past_the_recursion_limit_is_a_config_error() -> None:
    from routilux import Flow, RoutineConfigError

    deep: list[Any] = []
    for _ in range(900):
        deep = [deep]
    with pytest.raises(RoutineConfigError, match="nested too deeply to check"):
        Flow().add_routine("data.filter", "f", config={"field": "x", "op": "eq", "value": deep})
