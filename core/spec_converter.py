"""The cattrs converter for specs and routine configs, and its errors as problems.

`read_spec` structures parsed TOML/JSON/YAML into a `routilux.spec_model.FlowSpec`;
`structure` does the same for any one class (an ``error_handler`` entry, a
routine's config schema). Every key must be known (an unknown one is reported
with the closest known key) and every value must have its declared type, with
no silent coercion (``"5"`` is not an int, ``true`` is not 1). cattrs' errors
(an exception group per class, list and mapping) become ``(path, message)``
problems, the path naming the key (``routines.count.error_handler.max_retries``,
``connections[2].from``, ``routines.read.config.path``).
"""

from __future__ import annotations

import difflib
import enum
import types
import typing
from collections import abc
from typing import Any

import attrs
import cattrs
from cattrs import cols
from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
)
from cattrs.gen import make_dict_structure_fn, override

from .built_once import BuiltOnce
from .errors import FlowSpecError, RoutiluxError
from .spec_model import (
    SHAPES,
    SPEC_CLASSES,
    FlowSpec,
    RoutineSpec,
    SpecValueError,
    choice_problem,
    external_name,
    field_hooks,
    known_keys,
    value_text,
)

Problems = list[tuple[str, str]]


# --------------------------------------------------------------------- converter


def _strict(kind: type) -> abc.Callable[[Any, Any], Any]:
    """int, float, str, bool as given: cattrs would turn "5" into 5 and True into 1."""

    def structure(value: Any, _: Any) -> Any:
        if isinstance(value, kind) and not (type(value) is bool and kind is not bool):
            return value
        if kind is float and type(value) is int:
            return float(value)
        raise SpecValueError(f"expected {kind.__name__}, got {value_text(value)}")

    return structure


def _is_collection(kind: Any) -> bool:
    return bool(cols.is_mapping(kind) or cols.is_sequence(kind) or cols.is_any_set(kind))


def _collection_hook(kind: Any, conv: cattrs.Converter) -> abc.Callable[[Any, Any], Any]:
    """Mappings only from mappings, sequences and sets only from lists (not from a str)."""
    if cols.is_mapping(kind):
        inner = cols.mapping_structure_factory(kind, conv)

        def mapping(value: Any, _: Any) -> Any:
            if not isinstance(value, dict):
                raise SpecValueError(f"must be a mapping, not {type(value).__name__}")
            return inner(value, kind)

        return mapping
    origin = typing.get_origin(kind) or kind
    args = typing.get_args(kind)
    fixed = origin is tuple and bool(args) and args[-1] is not Ellipsis
    item = args[0] if args and not fixed else Any
    items = cols.list_structure_factory(list[item], conv)  # type: ignore[valid-type]

    def sequence(value: Any, _: Any) -> Any:
        if not isinstance(value, list | tuple):
            raise SpecValueError(f"expected a list, got {value_text(value)}")
        if fixed:
            if len(value) != len(args):
                raise SpecValueError(f"expected {len(args)} items, got {len(value)}")
            return tuple(conv.structure(v, a) for v, a in zip(value, args, strict=True))
        result = items(list(value), list[item])  # type: ignore[valid-type]
        return result if origin in (list, abc.Sequence, abc.MutableSequence) else origin(result)

    return sequence


def _is_union(kind: Any) -> bool:
    return typing.get_origin(kind) in (typing.Union, types.UnionType)


def _union_hook(kind: Any, conv: cattrs.Converter) -> abc.Callable[[Any, Any], Any]:
    """A union's first member the value is (exactly, for int/float/str/bool), or structures to."""
    members = typing.get_args(kind)
    name = " | ".join(
        "None" if m is type(None) else getattr(m, "__name__", str(m)) for m in members
    )

    def union(value: Any, _: Any) -> Any:
        if value is None and type(None) in members:
            return None
        for member in members:
            if member in (int, float, str, bool) and (
                type(value) is member or (member is float and type(value) is int)
            ):
                return conv.structure(value, member)
        others = [m for m in members if m not in (int, float, str, bool, type(None))]
        if len(others) == 1:  # Optional[X] and the like: X's own errors name its keys
            return conv.structure(value, others[0])
        for member in others:
            try:
                return conv.structure(value, member)
            except Exception:  # the next member may fit
                continue
        raise SpecValueError(f"expected {name}, got {value_text(value)}")

    return union


def _is_enum(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, enum.Enum)


def _enum_hook(kind: Any, conv: cattrs.Converter) -> abc.Callable[[Any, Any], Any]:
    values = {member.value: member for member in kind}

    def structure(value: Any, _: Any) -> Any:
        if type(value) in (str, int, float) and value in values:
            return values[value]
        raise SpecValueError(choice_problem(value, [str(v) for v in values]))

    return structure


def _is_literal(kind: Any) -> bool:
    return bool(typing.get_origin(kind) == typing.Literal)


def _literal_hook(kind: Any, conv: cattrs.Converter) -> abc.Callable[[Any, Any], Any]:
    choices = typing.get_args(kind)

    def literal(value: Any, _: Any) -> Any:
        if value in choices and type(value) in {type(c) for c in choices}:
            return value
        raise SpecValueError(choice_problem(value, [str(c) for c in choices]))

    return literal


def _build_converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True)
    for kind in (str, int, float, bool):
        conv.register_structure_hook(kind, _strict(kind))
    conv.register_structure_hook_factory(_is_collection, _collection_hook)
    conv.register_structure_hook_factory(_is_literal, _literal_hook)
    conv.register_structure_hook_factory(_is_union, _union_hook)
    conv.register_structure_hook_factory(_is_enum, _enum_hook)
    overrides = field_hooks(conv)

    def attrs_hook(cls: type) -> abc.Callable[[Any, Any], Any]:
        renames = {
            f.name: override(rename=external_name(cls, f.name))
            for f in attrs.fields(cls)
            if external_name(cls, f.name) != f.name
        }
        fields = {**renames, **overrides.get(cls, {})}
        for name, rename in renames.items():
            if name in fields and fields[name].struct_hook is not None:
                fields[name] = override(rename=rename.rename, struct_hook=fields[name].struct_hook)
        inner: abc.Callable[[Any, Any], Any] = make_dict_structure_fn(
            cls, conv, _cattrs_forbid_extra_keys=True, **fields
        )
        shape = SHAPES.get(cls, "a mapping")

        def structure(value: Any, _: Any) -> Any:
            if not isinstance(value, dict):
                raise SpecValueError(f"must be {shape}, not {type(value).__name__}")
            result = inner(value, cls)
            if cls is RoutineSpec and result.type is None and result.class_ is None:
                raise SpecValueError("needs a 'type' (a registered routine name)")
            if cls is RoutineSpec and result.type is not None and result.class_ is not None:
                raise SpecValueError(
                    f"gives both 'type' ({result.type!r}) and 'class' ({result.class_!r}); "
                    "keep one of them"
                )
            return result

        return structure

    conv.register_structure_hook_factory(attrs.has, attrs_hook)
    return conv


_converter: BuiltOnce[cattrs.Converter] = BuiltOnce(lambda: _build_converter())


def converter() -> cattrs.Converter:
    """The converter for specs and routine configs (built on first use)."""
    return _converter()


# ------------------------------------------------------------------------ errors


def _join(path: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


def unknown_key(cls: type, key: str) -> str:
    """The message for `key`, not a field of `cls`: the closest known key, and all of them."""
    known = known_keys(cls)
    close = difflib.get_close_matches(key, known, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    if cls in SPEC_CLASSES:
        return f"unknown key; {hint}use one of {known}"
    return f"unknown config key; {hint}known: {sorted(known)}"


def problems_of(exc: BaseException, path: str, cls: type | None = None) -> Problems:
    """The ``(path, message)`` problems in a cattrs structuring error, in document order.

    `cls` is the attrs class whose field raised `exc` (for a missing key's wording).
    """
    if isinstance(exc, ClassValidationError):
        problems: Problems = []
        with_notes, without = exc.group_exceptions()
        for sub, note in with_notes:
            key = external_name(exc.cl, note.name)
            problems += problems_of(sub, _join(path, key), exc.cl)
        for sub in without:
            problems += problems_of(sub, path, exc.cl)
        return problems
    if isinstance(exc, IterableValidationError):
        items, rest = exc.group_exceptions()
        problems = []
        for sub, item in items:
            problems += problems_of(sub, _join(path, item.index))
        for sub in rest:
            problems += problems_of(sub, path)
        return problems
    if isinstance(exc, ForbiddenExtraKeysError):
        return [(_join(path, key), unknown_key(exc.cl, key)) for key in sorted(exc.extra_fields)]
    if isinstance(exc, KeyError):
        config = cls is not None and cls not in SPEC_CLASSES
        return [(path, "required config key is missing" if config else "required key is missing")]
    if isinstance(exc, FlowSpecError):
        return [(_join(path, p) if p else path, m) for p, m in exc.problems]
    if isinstance(exc, SpecValueError | RoutiluxError):
        return [(path, str(exc))]
    return [(path, f"{type(exc).__name__}: {exc}")]


def structure(data: Any, cls: type[Any], path: str) -> Any:
    """`data` structured into `cls`; a `FlowSpecError` listing every problem otherwise."""
    try:
        return converter().structure(data, cls)
    except (ClassValidationError, IterableValidationError, SpecValueError) as exc:
        raise FlowSpecError(problems_of(exc, path)) from None


def read_spec(data: Any) -> tuple[FlowSpec | None, Problems]:
    """Structure a spec document; returns the spec and every problem found.

    A spec with problems still gives a `FlowSpec` of its sound parts (the
    routines, connections and keys that have no problem), so that building the
    flow can report its own problems too; None only if `data` is not a mapping.
    """
    if not isinstance(data, dict):
        return None, [("", f"a flow spec must be a mapping, not {type(data).__name__}")]
    conv = converter()
    missing: Problems = []
    if "routines" not in data:
        missing.append(("routines", "must be a non-empty mapping of routine id to routine"))
    try:
        return conv.structure(data, FlowSpec), missing
    except ClassValidationError as exc:
        problems = problems_of(exc, "") + missing
        sound = _sound_parts(data, exc)
    try:
        return conv.structure(sound, FlowSpec), problems
    except ClassValidationError:  # pragma: no cover - the sound parts structure
        return None, problems


def _sound_parts(data: dict[Any, Any], exc: ClassValidationError) -> dict[Any, Any]:
    """`data` without the keys, routines and connections that `exc` reports."""
    bad_keys: set[Any] = set()
    bad_items: dict[str, set[Any]] = {"routines": set(), "connections": set()}
    with_notes, without = exc.group_exceptions()
    for sub, note in with_notes:
        if note.name in bad_items and isinstance(sub, IterableValidationError):
            items, rest = sub.group_exceptions()
            bad_items[note.name].update(item.index for _, item in items)
            if not rest:
                continue
        bad_keys.add(external_name(FlowSpec, note.name))
    for sub in without:
        if isinstance(sub, ForbiddenExtraKeysError):
            bad_keys.update(sub.extra_fields)
    sound = {k: v for k, v in data.items() if k not in bad_keys}
    if bad_items["routines"]:
        routines = {
            k: v for k, v in sound["routines"].items() if str(k) not in bad_items["routines"]
        }
        sound["routines"] = routines
        if not routines:
            del sound["routines"]
    if bad_items["connections"]:
        sound["connections"] = [
            c for i, c in enumerate(sound["connections"]) if i not in bad_items["connections"]
        ]
    return sound
