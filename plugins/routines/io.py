"""``io.*``: read and write files.

Readers are entry routines (their ``trigger`` slot starts a job). Writers
collect what they receive in the job's slot buffer and write the file once,
atomically, from an idle slot: when the job has no other work left, so the
file is complete whatever the execution strategy.
"""

from __future__ import annotations

import itertools
import json
import os
from typing import Any

import attrs

import routilux
from routilux.json_files import write_json_atomic, write_text_atomic

from .common import ConfiguredRoutine


def _positive_or_none(instance: Any, attribute: Any, value: int | None) -> None:
    if value is not None and value < 1:
        raise ValueError(f"{attribute.name} must be at least 1, got {value}")


def _text_encoding(instance: Any, attribute: Any, value: str) -> None:
    try:
        b"a".decode(value)  # not b"": an empty decode looks nothing up
    except LookupError:
        raise ValueError(
            f"{value!r} is not a text encoding Python knows; use e.g. 'utf-8' or 'latin-1'"
        ) from None
    except UnicodeError:
        pass  # a real encoding (utf-16) that cannot decode a lone byte


@attrs.define
class ReadLinesConfig:
    path: str
    encoding: str = attrs.field(default="utf-8", validator=_text_encoding)
    skip_blank: bool = True
    batch: int | None = attrs.field(default=None, validator=_positive_or_none)


#: Lines read per step when lines are emitted one by one.
STEP_LINES = 1_000


class ReadLines(ConfiguredRoutine):
    """Emit each line of a text file as ``line`` (``text``, ``number``).

    With ``batch = N``, each ``line`` carries up to N lines: ``text`` and ``number``
    are then lists (the text and data routines take such batches), which is much
    faster on big files. The file is read as it is emitted, one step (a batch, or
    1,000 lines) at a time: the reader asks for its next step through its own
    ``more`` event, so the work each step causes runs before the file is read much
    further and memory stays bounded whatever the file's size. Progress (bytes
    read of the total) is kept in the routine's state under ``progress``; a job
    resumed after a crash goes on from its last checkpointed step. The encoding must
    be one where a line break is the byte ``\\n`` (UTF-8, Latin-1, ...).

    Spec: ``read = {type = "io.read_lines", config = {path = "{{ params.input }}", batch = 1000}}``
    """

    config_schema = ReadLinesConfig

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=self.read)
        self.define_slot("more", handler=self.read_more)
        self.define_event("line", ["text", "number"])
        self.define_event("more", ["offset", "number"], loop_to="more")

    def read(self, **_: Any) -> None:
        self.read_more(0, 0)

    def read_more(self, offset: int, number: int, **_: Any) -> None:
        settings = self.settings()
        batch = settings.batch
        step = batch or STEP_LINES
        skip_blank = settings.skip_blank
        encoding = settings.encoding
        texts: list[str] = []
        numbers: list[int] = []
        with open(settings.path, "rb") as handle:
            total = os.fstat(handle.fileno()).st_size
            handle.seek(offset)
            while len(texts) < step:
                raws = list(itertools.islice(handle, step - len(texts)))
                if not raws:
                    break
                block = b"".join(raws)
                offset += len(block)
                # one decode per step; each raw line ends with a line break but the last
                lines = block.decode(encoding).split("\n")[: len(raws)]
                if b"\r" in block:
                    lines = [line.rstrip("\r") for line in lines]
                for line_number, text in enumerate(lines, number + 1):
                    if skip_blank and (not text or text.isspace()):
                        continue
                    texts.append(text)
                    numbers.append(line_number)
                number += len(raws)
        if batch is None:
            for text, line_number in zip(texts, numbers):
                self.emit("line", text=text, number=line_number)
        elif texts:
            self.emit("line", text=texts, number=numbers)
        _report_progress(self, offset, total, number)
        if offset < total and texts:
            self.emit("more", offset=offset, number=number)


def _report_progress(routine: routilux.Routine, done: int, total: int, lines: int) -> None:
    """Keep ``progress`` (bytes read, of total, and lines) in the routine's state."""
    ctx = routine.get_execution_context()
    if ctx is None:
        return
    state = ctx.job_state.get_routine_state(ctx.routine_id) or {}
    state["progress"] = {"done": done, "total": total, "unit": "bytes", "lines": lines}
    ctx.job_state.update_routine_state(ctx.routine_id, state)


@attrs.define
class ReadJsonConfig:
    path: str
    each: bool = False


class ReadJson(ConfiguredRoutine):
    """Emit a JSON file's content as ``output`` (``data``), or each list item as ``item``.

    Spec: ``load = {type = "io.read_json", config = {path = "orders.json", each = true}}``
    """

    config_schema = ReadJsonConfig

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=self.read)
        self.define_event("output", ["data"])
        self.define_event("item", ["item", "index"])

    def read(self, **_: Any) -> None:
        settings = self.settings()
        with open(settings.path, encoding="utf-8") as handle:
            content = json.load(handle)
        if settings.each:
            if not isinstance(content, list):
                raise TypeError(
                    f"{settings.path} holds a {type(content).__name__}; each=true needs a list"
                )
            for index, item in enumerate(content):
                self.emit("item", item=item, index=index)
        else:
            self.emit("output", data=content)


@attrs.define
class WriteJsonConfig:
    path: str
    key: str | None = None
    indent: int = attrs.field(
        default=2, validator=attrs.validators.and_(attrs.validators.ge(0), attrs.validators.le(16))
    )


class WriteJson(ConfiguredRoutine):
    """Write what it received to a JSON file when the job's work is done.

    One delivery is written as is (or only its ``key``); several as a list.
    Emits ``written`` (``path``, ``count``). Spec:
    ``save = {type = "io.write_json", config = {path = "out.json", key = "items"}}``
    """

    config_schema = WriteJsonConfig

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("input", handler=None, merge_strategy=_collect)
        self.define_slot("flush", handler=self.write, idle=True)
        self.define_event("written", ["path", "count"])

    def write(self) -> None:
        received = _buffer(self, "input").get("received", [])
        if not received:
            return
        settings = self.settings()
        if settings.key is not None:
            received = [item.get(settings.key) for item in received]
        content = received[0] if len(received) == 1 else received
        write_json_atomic(settings.path, content, private=False)
        self.emit("written", path=settings.path, count=len(received))


@attrs.define
class WriteLinesConfig:
    path: str
    key: str = "text"


class WriteLines(ConfiguredRoutine):
    """Write each received ``text`` as a line of a file, when the job's work is done.

    Lines keep the order they were delivered in. Emits ``written`` (``path``,
    ``count``). Spec: ``out = {type = "io.write_lines", config = {path = "out.txt"}}``
    """

    config_schema = WriteLinesConfig

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("input", handler=None, merge_strategy=_collect)
        self.define_slot("flush", handler=self.write, idle=True)
        self.define_event("written", ["path", "count"])

    def write(self) -> None:
        settings = self.settings()
        lines = [
            str(item.get(settings.key, "")) for item in _buffer(self, "input").get("received", [])
        ]
        text = "".join(f"{line}\n" for line in lines)
        write_text_atomic(settings.path, text, private=False)
        self.emit("written", path=settings.path, count=len(lines))


def _collect(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Merge strategy keeping every delivery, in order."""
    return {"received": [*old.get("received", []), new]}


def _buffer(routine: routilux.Routine, slot: str) -> dict[str, Any]:
    ctx = routine.get_execution_context()
    assert ctx is not None
    return ctx.job_state.slot_buffers.get(ctx.routine_id, {}).get(slot, {})


@routilux.hookimpl
def routilux_routines() -> dict[str, Any]:
    return {
        "io.read_lines": ReadLines,
        "io.read_json": ReadJson,
        "io.write_json": WriteJson,
        "io.write_lines": WriteLines,
    }
