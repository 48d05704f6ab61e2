"""Built-in job stores: ``memory://``, ``file://`` and ``sqlite://``."""
