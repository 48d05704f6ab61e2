"""``io.*``: read and write files.

Readers are entry routines (their ``trigger`` slot starts a job). Writers
collect what they receive in the job's slot buffer and write the file once,
atomically, from an idle slot: when the job has no other work left, so the
file is complete whatever the execution strategy.
"""

from __future__ import annotations

import json
from typing import Any

import attrs

import routilux
from routilux.serialization import write_json_atomic, write_text_atomic

from .common import ConfiguredRoutine


@attrs.define
class ReadLinesConfig:
    path: str
    encoding: str = "utf-8"
    skip_blank: bool = True


class ReadLines(ConfiguredRoutine):
    """Emit each line of a text file as ``line`` (``text``, ``number``).

    Spec: ``read = {type = "io.read_lines", config = {path = "{{ params.input }}"}}``
    """

    config_schema = ReadLinesConfig

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=self.read)
        self.define_event("line", ["text", "number"])

    def read(self, **_: Any) -> None:
        settings = self.settings()
        with open(settings.path, encoding=settings.encoding) as handle:
            for number, line in enumerate(handle, start=1):
                text = line.rstrip("\r\n")
                if settings.skip_blank and not text.strip():
                    continue
                self.emit("line", text=text, number=number)


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
    indent: int = 2


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
