from routilux import Flow, Routine, JobState, ResultExtractor


class LLM(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.answer)
        self.define_event("output", ["data"])

    def answer(self, **kwargs):
        self.emit("output", data='Here you go:\n```json\n{"answer": 42, "unit": "none"}\n```')
        self.emit("output", data='{"status": "ok"}')
        self.emit("output", data="just plain text")


class Show(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.show)

    def show(self, extracted_result=None, format=None, **kwargs):
        print(format, "->", extracted_result)


flow = Flow(flow_id="extract")
flow.add_routine(LLM(), "llm")
flow.add_routine(ResultExtractor(), "extractor")
flow.add_routine(Show(), "show")
flow.connect("llm", "output", "extractor", "input")
flow.connect("extractor", "output", "show", "input")
js = flow.execute("llm")
JobState.wait_for_completion(flow, js, timeout=5)
print(js.status)
flow.shutdown()
