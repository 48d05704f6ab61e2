"""Flow specs: a flow as plain data, built only from known routine types.

`flow_to_dict` / `flow_from_dict` are what `Flow.serialize` / `Flow.deserialize`
use; the same format is what users write in spec files::

    flow_id: wordcount
    execution_strategy: concurrent          # optional
    max_workers: 4                          # optional
    executor_options: {address: "tcp://..."}  # optional, passed to the executor
    checkpoint: every_activation            # optional: on_finish (default), on_pause
    max_activations: 50000                  # optional: per job; null for no limit
    history: 1000                           # optional: records kept, "full" or "off"
    keep_checkpoints: 5                     # optional: keep each job's last 5 checkpoints
    error_handler: {strategy: retry}        # optional
    routines:
      read:  {type: io.read_lines, config: {path: "data.txt"}}
      count: {type: data.count_words, error_handler: {strategy: continue}}
    connections:
      - {from: read.line, to: count.input, param_mapping: {line: text}}
    entry: read

Run-time parameters fill ``{{ params.NAME }}`` placeholders in routine configs
(``Flow.from_file(path, params={...})``, ``routilux run SPEC --param NAME=VALUE``),
over defaults given in the spec's ``params`` mapping; see `substitute_params` for
the one rule (no expressions, nothing evaluated).

A routine is named by ``type`` (a registered plugin name) or, in data written
by `Flow.serialize`, by ``class`` (``module:qualname`` of a Routine subclass
already imported in this process). Nothing in a spec is imported or evaluated.
Problems are collected and reported together as one `FlowSpecError`, each with
its path (``routines.count.type``, ``connections[2].from``); an unknown key
names the closest known one.

This module is the public face of five with one job each: `routilux.spec_model`
(the document as attrs classes and the rules of its fields),
`routilux.spec_converter` (structuring data into them with cattrs, errors as
path-named problems), `routilux.spec_load` (files and params),
`routilux.spec_build` (a Flow from a checked document) and `routilux.spec_write`
(a Flow as spec data).
"""

from __future__ import annotations

from .spec_build import flow_from_dict
from .spec_converter import read_spec
from .spec_load import PLACEHOLDER, load_spec_file, substitute_params
from .spec_model import SPEC_VERSION, FlowSpec
from .spec_write import flow_to_dict

__all__ = [
    "PLACEHOLDER",
    "SPEC_VERSION",
    "FlowSpec",
    "flow_from_dict",
    "flow_to_dict",
    "load_spec_file",
    "read_spec",
    "substitute_params",
]
