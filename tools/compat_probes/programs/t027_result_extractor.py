"""ResultExtractor pulling JSON out of an LLM-style reply."""
from routilux import Flow, Routine, ResultExtractor, JobState


class Llm(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.reply)
        self.define_event("output", ["data"])

    def reply(self, **kwargs):
        text = 'Sure! Here it is:\n```json\n{"answer": 42, "ok": true}\n```\n'
        self.emit("output", data=text)


class Show(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.show)

    def show(self, **kwargs):
        print("extracted:", kwargs.get("extracted_result"))
        print("format:", kwargs.get("format"))


flow = Flow(flow_id="extract")
flow.add_routine(Llm(), "llm")
flow.add_routine(ResultExtractor(), "extract")
flow.add_routine(Show(), "show")
flow.connect("llm", "output", "extract", "input")
flow.connect("extract", "output", "show", "input")
job = flow.execute("llm")
JobState.wait_for_completion(flow, job, timeout=5)
print(job.status)
