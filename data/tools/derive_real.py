"""Maintainer tool: how the rows of data/real/*.csv were selected from the sets in ../shared/data.

The risk labels in data/real/ are a person's reading of each row, not the output of this tool: it
only documents and re-creates the *selection* (which texts were put in front of the labeller, how
the text was formed, which split it falls in), and checks that a committed file still matches it.
The project never runs it at run time or in tests.

    python data/tools/derive_real.py ../shared/data candidates out/   # write unlabelled candidates
    python data/tools/derive_real.py ../shared/data check             # compare with data/real/*.csv

Another source is added by writing one more `<source>_candidates` function and listing it in
SOURCES.
"""

from __future__ import annotations

import csv
import hashlib
import random
import re
import sys
from collections.abc import Callable
from pathlib import Path

REAL = Path(__file__).resolve().parents[1] / "real"
FIELDS = ["text", "risk", "crisis_type", "intent", "language", "source", "split", "note"]
RISKS = {"none", "distress", "crisis"}
CRISIS_TYPES = {"suicide", "self_harm", "harm_to_others", "abuse_neglect", "medical_emergency", "overdose_risk"}

# GoEmotions: every comment rated with one of these emotions is a candidate (ordinary distress
# and its look-alikes), plus every comment with a crisis-like word (mostly hyperbole and talk about
# others: the hard negatives), plus a fixed random sample of the rest (everyday talk).
DISTRESS_EMOTIONS = {"sadness", "grief", "fear", "nervousness", "remorse", "disappointment"}
CRISIS_WORDS = re.compile(
    r"\b(kill\w*|die|dies|died|dying|dead|death|suicid\w*|end (it|my life|myself)|hurt(ing)? myself"
    r"|self[- ]?harm\w*|cut(ting)? myself|overdos\w*|\bod\b|kms|kys|hang(ing)? myself|shoot myself"
    r"|jump off|murder\w*|not wake up|wanna die|want to die|off (him|her|my)self)\b",
    re.I,
)
OTHER_SAMPLE, SEED = 800, 20260116
# Rows naming a Reddit user, an e-mail address, a phone number or a link are never candidates.
CONTACT = re.compile(r"[\w.+-]+@[\w-]+\.\w+|\(?\d{3}\)?[-. ]\d{3}[-. ]\d{4}|\bu/\w+|https?://|www\.", re.I)


def split_of(text: str) -> str:
    """Validation rows are never trained on; the same stable hash rule is used in every file."""
    return "validation" if int(hashlib.sha256(text.encode()).hexdigest(), 16) % 100 < 40 else "train"


def read(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def counselchat_candidates(shared: Path) -> list[str]:
    """Every question, as title + " " + body, otherwise unchanged."""
    rows = read(shared / "counselchat/counselchat_questions.csv")
    return [(r["title"] + " " + r["text"]).strip() for r in rows]


def goemotions_candidates(shared: Path) -> list[str]:
    """Distress-rated rows, crisis-word rows and a seeded sample of the rest, in upstream order."""
    order, distress, crisis_words, other, seen = [], [], [], [], set()
    for row in read(shared / "goemotions/goemotions.csv"):
        text = row["text"]
        if text in seen or CONTACT.search(text):
            continue
        seen.add(text)
        order.append(text)
        if set(row["emotions"].split(";")) & DISTRESS_EMOTIONS:
            distress.append(text)
        elif CRISIS_WORDS.search(text):
            crisis_words.append(text)
        else:
            other.append(text)
    chosen = set(distress) | set(crisis_words) | set(random.Random(SEED).sample(other, OTHER_SAMPLE))
    return [text for text in order if text in chosen]


def health_forums_candidates(shared: Path) -> list[str]:
    """Every consumer health question (ehealthforum, icliniq, questiondoctors), text trimmed.

    The committed rows carry the site as `source`. Topics were first proposed by keyword rules
    (pregnancy -> maternal_health, child -> pediatric_care, ...) and every row was then read and
    the proposal corrected; rows signed with a name or carrying an e-mail were dropped after reading.
    """
    return [r["question"].strip() for r in read(shared / "consumer_health_forums/consumer_health_questions.csv")]


def es_tweets_candidates(shared: Path) -> list[str]:
    """Every Spanish tweet; rows naming a private account (@handle) or a referral link were
    dropped after reading, handles of public figures and organisations were kept."""
    return [r["text"].strip() for r in read(shared / "es_emotion_tweets/es_emotion_tweets.csv")]


# XED Spanish subtitles: every line with a death / killing / suicide word, every line rated sadness
# or fear, and a fixed random sample of the rest. After reading, encoding- or OCR-damaged copies
# ("Estâ", "io siento") and other translations of an already kept line (token Jaccard >= 0.7, which
# would otherwise straddle the hash split) were dropped.
XED_WORDS = re.compile(
    r"\b(mat(ar|o|a|e|é|en|aste|aron|aré|arás|ará|arán|aría|arme|arte|arlo|arla|arlos|arlas|arnos|aros"
    r"|ándo\w*|ado|ados|ada|adas|amos|ó)|muert[oae]s?|muerte|morir\w*|muer[ae]s?|muero|muere[ns]?|murió"
    r"|murieron|moriré|morirá\w*|moriría\w*|suicid\w*|asesin\w*|me quiero ir|no quiero vivir|mejor sin mí)\b",
    re.I,
)
XED_OTHER_SAMPLE, XED_SEED = 300, 20261129


def xed_es_candidates(shared: Path) -> list[str]:
    """Death-word lines, sadness/fear lines and a seeded sample of the rest, in upstream order."""
    order, rest, chosen, seen = [], [], set(), set()
    for row in read(shared / "xed_es/xed_es_subtitles.csv"):
        text = row["text"].strip()
        if not text or text in seen:
            continue
        seen.add(text)
        order.append(text)
        if XED_WORDS.search(text) or set(row["emotions"].split(";")) & {"sadness", "fear"}:
            chosen.add(text)
        else:
            rest.append(text)
    chosen |= set(random.Random(XED_SEED).sample(rest, XED_OTHER_SAMPLE))
    return [text for text in order if text in chosen]


SOURCES: dict[str, Callable[[Path], list[str]]] = {
    "counselchat": counselchat_candidates,
    "goemotions": goemotions_candidates,
    "health_forums": health_forums_candidates,
    "es_tweets": es_tweets_candidates,
    "xed_es": xed_es_candidates,
}
LANGUAGES = {"es_tweets": "es", "xed_es": "es"}


def write_candidates(shared: Path, out: Path) -> None:
    """Unlabelled rows for a person to read: the label columns are left empty on purpose."""
    out.mkdir(parents=True, exist_ok=True)
    for source, select in SOURCES.items():
        with (out / f"{source}_candidates.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=FIELDS)
            writer.writeheader()
            for text in select(shared):
                language = LANGUAGES.get(source, "en")
                writer.writerow({"text": text, "language": language, "source": source, "split": split_of(text)})


def check(shared: Path) -> list[str]:
    """Problems in the committed files: rows not in the selection, wrong split, unknown labels."""
    problems = []
    for source, select in SOURCES.items():
        path = REAL / f"{source}.csv"
        selected = set(select(shared))
        rows = read(path)
        for line, row in enumerate(rows, start=2):
            where = f"{path.name}:{line}"
            if row["text"] not in selected:
                problems.append(f"{where}: text is not in the {source} selection")
            if row["split"] != split_of(row["text"]):
                problems.append(f"{where}: split should be {split_of(row['text'])}")
            if row["risk"] not in RISKS:
                problems.append(f"{where}: unknown risk {row['risk']!r}")
            if (row["risk"] == "crisis") != (row["crisis_type"] in CRISIS_TYPES):
                problems.append(f"{where}: crisis rows need a crisis type, other rows none")
        dropped = len(selected) - len(rows)
        print(f"{source}: {len(rows)} labelled of {len(selected)} selected ({dropped} dropped by the labeller)")
    return problems


def main(argv: list[str]) -> int:
    shared = Path(argv[1] if len(argv) > 1 else "../shared/data")
    command = argv[2] if len(argv) > 2 else "check"
    if command == "candidates":
        write_candidates(shared, Path(argv[3] if len(argv) > 3 else "candidates"))
        return 0
    problems = check(shared)
    print("\n".join(problems) or "ok")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
