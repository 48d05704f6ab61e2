"""`TextRenderer`: render dicts and lists as tagged (or markdown) text."""

from __future__ import annotations

from typing import Any

from ...routine import Routine
from .._input import extract_input


class TextRenderer(Routine):
    """Render a structure as readable text, one line per key or item.

    Slot ``input`` takes ``data`` (or any single value, or everything received);
    event ``output`` carries ``rendered_text`` and ``original_type`` (the input's
    type name). With config ``tag_format="xml"`` (the default) a dict renders as
    ``<key>value</key>`` lines and a list as ``<item_0>…</item_0>``; any other
    format renders ``**key**: value`` and ``- value``. Nested values are indented
    by ``indent`` ("  ") per level; other values render with ``str()``, and a
    structure that contains itself renders ``[Circular Reference]`` there.
    ``include_type_hints`` (False) is kept for 0.10 configs and not used.
    """

    def __init__(self) -> None:
        super().__init__()
        self.set_config(tag_format="xml", indent="  ", include_type_hints=False)
        self.input_slot = self.define_slot("input", handler=self._handle_input)
        self.output_event = self.define_event("output", ["rendered_text", "original_type"])

    def _handle_input(self, data: Any = None, **kwargs: Any) -> None:
        value = extract_input(data, kwargs)
        self.emit(
            "output",
            rendered_text=self._render(value, 0, set()),
            original_type=type(value).__name__,
        )

    def _render(self, value: Any, level: int, seen: set[int]) -> str:
        if id(value) in seen:
            return "[Circular Reference]"
        if not isinstance(value, (dict, list)):
            return str(value)
        seen.add(id(value))
        try:
            indent = str(self.get_config("indent", "  ")) * level
            xml = self.get_config("tag_format", "xml") == "xml"
            lines = []
            if isinstance(value, dict):
                for key, item in value.items():
                    text = self._render(item, level + 1, seen)
                    lines.append(
                        f"{indent}<{key}>{text}</{key}>" if xml else f"{indent}**{key}**: {text}"
                    )
            else:
                for i, item in enumerate(value):
                    text = self._render(item, level + 1, seen)
                    lines.append(
                        f"{indent}<item_{i}>{text}</item_{i}>" if xml else f"{indent}- {text}"
                    )
            return "\n".join(lines)
        finally:
            seen.discard(id(value))
