"""The scenario schema: one YAML file per topic, checked field by field before it is used or saved."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, field_validator, model_validator

from core.content.topics import new_topic_problem
from core.taxonomy import INTENTS


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Bilingual(_Strict):
    en: str = Field(min_length=1, max_length=4000)
    es: str = Field(min_length=1, max_length=4000)


class BilingualList(_Strict):
    en: list[str] = Field(default_factory=list)
    es: list[str] = Field(default_factory=list)

    @field_validator("en", "es")
    @classmethod
    def _no_blank_items(cls, items: list[str]) -> list[str]:
        cleaned = [item.strip() for item in items]
        if any(not item for item in cleaned):
            raise ValueError("items must not be blank")
        return cleaned


class Examples(BilingualList):
    @model_validator(mode="after")
    def _enough(self) -> Examples:
        if len(self.en) < 3 or len(self.es) < 2:
            raise ValueError("needs at least 3 English and 2 Spanish examples")
        return self


class Responses(_Strict):
    caregiver: Bilingual
    senior: Bilingual
    patient: Bilingual
    healthcare_worker: Bilingual


class FollowUp(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    keywords: BilingualList
    text: Bilingual


class Source(_Strict):
    name: str = Field(min_length=3, max_length=200)
    url: HttpUrl


class Scenario(_Strict):
    version: int = Field(ge=1)
    intent: str
    title: Bilingual
    examples: Examples
    responses: Responses
    follow_ups: list[FollowUp] = Field(min_length=1, max_length=10)
    suggestions: BilingualList
    when_to_call_doctor: BilingualList
    sources: list[Source] = Field(default_factory=list, max_length=8)

    @field_validator("intent")
    @classmethod
    def _known_intent(cls, value: str) -> str:
        """A built-in intent (never crisis: the crisis screen answers crises) or a new topic's id."""
        if value in INTENTS and value != "crisis":
            return value
        problem = new_topic_problem(value)
        if problem:
            raise ValueError(f"intent {problem}")
        return value

    @field_validator("follow_ups")
    @classmethod
    def _unique_follow_up_ids(cls, items: list[FollowUp]) -> list[FollowUp]:
        ids = [f.id for f in items]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate follow-up ids: {', '.join(duplicates)}")
        return items

    def response(self, role: str, language: str) -> str:
        return getattr(getattr(self.responses, role), language)

