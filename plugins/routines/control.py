"""``control.*``: route, fan in, batch, and wait for a human.

Routines that collect items keep them in the job's slot buffer through a merge
function (which runs under the job's lock, so concurrent deliveries never lose
an item) and emit what is left from an idle slot, once the job has no other
work: "until the upstream ends", correct under every execution strategy.
"""

from __future__ import annotations

from typing import Any

import attrs

import routilux
from routilux import Routine

from .common import ConfiguredRoutine, key_of


def _buffer(routine: Routine, slot: str) -> dict[str, Any]:
    ctx = routine.get_execution_context()
    assert ctx is not None
    return ctx.job_state.slot_buffers.get(ctx.routine_id, {}).get(slot, {})


def _event_name(instance: Any, attribute: Any, value: str) -> None:
    if not value:
        raise ValueError("an event name may not be empty; name the event to send to")


@attrs.define
class RouteConfig:
    field: str
    routes: dict[str, str] = attrs.field(
        factory=dict, validator=attrs.validators.deep_mapping(_event_name, _event_name)
    )
    default: str = attrs.field(default="other", validator=_event_name)


class Route(ConfiguredRoutine):
    """Send data to the event named for the value of one field (``routes``), else ``default``.

    The events are the values of ``routes`` plus ``default``. Spec:
    ``triage = {type = "control.route", config = {field = "kind", routes = {bug = "bugs"}}}``
    then connect ``triage.bugs`` and ``triage.other``.
    """

    config_schema = RouteConfig

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("input", handler=self.receive)
        self.define_slot("trigger", handler=self.receive)

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Route:
        routine = super().from_config(config)
        settings = routine.settings()  # type: ignore[attr-defined]
        for event in dict.fromkeys([*settings.routes.values(), settings.default]):
            routine.define_event(event)
        return routine  # type: ignore[return-value]

    def receive(self, **data: Any) -> None:
        settings = self.settings()
        value = key_of(data, settings.field, "control.route")
        self.emit(settings.routes.get(str(value), settings.default), **data)


def _positive_or_none(instance: Any, attribute: Any, value: int | None) -> None:
    if value is not None:
        _positive(instance, attribute, value)


def _positive(instance: Any, attribute: Any, value: int) -> None:
    if value < 1:
        raise ValueError(f"{attribute.name} must be at least 1, got {value}")


COMBINE = ("list", "sum_counts", "concat")


@attrs.define
class AggregateConfig:
    key: str = "items"
    count: int | None = attrs.field(default=None, validator=_positive_or_none)
    combine: str = attrs.field(default="list")
    top: int | None = attrs.field(default=None, validator=_positive_or_none)

    @combine.validator
    def _known(self, attribute: Any, value: str) -> None:
        if value not in COMBINE:
            raise ValueError(f"combine must be one of {list(COMBINE)}, not {value!r}")


class Aggregate(ConfiguredRoutine):
    """Fan in: collect what is delivered and emit it once, after count items or at the end.

    Collects each delivery's ``key``; emits after ``count`` deliveries, or once
    the upstream has ended (the job has no other work). ``combine``: ``list`` (a list of the values), ``concat`` (lists joined) or
    ``sum_counts`` (``{name: number}`` mappings summed). ``top`` keeps the first
    n (for sum_counts: the n largest). Emits ``output`` with ``items`` and
    ``count`` (deliveries collected). Spec:
    ``top = {type = "control.aggregate", config = {combine = "sum_counts", top = 10}}``
    """

    config_schema = AggregateConfig

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("input", handler=self.received, merge_strategy=self._merge)
        self.define_slot("flush", handler=self.flush, idle=True)
        self.define_event("output", ["items", "count"])

    def _merge(self, old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
        settings = self.settings()
        value = key_of(new, settings.key, "control.aggregate")
        if settings.combine == "sum_counts":
            if not isinstance(value, dict):
                raise TypeError(
                    f"combine='sum_counts' needs {{name: number}} mappings, got {value!r}"
                )
            items: Any = dict(old.get("items", {}))
            for name, number in value.items():
                items[name] = items.get(name, 0) + number
        elif settings.combine == "concat":
            items = [*old.get("items", []), *value]
        else:
            items = [*old.get("items", []), value]
        count = old.get("count", 0) + 1
        ready = not old.get("emitted") and settings.count is not None and count >= settings.count
        return {
            "items": items,
            "count": count,
            "emitted": bool(old.get("emitted")) or ready,
            "ready": ready,
        }

    def received(self, data: dict[str, Any]) -> None:
        if data["ready"]:
            self._emit(data)

    def flush(self) -> None:
        data = _buffer(self, "input")
        if data and not data.get("emitted"):
            self._emit(data)

    def _emit(self, data: dict[str, Any]) -> None:
        settings = self.settings()
        items = data["items"]
        if settings.top is not None:
            if isinstance(items, dict):
                ranked = sorted(items.items(), key=lambda kv: (-kv[1], kv[0]))
                items = dict(ranked[: settings.top])
            else:
                items = items[: settings.top]
        self.emit("output", items=items, count=data["count"])


@attrs.define
class BatchConfig:
    size: int = attrs.field(validator=_positive)
    key: str = "item"


class Batch(ConfiguredRoutine):
    """Emit ``output`` with ``items``: the received ``key`` values in lists of ``size``.

    What is left when the upstream ends goes out as a last, shorter batch. Spec:
    ``chunks = {type = "control.batch", config = {size = 100}}``
    """

    config_schema = BatchConfig

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("input", handler=self.received, merge_strategy=self._merge)
        self.define_slot("flush", handler=self.flush, idle=True)
        self.define_event("output", ["items"])

    def _merge(self, old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
        settings = self.settings()
        items = [*old.get("items", []), key_of(new, settings.key, "control.batch")]
        if len(items) >= settings.size:
            return {"items": [], "full": items}
        return {"items": items}

    def received(self, data: dict[str, Any]) -> None:
        if "full" in data:
            self.emit("output", items=data["full"])

    def flush(self) -> None:
        rest = _buffer(self, "input").get("items", [])
        if rest:
            self.emit("output", items=rest)


@attrs.define
class HumanInputConfig:
    prompt: str = "input needed"
    #: The input keys the answer should carry (shown in the resume command).
    fields: list[str] = attrs.field(factory=list)

    @fields.validator
    def _names(self, attribute: Any, value: list[str]) -> None:
        if "" in value:
            raise ValueError("a field name may not be empty")
        twice = sorted({name for name in value if value.count(name) > 1})
        if twice:
            raise ValueError(f"field(s) {twice} are listed more than once; list each once")


class HumanInput(ConfiguredRoutine):
    """Park this branch until a human answers; then emit ``answer`` with the input.

    On each delivery it makes a named pause point (id: the routine id; the
    routine's later ones ``ID-2``, ``ID-3`` ...) with the prompt and the
    ``fields`` the answer must hold. The job's other branches run on; once
    nothing else can run the job is ``paused``. Answer with
    ``flow.resume(job, answers={"ID": {...}})`` (``routilux resume JOB --answer ID
    field=value``; ``--input field=value`` when it is the only one waiting):
    ``answer`` is emitted with the received data, ``prompt``, ``expects`` (the
    fields) and the answer. Spec:
    ``ask = {type = "control.human_input", config = {prompt = "Approve?", fields = ["approved"]}}``
    """

    config_schema = HumanInputConfig

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("input", handler=self.ask)
        self.define_slot("trigger", handler=self.ask)
        self.define_event("answer", ["prompt"])

    def ask(self, **data: Any) -> None:
        settings = self.settings()
        self.pause_for_input(
            "answer",
            {**data, "prompt": settings.prompt, "expects": settings.fields},
            prompt=settings.prompt,
            fields=settings.fields,
        )


@routilux.hookimpl
def routilux_routines() -> dict[str, Any]:
    return {
        "control.route": Route,
        "control.aggregate": Aggregate,
        "control.batch": Batch,
        "control.human_input": HumanInput,
    }
