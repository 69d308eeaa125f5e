"""Command line: python -m core <command>.

  train                          validate data, cross-validate, fit, write the model files
  evaluate [--data PATH] [--json] score a labelled CSV (text,intent); default: golden set + held-out real
                                 questions, checked against core/mlops/gates.yaml (exit 1 when a bar fails)
  predict --input PATH           one JSON object per row of a CSV with a text column, to stdout
  chat                           talk with the assistant in the terminal
  users add NAME --role ROLE     create a console user (password prompted, or read from stdin)
  users list | users hint        list users | say how to create the first admin when there is none
  audit verify                   check the audit log's hash chain (exit 1 naming the first bad event)
  models list | show V | compare A B --kind K          registry versions of care-intent / care-crisis
  models approve|reject V --kind K --user U --note N   sign or refuse a version (role checked; exit 1 refused)
  models rollback|retire V --kind K --user U           re-point champion to an approved version | archive one
  keys rotate                    re-encrypt stored text under the newest key (in batches; run again to resume)
  retention run                  delete logged turns older than CAREOPS_RETENTION_DAYS (audited; safe on a schedule)
  log erase PSEUDONYM --user U   delete one conversation from the interaction log (an admin; audited)
  data versions | diff A B | export V --out F --user U | cut --user U
                                 dataset versions of labelled log turns (cut: the final labels since the last version)
  drift [--reference champion|A:B] [--current A:B] [--user U]   Evidently drift report (exit 1 on a drift alert)
  simulate --days 30 --per-day 500 [--shift new-topic|spanish|crisis-wave] [--seed N]   fill the log with traffic
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import sys
from pathlib import Path

from pydantic import ValidationError

from core.cli import data_loop
from core.cli.output import print_table
from core.config import SettingsError, describe_error, get_settings
from core.errors import CareOpsError, InvalidInput, NotPermitted, Refused
from core.mlops.gates import EVALUATION_SETS
from core.taxonomy import LANGUAGES, MODEL_KINDS, SPEAKER_ROLES, TRAINABLE_ALONE

csv.field_size_limit(10_000_000)


def _read_csv(path: Path, required: tuple[str, ...]) -> list[dict]:
    if not path.is_file():
        raise InvalidInput(f"no such file: {path}")
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in required if c not in (reader.fieldnames or [])]
            if missing:
                raise InvalidInput(f"{path}: missing column(s): {', '.join(missing)} (found: {', '.join(reader.fieldnames or [])})")
            return list(reader)
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path}: not UTF-8 text ({exc.reason})") from exc
    except csv.Error as exc:
        raise InvalidInput(f"{path}: not a readable CSV ({exc})") from exc


def cmd_train(args: argparse.Namespace) -> int:
    from core.mlops.training import train, train_quick
    from core.nlu.model_files import MODEL_KINDS

    def say(message: str) -> None:
        print(message, file=sys.stderr)

    if args.quick or args.first_run:
        train_quick(get_settings(), say=say)
        if args.quick:
            return 0
    if args.only and (args.quick or args.first_run):
        print("--only retrains one model fully; it does not combine with --quick or --first-run", file=sys.stderr)
        return 2
    meta = train(get_settings(), say=say, register=not args.no_register, dataset=args.dataset,
                 kinds=(args.only,) if args.only else MODEL_KINDS)
    print(f"{'class':<26}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}")
    for name, m in meta["intent_cv_per_class"].items():
        print(f"{name:<26}{m['precision']:>10.3f}{m['recall']:>10.3f}{m['f1-score']:>10.3f}{int(m['support']):>10}")
    cv = meta["intent_cv"]
    print(f"cross-validated accuracy {cv['accuracy']:.3f}, macro-F1 {cv['macro avg']['f1-score']:.3f}")
    c = meta.get("crisis_classifier")
    if "crisis" not in meta.get("kinds", ["crisis"]) or c is None:  # the served screen's record is only carried over
        print(f"intent model written to {get_settings().models_dir} in {meta['seconds']}s (crisis screen unchanged)")
        return 0
    print(f"crisis classifier: threshold {c['threshold']}, out-of-fold recall alone {c['oof_recall']:.3f}, with detectors {c['oof_screen_recall']:.3f}; "
          f"false-positive rate alone {c['oof_false_positive_rate']:.3f}, with detectors {c['oof_screen_false_positive_rate']:.3f}")
    print(f"models written to {get_settings().models_dir} in {meta['seconds']}s")
    return 0


def _evaluate_rows(rows: list[dict]) -> dict:
    from core.mlops.evaluation import evaluate_predictions
    from core.mlops.prediction import Predictor

    predictions = list(Predictor(get_settings()).predict(r["text"] for r in rows))
    return evaluate_predictions(rows, predictions)


def _print_report(name: str, report: dict) -> None:
    print(f"== {name}: {report['n']} rows")
    if "accuracy" in report:
        print(f"accuracy {report['accuracy']:.4f}   macro-F1 {report['macro_f1']:.4f}")
        for cls, m in report["per_class"].items():
            print(f"  {cls:<26} p={m['precision']:.3f} r={m['recall']:.3f} f1={m['f1-score']:.3f} n={int(m['support'])}")
    print(f"crisis recall {report['crisis_recall']}   crisis false-positive rate {report['crisis_false_positive_rate']}")
    if "risk" in report:
        matrix = report["risk"]["matrix"]
        print(f"risk (three-way) accuracy {report['risk']['accuracy']} on {report['risk']['n']} rows; truth -> said:")
        for level, said in matrix.items():
            print(f"  {level:<10}" + "".join(f"{k}={v:<6}" for k, v in said.items()))
    for group, entry in report["by_group"].items():
        extra = f" accuracy={entry['accuracy']}" if "accuracy" in entry else ""
        if "risk" in entry:
            extra += " " + " ".join(f"{lvl}:crisis={v['crisis_rate']},distress+={v['distress_or_crisis_rate']}"
                                    for lvl, v in entry["risk"].items())
        print(f"  {group:<32} recall={entry['crisis_recall']} fpr={entry['crisis_false_positive_rate']}{extra}")


def cmd_evaluate(args: argparse.Namespace) -> int:
    """Exit 1 when a bar of the gates file (core/mlops/gates.yaml unless CAREOPS_GATES_FILE or --gates)
    fails on the default sets (golden + held-out)."""
    from core.mlops.gates import bars_file, check_bars, load_bars

    gates = Path(args.gates) if args.gates else bars_file(get_settings())
    definitions = load_bars(gates)  # a broken gates file is refused before anything is evaluated
    if args.data:
        sets = {str(args.data): _read_csv(Path(args.data), ("text", "intent"))}
    else:
        names = tuple(n.strip() for n in args.sets.split(",") if n.strip())
        unknown = [n for n in names if n not in EVALUATION_SETS]
        if unknown or not names:
            raise InvalidInput(f"--sets takes names from {', '.join(EVALUATION_SETS)} (got {args.sets!r})")
        from core.mlops.evaluation import load_evaluation_sets

        sets = load_evaluation_sets(get_settings(), names)
    reports = {name: _evaluate_rows(rows) for name, rows in sets.items()}
    bars = [] if args.data else check_bars(reports, definitions)
    if args.json:
        out = next(iter(reports.values())) if args.data else {
            **reports, "bars": [{"set": b.bar.set, "metric": b.bar.metric, "value": b.value, "bar": b.bar.describe(),
                                 "passed": b.passed} for b in bars]}
        print(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        for name, report in reports.items():
            _print_report(name, report)
        if bars:
            print(f"== bars ({gates})")
            print("\n".join(b.line() for b in bars))
    failed = [b for b in bars if not b.passed]
    for b in failed:
        print(f"bar failed: {b.line().removeprefix('FAIL  ')}", file=sys.stderr)
    return 1 if failed else 0


def cmd_predict(args: argparse.Namespace) -> int:
    from core.mlops.prediction import Predictor

    rows = _read_csv(Path(args.input), ("text",))
    done = 0

    def progress(n: int) -> None:
        nonlocal done
        done += n
        print(f"\rpredicted {done}/{len(rows)}", end="", file=sys.stderr, flush=True)

    out = sys.stdout
    for result in Predictor(get_settings()).predict((r["text"] for r in rows), progress=progress):
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
    print(file=sys.stderr)
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    from core.dialogue.factory import build_assistant

    assistant = build_assistant(get_settings())
    print("CareOps assistant. Type 'quit' to leave, 'start over' to reset.")
    while True:
        try:
            text = input("you> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if text.strip().lower() in ("quit", "exit", "salir"):
            return 0
        reply = assistant.reply("terminal", text, role=args.role, language=args.language)
        print(f"\nassistant [{reply.intent} {reply.confidence:.2f}{' CRISIS ' + str(reply.crisis_type) if reply.crisis else ''}]>")
        print(reply.to_markdown())
        if reply.suggestions:
            print("  try: " + " | ".join(reply.suggestions))
        print()


FIRST_ADMIN_HINT = (
    "No console users exist yet. Create the first admin (you will be asked for a password):\n"
    "    .venv/bin/python -m core users add YOUR_NAME --role admin"
)


def _read_password() -> str:
    if sys.stdin.isatty():
        import getpass

        first = getpass.getpass("Password (at least 12 characters): ")
        if getpass.getpass("Repeat the password: ") != first:
            raise InvalidInput("the two passwords differ")
        return first
    return sys.stdin.readline().rstrip("\n")


def cmd_users(args: argparse.Namespace) -> int:
    from core.auth.users import count_users, create_user, list_users

    if args.action == "add":
        if not args.name or not args.role:
            raise InvalidInput("usage: python -m core users add NAME --role ROLE")
        user = create_user(args.name, _read_password(), args.role, actor="cli")
        print(f"created {user.username} ({user.role})")
    elif args.action == "list":
        for user in list_users():
            print(f"{user.username:<24}{user.role:<12}{'active' if user.active else 'inactive'}")
    elif count_users() == 0:
        print(FIRST_ADMIN_HINT)
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    """Exit 0 when the chain is intact, 1 naming the first event that was changed or follows a removed one."""
    from core import audit

    broken = audit.verify_chain()
    if broken is not None:
        print(f"audit chain broken at event {broken}: it was changed, or an event before it was removed", file=sys.stderr)
        return 1
    print(f"audit chain intact: {audit.count()} events")
    return 0


MODEL_ACTIONS = ("approve", "reject", "rollback", "retire")


def _model_view(args: argparse.Namespace) -> int:
    from core.mlops import catalog

    settings = get_settings()
    if args.action == "list":
        for kind in [args.kind] if args.kind else MODEL_KINDS:
            print(f"== care-{kind}")
            print_table(catalog.version_rows(settings, kind))
        return 0
    if args.action == "show":
        detail = catalog.version_detail(settings, args.kind, args.versions[0])
        print(json.dumps(detail, indent=2, ensure_ascii=False, default=str))
        return 0
    result = catalog.compare_versions(settings, args.kind, *args.versions)
    if not result["measured"]:
        print("note: one of the versions has no stored evaluation; only what both hold is compared", file=sys.stderr)
    print_table([{"metric": m["metric"], "a": m["a"], "b": m["b"], "delta": m["delta"]} for m in result["metrics"]])
    print("decisions changed (b against a): " + ", ".join(f"{k} {len(result['changes'][k])}" for k in
                                                          ("crisis_lost", "crisis_gained", "risk_changed", "intent_changed")))
    for entry in result["changes"]["crisis_lost"] + result["changes"]["crisis_gained"]:
        print(f"  {entry['before']} -> {entry['after']}  [{entry['set']}] {entry['text'][:120]}")
    return 0


def cmd_models(args: argparse.Namespace) -> int:
    """Registry versions: list | show V | compare A B (read), approve | reject | rollback | retire V (act as --user,
    whose role is checked in the database as the console checks it). Exit 2 for bad input, 1 for a refusal."""
    from core.mlops import approval

    wanted = {"list": 0, "show": 1, "compare": 2}.get(args.action, 1)
    if len(args.versions) != wanted:
        raise InvalidInput(f"models {args.action} takes {wanted} version number(s) (got {len(args.versions)})")
    if args.action != "list" and not args.kind:
        raise InvalidInput(f"models {args.action}: --kind intent|crisis is required")
    if args.action not in MODEL_ACTIONS:
        return _model_view(args)
    if not args.user:
        raise InvalidInput(f"models {args.action}: --user NAME is required (the reviewer acting; their role is checked)")
    settings, version = get_settings(), args.versions[0]
    if args.action == "approve":
        outcome = approval.approve(settings, args.user, args.kind, version, args.note)
        state = "now champion" if outcome.promoted else f"needs {outcome.required - outcome.approvals} more approval(s)"
        print(f"approved care-{args.kind} version {outcome.version} ({outcome.approvals}/{outcome.required}): {state}")
    elif args.action == "reject":
        approval.reject(settings, args.user, args.kind, version, args.note)
        print(f"rejected care-{args.kind} version {version}")
    elif args.action == "rollback":
        previous = approval.rollback(settings, args.user, args.kind, version, args.note or "")
        print(f"care-{args.kind} champion is version {version} again (was {previous})")
    else:
        approval.retire(settings, args.user, args.kind, version, args.note or "")
        print(f"retired care-{args.kind} version {version} (archived, not deleted)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m core", description="CareOps command line")
    sub = parser.add_subparsers(dest="command", required=True)
    p_train = sub.add_parser("train", help="validate data, cross-validate, write the model files and register them")
    p_train.add_argument("--no-register", action="store_true",
                         help="write the model files only (the container image: its models ship in the image)")
    p_train.add_argument("--quick", action="store_true",
                         help="the first-run models only: n-gram linear models in seconds, never registered")
    p_train.add_argument("--first-run", action="store_true",
                         help="the quick models first (they serve at once), then the full training")
    p_train.add_argument("--dataset", help="a dataset version (ds-...) to train on with the committed data; recorded in the run")
    p_train.add_argument("--only", choices=list(TRAINABLE_ALONE),
                         help="retrain one model: `intent` (minutes; what a new topic needs) leaves the crisis screen as it is")
    p_train.set_defaults(func=cmd_train)
    evaluate = sub.add_parser("evaluate", help="score a labelled CSV (text,intent)")
    evaluate.add_argument("--data", help="CSV with text,intent columns; default: golden set and held-out real questions")
    evaluate.add_argument("--json", action="store_true", help="print the report as JSON")
    evaluate.add_argument("--sets", default=",".join(EVALUATION_SETS), help="which default sets to evaluate")
    evaluate.add_argument("--gates", help="the bars to check (default: CAREOPS_GATES_FILE, else core/mlops/gates.yaml)")
    evaluate.set_defaults(func=cmd_evaluate)
    predict = sub.add_parser("predict", help="predict each row of a CSV with a text column")
    predict.add_argument("--input", required=True, help="CSV with a text column")
    predict.set_defaults(func=cmd_predict)
    chat = sub.add_parser("chat", help="talk with the assistant in the terminal")
    chat.add_argument("--role", choices=SPEAKER_ROLES)
    chat.add_argument("--language", choices=LANGUAGES)
    chat.set_defaults(func=cmd_chat)
    users = sub.add_parser("users", help="console users: add, list, hint")
    users.add_argument("action", choices=["add", "list", "hint"])
    users.add_argument("name", nargs="?")
    users.add_argument("--role", choices=["caregiver", "reviewer", "analyst", "admin"])
    users.set_defaults(func=cmd_users)
    models = sub.add_parser("models", help="registry versions: list, show, compare, approve, reject, rollback, retire")
    models.add_argument("action", choices=["list", "show", "compare", *MODEL_ACTIONS])
    models.add_argument("versions", nargs="*", type=_version_number, help="version number(s)")
    models.add_argument("--kind", choices=list(MODEL_KINDS), help="which model (care-intent or care-crisis)")
    models.add_argument("--user", help="the console user acting (approve, reject, rollback, retire)")
    models.add_argument("--note", help="why (required to approve or reject)")
    models.set_defaults(func=cmd_models)
    data_loop.add_commands(sub)
    audit = sub.add_parser("audit", help="check the audit log")
    audit.add_argument("action", choices=["verify"])
    audit.set_defaults(func=cmd_audit)
    return parser


def _version_number(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"a version is a positive number (got {text!r})")
    return int(text)


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except CareOpsError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        for detail in exc.details:
            print(f"  {detail}", file=sys.stderr)
        return 1 if isinstance(exc, NotPermitted | Refused) else 2  # a refused action, not bad input
    except (SettingsError, ValidationError) as exc:  # a bad setting: say which, never its value
        print(f"error: {describe_error(exc)}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
