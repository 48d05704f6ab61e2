"""What the standard routines share: a config schema per routine and its settings."""

from __future__ import annotations

from typing import Any, ClassVar

import attrs

from routilux import Routine


@attrs.define
class NoConfig:
    """A routine that takes no configuration."""


class ConfiguredRoutine(Routine):
    """A routine whose ``_config`` is described by an attrs class, `config_schema`.

    Specs are checked against the schema before anything runs (wrong keys and
    types are spec errors with their path); `settings` gives the config as an
    instance of the schema, defaults filled in.
    """

    config_schema: ClassVar[type] = NoConfig

    def settings(self) -> Any:
        """The routine's config as an instance of its `config_schema`."""
        return self.config_schema(**self.config())


def key_of(data: dict[str, Any], key: str, routine: str) -> Any:
    """``data[key]``, or a TypeError that says which key the routine needs."""
    if key not in data:
        raise TypeError(
            f"{routine} needs {key!r} in the data it receives, got keys {sorted(data)}; "
            "connect an event that carries it, or rename with param_mapping"
        )
    return data[key]
