"""The data loop's commands (issue 18): keys, retention, log, data, drift, simulate.

Registered on `python -m core` by core/__main__.py, which prints a CareOpsError raised here as a clear
message and an exit code."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from core.cli.output import print_table
from core.config import get_settings
from core.errors import InvalidInput


def cmd_keys(args: argparse.Namespace) -> int:
    from core.privacy.rotation import rotate_keys

    def say(message: str) -> None:
        print(message, file=sys.stderr)

    result = rotate_keys(actor=args.user or "cli", batch=args.batch, say=say)
    done = ", ".join(f"{name} {count}" for name, count in result.reencrypted.items())
    print(f"re-encrypted under the newest key: {done}; already under it: "
          + ", ".join(f"{name} {count}" for name, count in result.already_current.items()))
    if result.retired_keys:
        print(f"{result.retired_keys} older key(s) removed from the development key file")
    elif not result.new_key and get_settings().encryption_key and "," in get_settings().encryption_key:
        print("every stored value is under the first key of CAREOPS_ENCRYPTION_KEY: the older keys can be removed from it")
    return 0


def cmd_retention(args: argparse.Namespace) -> int:
    from core.privacy.retention import run_retention

    counts = run_retention(actor=args.user or "retention (system)")
    print(f"retention ({get_settings().retention_days} days): deleted "
          + ", ".join(f"{count} {name}" for name, count in counts.items()))
    return 0


def cmd_log(args: argparse.Namespace) -> int:
    from core.auth.users import authorize
    from core.privacy.retention import erase_conversation

    if not args.user:
        raise InvalidInput("log erase: --user NAME is required (the admin acting; their role is checked)")
    authorize(args.user, "log.erase", target=args.conversation)
    turns = erase_conversation(args.conversation, by=args.user)
    print(f"erased conversation {args.conversation}: {turns} logged turn(s) deleted")
    return 0


def cmd_data(args: argparse.Namespace) -> int:
    from core.mlops import dataset_versions as versions

    wanted = {"versions": 0, "diff": 2, "export": 1, "cut": 0}[args.action]
    if len(args.versions) != wanted:
        raise InvalidInput(f"data {args.action} takes {wanted} version name(s) (got {len(args.versions)})")
    if args.action in ("export", "cut") and not args.user:
        raise InvalidInput(f"data {args.action}: --user NAME is required (the staff member; their role is checked)")
    if args.action == "versions":
        print_table([{"version": v.version, "parent": v.parent or "-", "at": v.at.strftime("%Y-%m-%d %H:%M"),
                       "rows": v.rows, "labels added": len(json.loads(v.label_ids)), "by": v.created_by}
                      for v in versions.list_versions()])
    elif args.action == "diff":
        print(json.dumps(versions.diff_versions(*args.versions), indent=2, ensure_ascii=False))
    elif args.action == "export":
        from core.auth.users import authorize

        if not args.out:
            raise InvalidInput("data export: --out FILE is required")
        authorize(args.user, "labeling", target=args.versions[0])
        count = versions.export_version(args.versions[0], Path(args.out), reader=args.user)
        print(f"wrote {count} rows of {args.versions[0]} to {args.out}")
    else:
        from core.auth.users import authorize

        authorize(args.user, "labeling", target="dataset")
        result = versions.cut_version(versions.labeled_turns(reader=args.user), actor=args.user)
        print(f"cut {result.version.version} (parent {result.version.parent or '-'}): {result.version.rows} rows, "
              f"{result.added} added, {result.relabelled} relabelled, {result.dropped_erased} left out (erased)")
        for note in result.notes:
            print(f"  {note}")
    return 0


def cmd_drift(args: argparse.Namespace) -> int:
    from core.mlops.drift import run_drift

    run = run_drift(reference=args.reference, current=args.current, user=args.user,
                    say=lambda message: print(message, file=sys.stderr))
    print(f"reference {run.reference} ({run.reference_rows} rows), current {run.current.label} ({run.current_rows} rows)")
    for name, s in run.scores.items():
        print(f"{name:<14}{s['score']:>9.4f}  threshold {s['threshold']:<6}{'DRIFT' if s['drifted'] else 'ok'}")
    print(f"report: {run.html_path}\n        {run.json_path}")
    return 1 if run.alert else 0  # cron: 1 means look at the report


def cmd_simulate(args: argparse.Namespace) -> int:
    from core.mlops.simulate import simulate

    result = simulate(days=args.days, per_day=args.per_day, shift=args.shift, seed=args.seed,
                      progress=lambda day, days: print(f"day {day}/{days}", file=sys.stderr))
    print(f"{result.turns} consented turns in {result.conversations} conversations over {result.days} days"
          f"{f' (shift {result.shift} in the last days)' if result.shift else ''}: {result.seconds}s, "
          f"reply {result.reply_ms_mean} ms on average")
    return 0


def add_commands(sub) -> None:
    """Add the data loop's subcommands to `python -m core`'s parser."""
    keys = sub.add_parser("keys", help="encryption keys: rotate")
    keys.add_argument("action", choices=["rotate"])
    keys.add_argument("--batch", type=int, default=500, help="rows per transaction")
    keys.add_argument("--user", help="who is rotating (recorded in the audit log)")
    keys.set_defaults(func=cmd_keys)
    retention = sub.add_parser("retention", help="delete what is older than the retention period")
    retention.add_argument("action", choices=["run"])
    retention.add_argument("--user", help="who runs it (default: retention (system))")
    retention.set_defaults(func=cmd_retention)
    log_parser = sub.add_parser("log", help="the interaction log: erase a conversation")
    log_parser.add_argument("action", choices=["erase"])
    log_parser.add_argument("conversation", help="the conversation's pseudonym (c-...)")
    log_parser.add_argument("--user", help="the admin acting")
    log_parser.set_defaults(func=cmd_log)
    data = sub.add_parser("data", help="dataset versions: versions, diff, export, cut")
    data.add_argument("action", choices=["versions", "diff", "export", "cut"])
    data.add_argument("versions", nargs="*", help="version name(s) (ds-...)")
    data.add_argument("--out", help="export: the CSV file to write (never overwritten)")
    data.add_argument("--user", help="the staff member acting (export, cut)")
    data.set_defaults(func=cmd_data)
    drift = sub.add_parser("drift", help="an Evidently drift report: reference vs current window (exit 1 on an alert)")
    drift.add_argument("--reference", default="champion", help="champion (its training data) or YYYY-MM-DD:YYYY-MM-DD")
    drift.add_argument("--current", help="YYYY-MM-DD:YYYY-MM-DD (default: the last 7 days)")
    drift.add_argument("--user", help="the console user running it (drift.view is checked); default: the system")
    drift.set_defaults(func=cmd_drift)
    simulate = sub.add_parser("simulate", help="fill the interaction log with simulated consented traffic")
    simulate.add_argument("--days", type=int, default=30)
    simulate.add_argument("--per-day", type=int, default=500)
    simulate.add_argument("--shift", choices=["new-topic", "spanish", "crisis-wave"], help="applies to the last 7 days")
    simulate.add_argument("--seed", type=int, default=0)
    simulate.set_defaults(func=cmd_simulate)
