"""Reading spec files, and the one substitution rule: ``{{ params.NAME }}``.

`load_spec_file` parses a ``.toml``, ``.json`` or ``.yaml``/``.yml`` file into
plain data (each format's safe loader: nothing in a file is evaluated);
`substitute_params` fills run-time parameters into routine configs.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from .errors import FlowSpecError

PLACEHOLDER = re.compile(r"\{\{\s*params\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


def substitute_params(
    value: Any, params: dict[str, Any], path: str, problems: list[tuple[str, str]]
) -> Any:
    """Replace ``{{ params.NAME }}`` placeholders in the strings of `value`.

    The one substitution rule of specs, applied to routine configs: a string
    that is exactly one placeholder becomes the parameter's value (keeping its
    type: ``"{{ params.top }}"`` with ``top=10`` is the number 10); a
    placeholder inside a longer string is replaced by the value's text. Nothing
    is evaluated. A name with no value is a problem at `path`.
    """
    if isinstance(value, str):
        names = PLACEHOLDER.findall(value)
        if not names:
            return value
        missing = [n for n in names if n not in params]
        if missing:
            given = ", ".join(sorted(params)) or "none"
            problems.append(
                (
                    path,
                    f"param {missing[0]!r} is not set (params set: {given}); pass it with "
                    f"--param {missing[0]}=VALUE or give it a default under [params]",
                )
            )
            return value
        whole = PLACEHOLDER.fullmatch(value.strip())
        if whole:
            return params[whole.group(1)]
        return PLACEHOLDER.sub(lambda m: str(params[m.group(1)]), value)
    if isinstance(value, dict):
        return {k: substitute_params(v, params, f"{path}.{k}", problems) for k, v in value.items()}
    if isinstance(value, list):
        return [substitute_params(v, params, f"{path}[{i}]", problems) for i, v in enumerate(value)]
    return value


def load_spec_file(path: str) -> Any:
    """Read a spec file (``.toml``, ``.json``; ``.yaml``/``.yml`` with PyYAML installed)."""
    import json
    import os

    suffix = os.path.splitext(path)[1].lower()
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        raise FlowSpecError([("", f"cannot read spec file: {exc.strerror or exc}")], path) from None
    try:
        if suffix == ".toml":
            if sys.version_info >= (3, 11):
                import tomllib
            else:  # pragma: no cover - Python 3.10
                import tomli as tomllib
            return tomllib.loads(raw.decode("utf-8"))
        if suffix in (".yaml", ".yml"):
            try:
                import yaml  # type: ignore[import-untyped]
            except ImportError:
                raise FlowSpecError(
                    [("", "YAML specs need PyYAML: pip install 'routilux[yaml]'")], path
                ) from None
            return yaml.safe_load(raw.decode("utf-8"))
        if suffix == ".json":
            return json.loads(raw.decode("utf-8"))
    except FlowSpecError:
        raise
    except Exception as exc:
        raise FlowSpecError([("", f"not valid {suffix[1:].upper()}: {exc}")], path) from None
    raise FlowSpecError([("", "unknown spec format; use .toml, .json, .yaml or .yml")], path)
