"""An emit's history record keeps routilux's own objects (a routine, an error handler,
a flow, ...) by their str(), as routilux 0.10 recorded them; the handlers it reaches
get the objects themselves, and every other value is kept as it is."""

from __future__ import annotations

from routilux import ErrorHandler, Flow, JobState, Routine


class Sends(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("out", ["obj", "handler", "items", "pair"])

    def go(self) -> None:
        self.emit("out", obj=self, handler=ErrorHandler(), items=[1, {"a": self}], pair=(1, 2))


class Keeps(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.got: list[dict] = []
        self.define_slot("input", handler=self.take)

    def take(self, **data: object) -> None:
        self.got.append(data)


def test_own_objects_are_recorded_by_their_str_and_delivered_as_they_are():
    flow = Flow(flow_id="objects")
    sends, keeps = Sends(), Keeps()
    flow.add_routine(sends, "sends")
    flow.add_routine(keeps, "keeps")
    flow.connect("sends", "out", "keeps", "input")
    job = flow.execute("sends")
    assert JobState.wait_for_completion(flow, job, timeout=30)
    (delivered,) = keeps.got
    assert delivered["obj"] is sends and isinstance(delivered["handler"], ErrorHandler)
    record = job.get_execution_history("sends")[-1]
    assert record.data["obj"] == str(sends)
    assert record.data["handler"].startswith("<routilux.error_handler.ErrorHandler object")
    # only the top-level values, as 0.10: a routine inside a list stays an object
    assert record.data["items"][1]["a"] is sends and record.data["pair"] == (1, 2)
    flow.shutdown()


def test_a_serilux_serializable_of_the_program_is_recorded_by_its_str():
    from serilux import Serializable

    class Point(Serializable):
        def __str__(self) -> str:
            return "Point(1, 2)"

    class SendsPoint(Sends):
        def go(self) -> None:
            self.emit("out", obj=Point())

    flow = Flow(flow_id="serilux-objects")
    flow.add_routine(SendsPoint(), "sends")
    job = flow.execute("sends")
    assert JobState.wait_for_completion(flow, job, timeout=30)
    assert job.get_execution_history("sends")[-1].data == {"obj": "Point(1, 2)"}
    flow.shutdown()
