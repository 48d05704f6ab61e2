"""Sphinx configuration.

Sphinx (with MyST for Markdown) because its doctest builder executes every
``{testcode}`` block and compares ``{testoutput}``, and autodoc renders the API
reference and the hook specifications straight from the docstrings — the same
toolchain pluggy, attrs and pytest document themselves with.
"""

project = "routilux"
author = "routilux developers"
extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.doctest",
    "sphinx.ext.napoleon",
    "sphinxcontrib.mermaid",
]
myst_enable_extensions = ["colon_fence"]
myst_fence_as_directive = ["mermaid"]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
html_theme = "alabaster"
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"undoc-members": False}
nitpicky = False
suppress_warnings = ["myst.header"]
# Every page's examples run in a fresh namespace; shared helpers come from here.
doctest_global_setup = """
import threading
from routilux import *
from routilux.job_state import JobState
"""
