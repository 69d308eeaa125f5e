"""A training started from the console: the training command's lines read as progress, one at a time,
audited. No real training runs here: a small script prints what `python -m core train` prints."""

from __future__ import annotations

import json
import sys
import textwrap

import pytest
from model_versions import tiny_version

from core import audit
from core.config import get_settings
from core.errors import InvalidInput
from core.mlops.training_job import (
    FIRST_RUN_ACTOR,
    STAGES,
    current_training,
    first_run_command,
    parse_progress,
    start_first_training,
    start_training,
    training_command,
)
from core.nlu.model_files import model_path, save_model
from core.store import registry

# What `python -m core train` writes (core/mlops/training.py `say`, core/__main__.py, and the
# registration and assessment of core/mlops/lifecycle.py register_trained).
TRAINING_LINES = [
    "data valid: 9321 training rows, 1200 extra real negatives, Spanish share 41%",
    "5-fold cross-validation of the intent model ...",
    "crisis screen: linear model (5 folds) and fine-tuned encoder (3 folds) out of fold, then both on all data ...",
    "distress head on 12000 rows; threshold on real validation rows ...",
    "models written to /tmp/x/models in 612.3s",
    "registered care-intent version 3",
    "assessing: golden (830 messages) ...",
    "care-intent version 3: every gate passed",
]


def _script(lines: list[str], exit_code: int = 0, pause: float = 0.0) -> list[str]:
    body = textwrap.dedent(f"""
        import sys, time
        for line in {lines!r}:
            print(line, file=sys.stderr, flush=True)
            time.sleep({pause})
        sys.exit({exit_code})
    """)
    return [sys.executable, "-c", body]


def test_each_training_stage_line_moves_the_bar_forward():
    fractions = [parse_progress(line).fraction for line in TRAINING_LINES]
    assert fractions == sorted(fractions) and len(set(fractions)) == len(fractions)
    assert parse_progress("  adl   0.95  0.97 ...") is None, "a table row is not a stage"
    assert [s.fraction for s in STAGES] == sorted(s.fraction for s in STAGES)


def test_the_bar_never_moves_back_when_stages_come_in_another_order():
    lines = [TRAINING_LINES[5], TRAINING_LINES[6], TRAINING_LINES[4]]  # registered, assessing, then files written
    job = start_training(actor="rita", command=_script(lines, exit_code=1))
    progress = job.wait(timeout=60)
    assert progress.fraction == parse_progress(TRAINING_LINES[6]).fraction and progress.stage == "Failed"


def test_the_console_starts_the_real_training_command():
    assert training_command()[-3:] == ["-m", "core", "train"]
    assert first_run_command()[-4:] == ["-m", "core", "train", "--first-run"]


def test_the_quick_first_models_line_moves_the_bar_before_the_full_training():
    quick = parse_progress("quick models written to /x/models in 61.2s (the full training replaces them)")
    assert quick is not None and quick.fraction < parse_progress(TRAINING_LINES[1]).fraction


def test_a_finished_training_reports_done_and_is_audited():
    job = start_training(actor="rita", command=_script(TRAINING_LINES))
    progress = job.wait(timeout=60)
    assert progress.succeeded and progress.fraction == 1.0 and progress.stage == "Finished"
    assert list(progress.lines) == TRAINING_LINES
    assert [e.action for e in audit.recent(2)] == ["models.train.finish", "models.train.start"]
    assert audit.recent(1)[0].actor == "rita"


def test_a_failed_training_says_so_and_keeps_its_last_stage_and_output():
    job = start_training(actor="rita", command=_script([*TRAINING_LINES[:3], "Traceback: boom"], exit_code=1))
    progress = job.wait(timeout=60)
    assert not progress.succeeded and progress.returncode == 1 and progress.stage == "Failed"
    assert progress.fraction == parse_progress(TRAINING_LINES[2]).fraction
    assert progress.lines[-1] == "Traceback: boom"


def test_only_one_training_runs_at_a_time():
    job = start_training(actor="rita", command=_script(TRAINING_LINES, pause=0.5))
    try:
        running = job.progress()
        assert running.running and running.returncode is None
        with pytest.raises(InvalidInput, match=r"already running .*rita"):
            start_training(actor="sam", command=_script(TRAINING_LINES))
    finally:
        job.cancel("rita")
        job.wait(timeout=60)
    assert not job.progress().running
    assert "models.train.cancel" in [e.action for e in audit.recent(3)]


def test_the_first_run_starts_training_when_there_is_no_model_at_all():
    job = start_first_training(command=_script(TRAINING_LINES))
    assert job is not None and job.actor == FIRST_RUN_ACTOR
    assert job.wait(timeout=60).succeeded
    assert audit.recent(2)[1].actor == FIRST_RUN_ACTOR


def test_the_first_run_does_not_train_while_a_training_runs():
    running = start_training(actor="rita", command=_script(TRAINING_LINES, pause=0.5))
    try:
        assert start_first_training(command=_script(TRAINING_LINES)) is None
    finally:
        running.cancel("rita")
        running.wait(timeout=60)


def test_a_first_run_training_where_one_model_kind_is_missing():
    save_model({"kind": "intent"}, model_path("intent", get_settings()))
    job = start_first_training(command=_script(TRAINING_LINES))
    assert job is not None and job.wait(timeout=60).succeeded


def test_no_first_run_training_where_both_kinds_have_local_files_or_a_champion():
    settings = get_settings()
    save_model({"kind": "intent"}, model_path("intent", settings))
    record = tiny_version(settings, "crisis")
    model_path("crisis", settings).unlink()  # the registry's copy is all there is
    assert start_first_training(command=_script(TRAINING_LINES)) is not None, "no champion yet: train"
    current_training().wait(timeout=60)
    registry.set_alias("crisis", registry.CHAMPION, record.version, settings)
    assert start_first_training(command=_script(TRAINING_LINES)) is None


def test_a_training_on_a_dataset_version_passes_it_to_the_command_and_the_audit(tmp_path):
    from core.mlops import dataset_versions as dv
    from core.privacy.consent import pseudonym
    from tests.conftest import copy_project_data

    settings = copy_project_data(tmp_path)
    turn = dv.LabeledTurn("t-n", pseudonym("s1"), "my dad keeps skipping lunch since the move, any ideas for small meals",
                          "en", "nutrition", "none", "", (1,), ("rev1",))  # written for this test
    version = dv.cut_version([turn], actor="rev1", settings=settings).version.version
    assert training_command(version)[-3:] == ["train", "--dataset", version]
    job = start_training(actor="rita", settings=settings, dataset=version, command=_script(TRAINING_LINES))
    assert job.wait(timeout=60).succeeded
    started = next(e for e in audit.recent(5, settings=settings) if e.action == "models.train.start")
    assert json.loads(started.details) == {"dataset": version}


@pytest.mark.parametrize(("request_", "refusal", "named"), [
    ({"dataset": "ds-nope"}, "NotFound", "ds-nope"),  # an unknown dataset version
    ({"only": "crisis"}, "InvalidInput", "only intent"),  # a model that cannot be retrained alone
])
def test_a_bad_training_request_is_refused_before_anything_starts(tmp_path, request_, refusal, named):
    from core import errors
    from tests.conftest import copy_project_data

    settings = copy_project_data(tmp_path)
    before = current_training()
    with pytest.raises(getattr(errors, refusal), match=named):
        start_training(actor="rita", settings=settings, command=_script(TRAINING_LINES), **request_)
    assert current_training() is before
    assert not [e for e in audit.recent(5, settings=settings) if e.action == "models.train.start"]


def test_the_intent_model_alone_is_passed_to_the_command_and_the_audit(tmp_path):
    from tests.conftest import copy_project_data

    settings = copy_project_data(tmp_path)
    assert training_command(only="intent")[-3:] == ["train", "--only", "intent"]
    job = start_training(actor="rita", settings=settings, only="intent", command=_script(TRAINING_LINES))
    assert job.wait(timeout=60).succeeded
    started = next(e for e in audit.recent(5, settings=settings) if e.action == "models.train.start")
    assert started.target == "care-intent" and json.loads(started.details) == {"only": "intent"}



@pytest.mark.parametrize("kinds", [("crisis",), ("crisis", "crisis"), ()])
def test_train_itself_refuses_a_model_that_cannot_train_alone_and_writes_nothing(tmp_path, kinds):
    """The core function holds the rule (core/taxonomy.TRAINABLE_ALONE), not only the page and the
    command line: the crisis screen alone is refused before any data is read or file written."""
    from core.errors import InvalidInput
    from core.mlops.training import train
    from tests.conftest import copy_project_data

    settings = copy_project_data(tmp_path)
    with pytest.raises(InvalidInput, match=r"cannot be trained alone|unknown model kind"):
        train(settings, say=lambda _m: None, kinds=kinds)
    assert not settings.models_dir.exists() or not any(settings.models_dir.iterdir())
