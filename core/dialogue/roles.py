"""Personalisation: who is speaking, from an explicit choice or from what people say."""

from __future__ import annotations

import re

from core.nlu.normalize import match_form

_FAMILY = (
    r"(?:mom|mum|mother|dad|father|husband|wife|partner|grandma|grandmother|grandpa|grandfather|parents?|son|"
    r"daughter|aunt|uncle|brother|sister|mother in law|father in law|mil|fil|grandson|granddaughter)"
)
_RULES: list[tuple[str, re.Pattern]] = [
    ("healthcare_worker", re.compile(
        r"\b(?:i ?a?m an? (?:nurse|rn|lpn|cna|aide|home health aide|caregiver at|pca|hha|doctor|physician|therapist|"
        r"social worker|pharmacist|paramedic|emt|nursing assistant|care worker|med tech)|as an? (?:nurse|cna|aide|rn|lpn|"
        r"home health aide|care worker)|my patients?|our residents|on my shift|my clients?|"
        r"soy (?:enfermer[oa]|auxiliar|cuidador[a]? profesional|medic[oa]|doctora|tecnic[oa] en enfermeria)|mis pacientes|"
        r"en mi turno)\b")),
    ("caregiver", re.compile(
        rf"\b(?:i (?:look after|take care of|care for|help) (?:my )?{_FAMILY}|i ?a?m (?:caring for|looking after|taking care of) "
        rf"(?:my )?{_FAMILY}|i ?a?m (?:a|the|her|his|their) (?:family |main |primary )?caregiver|my {_FAMILY}\b|"
        rf"(?:cuido|cuidando|cuidar) (?:a )?mi|soy (?:la |el )?cuidador[a]?|mi (?:mama|papa|madre|padre|espos[oa]|abuel[oa]|"
        rf"suegr[oa]|hij[oa]|herman[oa])\b)")),
    ("senior", re.compile(
        r"\b(?:i ?a?m (?:6[5-9]|[7-9]\d|10\d)(?: years old| yrs| yo)?\b|at my age|i ?a?m (?:a senior|elderly|retired and)|"
        r"tengo (?:6[5-9]|[7-9]\d) anos|soy (?:una persona )?mayor|a mi edad|soy jubilad[oa])")),
    ("patient", re.compile(
        r"\b(?:i (?:have|was diagnosed with|just had|had|got) (?:type [12] |diabetes|surgery|arthritis|an? (?:hip|knee|operation)|"
        r"fibromyalgia|chronic|neuropathy|a c section)|my (?:surgery|diagnosis|blood sugar|a1c|incision|stitches)|"
        r"i ?a?m (?:\d+ weeks )?pregnant|tengo diabetes|me operaron|estoy embarazada|me diagnosticaron|mi cirugia)")),
]


def infer_role(text: str) -> str | None:
    """The role the words point to, or None when they don't say."""
    folded = match_form(text)
    for role, pattern in _RULES:
        if pattern.search(folded):
            return role
    return None
