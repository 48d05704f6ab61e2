"""ExecutionRecord objects: fields, serialize and deserialize."""
from datetime import datetime

from routilux import ExecutionRecord

rec = ExecutionRecord("fetch", "done", {"rows": 3}, datetime(2024, 5, 1, 12, 30, 0))
print(rec.routine_id, rec.event_name, rec.data, rec.timestamp)
print(rec)
d = rec.serialize()
print(sorted(d.items()))
back = ExecutionRecord()
back.deserialize(d)
print(back.routine_id, back.event_name, back.data, back.timestamp == rec.timestamp)
empty = ExecutionRecord()
print(repr(empty.routine_id), repr(empty.event_name), empty.data)
