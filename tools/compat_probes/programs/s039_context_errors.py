from routilux import Routine


class Helper(Routine):
    def __init__(self):
        super().__init__()
        self.define_event("later", ["x"])


h = Helper()
print("context outside flow:", h.get_execution_context())
for call in (lambda: h.send_output("status", ok=True), lambda: h.emit_deferred_event("later", x=1)):
    try:
        call()
    except Exception as e:
        print(type(e).__name__, "-", e)
        print("is RuntimeError:", isinstance(e, RuntimeError))
