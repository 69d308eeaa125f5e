"""PHI redaction: small named detectors (as the crisis screen's), kept apart from the operator that
replaces what they find. Redaction runs before anything free-text is stored.

Identifiers, in English and Spanish, become typed placeholders (`<NAME>`, `<PHONE>`, `<EMAIL>`,
`<ADDRESS>`, `<DATE>`, `<SSN>`, `<RECORD_NUMBER>`, `<AGE>`, `<URL>`, `<ZIP>`, `<CARD>`). Names are
found by context cues ("my mom Maria", "mi mamá Rosa", "Dr. Patel", "la doctora Gómez") and by a
small lexicon of common given names (core/privacy/given_names.py). Care words ("my mom", "the nurse",
drug names, ages up to 89, doses, times) are kept. No model and no network: plain regular
expressions, well under a millisecond for a chat message (README, "Redaction")."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from core.privacy.given_names import AMBIGUOUS_GIVEN_NAMES, GIVEN_NAMES, name_key, words


@dataclass(frozen=True)
class PhiPattern:
    """A detector: what it finds (label) and how. Where the regex has a group named `phi`, only that
    group is replaced (the cue around it is kept); `accept` can veto a match."""

    label: str
    regex: re.Pattern
    accept: Callable[[str], bool] | None = None


_MONTHS_EN = (r"(?:jan(?:uary|\.)?|feb(?:ruary|\.)?|mar(?:ch|\.)?|apr(?:il|\.)?|may|june?|july?|"
              r"aug(?:ust|\.)?|sep(?:t(?:ember)?|\.)?|oct(?:ober|\.)?|nov(?:ember|\.)?|dec(?:ember|\.)?)")
_MONTHS_ES = r"(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre)"
_STATES = (r"(?:A[KLRZ]|C[AOT]|D[CE]|FL|GA|HI|I[ADLN]|K[SY]|LA|M[ADEINOST]|N[CDEHJMVY]|O[HKR]|PA|RI|S[CD]|"
           r"T[NX]|UT|V[AT]|W[AIVY])")
_UPPER = "A-ZÁÉÍÓÚÑÜ"
_LOWER = "a-záéíóúñüàèç"
_NAME_TOKEN = rf"[{_UPPER}][{_LOWER}]+(?:[-'][{_UPPER}{_LOWER}]+)?"
_UNITS = r"(?:mg|mcg|g|kg|lbs?|pounds|ml|cc|units?|mmhg|bpm|%|°|degrees|minutes|mins?|hours?|pills?|tablets?)\b"


def _over_89(age: str) -> bool:
    return 89 < int(age) <= 125


PHI_PATTERNS: tuple[PhiPattern, ...] = (
    PhiPattern("EMAIL", re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")),
    PhiPattern("URL", re.compile(
        r"\bhttps?://[^\s<>\"]*[^\s<>\".,;:!?)\]]|\bwww\.[^\s<>\"]*[^\s<>\".,;:!?)\]]"
        r"|\b[\w-]+\.(?:com|org|net|gov|edu|info|health)/[^\s<>\"]*[^\s<>\".,;:!?)\]]", re.I)),
    PhiPattern("SSN", re.compile(r"\b\d{3}-\d{2}-\d{4}\b")),
    PhiPattern("SSN", re.compile(
        r"(?i:\bssn|social security(?: number| no\.?| #)?|(?:n[úu]mero (?:de )?)?seguro social)"
        r"\s*(?i:is|es|number|n[úu]mero|no\.?|#|:)?\s*:?\s*(?P<phi>\d{3}[ .]?\d{2}[ .]?\d{4})\b")),
    PhiPattern("RECORD_NUMBER", re.compile(r"\b(?:MRN|HC|EXP|NHC)-[A-Z0-9-]*\d[A-Z0-9-]*\b", re.I)),
    PhiPattern("RECORD_NUMBER", re.compile(
        r"\b(?:mrn|medical record(?: number| no\.?| #)?|record (?:number|no\.?|#)|patient id|chart (?:number|#)|"
        r"record #|n[úu]mero de expediente|expediente(?: m[ée]dico)?|n[úu]mero de historia(?: cl[íi]nica)?|"
        r"historia cl[íi]nica)\s*(?:is|es|number|n[úu]mero|no\.?)?\s*[:#]?\s*(?P<phi>(?=[\w-]*\d)[\w-]{4,})", re.I)),
    PhiPattern("CARD", re.compile(r"\b(?:\d[ -]?){13,16}\b")),
    PhiPattern("PHONE", re.compile(r"(?<!\w)(?:\+?\d{1,3}[ .-]?)?(?:\(\d{3}\)|\d{3})[ .-]?\d{3}[ .-]?\d{4}\b")),
    PhiPattern("PHONE", re.compile(r"(?<![\w+])\+\d{1,3}(?:[ .-]?\d{2,4}){2,5}\b")),
    PhiPattern("PHONE", re.compile(r"(?<!\w)(?:\+\d{2,3}[ .-]?)?\d{3}[ .-]\d{3}[ .-]\d{3}\b")),
    PhiPattern("PHONE", re.compile(r"(?<![\w/.-])[6-9]\d{2}(?: \d{2}){3}\b")),
    PhiPattern("PHONE", re.compile(r"(?<![\w/.:-])\d{3}[-.]\d{4}\b(?![-/.]\d)")),
    PhiPattern("DATE", re.compile(r"\b(?:\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)?\d{2}|(?:19|20)\d{2}-\d{2}-\d{2})\b")),
    PhiPattern("DATE", re.compile(
        rf"\b(?i:{_MONTHS_EN})\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+(?:19|20)\d{{2}}\b)?"
        rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?i:{_MONTHS_EN})\b(?:,?\s+(?:19|20)\d{{2}}\b)?"
        rf"|\b(?i:{_MONTHS_EN})\s+(?:19|20)\d{{2}}\b")),
    PhiPattern("DATE", re.compile(
        rf"\b\d{{1,2}}\s+de\s+{_MONTHS_ES}(?:\s+(?:de|del)\s+(?:19|20)\d{{2}})?\b"
        rf"|\b{_MONTHS_ES}\s+(?:de|del)\s+(?:19|20)\d{{2}}\b", re.I)),
    PhiPattern("ADDRESS", re.compile(
        r"\b\d{1,5}\s+(?:[NSEW]\.?\s+)?(?:(?!(?:hours?|minutes?|mins?|miles?|blocks?|days?|weeks?|months?|years?|times?)\b)"
        r"[A-ZÁÉÍÓÚÑ][\w'.-]*\s+){1,3}"
        r"(?:st|street|ave|avenue|rd|road|blvd|boulevard|lane|ln|dr|drive|ct|court|way|pl|place|ter|terrace|"
        r"cir|circle|pkwy|parkway|hwy|highway|trail|calle|avenida)\b\.?"
        r"(?:,?\s*(?:apt|apartment|unit|suite|ste|#)\.?\s*#?\w+)?", re.I)),
    PhiPattern("ADDRESS", re.compile(
        rf"\b(?i:calle|c/|avenida|av\.|avda\.|paseo|camino|carrera|plaza|pasaje|callej[óo]n|privada)\s+"
        rf"(?:(?:de|del|la|las|los|el|san|santa)\s+)*[{_UPPER}][\w.]*"
        rf"(?:\s+(?:(?:de|del|la|las|los|el)\s+)*[{_UPPER}][\w.]*){{0,3}},?\s*"
        rf"(?:(?i:n[úu]m(?:ero)?\.?|no\.?|#)\s*)?\d{{1,5}}\b"
        rf"(?:,?\s*(?i:piso|apto\.?|depto\.?|puerta)\s*\w+)?")),
    PhiPattern("ZIP", re.compile(
        r"(?i:\bzip(?:\s*code)?|c[óo]digo postal|\bc\.p\.|\bcp)\s*(?i:is|es|:|#)?\s*:?\s*(?P<phi>\d{5}(?:-\d{4})?)\b")),
    PhiPattern("ZIP", re.compile(rf"\b{_STATES},?\s+(?P<phi>\d{{5}}(?:-\d{{4}})?)\b")),
    PhiPattern("AGE", re.compile(
        r"\b(?:she|he|i|mom|dad|mother|father|husband|wife|grandma|grandpa|grandmother|grandfather|aunt|uncle)"
        r"(?:'s|’s|\s+is|\s+was|\s+turned|\s+turns|\s+just turned|\s+will turn|\s+will be|\s+am|'m)\s+"
        rf"(?P<phi>\d{{2,3}})\b(?!\s*{_UNITS})(?![.:/]\d)", re.I), _over_89),
    PhiPattern("AGE", re.compile(
        r"\b(?:aged?|edad(?: de)?|tiene|ten[íi]a|cumpli[óo]|cumple|cumplir[áa]|va a cumplir)\s+(?:de\s+)?"
        rf"(?P<phi>\d{{2,3}})\b(?!\s*{_UNITS})(?![.:/]\d)", re.I), _over_89),
    PhiPattern("AGE", re.compile(
        r"\b(?P<phi>\d{2,3})(?:\s*|-)(?:years?|yrs?)(?:-|\s+)old\b|\b(?P<phi2>\d{2,3})\s*(?:años|y/?o)\b", re.I),
        _over_89),
)

# Name cues: a word before a capitalised name that says a person is named ("my mom Maria", "Dr. Patel").
_CUE = (
    r"(?i:\b(?:(?:my|our|her|his|their|your|the)\s+)?"
    r"(?:mom|mother|mum|mama|dad|father|papa|husband|wife|son|daughter|brother|sister|grandma|grandmother|"
    r"grandpa|grandfather|granddaughter|grandson|aunt|uncle|niece|nephew|cousin|neighbou?r|friend|partner|"
    r"caregiver|aide|roommate|stepmother|stepfather|stepson|stepdaughter|mother-in-law|father-in-law|"
    r"son-in-law|daughter-in-law|sister-in-law|brother-in-law|nurse|doctor|therapist|social worker)\b,?"
    r"|\b(?:mi|su|nuestra|nuestro|tu|la|el)\s+(?:mam[áa]|madre|pap[áa]|padre|esposo|esposa|marido|mujer|hijo|hija|"
    r"hermano|hermana|abuela|abuelo|nieta|nieto|t[íi]a|t[íi]o|sobrina|sobrino|prima|primo|vecina|vecino|amiga|"
    r"amigo|cuidadora|cuidador|suegra|suegro|nuera|yerno|pareja|enfermera|enfermero|doctora|doctor|m[ée]dica|"
    r"m[ée]dico|trabajadora social|trabajador social)\b,?"
    r"|\b(?:dr|dra|prof|sr|sra|srta)\b\.?|\b(?-i:Mr|Mrs|Ms|Mx)\b\.?|\b(?:doctor|doctora|nurse|enfermera|enfermero|"
    r"se[ñn]or|se[ñn]ora|se[ñn]orita|don|doña|miss)\b"
    r"|\b(?:my|her|his|their|your)\s+name\s+is|\bi\s+am\s+called"
    r"|\b(?:me|se|te)\s+llamo|\bse\s+llama|\b(?:mi|su|tu)\s+nombre\s+es|\bllamad[oa])")
_NAME_CUES = re.compile(_CUE + rf"\s+(?P<phi>{_NAME_TOKEN}(?:\s+(?:(?:de|del|de la|y)\s+)?{_NAME_TOKEN}){{0,2}})")
# The same cues before a name typed in lower case ("my mom maria"): only lexicon names, never ambiguous ones.
_LOWER_NAME_CUES = re.compile(_CUE + rf"\s+(?P<phi>[{_LOWER}]+)\b")
_TOKEN = re.compile(_NAME_TOKEN)
_SURNAME = re.compile(rf"\s+(?:(?:de|del|de la|de los)\s+)?({_NAME_TOKEN})")

# Capitalised words that are not names: pronouns, articles, days, months, conditions, care services.
_NOT_NAMES = words("""
i im the a an she he it they we you and but or so is was has had said who what when where why how this
that there here then if my her his our their yes no ok okay please thanks thank hi hello dear also
el la los las un una y pero que es esta está ella el ellos ellas yo mi su me se no si sí hola gracias
por para con sin cuando donde como porque también ya hoy ayer mañana
monday tuesday wednesday thursday friday saturday sunday january february march april may june july
august september october november december lunes martes miercoles jueves viernes sabado domingo enero
febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre
alzheimer alzheimers parkinson parkinsons medicare medicaid covid hospice tylenol advil aricept
english spanish ingles español espanol omeprazole
are am have ever every still after for one two three four five six seven eight nine ten something other
over kindly before initially recently whenever since last yesterday today tomorrow can could will would
were people only asides by during now pls good morning evening afternoon night hey mom dad mother father
grandmother grandfather grandma grandpa aunt uncle sister brother son daughter wife husband doctor nurse
which whose while because though although just not never always sometimes usually
""")
_PERSON_VERBS = words("""
said says called calls came comes told tells visits visited helps helped lives lived is was has fell falls
went goes took takes needs forgets forgot keeps cried sleeps slept wants wanted brings brought drives drove
dijo llamó llamo vino viene visita visitó ayuda ayudó vive está esta es
""")
_ARTICLES = words("a an the some el la los las un una unos unas")
_MONTH_LIKE = frozenset({"june", "april", "may", "august"})
_MONTH_CONTEXT = words("in on since until by last next this early late mid of before after during")
_NEVER_ALONE = frozenset({"will", "may", "hope", "mark", "bill", "art", "pat", "sue", "guy", "miles", "chase",
                          "rich", "sunny", "frank", "summer", "august", "paz", "luz", "esperanza", "socorro",
                          "remedios", "milagros", "consuelo", "soledad", "dolores", "amparo", "refugio"})


@dataclass(frozen=True)
class PhiFinding:
    label: str
    start: int
    end: int


def _sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t\"'“«(")
    return not before or before[-1] in ".!?¿¡:\n;"


def _previous_word(text: str, start: int) -> str:
    words = text[:start].split()
    return words[-1].lower().strip(",.;:") if words else ""


def _is_lexicon_name(text: str, match: re.Match, has_surname: bool) -> bool:
    key = name_key(match.group())
    if key not in GIVEN_NAMES or (key in _NOT_NAMES and key not in AMBIGUOUS_GIVEN_NAMES):
        return False
    if key not in AMBIGUOUS_GIVEN_NAMES:
        return True
    following = text[match.end():match.end() + 4].lstrip()
    if key in _MONTH_LIKE and (following[:1].isdigit() or following.startswith("<") or _previous_word(text, match.start()) in _MONTH_CONTEXT):
        return False
    if _previous_word(text, match.start()) in _ARTICLES:
        return False
    if has_surname:
        return True
    next_word = text[match.end():].split(maxsplit=1)
    verb_follows = bool(next_word) and next_word[0].lower().strip(",.;:!?") in _PERSON_VERBS
    if key in _NEVER_ALONE:
        return False
    return verb_follows or not _sentence_start(text, match.start())


def _surname_end(text: str, end: int) -> int:
    """Extend a given name over up to two capitalised surnames after it ("Maria Lopez Garcia")."""
    for _ in range(2):
        surname = _SURNAME.match(text, end)
        if not surname or name_key(surname.group(1)) in _NOT_NAMES:
            break
        end = surname.end()
    return end


def _find_names(text: str) -> list[PhiFinding]:
    found: list[PhiFinding] = []
    for cue in _NAME_CUES.finditer(text):
        first = name_key(cue.group("phi").split()[0])
        after_comma = "," in text[cue.start():cue.start("phi")]
        apposition = after_comma and text[cue.end("phi"):cue.end("phi") + 1] == ","  # "my mom, Zorana, said"
        if first in _NOT_NAMES or (after_comma and first not in GIVEN_NAMES and not apposition):
            continue
        end = cue.start("phi")
        for token in _TOKEN.finditer(text, cue.start("phi"), cue.end("phi")):
            if name_key(token.group()) in _NOT_NAMES:
                break
            end = token.end()
        found.append(PhiFinding("NAME", cue.start("phi"), end))
    for cue in _LOWER_NAME_CUES.finditer(text):
        key = name_key(cue.group("phi"))
        if key in GIVEN_NAMES and key not in AMBIGUOUS_GIVEN_NAMES and key not in _NOT_NAMES:
            found.append(PhiFinding("NAME", cue.start("phi"), cue.end("phi")))
    for token in _TOKEN.finditer(text):
        if any(f.start <= token.start() < f.end for f in found):
            continue
        end = _surname_end(text, token.end())
        if _is_lexicon_name(text, token, has_surname=end > token.end()):
            found.append(PhiFinding("NAME", token.start(), end))
    return found


def find_phi(text: str) -> list[PhiFinding]:
    """Every identifier in the text, without overlaps (the first detector to claim a span keeps it)."""
    found: list[PhiFinding] = []

    def claim(finding: PhiFinding) -> bool:
        if any(f.start < finding.end and finding.start < f.end for f in found):
            return False
        found.append(finding)
        return True

    for pattern in PHI_PATTERNS:
        groups = pattern.regex.groupindex
        position = 0
        while (match := pattern.regex.search(text, position)) is not None:
            group = next((g for g in ("phi", "phi2") if g in groups and match.group(g) is not None), None)
            start, end = match.span(group) if group else match.span()
            accepted = pattern.accept is None or pattern.accept(text[start:end])
            # A match that overlaps a claimed span is retried one character later ("/831 312.555.0137").
            position = match.end() if accepted and claim(PhiFinding(pattern.label, start, end)) else match.start() + 1
    for finding in _find_names(text):
        claim(finding)
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
