"""`routilux graph`: any routine id is drawn as text, as its own node."""

from __future__ import annotations

import json

from routilux.cli import main

ODD = 'a"]\n<b>x</b>'


def spec_file(tmp_path, routines, connections):
    path = tmp_path / "g.json"
    path.write_text(json.dumps({"flow_id": 'g"', "routines": routines, "connections": connections}))
    return str(path)


def test_ids_that_differ_only_in_punctuation_are_separate_nodes(tmp_path, capsys):
    # before: "a b" and "a_b" both became node n_a_b, drawing one box for two routines
    clip = {"type": "text.clip"}
    spec = spec_file(
        tmp_path, {"a b": clip, "a_b": clip}, [{"from": "a b.output", "to": "a_b.input"}]
    )
    assert main(["graph", spec]) == 0
    out = capsys.readouterr().out
    assert 'n_a_b["a b<br/>' in out and 'n_a_b_2["a_b<br/>' in out
    assert "n_a_b -->|output → input| n_a_b_2" in out


def test_quotes_markup_and_line_breaks_in_ids_stay_text(tmp_path, capsys):
    # before: the id's '"]' ended the Mermaid label and its <b> was drawn as HTML
    clip = {"type": "text.clip"}
    spec = spec_file(tmp_path, {ODD: clip, "b": clip}, [{"from": f"{ODD}.output", "to": "b.input"}])
    assert main(["graph", spec]) == 0
    out = capsys.readouterr().out
    assert '["a#quot;] #lt;b#gt;x#lt;/b#gt;<br/><small>text.clip</small>"]' in out
    assert len(out.splitlines()) == 4  # the header, two nodes, one edge
    assert main(["graph", spec, "--format", "dot"]) == 0
    out = capsys.readouterr().out
    assert out.startswith('digraph "g\\"" {')
    assert '"a\\"]\\n<b>x</b>" [label="a\\"]\\n<b>x</b>\\ntext.clip"];' in out
