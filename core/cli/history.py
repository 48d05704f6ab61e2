"""``routilux history JOB``, ``routilux fork JOB --at SEQ`` and ``routilux prune``.

``history`` lists a job's kept checkpoints (flows keep them with the spec key
``keep_checkpoints``); ``fork`` starts a new job from one of them, with the
spec and params the job ran with (``--param`` overrides some, ``--spec``
another spec); ``prune`` deletes old finished jobs.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from .run import add_store_options, open_existing_store, parse_assignments, store_url_of


def register(subparsers: Any) -> None:
    history = subparsers.add_parser("history", help="list the kept checkpoints of a job")
    history.add_argument("job_id")
    add_store_options(history)
    history.add_argument("--json", action="store_true", help="machine-readable output")
    history.set_defaults(func=cmd_history)

    fork = subparsers.add_parser("fork", help="start a new job from a kept checkpoint of a job")
    fork.add_argument("job_id")
    fork.add_argument("--at", type=int, required=True, metavar="SEQ", help="the checkpoint")
    fork.add_argument("--spec", help="the flow spec (default: the one the job ran with)")
    fork.add_argument("--param", action="append", metavar="KEY=VALUE", help="a spec parameter")
    add_store_options(fork)
    fork.add_argument("--json", action="store_true", help="print the summary as JSON")
    fork.set_defaults(func=cmd_fork)

    from .prune import register_prune

    register_prune(subparsers)


def cmd_history(args: argparse.Namespace) -> int:
    from ..history import require_history

    with open_existing_store(store_url_of(args)) as store:
        kept = require_history(store).history(args.job_id)
    if args.json:
        print(json.dumps([c.to_dict() for c in kept], indent=2))
        return 0
    if not kept:
        print(f"job {args.job_id} has no kept checkpoints (run its flow with keep_checkpoints=N)")
        return 0
    print(f"{'seq':>5}  {'saved (UTC)':23}  {'status':9}  routine")
    for c in kept:
        saved = c.saved_at.strftime("%Y-%m-%d %H:%M:%S.%f")[:23]
        print(f"{c.seq:5d}  {saved:23}  {c.status:9}  {c.routine_id or '-'}")
    return 0


def cmd_fork(args: argparse.Namespace) -> int:
    from .. import job_forks
    from ..errors import JobStateError
    from ..flow import Flow
    from ..history import require_history
    from .run import _run

    store_url = store_url_of(args)
    with open_existing_store(store_url) as store:
        snapshot = require_history(store).load_checkpoint(args.job_id, args.at)
    metadata = snapshot.metadata
    spec = args.spec or metadata.get("spec")
    if not spec:
        raise JobStateError(f"job {args.job_id} does not say which spec it ran; pass --spec SPEC")
    params = {**metadata.get("params", {}), **parse_assignments(args.param, "--param")}
    flow = Flow.from_file(spec, params=params)
    flow.set_store(store_url)
    args.spec = spec

    child = job_forks.fork_state(flow, args.job_id, args.at, {"spec": spec, "params": params})
    return _run(flow, args, store_url, child, lambda: job_forks.start_fork(flow, child))
