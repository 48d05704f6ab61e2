"""``--store ''`` (say, ``--store "$UNSET_VAR"``) is refused, not silently the default
store: every command that takes --store exits 2 naming it, and makes no store."""

from __future__ import annotations

import json
import pathlib

import pytest

from routilux.cli import main

EXAMPLES = pathlib.Path(__file__).parents[3] / "examples"


@pytest.mark.parametrize(
    "command",
    [
        ["jobs"],
        ["show", "some-job"],
        ["rm", "some-job"],
        ["prune"],
        ["history", "some-job"],
        ["fork", "some-job", "--at", "1"],
        ["resume", "some-job"],
        ["run", str(EXAMPLES / "wordcount.toml")],
        ["serve"],
    ],
)
@pytest.mark.parametrize("empty", ["", "  "])
def test_an_empty_store_url_is_refused(command, empty, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ROUTILUX_STORE", raising=False)
    assert main([*command, "--store", empty]) == 2
    err = capsys.readouterr().err
    assert f"--store {empty!r} is empty; give a store URL" in err
    assert "Traceback" not in err
    assert not (tmp_path / ".routilux").exists()  # the default store was not made


@pytest.mark.parametrize(
    "command",
    [
        ["show", "some-job"],
        ["rm", "some-job"],
        ["history", "some-job"],
        ["fork", "some-job", "--at", "1"],
        ["resume", "some-job"],
    ],
)
def test_a_command_about_stored_jobs_outside_a_store_directory_says_so(
    command, tmp_path, monkeypatch, capsys
):
    # run where no `routilux run` ran: the default store is named, and not created
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ROUTILUX_STORE", raising=False)
    assert main(command) == 2
    err = capsys.readouterr().err
    assert "there is no job store here: sqlite:///.routilux/jobs.db does not exist" in err
    assert "--store URL" in err
    assert not (tmp_path / ".routilux").exists()


@pytest.mark.parametrize("command", [["jobs"], ["prune"]])
def test_listing_or_pruning_where_there_is_no_store_finds_nothing_and_makes_none(
    command, tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ROUTILUX_STORE", raising=False)
    assert main(command) == 0
    assert "there is no job store here" in capsys.readouterr().out
    assert not (tmp_path / ".routilux").exists()


def test_prune_checks_its_arguments_and_answers_json_where_there_is_no_store(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ROUTILUX_STORE", raising=False)
    assert main(["prune", "--older-than", "banana"]) == 2
    assert "'banana' is not an age" in capsys.readouterr().err
    assert main(["prune", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"dry_run": False, "jobs": []}
    assert not (tmp_path / ".routilux").exists()
