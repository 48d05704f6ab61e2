"""update_routine_state merges keys; routine state written from outside the flow too."""
from routilux import JobState

js = JobState(flow_id="manual")
print(js.status, js.flow_id, js.routine_states)
js.update_routine_state("r1", {"a": 1})
js.update_routine_state("r1", {"b": 2})
js.update_routine_state("r1", {"a": 3})
print(js.get_routine_state("r1"))
print(js.get_routine_state("nobody"))
js.record_execution("r1", "out", {"x": 1})
js.record_execution("r2", "out", {"x": 2})
print([(r.routine_id, r.event_name, r.data) for r in js.get_execution_history()])
print([r.data for r in js.get_execution_history("r2")])
js.update_shared_data("k", [1, 2])
print(js.get_shared_data("k"), js.shared_data)
js.append_to_shared_log({"event": "manual"})
print(len(js.get_shared_log()), js.get_shared_log()[0]["event"])
