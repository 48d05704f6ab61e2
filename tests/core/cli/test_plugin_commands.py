"""Plugins add ``routilux`` subcommands through the ``routilux_cli_commands`` hook."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest

import routilux
from routilux.cli import main

Register = Callable[..., Any]


class Hello:
    """Adds ``routilux hello NAME``."""

    @staticmethod
    def register(subparsers: Any) -> None:
        parser = subparsers.add_parser("hello", help="say hello")
        parser.add_argument("name")
        parser.set_defaults(func=lambda args: print(f"hello {args.name}") or 0)

    @routilux.hookimpl
    def routilux_cli_commands(self) -> dict[str, Any]:
        return {"hello": self.register}


class Clash:
    """Tries to replace the built-in ``run`` and breaks while adding ``broken``."""

    @staticmethod
    def replace_run(subparsers: Any) -> None:
        raise AssertionError("a built-in command must not be replaced")

    @staticmethod
    def broken(subparsers: Any) -> None:
        raise RuntimeError("cannot add the command")

    @routilux.hookimpl
    def routilux_cli_commands(self) -> dict[str, Any]:
        return {"run": self.replace_run, "broken": self.broken}


def test_a_plugin_command_runs(
    routilux_plugin: Register, capsys: pytest.CaptureFixture[str]
) -> None:
    routilux_plugin(Hello())
    assert main(["hello", "world"]) == 0
    assert capsys.readouterr().out == "hello world\n"


def test_a_clashing_or_broken_command_leaves_the_others_working(
    routilux_plugin: Register,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    routilux_plugin(Clash())
    routilux_plugin(Hello())
    assert main(["hello", "you"]) == 0
    assert capsys.readouterr().out == "hello you\n"
    assert "registers the command 'run', which routilux has already" in caplog.text
    assert "failed to add the command 'broken'" in caplog.text
    with pytest.raises(SystemExit):
        main(["run", "--help"])  # still the built-in run
    assert "the flow spec file" in capsys.readouterr().out


def test_building_the_command_line_imports_no_other_plugin() -> None:
    code = (
        "import sys, json; from routilux.cli import build_parser; build_parser(); "
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('routilux.plugins', "
        "'starlette', 'uvicorn', 'prometheus_client')))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    loaded = json.loads(result.stdout)
    assert "routilux.plugins.routines.text" not in loaded
    assert not [m for m in loaded if not m.startswith("routilux.plugins")]
    assert set(loaded) <= {
        "routilux.plugins",
        "routilux.plugins.web",
        "routilux.plugins.web.command",
    }


def test_serve_is_a_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    out = capsys.readouterr().out
    assert "--read-only" in out and "--specs" in out and "127.0.0.1" in out
