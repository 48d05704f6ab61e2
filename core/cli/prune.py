"""``routilux prune``: delete old finished jobs (and their kept checkpoints) from a store."""

from __future__ import annotations

import argparse
import json
from typing import Any

from .run import add_store_options, no_store_here, store_url_of


def register_prune(subparsers: Any) -> None:
    prune = subparsers.add_parser(
        "prune", help="delete old finished jobs from a store (never running or claimed ones)"
    )
    prune.add_argument(
        "--older-than",
        metavar="AGE",
        help="only jobs last updated longer ago than AGE (45s, 30m, 12h, 7d, 2w); default: "
        "the store URL's retention=AGE, else any age",
    )
    prune.add_argument(
        "--status",
        metavar="S1,S2",
        help="only jobs with these statuses (default completed,failed,cancelled; paused allowed)",
    )
    prune.add_argument("--flow", help="only jobs of this flow id")
    prune.add_argument("--dry-run", action="store_true", help="list what would go; delete nothing")
    add_store_options(prune)
    prune.add_argument("--json", action="store_true", help="machine-readable output")
    prune.set_defaults(func=cmd_prune)


def cmd_prune(args: argparse.Namespace) -> int:
    from ..retention import DEFAULT_STATUSES, RetentionPolicy, parse_age, prune
    from ..store import open_store

    older_than = parse_age(args.older_than) if args.older_than else None  # checked first
    url = store_url_of(args)
    missing = no_store_here(url)
    if missing is not None:
        if args.json:
            print(json.dumps({"dry_run": args.dry_run, "jobs": []}, indent=2))
        else:
            print(f"nothing to prune: {missing}")
        return 0
    with open_store(url) as store:
        policy = getattr(store, "retention", None)
        statuses: Any = args.status or DEFAULT_STATUSES
        if isinstance(policy, RetentionPolicy):
            older_than = older_than or policy.older_than
            statuses = args.status or policy.statuses
        gone = prune(
            store,
            older_than=older_than,
            statuses=statuses,
            flow_id=args.flow,
            dry_run=args.dry_run,
        )
    if args.json:
        rows = [
            {
                "job_id": s.job_id,
                "flow_id": s.flow_id,
                "status": s.status,
                "updated_at": s.updated_at.isoformat(),
            }
            for s in gone
        ]
        print(json.dumps({"dry_run": args.dry_run, "jobs": rows}, indent=2))
        return 0
    verb = "would delete" if args.dry_run else "deleted"
    for s in gone:
        print(f"{verb} {s.job_id}  {s.flow_id}  {s.status}  {s.updated_at:%Y-%m-%d %H:%M:%S}")
    print(f"{verb} {len(gone)} job(s)")
    return 0
