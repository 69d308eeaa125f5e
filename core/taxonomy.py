"""The project's fixed vocabularies, defined once: languages, who is speaking, intents, crisis types
and risk levels. A leaf module (it imports nothing of core), so content, nlu, safety, dialogue,
mlops, pages and the command line all read the same tuples.

Intent ids are stable data: scenarios, labels, reports and model files use them."""

from __future__ import annotations

from typing import Literal

Language = Literal["en", "es"]
LANGUAGES: tuple[Language, ...] = ("en", "es")
LANGUAGE_NAMES: dict[str, str] = {"en": "English", "es": "Español"}

# Who is speaking to the assistant (answers and disclaimers are worded for each). Staff roles of the
# console are a different thing: core.auth.permissions.ROLES.
SPEAKER_ROLES: tuple[str, ...] = ("caregiver", "senior", "patient", "healthcare_worker")
DEFAULT_SPEAKER_ROLE = "caregiver"
SPEAKER_LABELS: dict[str, str] = {"caregiver": "a family caregiver", "senior": "an older adult",
                                  "patient": "a patient", "healthcare_worker": "a healthcare worker"}

TOPIC_INTENTS: tuple[str, ...] = (
    "adl",
    "dementia_senior_care",
    "caregiver_wellbeing",
    "respite_care",
    "disability_support",
    "diabetes",
    "post_surgery",
    "medication_side_effects",
    "chronic_pain",
    "maternal_health",
    "pediatric_care",
    "home_safety",
    "nutrition",
)
SMALLTALK_INTENTS: tuple[str, ...] = ("greeting", "goodbye", "thanks")
INTENTS: tuple[str, ...] = (*TOPIC_INTENTS, "crisis", *SMALLTALK_INTENTS, "out_of_scope")

CRISIS_TYPES: tuple[str, ...] = (
    "suicide",
    "self_harm",
    "harm_to_others",
    "abuse_neglect",
    "medical_emergency",
    "overdose_risk",
)

# The graded screen: every message gets one risk level; a crisis reply also gets an urgency.
RISK_LEVELS: tuple[str, ...] = ("none", "distress", "crisis")
URGENCIES: tuple[str, ...] = ("now", "concern")

# The two trained models (model files, registry names care-intent and care-crisis).
MODEL_KINDS: tuple[str, ...] = ("intent", "crisis")
# The model a training may retrain without the other: the intent model (what a new topic needs, in
# minutes). The crisis screen trains only together with it.
TRAINABLE_ALONE: tuple[str, ...] = ("intent",)
