"""Routines for the Dask tests: importable by the workers (see conftest.py)."""

from __future__ import annotations

import os
import threading

from routilux import Routine


class Numbers(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=self.send)
        self.define_event("n", ["n"])

    def send(self, count: int = 3) -> None:
        for n in range(count):
            self.emit("n", n=n)


class Square(Routine):
    """Emits n*n, records the pid of the process it ran in."""

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("input", handler=self.square)
        self.define_event("squared", ["n", "square"])

    def square(self, n: int) -> None:
        ctx = self.get_execution_context()
        ctx.job_state.append_to_shared_log({"pid": os.getpid(), "n": n})
        self.send_output("square", n=n, square=n * n)
        self.emit("squared", n=n, square=n * n)


class DieOnce(Routine):
    """Kills its worker process the first time it runs (a marker file remembers)."""

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("input", handler=self.work)
        self.define_event("done", ["n"])

    def work(self, n: int) -> None:
        marker = self.get_config("marker")
        if not os.path.exists(marker):
            with open(marker, "w") as handle:
                handle.write(str(os.getpid()))
            os._exit(1)  # the worker dies mid-activation
        self.emit("done", n=n)


class HoldsALock(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.lock = threading.Lock()
        self.define_slot("trigger", handler=lambda: None)


class Burn(Routine):
    """Pure-Python CPU work of about `ms` milliseconds per activation."""

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("input", handler=self.burn)
        self.define_event("done", ["n"])

    def burn(self, n: int, loops: int) -> None:
        total = 0
        for i in range(loops):
            total += i * i % 7
        self.emit("done", n=n)


class Fanout(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=self.send)
        self.define_event("n", ["n", "loops"])

    def send(self, count: int, loops: int) -> None:
        for n in range(count):
            self.emit("n", n=n, loops=loops)


# --- the seed tutorial's routines ("State Management", steps 2, 3 and 5), verbatim ---


class ItemSource(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.send)
        self.output_event = self.define_event("output", ["data"])

    def send(self, **kwargs):
        for item in ["hello", "world", "routilux"]:
            self.emit("output", data=item)


class StatefulProcessor(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.process)
        self.output_event = self.define_event("output", ["result"])

    def process(self, data=None, **kwargs):
        data_value = data or kwargs.get("data", "")
        ctx = self.get_execution_context()
        if not ctx:
            return
        current_state = ctx.job_state.get_routine_state(ctx.routine_id) or {}
        processed_count = current_state.get("processed_count", 0) + 1
        result = data_value.upper()
        ctx.job_state.update_routine_state(
            ctx.routine_id,
            {
                "processed_count": processed_count,
                "last_processed": data_value,
                "last_result": result,
                "status": "success",
            },
        )
        self.emit("output", result=result)


class DataCollector(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.collect)

    def collect(self, data=None, **kwargs):
        data_value = data or kwargs.get("data", "")
        ctx = self.get_execution_context()
        if ctx:
            ctx.job_state.append_to_shared_log(
                {"action": "collected", "data": data_value, "routine": "collector"}
            )
            collected_items = ctx.job_state.get_shared_data("collected_items", [])
            collected_items.append(data_value)
            ctx.job_state.update_shared_data("collected_items", collected_items)


class DataProcessor(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.process)
        self.output_event = self.define_event("output", ["result"])

    def process(self, data=None, **kwargs):
        data_value = data or kwargs.get("data", "")
        ctx = self.get_execution_context()
        if ctx:
            collected_items = ctx.job_state.get_shared_data("collected_items", [])
            result = f"Processed {len(collected_items)} items, current: {data_value}"
            ctx.job_state.append_to_shared_log(
                {"action": "processed", "data": data_value, "result": result}
            )
            self.emit("output", result=result)


class CountingSource(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.generate)
        self.output_event = self.define_event("output", ["data"])

    def generate(self, count=3, **kwargs):
        count = count or kwargs.get("count", 3)
        ctx = self.get_execution_context()
        if ctx:
            ctx.job_state.update_routine_state(ctx.routine_id, {"generated_count": count})
        for i in range(count):
            self.emit("output", data=f"item_{i}")


class Validator(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.validate)
        self.output_event = self.define_event("output", ["data", "valid"])

    def validate(self, data=None, **kwargs):
        data_value = data or kwargs.get("data", "")
        ctx = self.get_execution_context()
        if not ctx:
            return
        current_state = ctx.job_state.get_routine_state(ctx.routine_id) or {}
        is_valid = "item" in str(data_value)
        if is_valid:
            valid_count = current_state.get("valid_count", 0) + 1
            ctx.job_state.update_routine_state(
                ctx.routine_id, {"valid_count": valid_count, "last_valid": data_value}
            )
        else:
            invalid_count = current_state.get("invalid_count", 0) + 1
            ctx.job_state.update_routine_state(
                ctx.routine_id, {"invalid_count": invalid_count, "last_invalid": data_value}
            )
        self.emit("output", data=data_value, valid=is_valid)


class Aggregator(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.aggregate)

    def aggregate(self, data=None, valid=None, **kwargs):
        is_valid = valid if valid is not None else kwargs.get("valid", False)
        ctx = self.get_execution_context()
        if ctx:
            current_state = ctx.job_state.get_routine_state(ctx.routine_id) or {}
            total_received = current_state.get("total_received", 0) + 1
            total_valid = current_state.get("total_valid", 0)
            if is_valid:
                total_valid += 1
            ctx.job_state.update_routine_state(
                ctx.routine_id, {"total_received": total_received, "total_valid": total_valid}
            )


def tutorial_flow(step, flow):
    """Wire the tutorial's step 2, 3 or 5 into `flow`; returns the entry id and params."""
    if step == 2:
        flow.add_routine(ItemSource(), "source")
        flow.add_routine(StatefulProcessor(), "processor")
        flow.connect("source", "output", "processor", "input")
        return "source", None
    if step == 3:
        flow.add_routine(ItemSource(), "source")
        flow.add_routine(DataCollector(), "collector")
        flow.add_routine(DataProcessor(), "processor")
        flow.connect("source", "output", "collector", "input")
        flow.connect("source", "output", "processor", "input")
        return "source", None
    flow.add_routine(CountingSource(), "source")
    flow.add_routine(Validator(), "validator")
    flow.add_routine(Aggregator(), "aggregator")
    flow.connect("source", "output", "validator", "input")
    flow.connect("validator", "output", "aggregator", "input")
    return "source", {"count": 5}


class Sleeps(Routine):
    """Sleeps `seconds` in its trigger, whose timeout is 0.5 s."""

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=self.sleep, timeout=0.5)

    def sleep(self, seconds: float) -> None:
        import time

        time.sleep(seconds)
