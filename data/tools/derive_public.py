"""Maintainer tool: derive data/public/*.csv from the openly licensed sets in ../shared/data.

Run once by a maintainer (`python data/tools/derive_public.py ../shared/data`); the project never
reads ../shared at run time or in tests. The split between `train` and `holdout` is a stable hash of
the text, so re-running gives the same files; holdout rows are never used for training.
"""

from __future__ import annotations

import csv
import hashlib
import random
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "public"
HOLDOUT_SHARE = 0.35

# NaijaMed forum category -> CareOps intent ("" = health, but not one we label for training).
NAIJAMED_INTENTS = {
    "Pregnancy": "maternal_health",
    "Child Health": "pediatric_care",
    "Baby Care": "pediatric_care",
    "Nutrition": "nutrition",
    "Infections": "out_of_scope",
    "Sexual Health": "out_of_scope",
    "Skin Care": "out_of_scope",
    "Dental Health": "out_of_scope",
    "Eye Health": "out_of_scope",
    "COVID-19": "out_of_scope",
}
SMALLTALK_INTENTS = {"greeting": "greeting", "goodbye": "goodbye", "thank_you": "thanks"}


def split_of(text: str) -> str:
    digest = hashlib.sha256(text.strip().lower().encode()).digest()
    return "holdout" if digest[0] / 255 < HOLDOUT_SHARE else "train"


def read(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def write(name: str, rows: list[dict]) -> None:
    with (OUT / name).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["text", "intent", "language", "source", "split"])
        writer.writeheader()
        writer.writerows(rows)
    print(name, len(rows))


def row(text: str, intent: str, source: str) -> dict:
    text = " ".join(text.split())
    return {"text": text, "intent": intent, "language": "en", "source": source, "split": split_of(text)}


# Real questions that voice thoughts of suicide are crises, not negatives: they are left out so that
# no model is taught that such wording is safe (one such NaijaMed question, about headaches).
CRISIS_WORDING = re.compile(r"kill(?:ing)? my ?self|suicid", re.I)


def main(shared: Path) -> None:
    rng = random.Random(20261124)
    naija = [
        row(r["question"], NAIJAMED_INTENTS.get(r["category"], ""), f"naijamed:{r['category']}")
        for r in read(shared / "naijamed/naijamed_questions.csv")
        if not CRISIS_WORDING.search(r["question"])
    ]
    write("naijamed.csv", naija)
    kqa = [row(r["question"], "", "kqa") for r in read(shared / "kqa/kqa_questions.csv")
           if not CRISIS_WORDING.search(r["question"])]
    write("kqa.csv", kqa)
    clinc = read(shared / "clinc150/clinc150_train_val.csv")
    talk = [row(r["text"], SMALLTALK_INTENTS[r["label"]], f"clinc150:{r['label']}")
            for r in clinc if r["label"] in SMALLTALK_INTENTS]
    other = [r for r in clinc if r["label"] not in SMALLTALK_INTENTS]
    talk += [row(r["text"], "out_of_scope", f"clinc150:{r['label']}") for r in rng.sample(other, 1500)]
    hwu = read(shared / "hwu64/hwu64.csv")
    talk += [row(r["text"], "out_of_scope", f"hwu64:{r['label']}") for r in rng.sample(hwu, 1500)]
    write("assistant_talk.csv", talk)
    # Overdose and poisoning questions are left out: a reply to them should show Poison Help, so
    # they must not teach the crisis classifier that such wording is safe.
    medquad = [r for r in read(shared / "medquad/medquad_questions.csv")
               if not re.search(r"overdose|poison|suicid", r["text"], re.I)]
    write("medquad.csv", [row(r["text"], "", f"medquad:{r['collection']}") for r in rng.sample(medquad, 1500)])


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data"))
