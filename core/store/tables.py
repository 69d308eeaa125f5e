"""The tables. Health data never lands here in clear text: feedback comments are redacted and
encrypted before they are stored (core/privacy)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import DateTime, Interval, TypeDecorator, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Aware UTC in, aware UTC out, on every backend and in every session time zone: the audit
    hashes and the sign-in lockout compare these values, and a server whose TimeZone is not UTC
    must not shift them. PostgreSQL stores timestamptz; SQLite, which has no time zone type,
    stores UTC without an offset (as earlier versions did, so their rows still read back)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def coerce_compared_value(self, op, value):
        return Interval() if isinstance(value, timedelta) else self  # `at - interval` stays arithmetic

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:
            raise ValueError("a stored time must be time-zone aware (use core.store.tables.utcnow())")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.utcoffset() is None else value.astimezone(UTC)


def _when(**field) -> Field:
    return Field(sa_type=UTCDateTime, **field)


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(index=True, unique=True, max_length=64)
    role: str = Field(max_length=32)
    password_hash: str
    active: bool = True
    failed_attempts: int = 0
    locked_until: datetime | None = _when(default=None)
    created_at: datetime = _when(default_factory=utcnow)
    last_login_at: datetime | None = _when(default=None)


class AuditEvent(SQLModel, table=True):
    """Append-only and hash-chained: each row's hash covers its content and the previous hash."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _when(default_factory=utcnow, index=True)
    actor: str = Field(max_length=64)
    action: str = Field(max_length=64, index=True)
    target: str = Field(default="", max_length=200)
    details: str = Field(default="{}")
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64, unique=True)


class Feedback(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _when(default_factory=utcnow)
    session_id: str = Field(index=True, max_length=64)
    turn_id: str = Field(index=True, unique=True, max_length=64)
    intent: str = Field(max_length=64)
    rating: int  # +1 helpful, -1 not helpful
    comment_encrypted: str | None = None  # redacted, then encrypted


class ScenarioVersion(SQLModel, table=True):
    """One row per saved version; the file in scenarios/ is the newest. A version number is used once."""

    __table_args__ = (UniqueConstraint("intent", "version", name="uq_scenarioversion_intent_version"),)

    id: int | None = Field(default=None, primary_key=True)
    intent: str = Field(index=True, max_length=64)
    version: int
    author: str = Field(max_length=64)
    reason: str = Field(max_length=500)
    at: datetime = _when(default_factory=utcnow)
    yaml_text: str
    diff: str = ""


class ModelState(SQLModel, table=True):
    """Small key/value facts about the models, e.g. 'retrain_needed'."""

    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(default="")
    at: datetime = _when(default_factory=utcnow)


class ModelApproval(SQLModel, table=True):
    """One reviewer's decision on one registry version (core/mlops/approval.py): who, when, the
    note, and the checksum of the safety card they signed. A reviewer decides once per version."""

    __table_args__ = (UniqueConstraint("kind", "version", "reviewer", name="uq_modelapproval_kind_version_reviewer"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _when(default_factory=utcnow, index=True)
    kind: str = Field(max_length=16, index=True)
    version: int
    run_id: str = Field(max_length=64)
    reviewer: str = Field(max_length=64)
    decision: str = Field(max_length=16)  # approved | rejected | bootstrap
    note: str = Field(max_length=1000)
    card_sha256: str = Field(default="", max_length=64)


class ConsentRecord(SQLModel, table=True):
    """A person's answer to the consent question for one conversation (core/privacy/consent.py):
    the newest row for a conversation is its answer, and `version` names the wording they saw."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _when(default_factory=utcnow)
    conversation: str = Field(index=True, max_length=40)  # a pseudonym, never the session id
    allowed: bool
    version: str = Field(max_length=32)
    language: str = Field(max_length=8)


class Interaction(SQLModel, table=True):
    """One consented turn (core/dialogue/interaction_log.py). The text is redacted, then encrypted;
    everything else is a label the assistant chose, with the model versions that chose it."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _when(default_factory=utcnow, index=True)
    conversation: str = Field(index=True, max_length=40)
    turn_id: str = Field(unique=True, max_length=64)
    text_encrypted: str
    words: int
    language: str = Field(max_length=8)
    intent: str = Field(max_length=64)
    confidence: float
    risk: str = Field(max_length=16, index=True)
    crisis_type: str | None = Field(default=None, max_length=32)
    urgency: str | None = Field(default=None, max_length=16)
    risk_margin: float | None = None  # the screen's distance from its nearest threshold (None: detectors decided)
    kind: str = Field(max_length=16)
    scenario: str | None = Field(default=None, max_length=64)
    intent_version: str = Field(default="", max_length=64)
    crisis_version: str = Field(default="", max_length=64)
    latency_ms: float
    feedback: int | None = None
    consent_version: str = Field(max_length=32)


class UsageCount(SQLModel, table=True):
    """Anonymous counters, kept with or without consent: turns per day, intent, risk level,
    language and latency bucket. No text, no conversation."""

    __table_args__ = (UniqueConstraint("day", "intent", "risk", "language", "latency", name="uq_usagecount_key"),)

    id: int | None = Field(default=None, primary_key=True)
    day: str = Field(max_length=10, index=True)  # YYYY-MM-DD, UTC
    intent: str = Field(max_length=64)
    risk: str = Field(max_length=16)
    language: str = Field(max_length=8)
    latency: str = Field(max_length=16)  # a bucket such as "<50ms"
    turns: int = 0


class Erasure(SQLModel, table=True):
    """A conversation deleted at a person's request or by staff: its pseudonym stays here so no
    later dataset version or import brings its turns back."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _when(default_factory=utcnow)
    conversation: str = Field(index=True, max_length=40)
    by: str = Field(max_length=64)  # "person" or the staff member's username
    turns: int = 0


class DatasetVersion(SQLModel, table=True):
    """One cut of labelled log turns (core/mlops/dataset_versions.py): content-hashed, with its
    parent, the label ids it added and who gave them; its encrypted file is at `path` (under DATA_DIR)."""

    id: int | None = Field(default=None, primary_key=True)
    version: str = Field(unique=True, max_length=40)
    parent: str | None = Field(default=None, max_length=40)
    at: datetime = _when(default_factory=utcnow)
    created_by: str = Field(max_length=64)
    rows: int
    label_ids: str = "[]"  # JSON list: the labels this version added
    labelers: str = "[]"  # JSON list of reviewers
    counts: str = "{}"  # JSON: rows per intent, risk level and language
    dropped_erased: int = 0  # rows of the parent left out because their conversation was erased
    path: str = Field(max_length=200)
    sha256: str = Field(max_length=64)


class Label(SQLModel, table=True):
    """One reviewer's label of one logged turn (core/mlops/labeling.py). `kind` is first, second
    (the double-labeled share, by another reviewer who does not see the first) or adjudication. A
    skip is a row too, so the item leaves that reviewer's queue. The comment is redacted, then
    encrypted. Erasing or expiring the turn deletes its labels (core/store/interactions.py)."""

    __table_args__ = (UniqueConstraint("turn_id", "reviewer", "kind", name="uq_label_turn_reviewer_kind"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _when(default_factory=utcnow, index=True)
    interaction_id: int = Field(index=True)
    turn_id: str = Field(index=True, max_length=64)
    reviewer: str = Field(max_length=64, index=True)
    kind: str = Field(max_length=16)  # first | second | adjudication
    intent: str = Field(default="", max_length=64)  # an intent id, or new:<snake_case_name>
    risk: str = Field(default="", max_length=16)  # none | distress | crisis ("" on a skip)
    crisis_type: str | None = Field(default=None, max_length=32)
    skipped: bool = False
    comment_encrypted: str | None = None  # redacted, then encrypted


class DriftReport(SQLModel, table=True):
    """One drift run (core/mlops/drift.py): the two windows compared, each signal's score and
    whether it crossed its threshold, and where its HTML and JSON lie (under REPORTS_DIR/drift/).
    The row and the files are written together or not at all."""

    id: int | None = Field(default=None, primary_key=True)
    report_id: str = Field(unique=True, max_length=40)
    at: datetime = _when(default_factory=utcnow, index=True)
    created_by: str = Field(max_length=64)
    reference: str = Field(max_length=80)  # "champion <version>" or "YYYY-MM-DD:YYYY-MM-DD"
    reference_rows: int
    current_start: datetime = _when()
    current_end: datetime = _when()
    current_rows: int
    scores: str = Field(default="{}")  # JSON: signal -> {score, threshold, drifted, method}
    alert: bool = False
    html_path: str = Field(max_length=500)
    json_path: str = Field(max_length=500)
