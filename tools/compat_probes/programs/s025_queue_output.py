import queue

from routilux import JobState, QueueOutputHandler, NullOutputHandler

q = queue.Queue()
js = JobState(flow_id="q_demo")
js.set_output_handler(QueueOutputHandler(q))
js.send_output("r1", "progress", {"pct": 10})
js.send_output("r1", "progress", {"pct": 90})
js.send_output("r2", "result", {"value": "done"})
while not q.empty():
    item = q.get()
    print(sorted(item.keys()))
    print(item["routine_id"], item["output_type"], item["data"])

js.set_output_handler(NullOutputHandler())
js.send_output("r3", "ignored", {"x": 1})
print("queue empty:", q.empty())
print("output_log:", [(e["routine_id"], e["output_type"]) for e in js.output_log])
js.set_output_handler(None)
js.send_output("r4", "none", {})
print("log size:", len(js.output_log))
