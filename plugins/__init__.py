"""routilux's built-in plugins.

Each module here is registered under the ``routilux`` entry-point group in
pyproject.toml, exactly as a third-party plugin would be; the core never
imports them.
"""
