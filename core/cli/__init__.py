"""The ``routilux`` command (also ``python -m routilux``).

Each subcommand lives in its own module of this package and exposes
``register(subparsers)``, which adds its parser and sets ``func`` to a callable
``func(args) -> int`` (the exit code). Exit codes: 0 completed, 1 failed,
2 bad input, 3 paused. A `RoutiluxError` is printed as one clear message,
never as a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_PAUSED = 3

#: Subcommand modules, in the order ``routilux --help`` lists them.
COMMAND_MODULES: list[str] = ["run", "jobs", "history", "spec_tools", "plugins"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="routilux",
        description="Run and inspect routilux flows.",
    )
    from .. import __version__

    parser.add_argument("--version", action="version", version=f"routilux {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        module.register(subparsers)
    _add_plugin_commands(subparsers)
    return parser


def _add_plugin_commands(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Commands that plugins add through the ``routilux_cli_commands`` hook."""
    from ..registry import cli_commands

    log = logging.getLogger("routilux.cli")
    for name, registration in sorted(cli_commands().items()):
        if name in subparsers.choices:
            log.warning(
                "plugin %s registers the command %r, which routilux has already; ignored",
                registration.owner,
                name,
            )
            continue
        try:
            registration.factory(subparsers)
        except Exception:
            log.exception("plugin %s failed to add the command %r", registration.owner, name)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    from ..errors import RoutiluxError, message_with_notes

    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_BAD_INPUT
    try:
        return int(args.func(args))
    except RoutiluxError as exc:
        print(f"routilux: error: {message_with_notes(exc)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("routilux: interrupted", file=sys.stderr)
        return 130


def run() -> None:
    """Console-script wrapper: exit with `main`'s code.

    When the reader of the output goes away (``routilux jobs | head``) the command
    stops quietly, as other command-line tools do, instead of with a traceback.
    """
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # point stdout at /dev/null so that the interpreter's final flush cannot fail again
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = EXIT_FAILED
    sys.exit(code)
