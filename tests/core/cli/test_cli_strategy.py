"""``routilux run --strategy``: the executor is chosen before the routines are built,
so a spec of ``async def`` routines runs with ``--strategy asyncio``."""

from __future__ import annotations

import asyncio
import json
import pathlib
from typing import Any

import pytest

import routilux
from routilux import Routine
from routilux.cli import main


class AsyncUpper(Routine):
    """Upper-cases ``text`` after an await; reports it as an output."""

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", self.go)

    async def go(self, text: str) -> None:
        await asyncio.sleep(0)
        self.send_output("upper", text=text.upper())


class AsyncPack:
    @routilux.hookimpl
    def routilux_routines(self) -> dict[str, Any]:
        return {"aio.upper": AsyncUpper}


@pytest.fixture
def spec(tmp_path: pathlib.Path, routilux_plugin: Any) -> pathlib.Path:
    routilux_plugin(AsyncPack(), "aio")
    path = tmp_path / "flow.json"
    path.write_text(json.dumps({"entry": "up", "routines": {"up": {"type": "aio.upper"}}}))
    return path


def test_strategy_asyncio_runs_a_spec_of_async_routines(
    spec: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["run", str(spec), "--strategy", "asyncio", "--param", "text=hi", "--no-store"]
    code = main([*args, "--json"])
    out = capsys.readouterr()
    assert code == 0, out
    summary = json.loads(out.out)
    assert summary["status"] == "completed"
    assert [o["data"] for o in summary["outputs"]] == [{"text": "HI"}]


def test_without_an_executor_that_awaits_the_spec_is_refused_naming_the_routine(
    spec: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["run", str(spec), "--strategy", "threads", "--no-store"])
    err = capsys.readouterr().err
    assert code != 0
    assert "routines.up" in err and "up.trigger" in err and "async def" in err
