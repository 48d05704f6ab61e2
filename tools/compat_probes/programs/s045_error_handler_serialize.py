from routilux import ErrorHandler, ErrorStrategy

handler = ErrorHandler(strategy=ErrorStrategy.RETRY, max_retries=5, retry_delay=0.5, retry_backoff=3.0, is_critical=True)
data = handler.serialize()
print("strategy:", data["strategy"])
print("max_retries:", data["max_retries"], "delay:", data["retry_delay"], "backoff:", data["retry_backoff"])
print("is_critical:", data["is_critical"], "retry_count:", data["retry_count"])

copy = ErrorHandler()
copy.deserialize(data)
print("restored:", copy.strategy, copy.max_retries, copy.retry_delay, copy.retry_backoff, copy.is_critical)
print("is RETRY:", copy.strategy == ErrorStrategy.RETRY)

h2 = ErrorHandler(strategy="continue")
print("from string:", h2.strategy, h2.strategy.value)
print("defaults:", ErrorHandler().strategy.value, ErrorHandler().max_retries)
print("all strategies:", [s.value for s in ErrorStrategy])
h2.retry_count = 3
h2.reset()
print("after reset:", h2.retry_count)
