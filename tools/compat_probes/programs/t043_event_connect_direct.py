"""Wiring events to slots by hand, without a Flow."""
from routilux import Routine, Connection


class Emitter(Routine):
    def __init__(self):
        super().__init__()
        self.out = self.define_event("out", ["msg"])


class Listener(Routine):
    def __init__(self):
        super().__init__()
        self.inbox = self.define_slot("inbox", handler=self.on_msg)

    def on_msg(self, msg=None, text=None, **kwargs):
        print(f"{self.get_config('name')} got msg={msg} text={text}")


e = Emitter()
a = Listener()
a.set_config(name="a")
b = Listener()
b.set_config(name="b")
e.out.connect(a.inbox)
print(len(e.out.connected_slots), len(a.inbox.connected_events))
e.emit("out", msg="hi")
conn = Connection(e.out, b.inbox, param_mapping={"msg": "text"})
conn.activate({"msg": "via connection"})
e.out.disconnect(a.inbox)
e.emit("out", msg="after disconnect")
print(len(e.out.connected_slots))
