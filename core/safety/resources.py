"""Crisis resources and the wording of crisis replies, in English and Spanish.

Numbers are United States services: 988 Suicide & Crisis Lifeline (call or text 988; Spanish: press 2,
or text AYUDA to 988), 911 for emergencies, Poison Help, Eldercare Locator (to reach Adult Protective
Services), Childhelp and the National Domestic Violence Hotline. The wording is calm and direct: it
says what to do now, first.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from core.taxonomy import LANGUAGES


@dataclass(frozen=True)
class Resource:
    id: str
    name: str
    detail: str
    phone: str | None = None  # digits for a tel: link
    sms: str | None = None  # digits for an sms: link
    sms_body: str | None = None
    url: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


_RESOURCES: dict[str, dict[str, Resource]] = {
    "988": {
        "en": Resource("988", "988 Suicide & Crisis Lifeline", "Call or text 988, any time, free and confidential. For Spanish, press 2 or text AYUDA to 988.", phone="988", sms="988", url="https://988lifeline.org"),
        "es": Resource("988", "988 Línea de Prevención del Suicidio y Crisis", "Llame o envíe un mensaje de texto al 988, a cualquier hora, gratis y confidencial. Para español, marque 2 o envíe AYUDA al 988.", phone="988", sms="988", sms_body="AYUDA", url="https://988lineadeprevencion.org"),
    },
    "911": {
        "en": Resource("911", "911 Emergency", "If anyone is in immediate danger or has a medical emergency, call 911 now.", phone="911"),
        "es": Resource("911", "911 Emergencias", "Si alguien está en peligro inmediato o tiene una emergencia médica, llame al 911 ahora.", phone="911"),
    },
    "poison": {
        "en": Resource("poison", "Poison Help line", "Call 1-800-222-1222, 24 hours a day, for any possible overdose or poisoning.", phone="18002221222", url="https://poisonhelp.hrsa.gov"),
        "es": Resource("poison", "Línea de Ayuda por Envenenamiento", "Llame al 1-800-222-1222, las 24 horas, ante una posible sobredosis o intoxicación. Atienden en español.", phone="18002221222", url="https://poisonhelp.hrsa.gov"),
    },
    "aps": {
        "en": Resource("aps", "Eldercare Locator / Adult Protective Services", "Call 1-800-677-1116 (weekdays) to be connected with Adult Protective Services where the person lives.", phone="18006771116", url="https://eldercare.acl.gov"),
        "es": Resource("aps", "Eldercare Locator / Servicios de Protección de Adultos", "Llame al 1-800-677-1116 (días laborables) para comunicarse con los Servicios de Protección de Adultos de su zona.", phone="18006771116", url="https://eldercare.acl.gov"),
    },
    "childhelp": {
        "en": Resource("childhelp", "Childhelp National Child Abuse Hotline", "Call or text 1-800-422-4453, 24 hours a day, if a child may be hurt or in danger.", phone="18004224453", sms="18004224453", url="https://www.childhelphotline.org"),
        "es": Resource("childhelp", "Línea Nacional de Childhelp contra el Abuso Infantil", "Llame o envíe un texto al 1-800-422-4453, las 24 horas, si un niño puede estar en peligro. Hay atención en español.", phone="18004224453", sms="18004224453", url="https://www.childhelphotline.org"),
    },
    "domestic_violence": {
        "en": Resource("domestic_violence", "National Domestic Violence Hotline", "Call 1-800-799-7233 or text START to 88788, 24 hours a day.", phone="18007997233", sms="88788", sms_body="START", url="https://www.thehotline.org"),
        "es": Resource("domestic_violence", "Línea Nacional contra la Violencia Doméstica", "Llame al 1-800-799-7233, las 24 horas. Hay atención en español.", phone="18007997233", url="https://espanol.thehotline.org"),
    },
}

RESOURCES_BY_TYPE: dict[str, tuple[str, ...]] = {
    "suicide": ("988", "911"),
    "self_harm": ("988", "911"),
    "harm_to_others": ("911", "988"),
    "abuse_neglect": ("911", "aps", "childhelp", "domestic_violence"),
    "medical_emergency": ("911", "poison"),
    "overdose_risk": ("911", "poison", "988"),
}

_MESSAGES: dict[str, dict[str, str]] = {
    "suicide": {
        "en": "I'm really glad you told me. What you're carrying sounds very heavy, and you don't have to carry it alone. "
        "If you or the person you're worried about might act on thoughts of suicide, please reach out now: call or text **988** "
        "(the Suicide & Crisis Lifeline) to talk with a trained counselor, any time. For Spanish, press 2 or text AYUDA to 988. "
        "If someone is in immediate danger, call **911**. If you can, stay with them, or stay near someone you trust, and move "
        "pills, weapons or other means out of reach. I'm here to keep talking too.",
        "es": "Gracias por contármelo. Lo que está viviendo suena muy pesado y no tiene que cargarlo solo ni sola. "
        "Si usted o la persona que le preocupa podría hacerse daño, por favor busque ayuda ahora: llame o envíe un mensaje al **988** "
        "(Línea de Prevención del Suicidio y Crisis) y marque 2 para español, o envíe AYUDA al 988. Atienden a cualquier hora. "
        "Si alguien está en peligro inmediato, llame al **911**. Si puede, quédese con esa persona o cerca de alguien de confianza, "
        "y aleje pastillas, armas u otros medios. Yo también sigo aquí para conversar.",
    },
    "self_harm": {
        "en": "Thank you for telling me. Hurting yourself is often a way of coping with pain that feels too big, and you deserve "
        "support with it, not judgement. You can call or text **988** any time to talk with someone trained to help (for Spanish, "
        "press 2 or text AYUDA to 988). If there is a serious injury or anyone is in danger right now, call **911**. "
        "If you can, put whatever you use out of reach and stay near someone you trust.",
        "es": "Gracias por contármelo. Hacerse daño a veces es una forma de aguantar un dolor que se siente demasiado grande, "
        "y usted merece apoyo, no juicio. Puede llamar o escribir al **988** a cualquier hora (marque 2 para español o envíe AYUDA al 988). "
        "Si hay una herida grave o alguien está en peligro ahora, llame al **911**. Si puede, aleje lo que usa para lastimarse "
        "y quédese cerca de alguien de confianza.",
    },
    "harm_to_others": {
        "en": "It took courage to say this, and it's the right thing to do. If anyone is in danger right now, call **911**. "
        "If you feel you might lose control, put distance between you and the other person first: make sure they are safe, "
        "then step into another room or outside and breathe. You can call or text **988** any time to talk it through with a "
        "counselor (for Spanish, press 2 or text AYUDA to 988). Needing help at a breaking point is not failure; it's how people stay safe.",
        "es": "Hace falta valor para decir esto, y es lo correcto. Si alguien está en peligro ahora, llame al **911**. "
        "Si siente que podría perder el control, primero ponga distancia: asegúrese de que la otra persona esté a salvo y salga a "
        "otra habitación o afuera a respirar. Puede llamar o escribir al **988** a cualquier hora (marque 2 para español o envíe AYUDA al 988). "
        "Pedir ayuda en un momento límite no es fracasar; así se mantiene a todos a salvo.",
    },
    "abuse_neglect": {
        "en": "I'm sorry this is happening; no one should be hurt, threatened, neglected or taken advantage of. If someone is in "
        "immediate danger, call **911**. To report abuse or neglect of an older or dependent adult, contact Adult Protective "
        "Services through the Eldercare Locator (1-800-677-1116). If a child may be at risk, call or text Childhelp at "
        "1-800-422-4453. If you are the one being hurt at home, the National Domestic Violence Hotline is 1-800-799-7233. "
        "You don't need proof to ask for help.",
        "es": "Siento mucho que esto esté pasando; nadie merece ser lastimado, amenazado, descuidado o aprovechado. Si alguien está "
        "en peligro inmediato, llame al **911**. Para denunciar maltrato o abandono de una persona mayor o dependiente, comuníquese "
        "con los Servicios de Protección de Adultos a través del Eldercare Locator (1-800-677-1116). Si un niño puede estar en riesgo, "
        "llame o escriba a Childhelp al 1-800-422-4453. Si es usted quien sufre violencia en casa, la Línea Nacional contra la Violencia "
        "Doméstica es el 1-800-799-7233. No necesita pruebas para pedir ayuda.",
    },
    "medical_emergency": {
        "en": "This may be a medical emergency. **Call 911 now.** While you wait: stay with the person, keep them still and "
        "comfortable, and don't give food or drink. If you suspect a stroke, note the time the signs started. Unlock the door "
        "for responders if you can, and follow the dispatcher's instructions. Come back to me once help is on the way.",
        "es": "Esto puede ser una emergencia médica. **Llame al 911 ahora.** Mientras espera: quédese con la persona, manténgala "
        "quieta y cómoda, y no le dé comida ni bebida. Si sospecha un derrame cerebral, anote la hora en que empezaron los síntomas. "
        "Si puede, abra la puerta para los paramédicos y siga las instrucciones de la operadora. Vuelva a escribirme cuando la ayuda esté en camino.",
    },
    "overdose_risk": {
        "en": "I can't help with amounts that could hurt someone, but I can help you get support right now. If someone has "
        "already taken too much, or is very drowsy or hard to wake, call **911**. For any possible overdose or poisoning, the "
        "Poison Help line is 1-800-222-1222, 24 hours a day. If this question comes from thoughts of ending your life, or worry "
        "about someone else's, please call or text **988** (for Spanish, press 2 or text AYUDA to 988).",
        "es": "No puedo dar cantidades que podrían hacer daño, pero sí puedo ayudarle a conseguir apoyo ahora mismo. Si alguien ya "
        "tomó de más, o está muy somnoliento o cuesta despertarlo, llame al **911**. Ante una posible sobredosis o intoxicación, la "
        "Línea de Ayuda por Envenenamiento es el 1-800-222-1222, las 24 horas. Si la pregunta viene de pensamientos de quitarse la vida, "
        "o de preocupación por otra persona, llame o escriba al **988** (marque 2 para español o envíe AYUDA al 988).",
    },
}


def phone_label(digits: str) -> str:
    """'18002221222' -> '1-800-222-1222'; short codes such as 988 stay as they are."""
    if len(digits) == 11 and digits.startswith("1"):
        return f"1-{digits[1:4]}-{digits[4:7]}-{digits[7:]}"
    return digits


def resources_for(crisis_type: str, language: str) -> list[Resource]:
    ids = RESOURCES_BY_TYPE.get(crisis_type, ("988", "911"))
    return [_RESOURCES[rid][language if language in LANGUAGES else "en"] for rid in ids]


def crisis_message(crisis_type: str, language: str) -> str:
    by_language = _MESSAGES.get(crisis_type, _MESSAGES["suicide"])
    return by_language.get(language, by_language["en"])
