"""Text routines for routilux, registered under the ``textkit`` namespace.

Every routine takes ``text`` on its ``input`` slot (and on ``trigger``, so any
of them can start a flow) and emits ``output`` with the resulting ``text``.
Settings are the routine's config, validated against its ``config_schema``::

    flow.add_routine("textkit.clip", "clip", config={"max_len": 40})
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import attrs

import routilux
from routilux import Routine

__version__ = "0.1.0"


class TextRoutine(Routine):
    """Base of the textkit routines: one handler on ``input`` and ``trigger``."""

    #: The attrs class describing this routine's config (see `routilux.routine_config.validate_config`).
    config_schema: ClassVar[type] = attrs.make_class("NoConfig", {})
    emits: ClassVar[dict[str, list[str]]] = {"output": ["text"]}

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("input", self._receive)
        self.define_slot("trigger", self._receive)
        for name, params in type(self).emits.items():
            self.define_event(name, params)

    def settings(self) -> Any:
        """The routine's config as an instance of its `config_schema` (defaults filled in)."""
        try:
            return type(self).config_schema(**self.config())
        except (TypeError, ValueError) as exc:
            raise routilux.FlowError(
                f"{type(self).__name__} has an invalid config {self.config()!r}: {exc}; "
                "add it by name with flow.add_routine(name, id, config={...}) to have it checked"
            ) from None

    def _receive(self, text: Any = None, **_: Any) -> None:
        if not isinstance(text, str):
            raise TypeError(
                f"{type(self).__name__} needs a 'text' string in its input, got {text!r}; "
                "connect an event carrying 'text' (or map it with param_mapping)"
            )
        self.process(text, self.settings())

    def process(self, text: str, settings: Any) -> None:
        raise NotImplementedError


def _positive(instance: Any, attribute: Any, value: int) -> None:
    if value < 1:
        raise ValueError(f"{attribute.name} must be at least 1, got {value}")


@attrs.define
class ClipConfig:
    max_len: int = attrs.field(default=80, validator=_positive)
    ellipsis: str = "…"


class Clip(TextRoutine):
    """Clip text to at most max_len characters, marking a cut with an ellipsis.

    Emits ``output`` with ``text`` and ``clipped`` (whether anything was cut).
    """

    config_schema = ClipConfig
    emits: ClassVar[dict[str, list[str]]] = {"output": ["text", "clipped"]}

    def process(self, text: str, settings: ClipConfig) -> None:
        if len(text) <= settings.max_len:
            self.emit("output", text=text, clipped=False)
            return
        keep = max(settings.max_len - len(settings.ellipsis), 0)
        clipped = (text[:keep] + settings.ellipsis)[: settings.max_len]
        self.emit("output", text=clipped, clipped=True)


CASE_MODES = ("lower", "upper", "title", "casefold", "capitalize")


@attrs.define
class CaseConfig:
    mode: str = attrs.field(default="lower", validator=attrs.validators.in_(CASE_MODES))


class Case(TextRoutine):
    """Change the letter case of text: lower, upper, title, casefold or capitalize."""

    config_schema = CaseConfig

    def process(self, text: str, settings: CaseConfig) -> None:
        self.emit("output", text=getattr(text, settings.mode)())


def _valid_pattern(instance: Any, attribute: Any, value: str) -> None:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"pattern {value!r} is not a valid regular expression: {exc}") from None


@attrs.define
class ReplaceConfig:
    pattern: str = attrs.field(validator=_valid_pattern)
    replacement: str = ""
    ignore_case: bool = False


class Replace(TextRoutine):
    """Replace every match of a regular expression pattern with a replacement.

    Emits ``output`` with ``text`` and ``count`` (the number of replacements).
    """

    config_schema = ReplaceConfig
    emits: ClassVar[dict[str, list[str]]] = {"output": ["text", "count"]}

    def process(self, text: str, settings: ReplaceConfig) -> None:
        flags = re.IGNORECASE if settings.ignore_case else 0
        result, count = re.subn(settings.pattern, settings.replacement, text, flags=flags)
        self.emit("output", text=result, count=count)


@attrs.define
class SplitConfig:
    separator: str | None = None
    keep_empty: bool = False


class Split(TextRoutine):
    """Split text into pieces (on whitespace, or on a separator) and emit each one.

    Emits ``output`` once per piece, with ``text`` and its ``index``.
    """

    config_schema = SplitConfig
    emits: ClassVar[dict[str, list[str]]] = {"output": ["text", "index"]}

    def process(self, text: str, settings: SplitConfig) -> None:
        pieces = text.split(settings.separator)
        if not settings.keep_empty:
            pieces = [p for p in pieces if p]
        for index, piece in enumerate(pieces):
            self.emit("output", text=piece, index=index)


@attrs.define
class StatsConfig:
    pass


class Stats(TextRoutine):
    """Count the characters, words and lines of text.

    Emits ``output`` with ``text`` unchanged and ``chars``, ``words``, ``lines``.
    """

    config_schema = StatsConfig
    emits: ClassVar[dict[str, list[str]]] = {"output": ["text", "chars", "words", "lines"]}

    def process(self, text: str, settings: StatsConfig) -> None:
        self.emit(
            "output",
            text=text,
            chars=len(text),
            words=len(text.split()),
            lines=len(text.splitlines()) if text else 0,
        )


@attrs.define
class CollectConfig:
    output_type: str = "text"


class Collect(TextRoutine):
    """Send each text it receives to the job's output (its output_log and output handler)."""

    config_schema = CollectConfig
    emits: ClassVar[dict[str, list[str]]] = {}

    def _receive(self, text: Any = None, **extra: Any) -> None:
        if not isinstance(text, str):
            super()._receive(text)
        self.send_output(self.settings().output_type, text=text, **extra)


ROUTINES: dict[str, type[Routine]] = {
    "textkit.clip": Clip,
    "textkit.case": Case,
    "textkit.replace": Replace,
    "textkit.split": Split,
    "textkit.stats": Stats,
    "textkit.collect": Collect,
}


@routilux.hookimpl
def routilux_routines() -> dict[str, type[Routine]]:
    return dict(ROUTINES)
