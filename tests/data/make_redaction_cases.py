"""Writes tests/data/redaction_cases.csv: caregiver messages with planted, obviously synthetic
identifiers (phones 555-01xx, SSNs from 900, emails @example.com/.org, made-up streets, MRN-TEST-...),
in English and Spanish, plus hand-written tricky cases with their exact expected redaction.

Run: .venv/bin/python tests/data/make_redaction_cases.py   (seeded: the same file every time)

Columns: text, language, identifiers (JSON list of [type, value] planted in the text), keep (JSON
list of care words that must survive), expected (exact redacted text; hand-written cases only)."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

SEED = 18
PER_LANGUAGE = 170
OUT = Path(__file__).with_name("redaction_cases.csv")

GIVEN = {
    "en": ["Maria", "Linda", "Robert", "Dorothy", "James", "Margaret", "Helen", "Walter", "Ruth", "George",
           "Patricia", "Edward", "Shirley", "Harold", "Evelyn", "Thomas", "Barbara", "Frank", "Gladys", "Arthur"],
    "es": ["María", "José", "Rosa", "Carmen", "Jesús", "Guadalupe", "Ramón", "Ángela", "Lucía", "Andrés",
           "Josefina", "Raúl", "Inés", "Joaquín", "Dolores", "Tomás", "Beatriz", "Héctor", "Sofía", "Martín"],
}
# Made-up or uncommon names that are not in the lexicon: found only through their cue.
UNLISTED = ["Zorana", "Quillon", "Tavish", "Yesenia", "Odalys", "Brynmor", "Ximeno", "Eulalia"]
SURNAMES = ["Testwood", "Patel", "Kim", "Gómez", "Lopez", "Fernández", "Okafor", "Nguyen", "Ibarra", "Sampleton"]
STREETS = ["Quillfeather", "Lanternbrook", "Mossgate", "Brindlewood", "Tallowmere", "Cobbleshade"]
STREETS_ES = ["Los Almendros Ficticios", "Mirasombra", "Valdecristal", "Peñaverde", "Ruiseñor Inventado"]
HOSTS = ["example.com", "example.org"]

RELATIONS = {
    "en": ["my mom", "my dad", "my husband", "my wife", "my grandma", "my neighbor", "my sister", "my son"],
    "es": ["mi mamá", "mi papá", "mi esposo", "mi esposa", "mi abuela", "mi vecina", "mi hermana", "mi hijo"],
}
TITLES = {"en": ["Dr.", "nurse", "Mrs.", "Dr"], "es": ["la doctora", "el doctor", "la enfermera", "doña", "Dra."]}
CARE = {
    "en": [("She forgets her donepezil at night.", "donepezil"), ("He takes metformin 500 mg with breakfast.", "metformin"),
           ("The nurse comes on Tuesdays at 3:30.", "The nurse"), ("My mom has dementia and gets confused.", "my mom"),
           ("His insulin is kept in the fridge.", "insulin"), ("She had a stroke last spring.", "stroke"),
           ("I am exhausted from caring for my dad.", "my dad"), ("The hospice team was kind.", "hospice")],
    "es": [("Se olvida del donepezilo por la noche.", "donepezilo"), ("Toma metformina 850 mg en el desayuno.", "metformina"),
           ("La enfermera viene los martes a las 3:30.", "La enfermera"), ("Mi mamá tiene demencia y se confunde.", "Mi mamá"),
           ("Su insulina está en el refrigerador.", "insulina"), ("Tuvo un derrame el año pasado.", "derrame"),
           ("Estoy agotada de cuidar a mi esposo.", "mi esposo"), ("Le duelen las rodillas al caminar.", "rodillas")],
}
FRAGMENTS = {
    "en": {
        "NAME": ["{rel} {name} keeps asking for her keys", "{title} {surname} changed the dose",
                 "you can ask for {given} {surname} at the front desk", "my name is {name}",
                 "{rel}, {name}, won't eat", "I spoke with {title} {surname} yesterday"],
        "PHONE": ["call me at {phone}", "her cell is {phone}", "the clinic number is {phone}"],
        "EMAIL": ["email me at {email}", "send the forms to {email}"],
        "ADDRESS": ["we live at {address}", "the pharmacy moved to {address}", "send a ride to {address}"],
        "DATE": ["she was born on {dob}", "his date of birth is {dob}", "DOB {dob}"],
        "SSN": ["her SSN is {ssn}", "the form asked for his social security number {ssn}"],
        "RECORD_NUMBER": ["her chart says {mrn}", "medical record number {mrn_digits}", "MRN: {mrn}"],
        "AGE": ["she is {age}", "he just turned {age}", "my {age}-year-old mother", "she is {age} years old"],
        "URL": ["the portal is {url}", "I found this at {url}"],
        "ZIP": ["our ZIP code is {zip}", "we are in Springfield, IL {zip}", "zip {zip}"],
    },
    "es": {
        "NAME": ["{rel} {name} pregunta por sus llaves", "{title} {surname} cambió la dosis",
                 "pregunte por {given} {surname} en recepción", "me llamo {name}",
                 "{rel}, {name}, no quiere comer", "hablé con {title} {surname} ayer"],
        "PHONE": ["llámeme al {phone}", "su celular es {phone}", "el teléfono de la clínica es {phone}"],
        "EMAIL": ["escríbame a {email}", "mande los papeles a {email}"],
        "ADDRESS": ["vivimos en la {address_es}", "la farmacia está en {address_es}"],
        "DATE": ["nació el {dob_es}", "su fecha de nacimiento es {dob_es}", "nacida el {dob}"],
        "SSN": ["su número de seguro social es {ssn}", "el seguro social {ssn_spaced}"],
        "RECORD_NUMBER": ["su expediente es {mrn}", "número de expediente {mrn_digits}", "historia clínica {mrn}"],
        "AGE": ["tiene {age} años", "cumplió {age} años", "mi abuela de {age} años", "va a cumplir {age}"],
        "URL": ["el portal es {url}", "lo vi en {url}"],
        "ZIP": ["el código postal es {zip}", "CP {zip}"],
    },
}
MONTHS_EN = ["January", "March", "April", "July", "September", "October", "December"]
MONTHS_ES = ["enero", "marzo", "abril", "julio", "septiembre", "octubre", "diciembre"]


def synthetic_values(rng: random.Random, language: str) -> dict[str, tuple[str, str]]:
    """One synthetic value per placeholder; each maps to (type, value)."""
    given = rng.choice(GIVEN[language])
    name = rng.choice([given, given, rng.choice(UNLISTED)])
    surname = rng.choice(SURNAMES)
    xx = rng.randint(0, 99)
    phone = rng.choice([f"555-01{xx:02d}", f"(312) 555-01{xx:02d}", f"+1 312 555 01{xx:02d}",
                        f"312.555.01{xx:02d}", f"+34 555 010 1{xx:02d}"])
    day, year = rng.randint(1, 28), rng.randint(1925, 1945)
    month = rng.randint(1, 12)
    dob = rng.choice([f"{month:02d}/{day:02d}/{year}", f"{MONTHS_EN[month % 7]} {day}, {year}", f"{year}-{month:02d}-{day:02d}"])
    dob_es = rng.choice([f"{day} de {MONTHS_ES[month % 7]} de {year}", f"{day:02d}/{month:02d}/{year}"])
    ssn_parts = (rng.randint(900, 999), rng.randint(10, 99), rng.randint(1000, 9999))
    number = rng.randint(1, 9999)
    return {
        "name": ("NAME", name), "given": ("NAME", f"{given} {surname}"), "surname": ("NAME", surname),
        "rel": ("", rng.choice(RELATIONS[language])), "title": ("", rng.choice(TITLES[language])),
        "phone": ("PHONE", phone),
        "email": ("EMAIL", f"{name.lower().replace('í', 'i').replace('á', 'a')}.{rng.randint(1, 99)}@{rng.choice(HOSTS)}"),
        "address": ("ADDRESS", f"{number} {rng.choice(STREETS)} {rng.choice(['Street', 'Ave', 'Lane', 'Rd', 'Court'])}"),
        "address_es": ("ADDRESS", f"{rng.choice(['calle', 'avenida'])} {rng.choice(STREETS_ES)} {number}"),
        "dob": ("DATE", dob), "dob_es": ("DATE", dob_es),
        "ssn": ("SSN", "-".join(map(str, ssn_parts))), "ssn_spaced": ("SSN", " ".join(map(str, ssn_parts))),
        "mrn": ("RECORD_NUMBER", f"MRN-TEST-{rng.randint(1000, 9999)}"),
        "mrn_digits": ("RECORD_NUMBER", f"{rng.randint(10000000, 99999999)}"),
        "age": ("AGE", str(rng.randint(90, 104))),
        "url": ("URL", f"https://portal.{rng.choice(HOSTS)}/patients/{rng.randint(100, 999)}"),
        "zip": ("ZIP", f"{rng.choice(['9', '0'])}{rng.randint(1000, 9999):04d}"),
    }


def fill(template: str, values: dict[str, tuple[str, str]]) -> tuple[str, list[list[str]]]:
    planted, text = [], template
    for key, (kind, value) in values.items():
        token = "{" + key + "}"
        if token in text:
            text = text.replace(token, value)
            if kind:
                planted.append([kind, value])
    return text, planted


def generated_rows(rng: random.Random) -> list[dict[str, str]]:
    rows = []
    for language in ("en", "es"):
        types = list(FRAGMENTS[language])
        for i in range(PER_LANGUAGE):
            first, second = types[i % len(types)], rng.choice(types)
            values = synthetic_values(rng, language)
            care, care_word = rng.choice(CARE[language])
            joiner = rng.choice([" and ", ", ", "; "] if language == "en" else [" y ", ", ", "; "])
            parts = [rng.choice(FRAGMENTS[language][first]), rng.choice(FRAGMENTS[language][second])]
            template = parts[0][0].upper() + parts[0][1:] + joiner + parts[1] + ". " + care
            text, planted = fill(template, values)
            rows.append({"text": text, "language": language, "identifiers": json.dumps(planted, ensure_ascii=False),
                         "keep": json.dumps([care_word], ensure_ascii=False), "expected": ""})
    return rows


# Hand-written tricky cases: (text, language, exact expected redaction).
TRICKY = [
    ("Grace came by to help with the bath.", "en", "<NAME> came by to help with the bath."),
    ("Her friend Grace brings dinner on Sundays.", "en", "Her friend <NAME> brings dinner on Sundays."),
    ("By the grace of God she slept all night.", "en", "By the grace of God she slept all night."),
    ("Rose fell in the garden near the rose bushes.", "en", "<NAME> fell in the garden near the rose bushes."),
    ("My sister Faith helps on weekends.", "en", "My sister <NAME> helps on weekends."),
    ("I have faith the new medication will help.", "en", "I have faith the new medication will help."),
    ("Hope you can tell me about respite care.", "en", "Hope you can tell me about respite care."),
    ("Her appointment is June 5 at 3:30.", "en", "Her appointment is <DATE> at 3:30."),
    ("My neighbor June drives her to dialysis.", "en", "My neighbor <NAME> drives her to dialysis."),
    ("In June she started donepezil 5 mg.", "en", "In June she started donepezil 5 mg."),
    ("May I ask how to give insulin?", "en", "May I ask how to give insulin?"),
    ("He takes 500 mg of metformin twice a day.", "en", "He takes 500 mg of metformin twice a day."),
    ("The nurse comes at 3:30 and stays until 5.", "en", "The nurse comes at 3:30 and stays until 5."),
    ("She is 85 and still walks every day.", "en", "She is 85 and still walks every day."),
    ("She is 93 and still walks every day.", "en", "She is <AGE> and still walks every day."),
    ("My 89-year-old father refuses his walker.", "en", "My 89-year-old father refuses his walker."),
    ("My 97-year-old father refuses his walker.", "en", "My <AGE>-year-old father refuses his walker."),
    ("Dr. Patel said the blood pressure of 140/90 is too high.", "en",
     "Dr. <NAME> said the blood pressure of 140/90 is too high."),
    ("nurse Kim showed me how to use the lift", "en", "nurse <NAME> showed me how to use the lift"),
    ("The nurse said to give 2 tablets every 6 hours.", "en", "The nurse said to give 2 tablets every 6 hours."),
    ("My mom Maria has Alzheimer's and takes donepezil.", "en",
     "My mom <NAME> has Alzheimer's and takes donepezil."),
    ("Call Linda Testwood at 555-0123 about Medicare.", "en", "Call <NAME> at <PHONE> about Medicare."),
    ("We moved to 12 Quillfeather Lane, Apt 4B last month.", "en", "We moved to <ADDRESS> last month."),
    ("Her temperature was 99.1 this morning.", "en", "Her temperature was 99.1 this morning."),
    ("My husband Joseph is 91 years old.", "en", "My husband <NAME> is <AGE> years old."),
    ("Mi mamá Rosa toma insulina por la mañana.", "es", "Mi mamá <NAME> toma insulina por la mañana."),
    ("La doctora Gómez dijo que siguiera con la metformina.", "es",
     "La doctora <NAME> dijo que siguiera con la metformina."),
    ("Mi esposo tiene Parkinson y se cae mucho.", "es", "Mi esposo tiene Parkinson y se cae mucho."),
    ("Mi abuela tiene 91 años y vive sola.", "es", "Mi abuela tiene <AGE> años y vive sola."),
    ("Mi abuela tiene 78 años y vive sola.", "es", "Mi abuela tiene 78 años y vive sola."),
    ("José Ramírez cuida a su padre desde 2019.", "es", "<NAME> cuida a su padre desde 2019."),
    ("Ángela y Inés se turnan las noches.", "es", "<NAME> y <NAME> se turnan las noches."),
    ("La cita es el 5 de junio a las 10:30.", "es", "La cita es el <DATE> a las 10:30."),
    ("En junio empezó con donepezilo.", "es", "En junio empezó con donepezilo."),
    ("Siento mucha soledad desde que mi esposa enfermó.", "es",
     "Siento mucha soledad desde que mi esposa enfermó."),
    ("Soledad es el nombre de mi vecina.", "es", "Soledad es el nombre de mi vecina."),
    ("Mi vecina Soledad me ayuda con las compras.", "es", "Mi vecina <NAME> me ayuda con las compras."),
    ("Le dan 1 g de paracetamol cada 8 horas.", "es", "Le dan 1 g de paracetamol cada 8 horas."),
    ("La enfermera viene a las 3:30.", "es", "La enfermera viene a las 3:30."),
    ("Tiene dolores de espalda y toma ibuprofeno 400 mg.", "es",
     "Tiene dolores de espalda y toma ibuprofeno 400 mg."),
    ("Mi suegra, doña Remedios, tiene 94 años.", "es", "Mi suegra, doña <NAME>, tiene <AGE> años."),
    ("We have a 6 hour drive to grandma's; what can a 5 year old take?", "en",
     "We have a 6 hour drive to grandma's; what can a 5 year old take?"),
    ("my mom maria keeps wandering at night", "en", "my mom <NAME> keeps wandering at night"),
    ("my mom will not take her pills", "en", "my mom will not take her pills"),
    ("mi papá jorge ya no me reconoce", "es", "mi papá <NAME> ya no me reconoce"),
    ("how do i get a reluctant 90 year old to bathe", "en", "how do i get a reluctant <AGE> year old to bathe"),
    ("Hi doctor, Three weeks ago my mother fell in the bathroom.", "en",
     "Hi doctor, Three weeks ago my mother fell in the bathroom."),
    ("Hello doctor Are there drugs for sundowning?", "en", "Hello doctor Are there drugs for sundowning?"),
    ("She has a skin condition called Ichthyosis and uses Omeprazole.", "en",
     "She has a skin condition called Ichthyosis and uses Omeprazole."),
    ("The QTc was 491 ms. Ambulance crew took her in.", "en", "The QTc was 491 ms. Ambulance crew took her in."),
    ("My brother, Tavish, does the nights.", "en", "My brother, <NAME>, does the nights."),
    ("Escríbame a cuidadora.prueba@example.org o al 555-0177.", "es", "Escríbame a <EMAIL> o al <PHONE>."),
]


def tricky_rows() -> list[dict[str, str]]:
    return [{"text": text, "language": language, "identifiers": "[]", "keep": "[]", "expected": expected}
            for text, language, expected in TRICKY]


def main() -> None:
    rows = generated_rows(random.Random(SEED)) + tricky_rows()
    with OUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["text", "language", "identifiers", "keep", "expected"])
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} rows -> {OUT}")


if __name__ == "__main__":
    main()
