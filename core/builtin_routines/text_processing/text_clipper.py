"""`TextClipper`: cut text to a maximum length at a line boundary."""

from __future__ import annotations

from typing import Any

from ...routine import Routine
from .._input import extract_input

#: Keys looked at, in order, for the text when a dict arrives.
_TEXT_KEYS = ("text", "content", "message", "data")


class TextClipper(Routine):
    """Clip text to ``max_length`` characters, keeping whole lines.

    Slot ``input`` takes ``text`` (or any single value, or a dict holding the
    text under ``text``/``content``/``message``/``data`` or any string value);
    a ``max_length`` received overrides the config. Event ``output`` carries
    ``clipped_text``, ``was_clipped`` and ``original_length``.

    Config (routilux 0.10's keys): ``max_length`` (1000); ``preserve_tracebacks``
    (True: text containing "Traceback" passes whole); ``truncation_message``
    (``"...(省略了{remaining}行)"``, formatted with the number of lines cut and
    appended on its own line).
    """

    def __init__(self) -> None:
        super().__init__()
        self.set_config(
            max_length=1000,
            preserve_tracebacks=True,
            truncation_message="...(省略了{remaining}行)",
        )
        self.input_slot = self.define_slot("input", handler=self._handle_input)
        self.output_event = self.define_event(
            "output", ["clipped_text", "was_clipped", "original_length"]
        )

    def _handle_input(self, text: Any = None, max_length: int | None = None, **kwargs: Any) -> None:
        value = as_text(extract_input(text, kwargs))
        limit = max_length or self.get_config("max_length", 1000)
        if self.get_config("preserve_tracebacks", True) and "Traceback" in value:
            clipped, was_clipped = value, False
        else:
            clipped, was_clipped = self._clip(value, limit)
        self.emit(
            "output", clipped_text=clipped, was_clipped=was_clipped, original_length=len(value)
        )

    def _clip(self, text: str, limit: int) -> tuple[str, bool]:
        """`text` cut before the first line that would reach `limit` (newlines counted)."""
        if len(text) <= limit:
            return text, False
        lines = text.split("\n")
        kept: list[str] = []
        used = 0
        for line in lines:
            if used + len(line) + 1 >= limit:
                break
            used += len(line) + 1
            kept.append(line)
        else:
            return "\n".join(kept), False
        message = str(self.get_config("truncation_message", "...(省略了{remaining}行)"))
        return "\n".join(kept) + "\n" + message.format(remaining=len(lines) - len(kept)), True


def as_text(value: Any) -> str:
    """The text in `value`: itself if a str, a text-like value of a dict, else ``str()``."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        for key in _TEXT_KEYS:
            if isinstance(value.get(key), str):
                return str(value[key])
        for item in value.values():
            if isinstance(item, str):
                return item
    return str(value)
