"""PHI redaction: small named detectors (as the crisis screen's), kept apart from the operator that
replaces what they find. Redaction runs before anything free-text is stored."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class PhiPattern:
    label: str
    regex: re.Pattern


PHI_PATTERNS: tuple[PhiPattern, ...] = (
    PhiPattern("EMAIL", re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")),
    PhiPattern("URL", re.compile(r"\bhttps?://\S+|\bwww\.\S+", re.I)),
    PhiPattern("SSN", re.compile(r"\b\d{3}-\d{2}-\d{4}\b")),
    PhiPattern("CARD", re.compile(r"\b(?:\d[ -]?){13,16}\b")),
    PhiPattern("PHONE", re.compile(r"(?<!\w)(?:\+?\d{1,3}[ .-]?)?(?:\(\d{3}\)|\d{3})[ .-]?\d{3}[ .-]?\d{4}\b")),
    PhiPattern("PHONE", re.compile(r"(?<!\w)(?:\+\d{2,3}[ .-]?)?\d{3}[ .-]\d{3}[ .-]\d{3}\b")),
    PhiPattern("RECORD_NUMBER", re.compile(r"\b(?:mrn|medical record(?: number)?|record #|expediente|historia cl[ií]nica)\s*[:#]?\s*[\w-]{4,}", re.I)),
    PhiPattern("DATE", re.compile(r"\b(?:\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)?\d{2}|(?:19|20)\d{2}-\d{2}-\d{2})\b")),
    PhiPattern("ADDRESS", re.compile(
        r"\b\d{1,5}\s+(?:[A-Z][\w.]*\s+){1,3}(?:st|street|ave|avenue|rd|road|blvd|lane|ln|dr|drive|ct|court|way|calle|avenida)\b\.?",
        re.I)),
    PhiPattern("NAME", re.compile(r"\b(?:my name is|i am called|me llamo|mi nombre es)\s+([A-ZÁÉÍÓÚÑ][\w'-]+(?:\s+[A-ZÁÉÍÓÚÑ][\w'-]+)?)", re.I)),
)


@dataclass(frozen=True)
class PhiFinding:
    label: str
    start: int
    end: int


def find_phi(text: str) -> list[PhiFinding]:
    found: list[PhiFinding] = []
    for pattern in PHI_PATTERNS:
        for match in pattern.regex.finditer(text):
            start, end = (match.start(1), match.end(1)) if pattern.label == "NAME" else match.span()
            if not any(f.start < end and start < f.end for f in found):
                found.append(PhiFinding(pattern.label, start, end))
    return sorted(found, key=lambda f: f.start)


def redact(text: str) -> str:
    """Replace every finding with its label in angle brackets: "call me at <PHONE>"."""
    out, cursor = [], 0
    for finding in find_phi(text):
        out.append(text[cursor : finding.start])
        out.append(f"<{finding.label}>")
        cursor = finding.end
    out.append(text[cursor:])
    return "".join(out)
