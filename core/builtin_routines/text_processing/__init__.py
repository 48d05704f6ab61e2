"""Text routines: clip long text, render structures as tagged text, extract results."""

from __future__ import annotations

from .result_extractor import ResultExtractor
from .text_clipper import TextClipper
from .text_renderer import TextRenderer

__all__ = ["ResultExtractor", "TextClipper", "TextRenderer"]
