"""``text.*``: transform the ``text`` of what passes through.

Each routine receives data with a ``text`` key on ``input`` (or ``trigger``, so
it can start a flow) and emits ``output`` with the new ``text``; the other keys
it received pass on unchanged.
"""

from __future__ import annotations

import re
import string
import unicodedata
from typing import Any

import attrs

import routilux

from .common import ConfiguredRoutine, key_of

_PUNCTUATION = re.compile(r"[^\w\s']+|(?<!\w)'|'(?!\w)")
_SPACES = re.compile(r"\s+")
# whitespace but line breaks, where it is not already one space
_SPACES_IN_LINE = re.compile(r"[^\S\n]{2,}|[^\S \n]")
_LINE_EDGES = re.compile(r" \n ?|\n ")


def _all_str(items: list[Any]) -> bool:
    try:
        "".join(items)  # in C: fails on the first item that is not a str
    except TypeError:
        return False
    return True


class TextRoutine(ConfiguredRoutine):
    """Base: one handler on ``input`` and ``trigger``, emitting ``output``."""

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("input", handler=self.receive)
        self.define_slot("trigger", handler=self.receive)
        self.define_event("output", ["text"])

    def receive(self, **data: Any) -> None:
        text = key_of(data, "text", type(self).__name__)
        settings = self.settings()
        if isinstance(text, str):
            self.emit("output", **{**data, **self.transform(text, settings)})
        elif isinstance(text, list) and _all_str(text):
            self.emit("output", **{**data, **self.transform_batch(text, settings)})
        else:
            raise TypeError(
                f"{type(self).__name__} needs 'text' to be a string or a list of strings "
                f"(a batch), got {text!r:.80}"
            )

    def transform(self, text: str, settings: Any) -> dict[str, Any]:
        raise NotImplementedError

    def transform_batch(self, texts: list[str], settings: Any) -> dict[str, Any]:
        """`transform` of each text of a batch: each result key becomes a list."""
        results = [self.transform(text, settings) for text in texts]
        if not results:
            return {"text": []}
        return {key: [r[key] for r in results] for key in results[0]}


@attrs.define
class NormalizeConfig:
    lowercase: bool = True
    strip_punctuation: bool = True
    collapse_whitespace: bool = True


class Normalize(TextRoutine):
    """Lower-case text, drop punctuation and collapse whitespace (each optional).

    Spec: ``clean = {type = "text.normalize", config = {lowercase = true}}``
    """

    config_schema = NormalizeConfig

    def transform(self, text: str, settings: NormalizeConfig) -> dict[str, Any]:
        text = unicodedata.normalize("NFKC", text)
        if settings.lowercase:
            text = text.lower()
        if settings.strip_punctuation:
            text = _PUNCTUATION.sub(" ", text)
        if settings.collapse_whitespace:
            text = _SPACES.sub(" ", text).strip()
        return {"text": text}

    def transform_batch(self, texts: list[str], settings: NormalizeConfig) -> dict[str, Any]:
        """The batch as one text, a line per item: a few passes instead of one per item."""
        if not texts:
            return {"text": []}
        text = "\n".join(texts)
        if text.count("\n") != len(texts) - 1 or "\r" in text:  # texts with line breaks
            return super().transform_batch(texts, settings)
        text = unicodedata.normalize("NFKC", text)
        if text.count("\n") != len(texts) - 1:  # NFKC made or merged a line break
            return super().transform_batch(texts, settings)
        if settings.lowercase:
            text = text.lower()
        if settings.strip_punctuation:
            text = _PUNCTUATION.sub(" ", text)
        if settings.collapse_whitespace:
            text = _LINE_EDGES.sub("\n", _SPACES_IN_LINE.sub(" ", text)).strip(" ")
        return {"text": text.split("\n")}


def _at_least_one(instance: Any, attribute: Any, value: int) -> None:
    if value < 1:
        raise ValueError(f"{attribute.name} must be at least 1, got {value}")


@attrs.define
class ClipConfig:
    max_len: int = attrs.field(default=80, validator=_at_least_one)
    ellipsis: str = "…"


class Clip(TextRoutine):
    """Clip text to at most max_len characters, ending a cut text with an ellipsis.

    Also emits ``clipped`` (whether it cut). Spec:
    ``short = {type = "text.clip", config = {max_len = 40}}``
    """

    config_schema = ClipConfig

    def transform(self, text: str, settings: ClipConfig) -> dict[str, Any]:
        if len(text) <= settings.max_len:
            return {"text": text, "clipped": False}
        keep = max(settings.max_len - len(settings.ellipsis), 0)
        return {"text": text[:keep] + settings.ellipsis, "clipped": True}


def _plain_fields(instance: Any, attribute: Any, value: str) -> None:
    """A template's fields must be plain names: checked when the config is given,
    not at the first delivery."""
    try:
        parts = list(string.Formatter().parse(value))
    except ValueError as exc:
        raise ValueError(
            f"{value!r} is not a valid template ({exc}); write a literal brace as {{{{ or }}}}"
        ) from None
    for _, field, spec, _ in parts:
        if field is None:
            continue
        if not field.isidentifier():
            raise ValueError(
                f"template field {{{field}}} is not a plain name; use {{name}} fields only"
            )
        if spec and "{" in spec:
            raise ValueError(
                f"template field {{{field}}} has a field in its format spec ({spec!r}); "
                "use {name} fields only"
            )


@attrs.define
class TemplateConfig:
    template: str = attrs.field(validator=_plain_fields)


class Template(TextRoutine):
    """Render a template whose ``{name}`` fields are filled from the received data.

    Only plain field names are allowed (no attribute or index access). Spec:
    ``greet = {type = "text.template", config = {template = "Hello, {name}!"}}``
    """

    config_schema = TemplateConfig

    def receive(self, **data: Any) -> None:
        settings = self.settings()
        values = {}
        for _, field, _, _ in string.Formatter().parse(settings.template):
            if field is not None:  # a plain name: TemplateConfig checked it
                values[field] = key_of(data, field, "text.template")
        self.emit("output", **{**data, "text": settings.template.format_map(values)})


@routilux.hookimpl
def routilux_routines() -> dict[str, Any]:
    return {"text.normalize": Normalize, "text.clip": Clip, "text.template": Template}
