"""The interaction log on a real SQLite file: consent decides what is kept, what is kept is redacted
and encrypted, counters are anonymous, a person or an admin can erase a conversation, retention
deletes old turns. The assistant here answers from its detectors alone (no trained model needed):
the log records whatever reply a turn produced."""

from __future__ import annotations

import os
import sqlite3
import time
from datetime import UTC, datetime, timedelta

import pytest

from core import audit
from core.config import PROJECT_ROOT, Settings
from core.content.scenarios import load_scenarios
from core.dialogue.assistant import Assistant
from core.dialogue.feedback import record_feedback
from core.dialogue.interaction_log import InteractionLog, latency_bucket, read_turns
from core.dialogue.sessions import MemorySessionStore
from core.errors import InvalidInput, NotPermitted
from core.privacy.consent import CONSENT_VERSION, pseudonym
from core.privacy.retention import erase_conversation, run_retention
from core.safety.screen import CrisisScreen
from core.store import interactions
from core.store.engine import read_scope, session_scope
from core.store.tables import AuditEvent, Erasure, Feedback, Interaction
from tests.conftest import run_cli

# Synthetic identifiers only (555 numbers, example.org); nothing here is anyone's real data.
WITH_IDENTIFIERS = "my mom Rosa Delgado keeps forgetting her pills, call me at (555) 201-3344"
CRISIS = "i want to end my life tonight"


@pytest.fixture
def settings(tmp_path):
    return Settings(data_dir=tmp_path / "data", scenarios_dir=PROJECT_ROOT / "scenarios")


@pytest.fixture
def assistant(settings):
    bot = Assistant(load_scenarios(settings.scenarios_dir), MemorySessionStore(), embedder=None,
                    intent_model=None, screen=CrisisScreen(None))
    bot.log = InteractionLog(settings).attach(bot)
    return bot


def raw_rows(settings: Settings) -> list[tuple]:
    """The database file as anyone holding it would read it, without the project's code."""
    with sqlite3.connect(settings.data_dir / "careops.db") as db:
        return db.execute("SELECT conversation, text_encrypted, risk, intent FROM interaction").fetchall()


def talk(assistant, session_id: str, *messages: str) -> None:
    for message in messages:
        assistant.reply(session_id, message)
    assert assistant.log.flush()


def test_without_consent_only_anonymous_counters_are_kept(assistant, settings):
    talk(assistant, "s-none", WITH_IDENTIFIERS, CRISIS)
    assert interactions.list_turns(settings=settings) == []
    counts = interactions.usage_counts(settings)
    assert sum(c.turns for c in counts) == 2
    assert {c.risk for c in counts} == {"none", "crisis"}
    with sqlite3.connect(settings.data_dir / "careops.db") as db:
        columns = {row[1] for row in db.execute("PRAGMA table_info(usagecount)")}
    assert columns == {"id", "day", "intent", "risk", "language", "latency", "turns"}  # no text, no conversation


def test_a_no_keeps_nothing_but_counters(assistant, settings):
    assistant.log.record_consent("s-no", False, "en")
    talk(assistant, "s-no", WITH_IDENTIFIERS)
    assert interactions.list_turns(settings=settings) == []
    assert sum(c.turns for c in interactions.usage_counts(settings)) == 1


def test_consented_turns_are_stored_redacted_and_encrypted(assistant, settings):
    assistant.log.record_consent("s-yes", True, "en")
    talk(assistant, "s-yes", WITH_IDENTIFIERS, CRISIS)
    stored = raw_rows(settings)
    assert len(stored) == 2
    for conversation, token, _risk, _intent in stored:
        assert conversation == pseudonym("s-yes") and "s-yes" not in conversation
        assert "Rosa" not in token and "555" not in token and "pills" not in token  # ciphertext, not text
    turns = read_turns(reader="rev", settings=settings)
    assert "Rosa" not in turns[0]["text"] and "201-3344" not in turns[0]["text"]
    assert "my mom" in turns[0]["text"] and "pills" in turns[0]["text"]  # care words are kept
    assert turns[1]["risk"] == "crisis" and turns[1]["crisis_type"] == "suicide"
    row = interactions.list_turns(settings=settings)[0]
    assert row.consent_version == CONSENT_VERSION and row.latency_ms > 0 and row.words == len(WITH_IDENTIFIERS.split())


def test_reading_logged_text_is_audited(assistant, settings):
    assistant.log.record_consent("s-read", True, "es")
    talk(assistant, "s-read", "mi padre no quiere comer")
    read_turns(reader="rev", settings=settings)
    with read_scope(settings) as session:
        events = [e for e in session.query(AuditEvent).all() if e.action == "log.read"]
    assert [(e.actor, e.details) for e in events] == [("rev", '{"rows": 1}')]


def test_feedback_reaches_the_logged_turn_whichever_comes_first(assistant, settings):
    assistant.log.record_consent("s-fb", True, "en")
    first = assistant.reply("s-fb", "how do i help my dad bathe")
    assistant.log.flush()
    record_feedback(session_id="s-fb", turn_id=first.turn_id, intent=first.intent, rating=-1, settings=settings)
    second = assistant.reply("s-fb", "and at night?")
    record_feedback(session_id="s-fb", turn_id=second.turn_id, intent=second.intent, rating=1, settings=settings)
    assistant.log.flush()
    assert {r.turn_id: r.feedback for r in interactions.list_turns(settings=settings)} == {
        first.turn_id: -1, second.turn_id: 1}


def test_the_person_can_erase_their_conversation(assistant, settings):
    assistant.log.record_consent("s-mine", True, "en")
    assistant.log.record_consent("s-other", True, "en")
    talk(assistant, "s-mine", WITH_IDENTIFIERS, "thanks")
    talk(assistant, "s-other", "hello")
    reply = assistant.reply("s-mine", "one more")
    record_feedback(session_id="s-mine", turn_id=reply.turn_id, intent=reply.intent, rating=1, comment="ok",
                    settings=settings)
    assert assistant.log.erase("s-mine") == 3
    talk(assistant, "s-mine", "a turn that arrives after the erasure")  # never kept
    remaining = interactions.list_turns(settings=settings)
    assert [r.conversation for r in remaining] == [pseudonym("s-other")]
    assert assistant.log.consent("s-mine") is None
    with read_scope(settings) as session:
        assert session.query(Feedback).count() == 0
        assert [(e.conversation, e.by, e.turns) for e in session.query(Erasure).all()] == [(pseudonym("s-mine"), "person", 3)]
        assert any(e.action == "log.erase" and e.actor == "person" for e in session.query(AuditEvent).all())


def test_staff_erase_by_pseudonym_needs_an_admin(assistant, settings):
    from core.auth.users import create_user

    create_user("ana", "a long admin passphrase", "admin", actor="test", settings=settings)
    create_user("rey", "a long reviewer passphrase", "reviewer", actor="test", settings=settings)
    assistant.log.record_consent("s-staff", True, "en")
    talk(assistant, "s-staff", "hello", "thanks")
    name = pseudonym("s-staff")
    refused = run_cli(settings, "log", "erase", name, "--user", "rey")
    assert refused.returncode == 1 and "not permitted" in refused.stderr.lower()
    assert len(interactions.list_turns(settings=settings)) == 2
    bad = run_cli(settings, "log", "erase", "s-staff", "--user", "ana")
    assert bad.returncode == 2 and "not a conversation pseudonym" in bad.stderr
    done = run_cli(settings, "log", "erase", name, "--user", "ana")
    assert done.returncode == 0, done.stderr
    assert "2 logged turn(s) deleted" in done.stdout
    assert interactions.list_turns(settings=settings) == []


def test_erasing_an_unknown_pseudonym_is_recorded_and_harmless(settings):
    assert erase_conversation(pseudonym("never-seen"), by="ana", settings=settings) == 0
    with pytest.raises(InvalidInput, match="not a conversation pseudonym"):
        erase_conversation("'; drop table interaction; --", by="ana", settings=settings)


def test_retention_deletes_what_is_older_than_the_period_and_is_audited(assistant, settings):
    assistant.log.record_consent("s-ret", True, "en")
    talk(assistant, "s-ret", "hello", "thanks", "bye")
    with session_scope(settings) as session:
        rows = session.query(Interaction).order_by(Interaction.id).all()
        rows[0].at = datetime.now(UTC) - timedelta(days=91)
        rows[1].at = datetime.now(UTC) - timedelta(days=89)
    assert run_retention(settings=settings)["turns"] == 1
    assert len(interactions.list_turns(settings=settings)) == 2
    assert run_retention(settings=settings)["turns"] == 0  # safe to run again, on a schedule
    result = run_cli(settings, "retention", "run")
    assert result.returncode == 0 and "retention (90 days): deleted 0 turns" in result.stdout
    later = run_retention(settings=settings, now=datetime.now(UTC) + timedelta(days=95))
    assert later == {"turns": 2, "consents": 1, "feedback": 0, "labels": 0}
    with read_scope(settings) as session:
        assert [e.action for e in session.query(AuditEvent).all()].count("retention.run") == 4
    assert audit.verify_chain(settings=settings) is None


def test_a_broken_database_never_reaches_the_reply_or_the_log_lines(settings, capfd, tmp_path):
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("a file where the database directory should be")
    broken = Settings(data_dir=tmp_path / "data", scenarios_dir=settings.scenarios_dir,
                      database_url=f"sqlite:///{blocked}/careops.db")
    bot = Assistant(load_scenarios(settings.scenarios_dir), MemorySessionStore(), embedder=None,
                    intent_model=None, screen=CrisisScreen(None))
    log = InteractionLog(broken).attach(bot)
    reply = bot.reply("s-broken", WITH_IDENTIFIERS)
    assert log.flush()
    assert reply.text and log.failed_batches == 1
    written = capfd.readouterr().err  # the writer process's own log lines
    assert "a batch of 1 turn(s) was not written" in written
    assert "Rosa" not in written and "555" not in written


def test_a_full_queue_drops_turns_instead_of_waiting(settings):
    import queue

    log = InteractionLog(settings)
    log._process = object()  # no writer: the queue can only fill (what a stalled database would do)
    log._outgoing = queue.Queue(maxsize=2)  # the settings and one turn
    bot = Assistant(load_scenarios(settings.scenarios_dir), MemorySessionStore(), embedder=None,
                    intent_model=None, screen=CrisisScreen(None))
    log.attach(bot)
    started = time.perf_counter()
    for _ in range(3):
        assert bot.reply("s-full", "hello").text
    assert log.dropped == 2
    assert time.perf_counter() - started < 5, "a full queue never makes a reply wait"


def test_the_writer_is_a_process_of_its_own(assistant, settings):
    assistant.log.record_consent("s-proc", True, "en")
    talk(assistant, "s-proc", "hello")
    assert assistant.log._process.pid != os.getpid() and assistant.log._process.poll() is None
    assert len(interactions.list_turns(settings=settings)) == 1


def test_the_writer_works_whatever_the_parent_runs_as_main(assistant, settings, tmp_path, monkeypatch):
    """Under `streamlit run`, __main__ is the page script (Streamlit installs it there): a writer
    started by multiprocessing's spawn ran that script first and never answered."""
    import sys
    import types

    script = tmp_path / "page.py"
    script.write_text("import time\ntime.sleep(3600)\n")  # what a page that never returns would do
    page = types.ModuleType("__main__")
    page.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", page)
    assistant.log.record_consent("s-page", True, "en")
    talk(assistant, "s-page", "hello")
    assert len(interactions.list_turns(settings=settings)) == 1


@pytest.mark.parametrize(("ms", "bucket"), [(3.0, "<50ms"), (50.0, "50-100ms"), (240.0, "100-250ms"),
                                            (999.9, "250ms-1s"), (1000.0, ">=1s")])
def test_latency_buckets(ms, bucket):
    assert latency_bucket(ms) == bucket


def test_a_non_admin_cannot_erase_in_core(settings):
    from core.auth.users import authorize, create_user

    create_user("ann", "a long analyst passphrase", "analyst", actor="test", settings=settings)
    with pytest.raises(NotPermitted):
        authorize("ann", "log.erase", target="c-x", settings=settings)


def test_a_turn_that_cannot_be_sent_is_skipped_and_the_log_goes_on(assistant, settings, caplog):
    from core.dialogue.reply import Reply

    assistant.log.record_consent("s-odd", True, "en")
    odd = Reply("x", "diabetes", 0.9, False, None, [], "en", [], findings=[lambda: "not picklable"])
    assistant.log.hook("s-odd", "how do i check her sugar", odd, 1.0)
    talk(assistant, "s-odd", "hello")
    assert "a turn message could not be sent" in caplog.text and "sugar" not in caplog.text
    assert len(interactions.list_turns(settings=settings)) == 1  # the next turn was written
