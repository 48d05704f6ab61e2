"""Reading spec files: what a careless or hostile file gets (spec_load)."""

from __future__ import annotations

import pytest

from routilux import Flow, FlowSpecError

yaml = pytest.importorskip("yaml")


def test_json_routine_id_given_twice_is_an_error_naming_it(tmp_path):
    # json.loads keeps the last value silently: routine "a" would be replaced
    spec = tmp_path / "dup.json"
    spec.write_text(
        '{"flow_id": "d", "entry": "a", "routines": '
        '{"a": {"type": "text.clip"}, "a": {"type": "text.normalize"}}}'
    )
    with pytest.raises(FlowSpecError) as info:
        Flow.from_file(str(spec))
    assert info.value.problems == [("routines.a", "key given more than once; give each key once")]
    assert str(spec) in str(info.value)


def test_yaml_routine_id_given_twice_is_an_error_naming_its_line(tmp_path):
    spec = tmp_path / "dup.yaml"
    spec.write_text(
        "flow_id: d\nentry: a\nroutines:\n  a: {type: text.clip}\n  a: {type: text.normalize}\n"
    )
    with pytest.raises(FlowSpecError, match=r"key 'a' given more than once .*\(line 5\)"):
        Flow.from_file(str(spec))


def test_yaml_merge_keys_may_still_be_overridden(tmp_path):
    spec = tmp_path / "merge.yaml"
    spec.write_text(
        "flow_id: m\nentry: a\nroutines:\n"
        "  a: &clip {type: text.clip, config: {max_len: 3}}\n"
        "  b:\n    <<: *clip\n    config: {max_len: 5}\n"
    )
    flow = Flow.from_file(str(spec))
    assert flow.get_routine("b").config()["max_len"] == 5


@pytest.mark.parametrize(
    "text",
    [
        # nine aliases on each of nine levels: 9**9 strings from a few lines
        "".join(f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]\n" for n in range(1, 10)).replace(
            "[*l0, *l0, *l0, *l0, *l0, *l0, *l0, *l0, *l0]", "[x, x, x, x, x, x, x, x, x]"
        )
        + "flow_id: bomb\nexecutor_options: {x: *l9}\nroutines:\n  a: {type: text.clip}\n",
        # an alias inside itself
        "flow_id: r\nexecutor_options: {x: &a [*a]}\nroutines:\n  a: {type: text.clip}\n",
    ],
    ids=["alias-bomb", "recursive-alias"],
)
def test_yaml_aliases_that_expand_without_bound_are_refused(tmp_path, text):
    spec = tmp_path / "bomb.yaml"
    spec.write_text(text)
    with pytest.raises(FlowSpecError, match="more than 1,000,000 values through its anchors"):
        Flow.from_file(str(spec))


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("{{ params.my-name }}", "'{{ params.my-name }}'"),
        ("{{param.title}}", "'{{param.title}}'"),
        ("Dear {{ params.title }}, {{ params. }}", "'{{ params. }}'"),
        ("{{ params.title", "'{{ params.title'"),
    ],
)
def test_a_malformed_placeholder_is_a_problem_not_left_as_text(text, shown):
    # before: the text passed through as is, and the job ran with it
    spec = {
        "flow_id": "p",
        "params": {"title": "x"},
        "routines": {"t": {"type": "text.template", "config": {"template": text}}},
    }
    with pytest.raises(FlowSpecError) as info:
        Flow.from_spec(spec)
    assert info.value.problems == [
        (
            "routines.t.config.template",
            f"{shown} is not a placeholder; write {{{{ params.NAME }}}} "
            "(NAME: letters, digits and _)",
        )
    ]


def test_a_config_nested_past_the_payload_limit_is_a_problem_not_a_recursion_error():
    # before: substitute_params recursed into a raw RecursionError traceback
    deep: list = []
    for _ in range(900):
        deep = [deep]
    spec = {
        "flow_id": "n",
        "routines": {"f": {"type": "data.filter", "config": {"field": "x", "value": deep}}},
    }
    with pytest.raises(FlowSpecError) as info:
        Flow.from_spec(spec)
    [(path, message)] = info.value.problems
    assert path.startswith("routines.f.config.value[0][0]")
    assert message == "nested more than 200 levels deep; flatten it"


def test_a_missing_param_is_reported_once_not_again_as_a_wrong_type():
    spec = {
        "flow_id": "p",
        "routines": {"c": {"type": "text.clip", "config": {"max_len": "{{ params.n }}"}}},
    }
    with pytest.raises(FlowSpecError) as info:
        Flow.from_spec(spec)
    assert [path for path, _ in info.value.problems] == ["routines.c.config.max_len"]
    assert "param 'n' is not set" in info.value.problems[0][1]


def test_a_yaml_routine_id_read_as_a_number_can_be_the_entry(tmp_path):
    # the routine id 1 was taken as "1", but `entry: 1` was "must be a routine id, not 1"
    spec = tmp_path / "n.yaml"
    spec.write_text("flow_id: n\nentry: 1\nroutines:\n  1: {type: text.clip}\n")
    flow = Flow.from_file(str(spec))
    assert flow.run("1", {"text": "hi"}).status == "completed"
    assert flow.to_spec()["entry"] == "1"


def test_a_path_or_params_of_the_wrong_type_is_a_usage_error(tmp_path):
    # before: raw TypeErrors ("expected str, bytes or os.PathLike object, not int",
    # "'int' object is not a mapping") from os.path and dict unpacking
    from routilux import UsageError

    spec = tmp_path / "s.json"
    spec.write_text('{"flow_id": "s", "routines": {"a": {"type": "text.clip"}}}')
    with pytest.raises(UsageError, match="a spec file path must be a str or a path, not 3"):
        Flow.from_file(3)
    with pytest.raises(UsageError, match=r"params must be a mapping .*, not \[1\]"):
        Flow.from_file(str(spec), params=[1])
    with pytest.raises(UsageError, match=r"params must be a mapping .*, not \{1: 2\}"):
        Flow.from_spec({"flow_id": "s", "routines": {}}, params={1: 2})
    assert Flow.from_file(spec).flow_id == "s"  # a pathlib.Path is a path


def test_yaml_values_a_spec_cannot_hold_are_problems_at_their_path(tmp_path):
    # before: a date, !!binary or !!set reached an `Any` config field unchecked, and
    # the flow could not be written back as a spec or stored
    spec = tmp_path / "t.yaml"
    spec.write_text(
        "flow_id: t\nparams: {day: 2024-01-01}\nroutines:\n"
        "  a: {type: data.filter, config: {field: x, op: eq, value: !!binary aGk=}}\n"
        "  b: {type: data.filter, config: {field: x, op: eq, value: [1, !!set {c}]}}\n"
        "  c: {type: text.template, config: {template: '{{ params.day }}'}}\n"
    )
    with pytest.raises(FlowSpecError) as info:
        Flow.from_file(str(spec))
    assert [(path, message.split(";")[0]) for path, message in info.value.problems] == [
        ("routines.a.config.value", "value of type bytes is not JSON-compatible"),
        ("routines.b.config.value[1]", "value of type set is not JSON-compatible"),
        ("routines.c.config.template", "value of type date is not JSON-compatible"),
    ]
