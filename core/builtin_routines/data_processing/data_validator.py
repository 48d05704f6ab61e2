"""`DataValidator`: check data against per-field rules; emit ``valid`` or ``invalid``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...routine import Routine
from .._input import extract_input

#: Validators every DataValidator knows by name (routilux 0.10's set).
BUILTIN_VALIDATORS: dict[str, Callable[[Any], Any]] = {
    "not_empty": lambda x: x is not None and x != "",
    "is_string": lambda x: isinstance(x, str),
    "is_int": lambda x: isinstance(x, int),
    "is_float": lambda x: isinstance(x, float),
    "is_number": lambda x: isinstance(x, (int, float)),
    "is_dict": lambda x: isinstance(x, dict),
    "is_list": lambda x: isinstance(x, list),
    "is_positive": lambda x: isinstance(x, (int, float)) and x > 0,
    "is_non_negative": lambda x: isinstance(x, (int, float)) and x >= 0,
}


class DataValidator(Routine):
    """Validate ``data``; emit ``valid`` (``validated_data``) or ``invalid`` (``errors``, ``data``).

    Slot ``input`` takes ``data`` (or any single value, or everything received)
    and optionally ``rules`` (overriding the config's). Rules map a field to a
    validator: a built-in name (``not_empty``, ``is_string``, ``is_int``,
    ``is_float``, ``is_number``, ``is_dict``, ``is_list``, ``is_positive``,
    ``is_non_negative``, or one added with `register_validator`) or a callable
    returning a bool or ``(ok, message)``. A dict is checked field by field
    (and for ``required_fields``; ``allow_extra_fields=False`` rejects fields
    without a rule), a list item by item with the rule ``"items"``, any other
    value with the rule ``"value"``. ``strict_mode`` stops each pass at its
    first error. Error messages are routilux 0.10's, e.g. ``"Required field
    'x' is missing"``, ``"Field 'x' failed validation"``.
    """

    def __init__(self) -> None:
        super().__init__()
        self.set_config(rules={}, strict_mode=False, required_fields=[], allow_extra_fields=True)
        #: Named validators added by `register_validator` (static, like config).
        self._validators: dict[str, Callable[[Any], Any]] = dict(BUILTIN_VALIDATORS)
        self.input_slot = self.define_slot("input", handler=self._handle_input)
        self.valid_event = self.define_event("valid", ["validated_data"])
        self.invalid_event = self.define_event("invalid", ["errors", "data"])

    def register_validator(self, name: str, func: Callable[[Any], Any]) -> None:
        """Make `func` usable in rules as `name`."""
        self._validators[name] = func

    def _handle_input(
        self, data: Any = None, rules: dict[str, Any] | None = None, **kwargs: Any
    ) -> None:
        value = extract_input(data, kwargs)
        rules = rules or self.get_config("rules", {})
        errors = self._errors(value, rules or {})
        if errors:
            self.emit("invalid", errors=errors, data=value)
        else:
            self.emit("valid", validated_data=value)

    def _errors(self, value: Any, rules: dict[str, Any]) -> list[Any]:
        strict = self.get_config("strict_mode", False)
        errors: list[Any] = []
        if isinstance(value, dict):
            for field in self.get_config("required_fields", []):
                if field not in value:
                    errors.append(f"Required field '{field}' is missing")
                    if strict:
                        break
            for field, item in value.items():
                if field in rules:
                    ok, error = self._check(field, item, rules[field])
                elif not self.get_config("allow_extra_fields", True):
                    ok, error = False, f"Unexpected field '{field}'"
                else:
                    continue
                if not ok:
                    errors.append(error)
                    if strict:
                        break
        elif isinstance(value, (list, tuple)):
            if "items" in rules:
                for i, item in enumerate(value):
                    ok, error = self._check(f"items[{i}]", item, rules["items"])
                    if not ok:
                        errors.append(error)
                        if strict:
                            break
        elif "value" in rules:
            ok, error = self._check("value", value, rules["value"])
            if not ok:
                errors.append(error)
        return errors

    def _check(self, field: str, value: Any, validator: Any) -> tuple[bool, Any]:
        """``(True, None)`` if `value` passes `validator`, else ``(False, message)``."""
        try:
            if isinstance(validator, str):
                func = self._validators.get(validator)
                if func is None:
                    return False, f"Unknown validator: {validator}"
                ok = bool(func(value))
            elif callable(validator):
                result = validator(value)
                if isinstance(result, tuple) and len(result) == 2:
                    return (True, None) if result[0] else (False, result[1])
                ok = bool(result)
            else:
                return False, f"Invalid validator for field '{field}'"
        except Exception as exc:
            return False, f"Validation error for field '{field}': {exc}"
        return (True, None) if ok else (False, f"Field '{field}' failed validation")
