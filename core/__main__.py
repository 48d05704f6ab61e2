"""``python -m routilux`` is the ``routilux`` command."""

from routilux.cli import run

run()
