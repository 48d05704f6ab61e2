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
exclude_patterns = ["_build", "_generated"]
html_theme = "alabaster"
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"undoc-members": False}
nitpicky = False
suppress_warnings = ["myst.header"]
# Nothing is injected before the examples: each page's code runs as shown, with its
# own imports, as a reader pasting it into a script would run it. Only `__name__` is set
# as a script's is, so that an `if __name__ == "__main__":` guard (needed where worker
# processes import the main module, as Dask's LocalCluster does) runs as in a script.
doctest_global_setup = '__name__ = "__main__"'


def _graphs_from_specs(app):
    """Render the example specs' graphs with `routilux graph` (mermaid) at build time,
    so the diagrams in the docs always match the specs."""
    import pathlib

    from routilux.cli.spec_tools import mermaid
    from routilux.flow import Flow
    from routilux.spec import PLACEHOLDER, load_spec_file

    root = pathlib.Path(app.srcdir).parent
    out = pathlib.Path(app.srcdir) / "_generated"
    out.mkdir(exist_ok=True)
    for spec_path in sorted((root / "examples").glob("*.toml")):
        data = load_spec_file(str(spec_path))
        params = {name: f"<{name}>" for name in PLACEHOLDER.findall(repr(data))}
        params.update(data.get("params", {}))
        flow = Flow.from_spec(data, source=str(spec_path), params=params)
        target = out / f"{spec_path.stem}.mmd"
        text = mermaid(flow)
        if not target.exists() or target.read_text() != text:
            target.write_text(text)


def setup(app):
    app.connect("builder-inited", _graphs_from_specs)
