"""Reading spec files, and the one substitution rule: ``{{ params.NAME }}``.

`load_spec_file` parses a ``.toml``, ``.json`` or ``.yaml``/``.yml`` file into
plain data (each format's safe loader: nothing in a file is evaluated);
`substitute_params` fills run-time parameters into routine configs.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from .errors import FlowSpecError, UsageError, describe
from .payload import MAX_PAYLOAD_DEPTH

PLACEHOLDER = re.compile(r"\{\{\s*params\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
#: what starts a placeholder, written well or not (``{{ params.my-name }}``, ``{{param.x}}``)
PLACEHOLDER_START = re.compile(r"\{\{\s*params?\b")


def substitute_params(
    value: Any,
    params: dict[str, Any],
    path: str,
    problems: list[tuple[str, str]],
    _depth: int = 0,
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
        for start in PLACEHOLDER_START.finditer(value):
            if not PLACEHOLDER.match(value, start.start()):
                end = value.find("}}", start.end())
                stop = end + 2 if 0 <= end < start.end() + 60 else start.start() + 60
                text = value[start.start() : stop]
                problems.append(
                    (
                        path,
                        f"{text!r} is not a placeholder; write {{{{ params.NAME }}}} "
                        "(NAME: letters, digits and _)",
                    )
                )
                return value
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
    if isinstance(value, (dict, list)) and _depth >= MAX_PAYLOAD_DEPTH:
        shown = path if len(path) <= 100 else path[:100] + "..."
        problems.append((shown, f"nested more than {MAX_PAYLOAD_DEPTH} levels deep; flatten it"))
        return value
    depth = _depth + 1
    if isinstance(value, dict):
        return {
            k: substitute_params(v, params, f"{path}.{k}", problems, depth)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [
            substitute_params(v, params, f"{path}[{i}]", problems, depth)
            for i, v in enumerate(value)
        ]
    return value


#: the most values a YAML spec may expand to through anchors and aliases: a few
#: lines of nested aliases can otherwise stand for billions of values
MAX_YAML_VALUES = 1_000_000


class _Mapping(dict):  # type: ignore[type-arg]
    """A JSON object as read, remembering the keys it gave more than once."""

    duplicates: list[str]


def _json_object(pairs: list[tuple[str, Any]]) -> _Mapping:
    mapping = _Mapping(pairs)
    seen: set[str] = set()
    mapping.duplicates = [k for k, _ in pairs if k in seen or seen.add(k)]  # type: ignore[func-returns-value]
    return mapping


def _duplicate_problems(value: Any, path: str, problems: list[tuple[str, str]]) -> None:
    """Every key a JSON object of `value` gives twice, by its path: the JSON parser
    would keep the last silently (a second routine of the same id replacing the first)."""
    if isinstance(value, dict):
        for key in getattr(value, "duplicates", ()):
            where = f"{path}.{key}" if path else key
            problems.append((where, "key given more than once; give each key once"))
        for key, item in value.items():
            _duplicate_problems(item, f"{path}.{key}" if path else str(key), problems)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _duplicate_problems(item, f"{path}[{i}]", problems)


def _load_json(text: str, path: str) -> Any:
    import json

    data = json.loads(text, object_pairs_hook=_json_object)
    problems: list[tuple[str, str]] = []
    _duplicate_problems(data, "", problems)
    if problems:
        raise FlowSpecError(problems, path)
    return data


def _load_yaml(text: str, path: str) -> Any:
    try:
        import yaml  # type: ignore[import-untyped]
    except ImportError:
        raise FlowSpecError(
            [("", "YAML specs need PyYAML: pip install 'routilux[yaml]'")], path
        ) from None

    class SpecLoader(yaml.SafeLoader):  # type: ignore[misc]
        """The safe loader, refusing a key given twice in one mapping (the safe
        loader keeps the last silently)."""

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            seen: set[Any] = set()
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue  # "<<: *defaults" keys may be overridden
                key = self.construct_object(key_node, deep=True)
                try:
                    duplicate = key in seen
                    seen.add(key)
                except TypeError:
                    continue  # unhashable: the base class reports it
                if duplicate:
                    raise FlowSpecError(
                        [
                            (
                                "",
                                f"key {key!r} given more than once in one mapping "
                                f"(line {key_node.start_mark.line + 1}); give each key once",
                            )
                        ],
                        path,
                    )
            return super().construct_mapping(node, deep=deep)

    data = yaml.load(text, Loader=SpecLoader)  # a SafeLoader subclass: no tags that build objects
    if _expanded_size(data, {}) > MAX_YAML_VALUES:
        raise FlowSpecError(
            [
                (
                    "",
                    f"the YAML stands for more than {MAX_YAML_VALUES:,} values through "
                    "its anchors and aliases; write the data out, or use fewer aliases",
                )
            ],
            path,
        )
    return data


def _expanded_size(value: Any, sizes: dict[int, int]) -> int:
    """How many values `value` holds once its shared parts (YAML aliases) are
    counted at each use; each shared part is walked once, so this is cheap."""
    if not isinstance(value, (dict, list)):
        return 1
    known = sizes.get(id(value))
    if known is not None:
        return known
    sizes[id(value)] = MAX_YAML_VALUES + 1  # a cycle (recursive alias) is too big
    items = list(value.values()) if isinstance(value, dict) else value
    total = 1
    for item in items:
        total += _expanded_size(item, sizes)
        if total > MAX_YAML_VALUES:
            break
    sizes[id(value)] = total
    return total


def load_spec_file(path: str) -> Any:
    """Read a spec file (``.toml``, ``.json``; ``.yaml``/``.yml`` with PyYAML installed).

    A key given twice in one mapping is a `FlowSpecError` in every format (TOML's
    parser refuses it; JSON's and YAML's would keep the last value silently).
    """
    import os

    if not isinstance(path, (str, os.PathLike)):
        raise UsageError(f"a spec file path must be a str or a path, not {describe(path)}")
    path = os.fspath(path)
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
            return _load_yaml(raw.decode("utf-8"), path)
        if suffix == ".json":
            return _load_json(raw.decode("utf-8"), path)
    except FlowSpecError:
        raise
    except Exception as exc:
        raise FlowSpecError([("", f"not valid {suffix[1:].upper()}: {exc}")], path) from None
    raise FlowSpecError([("", "unknown spec format; use .toml, .json, .yaml or .yml")], path)
