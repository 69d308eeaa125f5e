"""Consent to keep what a person writes, asked once per conversation in their language.

The wording has a version, stored with every answer: a change of wording is a new version, and an
answer given to an older one stays what it was. Without a "yes" nothing of the conversation is kept
but anonymous counters (core/dialogue/interaction_log.py)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

CONSENT_VERSION = "2026-11-v1"

QUESTION = {
    "en": "May we keep what you write in this conversation to improve the assistant? Names, phone numbers, "
    "addresses and other details that identify someone are removed first, what is left is stored encrypted, "
    "and it is deleted after {days} days. You can say no and keep chatting just the same, and you can "
    "delete this conversation at any time.",
    "es": "¿Podemos guardar lo que escriba en esta conversación para mejorar el asistente? Antes quitamos los "
    "nombres, teléfonos, direcciones y otros datos que identifican a una persona; lo demás se guarda cifrado "
    "y se borra a los {days} días. Puede decir que no y seguir conversando igual, y puede borrar esta "
    "conversación cuando quiera.",
}
ANSWERS = {
    "en": {"yes": "Yes, you may keep it", "no": "No, thank you"},
    "es": {"yes": "Sí, pueden guardarla", "no": "No, gracias"},
}
CONFIRMATION = {
    "en": {True: "Thank you. What you write here will be kept, redacted and encrypted.",
           False: "Understood: nothing you write here will be kept."},
    "es": {True: "Gracias. Lo que escriba aquí se guardará sin datos personales y cifrado.",
           False: "Entendido: no se guardará nada de lo que escriba aquí."},
}
DELETE = {
    "en": {"button": "Delete this conversation", "done": "This conversation has been deleted from our records."},
    "es": {"button": "Borrar esta conversación", "done": "Esta conversación se ha borrado de nuestros registros."},
}

# Shown once they said yes: what to give staff to have the conversation deleted after it is closed.
REFERENCE = {
    "en": "Conversation reference: `{reference}`. To have it deleted later, give this reference to the "
          "CareOps team.",
    "es": "Referencia de la conversación: `{reference}`. Para que la borremos más adelante, dé esta "
          "referencia al equipo de CareOps.",
}


@dataclass(frozen=True)
class ConsentAnswer:
    allowed: bool
    version: str
    language: str


def question(language: str, days: int) -> str:
    return QUESTION.get(language, QUESTION["en"]).format(days=days)


def pseudonym(session_id: str) -> str:
    """The name a conversation has in the log: a one-way hash of its random session id, so the log
    never holds the key that opens the live conversation, and the person (who holds the session id)
    can still ask for it to be deleted."""
    return "c-" + hashlib.sha256(f"careops-log:{session_id}".encode()).hexdigest()[:32]
