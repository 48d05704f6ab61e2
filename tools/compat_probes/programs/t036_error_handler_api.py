"""ErrorHandler on its own: strategies, serialize, reset."""
from routilux import ErrorHandler, ErrorStrategy

for s in ["stop", "continue", "retry", "skip", ErrorStrategy.RETRY]:
    h = ErrorHandler(strategy=s)
    print(h.strategy, h.strategy.value, h.max_retries, h.retry_delay, h.retry_backoff, h.is_critical)

h = ErrorHandler(strategy="retry", max_retries=5, retry_delay=0.5, retry_backoff=3.0, is_critical=True)
data = h.serialize()
print(sorted(k for k in data))
print(data["strategy"], data["max_retries"], data["retry_delay"], data["retry_backoff"], data["is_critical"])
h2 = ErrorHandler()
h2.deserialize(data)
print(h2.strategy, h2.max_retries, h2.retry_delay, h2.retry_backoff, h2.is_critical)
print("retry_count:", h2.retry_count)
h2.retry_count = 3
h2.reset()
print("after reset:", h2.retry_count)
print([s.value for s in ErrorStrategy])
