"""Explicit crisis detectors: small lists of named patterns, in the style of presidio's recognizers.

Each detector covers one crisis type in one language. Patterns run on folded text (lowercase, no
accents, no apostrophes), so "Can't breathe" and "cant breathe" match alike. A pattern's score says
how sure it is on its own; context words near a match raise it, negative context (a figure of speech,
an accidental injury) lowers it. Every finding names its detector and pattern, for reviewers and
the audit log.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from re import _constants as _c
from re import _parser

from core.nlu.normalize import match_form

CONTEXT_WINDOW = 80  # characters either side of a match in which context words count
CONTEXT_BOOST = 0.3
NEGATIVE_CONTEXT_PENALTY = 0.4
NEGATION_PENALTY = 0.35  # "not thinking about hurting myself": lowered, never silenced on its own
# A negation up to two words before a match, in the same clause ("i would never neglect him",
# "no pienso hacerme dano"), but not "i dont know" or "i dont see the point" which say nothing safe.
_NEGATION = re.compile(
    r"\b(?:not|never|no|dont|doesnt|didnt|wouldnt|isnt|arent|wont|nunca|jamas)\b"
    r"(?! know| care| understand| see| think i can| want to live| want to be)(?: \w+){0,2} ?$"
)


screen_text = match_form  # the name the detectors and their tests use


@dataclass(frozen=True)
class Pattern:
    name: str
    regex: str
    score: float


@dataclass(frozen=True)
class Finding:
    crisis_type: str
    source: str  # detector name, or "semantic" for the classifier
    pattern: str
    score: float
    explanation: str
    start: int = -1
    end: int = -1


@dataclass
class CrisisDetector:
    name: str
    crisis_type: str
    language: str
    patterns: list[Pattern]
    context: list[str] = field(default_factory=list)
    negative_context: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._compiled = [(p, re.compile(p.regex), required_substrings(p.regex)) for p in self.patterns]
        self._context = _alternation(self.context)
        self._negative = _alternation(self.negative_context)

    @property
    def literals(self) -> frozenset[str]:
        """Every required literal of this detector's patterns (see required_substrings)."""
        return frozenset().union(*(required for _, _, required in self._compiled if required))

    def analyze(self, folded: str, present: frozenset[str] | set[str] | None = None) -> list[Finding]:
        """`present`: which of the detectors' literals occur in `folded`, when the caller has
        already looked (run_detectors looks once for all detectors); otherwise each pattern looks."""
        findings = []
        for pattern, regex, required in self._compiled:
            if required and (required.isdisjoint(present) if present is not None
                             else not any(map(folded.__contains__, required))):
                continue  # the pattern cannot match: skip the scan (a plain substring test is ~50x cheaper)
            for match in regex.finditer(folded):
                score, why = self._adjust(folded, match, pattern.score)
                if score > 0:
                    findings.append(
                        Finding(
                            crisis_type=self.crisis_type,
                            source=self.name,
                            pattern=pattern.name,
                            score=round(score, 3),
                            explanation=f"{self.name}.{pattern.name} matched{why}",
                            start=match.start(),
                            end=match.end(),
                        )
                    )
        return findings

    def _adjust(self, folded: str, match: re.Match, score: float) -> tuple[float, str]:
        lo, hi = max(0, match.start() - CONTEXT_WINDOW), match.end() + CONTEXT_WINDOW
        around = folded[lo : match.start()] + " | " + folded[match.end() : hi]  # the match itself never counts
        why = ""
        clause = re.split(r"[.,;:!?]", folded[max(0, match.start() - 40) : match.start()])[-1]
        if _NEGATION.search(clause):
            score -= NEGATION_PENALTY
            why += "; negated"
        if self._negative is not None and self._negative.search(around):
            score -= NEGATIVE_CONTEXT_PENALTY
            why += "; negative context"
        elif self._context is not None and self._context.search(around):
            score = min(1.0, score + CONTEXT_BOOST)
            why += "; context words"
        return score, why


def required_substrings(regex: str) -> frozenset[str] | None:
    """Literal strings of which every match must contain at least one, read off the parsed pattern
    (the prefilter idea of RE2 and Hyperscan, in small): "\\bsuicid(?:e|al)\\b" needs "suicid";
    "\\b(?:kill|hang) myself" needs "kill" or "hang" (or " myself"; the longest shortest wins).
    None when nothing is required for sure. Only a necessary condition: a pattern whose required
    strings are all absent cannot match, so skipping it changes no finding (tested on every row)."""
    return _required(_parser.parse(regex))


def _required(items) -> frozenset[str] | None:
    best: tuple[int, frozenset[str]] | None = None
    run: list[str] = []

    def consider(found: frozenset[str] | None) -> None:
        nonlocal best
        if found:
            score = min(len(s) for s in found)
            if best is None or score > best[0]:
                best = (score, found)

    def flush() -> None:
        if run:
            consider(frozenset(["".join(run)]))
            run.clear()

    for op, av in items:
        if op is _c.LITERAL:
            run.append(chr(av))
            continue
        flush()
        if op is _c.SUBPATTERN:
            consider(_required(av[3]))
        elif op is _c.BRANCH:
            branches = [_required(branch) for branch in av[1]]
            if all(branches):
                consider(frozenset().union(*branches))
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[0] >= 1:
            consider(_required(av[2]))
        # anything else (classes, any character, anchors, lookarounds) requires nothing for sure
    flush()
    return best[1] if best else None


def _alternation(words: list[str]) -> re.Pattern | None:
    if not words:
        return None
    return re.compile(r"\b(?:" + "|".join(words) + r")\b")
