"""`ResultExtractor`: pull structured results out of text, interpreter output or data."""

from __future__ import annotations

import logging
from typing import Any

from ...errors import RoutiluxError
from ...routine import Routine
from .._input import extract_input
from .extractors import Extractor, builtin_extractors, confidence, default_rank

logger = logging.getLogger(__name__)


class ExtractionError(RoutiluxError, ValueError):
    """Every extractor failed and ``return_original_on_failure`` is off."""


class ResultExtractor(Routine):
    """Extract the result from ``data``: JSON in code blocks or strings, other
    code blocks, interpreter output lists, or dicts/lists as they are.

    Slot ``input`` takes ``data`` (or any single value, or everything received;
    nothing at all counts as ``""``). Event ``output`` carries
    ``extracted_result``, ``format`` (``"json"``, ``"python"``, ``"dict"``, ...),
    ``metadata`` (``extraction_method``, ``extractor``, ``strategy``, ...),
    ``confidence`` (0..1) and ``extraction_path`` (extractor names).

    Config (routilux 0.10's keys and defaults): ``strategy`` ("auto": the first
    extractor that applies wins, as with "priority"/"first_match"; "all":
    every result, with ``format="multi"``); ``extractor_priority`` (names to try
    first); the switches ``extract_json_blocks``, ``extract_code_blocks``,
    ``extract_yaml_blocks`` (needs PyYAML), ``extract_xml_blocks``,
    ``format_interpreter_output``, ``parse_json_strings``,
    ``parse_yaml_strings``; ``code_block_languages``; ``continue_on_error``;
    ``return_original_on_failure`` (True: pass the input on with confidence
    0.0; False: the handler raises `ExtractionError`); ``log_errors``.
    `register_extractor` adds a ``(data, config) -> (result, format, metadata)
    | None`` function.
    """

    def __init__(self) -> None:
        super().__init__()
        self.set_config(
            strategy="auto",
            extractor_priority=[],
            extract_json_blocks=True,
            extract_code_blocks=True,
            extract_yaml_blocks=False,
            extract_xml_blocks=False,
            code_block_languages=["json", "python", "output", "yaml", "xml"],
            format_interpreter_output=True,
            parse_json_strings=True,
            parse_yaml_strings=False,
            detect_nested_structures=True,
            continue_on_error=True,
            return_original_on_failure=True,
            log_errors=True,
        )
        #: Extractors by name: the built-ins, then those registered (static setup).
        self._extractors: dict[str, Extractor] = builtin_extractors()
        self.input_slot = self.define_slot("input", handler=self._handle_input)
        self.output_event = self.define_event(
            "output", ["extracted_result", "format", "metadata", "confidence", "extraction_path"]
        )

    def register_extractor(self, name: str, extractor: Extractor) -> None:
        """Add (or replace) the extractor called `name`."""
        self._extractors[name] = extractor

    def _handle_input(self, data: Any = None, **kwargs: Any) -> None:
        value = extract_input(data, kwargs)
        if value == {}:
            value = ""
        self.emit("output", **self._extract(value))

    def _ordered(self) -> list[tuple[str, Extractor]]:
        priority = list(self.get_config("extractor_priority", []) or [])
        items = list(self._extractors.items())
        if priority:
            rank = {name: i for i, name in enumerate(priority)}
            return sorted(items, key=lambda item: rank.get(item[0], 999))
        return sorted(items, key=lambda item: default_rank(item[0]))

    def _extract(self, value: Any) -> dict[str, Any]:
        config = self.config()
        strategy = config.get("strategy", "auto")
        results: list[dict[str, Any]] = []
        errors: list[dict[str, str]] = []
        for name, extractor in self._ordered():
            try:
                found = extractor(value, config)
                if found is None:
                    continue
                result, fmt, metadata = found
                metadata["extractor"] = name
                metadata["strategy"] = strategy
                entry = {
                    "extracted_result": result,
                    "format": fmt,
                    "metadata": metadata,
                    "confidence": confidence(result, fmt, metadata),
                    "extraction_path": [name],
                }
            except Exception as exc:
                message = f"Extractor '{name}' failed: {exc}"
                errors.append({"extractor": name, "error": message})
                if config.get("log_errors", True):
                    logger.warning(message, exc_info=True)
                if not config.get("continue_on_error", True):
                    break
                continue
            if strategy in ("first_match", "auto", "priority"):
                return entry
            results.append(entry)
        if results:
            if strategy == "all":
                return {
                    "extracted_result": [r["extracted_result"] for r in results],
                    "format": "multi",
                    "metadata": {"extractions": results, "count": len(results), "errors": errors},
                    "confidence": max(r["confidence"] for r in results),
                    "extraction_path": [r["extraction_path"][0] for r in results],
                }
            return max(results, key=lambda r: r["confidence"])
        if config.get("return_original_on_failure", True):
            return {
                "extracted_result": value,
                "format": type(value).__name__.lower(),
                "metadata": {
                    "extraction_method": "none",
                    "errors": errors,
                    "original_type": type(value).__name__,
                },
                "confidence": 0.0,
                "extraction_path": [],
            }
        raise ExtractionError(
            f"All extractors failed. Errors: {errors} (ResultExtractor: set config "
            "return_original_on_failure=True to pass the input on unchanged instead)"
        )
