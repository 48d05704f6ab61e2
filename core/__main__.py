"""``python -m routilux`` is the ``routilux`` command."""

from .cli import run

run()
