"""The Assistant: one turn, one lock, one save.

guard -> features (language + one embedding) -> safety screen -> intent -> policy -> content.
The safety screen runs first and independently; a crisis reply is never replaced by a topic answer,
and if anything else fails the detectors still answer.
"""

from __future__ import annotations

import copy
import logging
import time
import traceback
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

import numpy as np

from core.content import render
from core.content.schema import Scenario
from core.content.topics import is_topic
from core.dialogue import checkin, policy
from core.dialogue.guard import check_input
from core.dialogue.reply import Reply
from core.dialogue.roles import infer_role
from core.dialogue.sessions import MemorySessionStore, SessionLocks, SessionState, SessionStore
from core.nlu.embeddings import Embedder
from core.nlu.features import extract
from core.nlu.intent import IntentModel, intent_reply_kind
from core.nlu.language import detect_language
from core.safety import support
from core.safety.detectors import Finding
from core.safety.disclaimers import disclaimer_for
from core.safety.resources import crisis_message, resources_for
from core.safety.screen import CrisisScreen, ScreenResult, decide
from core.safety.urgency import urgency_of
from core.taxonomy import DEFAULT_SPEAKER_ROLE, LANGUAGES, SPEAKER_ROLES

log = logging.getLogger(__name__)
TurnHook = Callable[[str, str, Reply, float], None]  # session id, message, reply, milliseconds the turn took


class Assistant:
    def __init__(self, scenarios: dict[str, Scenario], store: SessionStore, *, embedder: Embedder | None,
                 intent_model: IntentModel | None, screen: CrisisScreen) -> None:
        self.store = store
        self.embedder = embedder
        self.intent_model = intent_model
        self.screen = screen
        self.locks = SessionLocks()
        self.hooks: list[TurnHook] = []
        self.health: dict = {}  # component name -> ComponentHealth, set by the factory
        self.watcher = None  # a ChampionWatcher (core/dialogue/champions.py) when the factory attaches one
        self.log = None  # the InteractionLog (core/dialogue/interaction_log.py) when the factory attaches one
        self.use_scenarios(scenarios)

    # ---- public -------------------------------------------------------------------------------
    def reply(self, session_id: str, text: str, role: str | None = None, language: str | None = None) -> Reply:
        """Never raises: on an internal failure the explicit crisis detectors still answer."""
        started = time.perf_counter()
        if self.watcher is not None:
            self.watcher.poke()  # a clock read; a new champion is loaded on another thread
        try:
            with self.locks.get(session_id):
                out = self._turn(session_id, text, role, language)
        except Exception as exc:  # logged without its message: it could quote what the person wrote
            where = traceback.extract_tb(exc.__traceback__)[-1]
            log.error("turn failed (%s at %s:%s); answering from the detectors alone",
                      type(exc).__name__, where.filename, where.lineno)
            out = self._failure_reply(session_id, text, language)
        elapsed_ms = (time.perf_counter() - started) * 1000
        for hook in self.hooks:
            try:
                hook(session_id, text, out, elapsed_ms)
            except Exception:
                log.exception("turn hook failed")
        return out

    scenarios: dict[str, Scenario]

    def use_scenarios(self, scenarios: dict[str, Scenario]) -> None:
        """Swap in edited content without dropping anyone's conversation."""
        self._titles = render.title_index(scenarios)
        self.scenarios = scenarios

    def answers_topic(self, intent: str) -> bool:
        """A care topic the loaded scenarios answer: a built-in one, or a new topic with its scenario."""
        return intent in self.scenarios and is_topic(intent)

    def reset(self, session_id: str) -> None:
        self.store.delete(session_id)

    def preview(self, text: str, *, role: str = "caregiver", language: str = "en",
                draft: Scenario | None = None) -> Reply:
        """"Try it" for the scenario editor: what a first message reaches, with confidence, without
        touching any conversation. With a draft, its unsaved content answers for its intent. Runs on
        a shallow copy (shared read-only models, its own throwaway session store), so concurrent
        conversations never see a draft."""
        trial = copy.copy(self)
        trial.store = MemorySessionStore(ttl_seconds=60, max_sessions=1)
        trial.locks = SessionLocks()
        trial.hooks = []
        if draft is not None:
            trial.scenarios = {**self.scenarios, draft.intent: draft}
        return trial.reply("preview", text, role=role, language=language)

    # ---- one turn -----------------------------------------------------------------------------
    def _turn(self, session_id: str, text: str, role: str | None, language: str | None) -> Reply:
        state = self.store.load(session_id) or SessionState(session_id)
        if role in SPEAKER_ROLES:
            state.role, state.role_explicit = role, True
        if language in LANGUAGES:
            state.language = language
        guard = check_input(text, state.language)
        if guard.refusal:
            return self._reply(state, guard.refusal, "guard", intent="out_of_scope", confidence=0.0)
        text = guard.text
        embedding, window_texts, window_embeddings, hidden, lang = self._features(text, state.language)
        state.language = lang
        if not state.role_explicit:
            state.role = infer_role(text) or state.role
        # The screen reads every message whole, whatever its length, before anything else is decided.
        screened = self.screen.screen(text, embedding, window_texts, window_embeddings, hidden)
        guard = replace(guard, language=state.language)
        if guard.too_long and not screened.crisis:
            return self._reply(state, guard.length_note, "guard", intent="out_of_scope", confidence=0.0,
                               risk=screened.risk)
        ranking = self._rank(text, embedding) if not screened.crisis else []
        intent, confidence, screened = decide(screened, ranking or [("out_of_scope", 0.0)])
        said = checkin.answer(text) if state.checkin_open and not screened.crisis else None
        state.checkin_open = False
        if said == "yes":  # thoughts of self-harm, said in answer to the direct question
            finding = Finding("suicide", "check_in", "answered_yes", 1.0, "answered yes to the self-harm check-in")
            screened = ScreenResult(True, "suicide", 1.0, [*screened.findings, finding], "crisis",
                                    urgency_of(text, "suicide"), screened.distress)
        out = self._respond(state, text, intent, confidence, screened, ranking)
        if said == "no" and not out.crisis:
            out = self._after_no(state, text, out)
        elif screened.risk == "distress" and out.kind not in ("reset", "summary", "crisis"):
            out = self._distress(state, text, out, confidence)
        if not out.crisis:
            out.risk = screened.risk  # what the screen found, whatever kind of reply answered it
        out.risk_margin = screened.margin
        if guard.too_long:
            out.text = f"{out.text}\n\n{guard.after_crisis_note}"
        state.record({
            "turn_id": out.turn_id, "at": datetime.now(UTC).isoformat(timespec="seconds"), "intent": out.intent,
            "kind": out.kind, "topic": out.topic, "crisis_type": out.crisis_type, "risk": out.risk,
        })
        if out.kind == "reset":
            state = SessionState(session_id, role=state.role, role_explicit=state.role_explicit,
                                 language=state.language)
        self.store.save(state)
        return out

    def _features(self, text: str, default_language: str):
        """(embedding, window texts, window embeddings, lower-layer states, language); no embedding
        when no model loads."""
        if self.embedder is None:
            return None, None, None, None, detect_language(text, default_language)
        f = extract([text], self.embedder, default_language)[0]
        return f.embedding, f.window_texts, f.window_embeddings, f.hidden, f.language

    def _rank(self, text: str, embedding: np.ndarray | None) -> list[tuple[str, float]]:
        if titled := render.match_title(text, self._titles):
            return [(titled, 1.0)]
        if self.intent_model is None or embedding is None:
            return []
        return self.intent_model.predict([text], embedding.reshape(1, -1))[0].ranking

    def _respond(self, state: SessionState, text: str, intent: str, confidence: float, screened: ScreenResult,
                 ranking: list[tuple[str, float]]) -> Reply:
        if screened.crisis:
            return self._crisis(state, screened, confidence)
        if support.is_chip(text, "talk_now"):
            again = ScreenResult(True, (state.crisis_types or ["suicide"])[-1], 1.0, [], "crisis", "concern")
            return self._crisis(state, again, 1.0)
        if support.is_chip(text, "keep_talking"):
            return self._reply(state, support.line("safe_now", state.language), "smalltalk", intent="thanks",
                               confidence=1.0, topic=state.topic,
                               suggestions=render.starter_suggestions(self.scenarios, state.language))
        if policy.is_reset(text):
            return self._reply(state, render.line("reset", state.language), "reset", intent="greeting", confidence=1.0,
                               suggestions=render.starter_suggestions(self.scenarios, state.language))
        if policy.is_summary(text):
            return self._summary(state)
        if not ranking:
            return self._reply(state, render.line("unavailable", state.language), "unavailable", intent="out_of_scope",
                               confidence=0.0)
        if policy.is_go_back(text) and state.topic_stack:
            return self._topic(state, state.topic_stack[-1], 1.0)
        current = self.scenarios.get(state.topic or "")
        if current is not None and policy.is_follow_up(text):
            switch = (confidence >= policy.SWITCH_ABOVE and self.answers_topic(intent) and intent != state.topic
                      and not policy.names_follow_up(current, text) and not policy.is_generic_more(text))
            return self._topic(state, intent, confidence) if switch else self._follow_up(state, current, text)
        kind = intent_reply_kind(intent, confidence)
        if kind == "clarify":
            if current is not None and len(text.split()) <= 8 and policy.names_follow_up(current, text):
                return self._follow_up(state, current, text)
            return self._clarify(state, ranking, confidence)
        if kind == "smalltalk" or intent not in self.scenarios:
            return self._smalltalk(state, intent if kind == "smalltalk" else "out_of_scope", confidence)
        if intent == state.topic and current is not None and policy.names_follow_up(current, text):
            return self._follow_up(state, current, text)
        return self._topic(state, intent, confidence)

    # ---- kinds of reply -----------------------------------------------------------------------
    def _crisis(self, state: SessionState, screened: ScreenResult, confidence: float) -> Reply:
        """Calm, direct, what to do first; the tap-to-call links travel inside the reply, and no topic
        chips follow it: only "talk to someone now" and "I'm safe, let's keep talking"."""
        crisis_type = screened.crisis_type or "suicide"
        if crisis_type not in state.crisis_types:
            state.crisis_types.append(crisis_type)
        urgency = screened.urgency or "concern"
        resources = resources_for(crisis_type, state.language)
        parts = [crisis_message(crisis_type, state.language), support.tap_links(resources, state.language)]
        if urgency == "now" and crisis_type != "medical_emergency":  # that message already leads with 911
            parts.insert(0, support.line("act_now", state.language))
        return self._reply(
            state, "\n\n".join(parts), "crisis", intent="crisis", confidence=max(confidence, screened.score),
            crisis_type=crisis_type, resources=[r.to_dict() for r in resources], findings=screened.explain(),
            suggestions=support.crisis_suggestions(state.language), risk="crisis", urgency=urgency,
        )

    def _distress(self, state: SessionState, text: str, out: Reply, confidence: float) -> Reply:
        """A warm, specific answer to what they said, the 988 note, and (when due) the check-in."""
        if support.answers_distress_with_wellbeing(out.kind) and support.DISTRESS_TOPIC in self.scenarios:
            out = self._topic(state, support.DISTRESS_TOPIC, confidence)
        parts = [support.distress_opener(text, state.language), out.text, support.line("also_988", state.language)]
        if checkin.due(state.checkin_turn, state.turns):
            parts.append(support.line("check_in", state.language))
            state.checkin_open, state.checkin_turn = True, state.turns
        return replace(out, text="\n\n".join(parts), risk="distress")  # its kind stays what answered it

    def _after_no(self, state: SessionState, text: str, out: Reply) -> Reply:
        thanks = support.line("check_in_no", state.language)
        if len(text.split()) <= 4:
            return self._reply(state, thanks, "smalltalk", intent="thanks", confidence=1.0, topic=state.topic,
                               suggestions=render.starter_suggestions(self.scenarios, state.language))
        return replace(out, text=f"{thanks}\n\n{out.text}")

    def _summary(self, state: SessionState) -> Reply:
        topics = list(dict.fromkeys(h["topic"] for h in state.history if h.get("topic")))
        text = render.summary(self.scenarios, topics, state.shown_follow_ups, state.topic, bool(state.crisis_types),
                              state.language)
        return self._reply(state, text, "summary", intent="thanks", confidence=1.0, topic=state.topic,
                           suggestions=[render.line("start_over", state.language)])

    def _topic(self, state: SessionState, intent: str, confidence: float) -> Reply:
        scenario = self.scenarios[intent]
        seen = any(h.get("topic") == intent for h in state.history)
        returning = seen and intent != state.topic
        if state.topic and state.topic != intent:
            state.topic_stack = [t for t in state.topic_stack if t != state.topic] + [state.topic]
        state.topic_stack = [t for t in state.topic_stack if t != intent]
        state.topic = intent
        role = state.role or DEFAULT_SPEAKER_ROLE
        text = render.topic_answer(scenario, role, state.language, first_time=not seen, returning=returning)
        return self._answer(state, scenario, text, "answer", confidence)

    def _follow_up(self, state: SessionState, scenario: Scenario, text: str) -> Reply:
        shown = state.shown_follow_ups.setdefault(scenario.intent, [])
        choice = policy.choose_follow_up(scenario, text, shown)
        if choice.follow_up is None:
            body = render.line("exhausted", state.language, title=render.title(scenario, state.language))
            return self._reply(state, body, "follow_up", intent=scenario.intent, confidence=1.0, topic=scenario.intent,
                               suggestions=[render.line("summarise", state.language),
                                            render.line("start_over", state.language)])
        if choice.follow_up.id not in shown:
            shown.append(choice.follow_up.id)
        body = render.follow_up_answer(choice.follow_up, state.language)
        return self._answer(state, scenario, body, "follow_up", 1.0)

    def _smalltalk(self, state: SessionState, intent: str, confidence: float) -> Reply:
        scenario = self.scenarios.get(intent)
        role = state.role or DEFAULT_SPEAKER_ROLE
        text = scenario.response(role, state.language).strip() if scenario else render.line("summary_none", state.language)
        suggestions = render.starter_suggestions(self.scenarios, state.language) if intent in ("greeting", "out_of_scope") else []
        return self._reply(state, text, "smalltalk", intent=intent, confidence=confidence, topic=state.topic,
                           suggestions=suggestions)

    def _clarify(self, state: SessionState, ranking: list[tuple[str, float]], confidence: float) -> Reply:
        """Offer the two likeliest care topics instead of guessing."""
        likely = [i for i, _ in ranking if self.answers_topic(i)][:2]
        for fallback in render.STARTER_TOPICS:
            if len(likely) >= 2:
                break
            if fallback in self.scenarios and fallback not in likely:
                likely.append(fallback)
        titles = [render.title(self.scenarios[i], state.language) for i in likely]
        text = render.line("clarify", state.language, a=titles[0], b=titles[1])
        return self._reply(state, text, "clarify", intent=ranking[0][0] if ranking else "out_of_scope",
                           confidence=confidence, topic=state.topic, suggestions=titles)

    def _answer(self, state: SessionState, scenario: Scenario, text: str, kind: str, confidence: float) -> Reply:
        return self._reply(
            state, text, kind, intent=scenario.intent, confidence=confidence, topic=scenario.intent,
            suggestions=list(getattr(scenario.suggestions, state.language)),
            disclaimer=disclaimer_for(state.role, state.language),
            sources=[{"name": s.name, "url": str(s.url)} for s in scenario.sources],
        )

    def _reply(self, state: SessionState, text: str, kind: str, *, intent: str, confidence: float, **extra) -> Reply:
        return Reply(
            text=text, intent=intent, confidence=round(float(confidence), 4), crisis=kind == "crisis",
            crisis_type=extra.pop("crisis_type", None), resources=extra.pop("resources", []), language=state.language,
            suggestions=extra.pop("suggestions", []), kind=kind, role=state.role or DEFAULT_SPEAKER_ROLE,
            session_id=state.session_id, turn_id=uuid.uuid4().hex, **extra,
        )

    def _failure_reply(self, session_id: str, text: str, language: str | None) -> Reply:
        lang = language if language in LANGUAGES else "en"
        state = SessionState(session_id, language=lang)
        try:
            guard = check_input(text, lang)
            lang = state.language = detect_language(guard.text, lang)
            screened = CrisisScreen(None).screen(guard.text)
            if screened.crisis:
                return self._crisis(state, screened, screened.score)
        except Exception:
            log.exception("detectors failed")
        return self._reply(state, render.line("unavailable", lang), "unavailable", intent="out_of_scope", confidence=0.0)
