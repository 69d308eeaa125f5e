"""Abuse or neglect of the person cared for (elder, child, dependent adult), and violence at home."""

from core.safety.detectors.base import CrisisDetector, Pattern

_PERSON = r"(?:her|him|them|me|my (?:mom|mother|dad|father|grandma|grandmother|grandpa|grandfather|wife|husband|son|daughter|kids?|child|children|baby|aunt|uncle|sister|brother|patient|parents?))"

ABUSE_NEGLECT_EN = CrisisDetector(
    name="abuse_neglect_en",
    crisis_type="abuse_neglect",
    language="en",
    patterns=[
        Pattern("physical_abuse", rf"\b(?:hits|hitting|slaps|slapping|slapped|beats|beating|beat up|punches|punched|kicks|kicking|kicked|chokes|choking|choked|shoves|shoving|burns|burned|whips) {_PERSON}\b", 0.65),
        Pattern("abuse_word", r"\b(?:elder abuse|abus(?:e|ed|es|ing|ive)|mistreat(?:s|ed|ing|ment)?|molest\w*|neglect(?:s|ed|ing)?)\b", 0.6),
        Pattern("bruises_from", r"\b(?:bruises?|bruising|marks|welts|burns) (?:on (?:her|his|their) \w+ )?(?:from|after|since|that) (?:the |her |his |a )?(?:aide|caregiver|nurse|staff|brother|sister|son|daughter|husband|wife|boyfriend|girlfriend|home)\b", 0.75),
        Pattern("financial", r"\b(?:taking|takes|took|stealing|steals|stole|drained|draining|drains|cashing|cashes|spending|uses|using) (?:all )?(?:of )?(?:her|his|their|my (?:mom|mother|dad|father|grandma|grandpa|grandmother|grandfather)s?) (?:money|pension|social security|checks?|savings|bank account|card|benefits)\b", 0.7),
        Pattern("left_alone", r"\b(?:leaves?|left|leaving|locks?|locked|locking) (?:her|him|them|my \w+) (?:alone )?(?:in (?:her|his|their|the) (?:room|closet|basement)|for days|all day|without (?:food|water|meds|her meds|his meds|help))\b", 0.75),
        Pattern("not_fed", r"\b(?:isnt|is not|arent|are not|never|not|wont|doesnt|dont) (?:feeding|giving (?:her|him|them) (?:food|water|meds)|changing (?:her|him|them)|bathing (?:her|him|them))\b", 0.55),
        Pattern("soiled", r"\b(?:in|sitting in|lying in) (?:her|his|their) own (?:urine|waste|feces|poop|mess)\b", 0.7),
        Pattern("sexual", r"\btouch(?:es|ed|ing)? (?:her|him|them|my \w+) (?:inappropriately|sexually|down there|in private)\b", 0.9),
        Pattern("afraid_of_person", r"\b(?:afraid|scared|terrified) of (?:her|his|my|the) (?:husband|wife|son|daughter|boyfriend|caregiver|aide|brother|partner)\b", 0.5),
    ],
    context=["aide", "caregiver", "bruises?", "scared", "afraid", "every day", "nursing home", "money", "police", "hiding", "marks"],
    negative_context=[
        "dementia", "alzheimers", "sundowning", "when i (?:try|tried) to (?:bathe|shower|change|dress)",
        "substance abuse", "drug abuse", "alcohol abuse", "self neglect", "nothing is missing", "accuses", "accusing",
        "paranoid", "thinks (?:the|her|his) \\w+ (?:is|are) stealing",
    ],
)

ABUSE_NEGLECT_ES = CrisisDetector(
    name="abuse_neglect_es",
    crisis_type="abuse_neglect",
    language="es",
    patterns=[
        Pattern("golpes", r"\b(?:le pega|le pegan|la golpea|lo golpea|los golpea|me pega|me golpea|la golpean|lo golpean|le da golpes|le pego|la maltrata|lo maltrata|me maltrata|la empuja|lo empuja)\b", 0.75),
        Pattern("maltrato", r"\b(?:maltrato|maltratan|maltratando|abuso sexual|abusa de|abusando de|abusaron de|negligencia|la tienen abandonad[ao]|lo tienen abandonado)\b", 0.75),
        Pattern("dinero", r"\b(?:le quita|le quitan|le roba|le roban|se queda con|se gasta) (?:la |su |toda la |todo el )?(?:pension|dinero|plata|jubilacion|cheque|tarjeta|ahorros)\b", 0.7),
        Pattern("sin_comer", r"\b(?:no le dan? de comer|la dejan? sol[ao]|lo dejan? solo|la encierra|lo encierra|la encierran|lo encierran|la dejan sin comer|sin comer todo el dia)\b", 0.7),
        Pattern("moretones", r"\b(?:moretones|morados|marcas) (?:desde que|por|de) (?:la |el |su )?(?:cuidador[a]?|enfermer[ao]|hij[oa]|herman[oa]|espos[oa]|asilo)\b", 0.75),
        Pattern("tocamientos", r"\b(?:la|lo|le) toca (?:de forma inapropiada|sus partes)\b|\btocamientos\b", 0.9),
    ],
    context=["cuidadora", "cuidador", "moretones", "miedo", "policia", "asilo", "todos los dias"],
    negative_context=["demencia", "alzheimer", "cree que", "piensa que", "no falta nada"],
)
