"""Flow specs: every problem reported at once with its path; params; round trips."""

from __future__ import annotations

import json
import sys

import pytest

from routilux import Flow, FlowSpecError
from routilux.cli import main

GOOD = {
    "flow_id": "good",
    "entry": "read",
    "routines": {
        "read": {"type": "io.read_lines", "config": {"path": "in.txt"}},
        "clean": {"type": "text.normalize"},
        "count": {"type": "data.count_words"},
    },
    "connections": [
        {"from": "read.line", "to": "clean.input"},
        {"from": "clean.output", "to": "count.input"},
    ],
}


def variant(**changes):
    spec = json.loads(json.dumps(GOOD))
    for path, value in changes.items():
        target = spec
        keys = path.split("__")
        for key in keys[:-1]:
            target = target[int(key)] if isinstance(target, list) else target[key]
        last = keys[-1]
        if value is DELETE:
            del target[int(last) if isinstance(target, list) else last]
        elif isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value
    return spec


DELETE = object()

# (case id, spec (mapping, or raw text with its file suffix), expected "path: message" part)
CASES = [
    (
        "unknown-routine",
        variant(routines__count__type="data.count_word"),
        "routines.count.type: unknown routine 'data.count_word'; did you mean 'data.count_words'?",
    ),
    (
        "unknown-namespace",
        variant(routines__clean__type="nope.clean"),
        "routines.clean.type: unknown routine 'nope.clean'",
    ),
    ("type-not-str", variant(routines__clean__type=5), "routines.clean.type"),
    ("no-type", variant(routines__clean={"config": {}}), "routines.clean: needs a 'type'"),
    (
        "routine-not-mapping",
        variant(routines__clean="text.normalize"),
        "routines.clean: must be a mapping",
    ),
    (
        "unknown-routine-key",
        variant(routines__clean={"type": "text.normalize", "typ": 1}),
        "routines.clean.typ: unknown key",
    ),
    (
        "config-not-mapping",
        variant(routines__read={"type": "io.read_lines", "config": ["x"]}),
        "routines.read.config: must be a mapping",
    ),
    (
        "config-unknown-key",
        variant(routines__read={"type": "io.read_lines", "config": {"path": "a", "pth": "b"}}),
        "routines.read.config.pth: unknown config key",
    ),
    (
        "config-missing-key",
        variant(routines__read={"type": "io.read_lines"}),
        "routines.read.config.path: required config key is missing",
    ),
    (
        "config-wrong-type",
        variant(routines__read={"type": "io.read_lines", "config": {"path": 3}}),
        "routines.read.config.path: expected str, got int 3",
    ),
    (
        "config-bool-for-int",
        variant(routines__clean={"type": "text.clip", "config": {"max_len": True}}),
        "routines.clean.config.max_len",
    ),
    (
        "config-bad-value",
        variant(routines__clean={"type": "text.clip", "config": {"max_len": 0}}),
        "routines.clean.config",
    ),
    (
        "bad-event",
        variant(connections__0={"from": "read.out", "to": "clean.input"}),
        "connections[0].from: routine 'read' has no event 'out'",
    ),
    (
        "bad-slot",
        variant(connections__1={"from": "clean.output", "to": "count.inbox"}),
        "connections[1].to: routine 'count' has no slot 'inbox'",
    ),
    (
        "unknown-source",
        variant(connections__0={"from": "reader.line", "to": "clean.input"}),
        "connections[0].from: no routine 'reader'",
    ),
    (
        "unknown-target",
        variant(connections__1={"from": "clean.output", "to": "counter.input"}),
        "connections[1].to: no routine 'counter'",
    ),
    (
        "endpoint-without-dot",
        variant(connections__0={"from": "read", "to": "clean.input"}),
        "connections[0].from: must be 'routine.event'",
    ),
    (
        "connection-not-mapping",
        variant(connections__0="read.line -> clean.input"),
        "connections[0]: must be a mapping",
    ),
    (
        "connection-unknown-key",
        variant(connections__0={"from": "read.line", "to": "clean.input", "map": {}}),
        "connections[0].map: unknown key",
    ),
    (
        "bad-param-mapping",
        variant(
            connections__0={"from": "read.line", "to": "clean.input", "param_mapping": {"text": 1}}
        ),
        "connections[0].param_mapping",
    ),
    ("connections-not-list", variant(connections={"a": 1}), "connections: must be a list"),
    (
        "entry-without-trigger",
        variant(
            entry="save", routines__save={"type": "io.write_json", "config": {"path": "o.json"}}
        ),
        "entry: routine 'save' has no 'trigger' slot",
    ),
    ("entry-unknown", variant(entry="reader"), "entry: no routine 'reader'"),
    ("no-routines", variant(routines={}), "routines: must be a non-empty mapping"),
    ("unknown-top-key", variant(flows="x"), "flows: unknown key"),
    (
        "bad-strategy",
        variant(execution_strategy="concurent"),
        "execution_strategy: unknown executor 'concurent'",
    ),
    ("bad-workers", variant(max_workers=0), "max_workers: must be a positive integer"),
    (
        "bad-error-handler",
        variant(error_handler={"strategy": "retry", "max_retries": "3"}),
        "error_handler.max_retries: expected int, got str '3'",
    ),
    (
        "unknown-strategy",
        variant(
            routines__count={"type": "data.count_words", "error_handler": {"strategy": "retyr"}}
        ),
        "routines.count.error_handler.strategy",
    ),
    (
        "unknown-param",
        variant(routines__read={"type": "io.read_lines", "config": {"path": "{{ params.input }}"}}),
        "routines.read.config.path: param 'input' is not set",
    ),
    ("not-a-mapping", ["read", "clean"], "a flow spec must be a mapping, not list"),
    ("invalid-toml", ("flow_id = 'x'\n[routines.read\n", ".toml"), "not valid TOML"),
    ("invalid-json", ('{"flow_id": "x",', ".json"), "not valid JSON"),
    ("unknown-suffix", ("flow_id: x", ".txt"), "unknown spec format"),
    (
        "empty-routine-id",
        variant(routines__={"type": "text.normalize"}),
        "routines: a routine id is empty; give each routine a name",
    ),
    (
        "type-and-class",
        variant(routines__clean={"type": "text.normalize", "class": "os:system"}),
        "routines.clean: gives both 'type' ('text.normalize') and 'class' ('os:system'); "
        "keep one of them",
    ),
]


def write_spec(tmp_path, spec):
    if isinstance(spec, tuple):
        text, suffix = spec
    else:
        text, suffix = json.dumps(spec), ".json"
    path = tmp_path / f"spec{suffix}"
    path.write_text(text)
    return str(path)


@pytest.mark.parametrize("case, spec, expected", CASES, ids=[c[0] for c in CASES])
def test_malformed_spec_is_a_flow_spec_error_naming_the_path(
    tmp_path, capsys, case, spec, expected
):
    path = write_spec(tmp_path, spec)
    with pytest.raises(FlowSpecError) as caught:
        Flow.from_file(path)
    assert expected in str(caught.value)
    assert path in str(caught.value)
    # the command prints it as one message and exits 2
    assert main(["run", path, "--no-store"]) == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err


def test_invalid_yaml_is_a_spec_error(tmp_path):
    yaml = pytest.importorskip("yaml", reason="PyYAML (the 'yaml' extra) is not installed")
    assert yaml
    path = write_spec(tmp_path, ("routines: [unclosed\n", ".yaml"))
    with pytest.raises(FlowSpecError, match="not valid YAML"):
        Flow.from_file(path)


def test_every_problem_is_reported_at_once():
    spec = variant(
        routines__count__type="data.count_word",
        connections__0={"from": "read.out", "to": "clean.input"},
        max_workers=-1,
    )
    with pytest.raises(FlowSpecError) as caught:
        Flow.from_spec(spec)
    paths = [path for path, _ in caught.value.problems]
    # connections[1] goes to 'count', which could not be built: not reported a second time
    assert paths == ["max_workers", "routines.count.type", "connections[0].from"]


def test_problems_are_listed_in_the_order_of_the_spec():
    # a routine's config is checked when it is built, after the document's shape;
    # the report still follows the spec: top-level keys, then routines in order
    spec = variant(
        routines__read={"type": "io.read_lines", "config": {"path": "a", "pth": "b"}},
        routines__clean={"typ": "text.normalize"},
        connections__0={"from": "read.line", "to": "clean.input", "map": {}},
        max_workers=0,
    )
    with pytest.raises(FlowSpecError) as caught:
        Flow.from_spec(spec)
    assert [path for path, _ in caught.value.problems] == [
        "max_workers",
        "routines.read.config.pth",
        "routines.clean.typ",
        "connections[0].map",
    ]


def test_params_fill_placeholders_keeping_the_value_type():
    spec = variant(
        routines__read={"type": "io.read_lines", "config": {"path": "{{ params.dir }}/in.txt"}},
        routines__clean={"type": "text.clip", "config": {"max_len": "{{ params.width }}"}},
        params={"width": 20},
    )
    flow = Flow.from_spec(spec, params={"dir": "/data"})
    assert flow.routines["read"].get_config("path") == "/data/in.txt"
    assert flow.routines["clean"].get_config("max_len") == 20
    assert (
        Flow.from_spec(spec, params={"dir": "d", "width": 7})
        .routines["clean"]
        .get_config("max_len")
        == 7
    )


def test_a_flow_built_from_names_round_trips_through_its_spec():
    flow = Flow.from_spec(GOOD)
    spec = flow.to_spec()
    assert Flow.from_spec(spec).to_spec() == spec
    assert spec["routines"]["read"] == {
        "type": "io.read_lines",
        "config": {"path": "in.txt", "encoding": "utf-8", "skip_blank": True, "batch": None},
    }


def test_executor_options_come_from_the_spec_and_round_trip():
    spec = {**GOOD, "execution_strategy": "asyncio", "executor_options": {"max_concurrency": 50}}
    flow = Flow.from_spec(spec)
    assert flow.executor_options == {"max_concurrency": 50}
    assert Flow.from_spec(flow.to_spec()).executor_options == {"max_concurrency": 50}
    assert "executor_options" not in Flow.from_spec(GOOD).to_spec()


@pytest.mark.parametrize("options", [["max_concurrency"], {"address": float("nan")}])
def test_bad_executor_options_in_a_spec_name_the_key(options):
    with pytest.raises(FlowSpecError) as caught:
        Flow.from_spec({**GOOD, "executor_options": options})
    assert [path for path, _ in caught.value.problems] == ["executor_options"]


# (spec, path, the key the message must suggest)
MISSPELLED = [
    (variant(flow_idd="x"), "flow_idd", "flow_id"),
    (variant(routines__clean={"typ": "text.normalize"}), "routines.clean.typ", "type"),
    (
        variant(connections__0={"form": "read.line", "to": "clean.input"}),
        "connections[0].form",
        "from",
    ),
    (
        variant(error_handler={"strategy": "retry", "max_retry": 3}),
        "error_handler.max_retry",
        "max_retries",
    ),
    (
        variant(routines__read={"type": "io.read_lines", "config": {"path": "a", "pth": "b"}}),
        "routines.read.config.pth",
        "path",
    ),
    (variant(checkpoint="on_finsh"), "checkpoint", "on_finish"),
]


@pytest.mark.parametrize("spec, path, closest", MISSPELLED, ids=[m[1] for m in MISSPELLED])
def test_a_misspelled_key_or_choice_names_the_closest_known_one(spec, path, closest):
    with pytest.raises(FlowSpecError) as caught:
        Flow.from_spec(spec)
    problems = dict(caught.value.problems)
    assert f"did you mean {closest!r}?" in problems[path]


def test_values_are_not_coerced_to_the_declared_type():
    spec = variant(
        max_workers="4",
        error_handler={"strategy": "retry", "retry_delay": "1", "is_critical": 1},
        routines__clean={"type": "text.clip", "config": {"max_len": 4.5}},
    )
    with pytest.raises(FlowSpecError) as caught:
        Flow.from_spec(spec)
    assert dict(caught.value.problems) == {
        "max_workers": "must be a positive integer, not '4'",
        "error_handler.retry_delay": "expected float, got str '1'",
        "error_handler.is_critical": "expected bool, got int 1",
        "routines.clean.config.max_len": "expected int, got float 4.5",
    }


def test_a_spec_never_imports_what_it_names(tmp_path, monkeypatch):
    """Only registered names are looked up; a module named by a spec stays unimported."""
    (tmp_path / "spec_canary.py").write_text("import sys\nsys.exit('imported by a spec')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    spec = variant(
        execution_strategy="spec_canary:Executor",
        error_handler={
            "strategy": "spec_canary:strategy",
            "retryable_exceptions": ["spec_canary:E"],
        },
        routines__clean={"class": "spec_canary:Clean"},
        routines__count={"type": "spec_canary.Count", "config": {"x": "spec_canary:x"}},
    )
    with pytest.raises(FlowSpecError) as caught:
        Flow.from_spec(spec)
    assert "spec_canary" not in sys.modules
    assert {path for path, _ in caught.value.problems} == {
        "execution_strategy",
        "error_handler.retryable_exceptions",
        "routines.clean.class",
        "routines.count.type",
    }
