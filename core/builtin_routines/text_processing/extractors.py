"""The extractors `ResultExtractor` tries: each takes ``(data, config)`` and returns
``(result, format, metadata)`` or None when it does not apply.

They mirror routilux 0.10's built-in set: interpreter output lists, JSON in
``json`` code blocks or plain strings, other code blocks, YAML (only when
PyYAML is installed and enabled), XML blocks, and dicts/lists passed as they
are. None of them runs code found in the data (YAML uses ``safe_load``).
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import re
from collections.abc import Callable
from typing import Any

Extraction = tuple[Any, str, dict[str, Any]]
Extractor = Callable[[Any, dict[str, Any]], "Extraction | None"]


def code_blocks(text: str, language: str) -> list[str]:
    """Bodies of the ```` ```language ```` (and ```` ```{language} ````) blocks in `text`."""
    lang = re.escape(language)
    found: list[str] = []
    for pattern in (rf"```{lang}\s*\n(.*?)```", rf"```\{{{lang}\}}\s*\n(.*?)```"):
        found.extend(re.findall(pattern, text, re.DOTALL | re.IGNORECASE))
    return found


def interpreter_output(data: Any, config: dict[str, Any]) -> Extraction | None:
    """Join the ``format == "output"`` contents (and plain strings) of a code
    interpreter's output list, if the list has that shape."""
    if not isinstance(data, list) or not config.get("format_interpreter_output", True):
        return None
    shaped = False
    lines: list[str] = []
    for item in data:
        if isinstance(item, dict):
            if "format" in item or "content" in item:
                shaped = True
                content = item.get("content")
                if item.get("format") == "output" and content and str(content).strip():
                    lines.append(str(content))
        elif isinstance(item, str) and item.strip():
            lines.append(item)
    if not (shaped and lines):
        return None
    meta = {
        "extraction_method": "interpreter_output",
        "output_count": len(lines),
        "line_count": len(lines),
    }
    return "\n".join(lines), "interpreter_output", meta


def json_code_block(data: Any, config: dict[str, Any]) -> Extraction | None:
    """The last ``json`` code block that parses."""
    if not isinstance(data, str) or not config.get("extract_json_blocks", True):
        return None
    blocks = code_blocks(data, "json")
    for block in reversed(blocks):
        try:
            parsed = json.loads(block.strip())
        except json.JSONDecodeError:
            continue
        meta = {
            "extraction_method": "json_code_block",
            "block_count": len(blocks),
            "block_index": blocks.index(block),
        }
        return parsed, "json", meta
    return None


def json_string(data: Any, config: dict[str, Any]) -> Extraction | None:
    """A string that is itself a JSON object or array."""
    if not isinstance(data, str) or not config.get("parse_json_strings", True):
        return None
    text = data.strip()
    if text[:1] in ("{", "[") and len(text) > 2:
        try:
            return json.loads(text), "json", {"extraction_method": "json_string"}
        except json.JSONDecodeError:
            return None
    return None


def code_block(data: Any, config: dict[str, Any]) -> Extraction | None:
    """The last block of the first language in ``code_block_languages`` that has one."""
    if not isinstance(data, str) or not config.get("extract_code_blocks", True):
        return None
    for lang in config.get("code_block_languages", ["json", "python", "output"]):
        if lang == "json":
            continue
        blocks = code_blocks(data, lang)
        if blocks:
            meta = {"extraction_method": f"{lang}_code_block", "block_count": len(blocks)}
            return blocks[-1], lang, meta
    return None


def _yaml() -> Any:
    return importlib.import_module("yaml")


def yaml_code_block(data: Any, config: dict[str, Any]) -> Extraction | None:
    """The last ``yaml`` (or ``yml``) code block that loads (PyYAML, safe loader)."""
    if not isinstance(data, str) or not config.get("extract_yaml_blocks", False):
        return None
    blocks = code_blocks(data, "yaml") or code_blocks(data, "yml")
    for block in reversed(blocks):
        try:
            loaded = _yaml().safe_load(block.strip())
        except Exception:
            continue
        return loaded, "yaml", {"extraction_method": "yaml_code_block", "block_count": len(blocks)}
    return None


def yaml_string(data: Any, config: dict[str, Any]) -> Extraction | None:
    """A string that loads as YAML to something other than None."""
    if not isinstance(data, str) or not config.get("parse_yaml_strings", False):
        return None
    try:
        loaded = _yaml().safe_load(data.strip())
    except Exception:
        return None
    return None if loaded is None else (loaded, "yaml", {"extraction_method": "yaml_string"})


def xml_code_block(data: Any, config: dict[str, Any]) -> Extraction | None:
    """The last ``xml`` code block, as text."""
    if not isinstance(data, str) or not config.get("extract_xml_blocks", False):
        return None
    blocks = code_blocks(data, "xml")
    if not blocks:
        return None
    return blocks[-1], "xml", {"extraction_method": "xml_code_block", "block_count": len(blocks)}


def whole_dict(data: Any, config: dict[str, Any]) -> Extraction | None:
    """A dict, as it is."""
    if isinstance(data, dict):
        return data, "dict", {"extraction_method": "direct", "key_count": len(data)}
    return None


def whole_list(data: Any, config: dict[str, Any]) -> Extraction | None:
    """A list, as it is."""
    if isinstance(data, list):
        return data, "list", {"extraction_method": "direct", "item_count": len(data)}
    return None


def builtin_extractors() -> dict[str, Extractor]:
    """The built-in extractors by name, in 0.10's registration order (YAML only
    when PyYAML is importable)."""
    found: dict[str, Extractor] = {
        "interpreter_output": interpreter_output,
        "json_code_block": json_code_block,
        "json_string": json_string,
        "code_block": code_block,
    }
    if importlib.util.find_spec("yaml") is not None:
        found["yaml_code_block"] = yaml_code_block
        found["yaml_string"] = yaml_string
    found["xml_code_block"] = xml_code_block
    found["dict_extractor"] = whole_dict
    found["list_extractor"] = whole_list
    return found


#: Default order: the specialised extractors first, then the generic, custom between.
SPECIALISED = (
    "interpreter_output",
    "json_code_block",
    "json_string",
    "yaml_code_block",
    "yaml_string",
    "xml_code_block",
    "code_block",
)
GENERIC = ("dict_extractor", "list_extractor")


def default_rank(name: str) -> int:
    """Where extractor `name` goes when no ``extractor_priority`` is configured."""
    if name in SPECIALISED:
        return SPECIALISED.index(name)
    if name in GENERIC:
        return 50 + GENERIC.index(name)
    return 150


def confidence(result: Any, fmt: str, metadata: dict[str, Any]) -> float:
    """0.10's score in [0, 1]: base 0.5, more for structures, code blocks and
    JSON/YAML, less for empty results."""
    score = 0.5
    if isinstance(result, (dict, list)):
        score += 0.2
    if "code_block" in metadata.get("extraction_method", ""):
        score += 0.1
    if fmt in ("json", "yaml"):
        score += 0.1
    if not result or (isinstance(result, str) and not result.strip()):
        score -= 0.3
    return max(0.0, min(1.0, score))
