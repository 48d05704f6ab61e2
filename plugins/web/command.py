"""The ``routilux serve`` command, added through the ``routilux_cli_commands`` hook.

This module is imported whenever the ``routilux`` command line is built, so it
imports only argparse-level things; Starlette and uvicorn load in `cmd_serve`.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from typing import Any

import routilux

#: routilux_cli_commands came with plugin API 2.
ROUTILUX_PLUGIN_API = 2

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
TOKEN_ENV = "ROUTILUX_TOKEN"


def register(subparsers: Any) -> None:
    serve = subparsers.add_parser(
        "serve",
        help="watch and steer jobs in a browser and over HTTP (pip install 'routilux[web]')",
        description=(
            "Serve a JSON API (/openapi.json), web pages, server-sent events and "
            "Prometheus metrics (/metrics) for the jobs in a store. Every request that "
            f"changes something needs the token printed at start (or ${TOKEN_ENV})."
        ),
    )
    serve.add_argument(
        "--store",
        metavar="URL",
        help="job store URL (default: $ROUTILUX_STORE or sqlite:///.routilux/jobs.db)",
    )
    serve.add_argument("--host", default=DEFAULT_HOST, help=f"address to bind ({DEFAULT_HOST})")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port ({DEFAULT_PORT})")
    serve.add_argument(
        "--specs",
        metavar="DIR",
        help="directory of flow specs that may be started from the API (none if not given)",
    )
    serve.add_argument(
        "--read-only", action="store_true", help="refuse every request that changes something"
    )
    serve.add_argument("--no-metrics", action="store_true", help="do not serve /metrics")
    serve.set_defaults(func=cmd_serve)


@routilux.hookimpl
def routilux_cli_commands() -> dict[str, Any]:
    return {"serve": register}


def cmd_serve(args: argparse.Namespace) -> int:
    from routilux.errors import RoutiluxError, UsageError
    from routilux.store import default_store_url

    if args.store is not None and not args.store.strip():
        raise UsageError(
            f"--store {args.store!r} is empty; give a store URL (e.g. --store "
            "sqlite:///path/jobs.db), or leave --store out for the default store "
            f"({default_store_url()})"
        )
    try:
        import uvicorn

        from .app import ServeConfig, create_app
    except ImportError as exc:
        raise RoutiluxError(
            f"routilux serve needs the web extra ({exc.name} is missing): "
            "pip install 'routilux[web]'"
        ) from exc
    token = os.environ.get(TOKEN_ENV) or secrets.token_urlsafe(24)
    config = ServeConfig(
        store_url=args.store or default_store_url(),
        token=token,
        specs_dir=args.specs,
        read_only=args.read_only,
        metrics=not args.no_metrics,
    )
    app = create_app(config)
    server_class = _server_class(app.state.feed)
    url = f"http://{args.host}:{args.port}/"
    print(f"routilux serve: {config.store_url}", file=sys.stderr)
    if args.read_only:
        print(f"  read-only; open {url}", file=sys.stderr)
    elif os.environ.get(TOKEN_ENV):
        print(f"  changes need the token in ${TOKEN_ENV}; open {url}", file=sys.stderr)
    else:
        print(f"  token: {token}", file=sys.stderr)
        print(f"  open {url}#token={token}", file=sys.stderr)
    sys.stderr.flush()
    server = server_class(uvicorn.Config(app, host=args.host, port=args.port, log_level="warning"))
    server.run()
    return 0


def _server_class(feed: Any) -> Any:
    import uvicorn

    class Server(uvicorn.Server):
        """Ends the open event streams when asked to stop (they would hold it forever)."""

        def handle_exit(self, sig: int, frame: Any) -> None:
            feed.close()
            super().handle_exit(sig, frame)

    return Server
