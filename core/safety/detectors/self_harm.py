"""Self-harm: cutting, burning, hurting oneself on purpose, in the first or third person."""

from core.safety.detectors.base import CrisisDetector, Pattern

_WHO = r"(?:my ?self|him ?self|her ?self|them ?sel(?:f|ves))"

SELF_HARM_EN = CrisisDetector(
    name="self_harm_en",
    crisis_type="self_harm",
    language="en",
    patterns=[
        Pattern("self_harm_word", r"\bself[ -]?(?:harm|harming|injur(?:y|e|ing)|mutilat\w*)\b", 0.85),
        Pattern("cut_body", r"\bcut(?:s|ting)? (?:on )?(?:my|his|her|their) (?:arms?|wrists?|thighs?|legs?|stomach|skin)\b", 0.85),
        Pattern("hurt_self", rf"\b(?:cut|cuts|cutting|burn|burns|burning|hurt|hurts|hurting|harm|harms|harming|hit|hits|hitting|punch|punching|scratch|scratching) {_WHO}\b", 0.5),
        Pattern("cutting_again", r"\b(?:started|start|been|am|is|keeps?) cutting (?:again|herself|himself|myself)\b|\brelapsed? (?:on|into)? ?(?:cutting|self harm)\b", 0.85),
        Pattern("urge", r"\burges? to (?:cut|hurt|burn|harm)\b", 0.85),
    ],
    context=["on purpose", "again", "blade", "razor", "scars?", "to feel", "to cope", "too much", "relapse", "urges?", "hide", "sleeves", "deliberately"],
    negative_context=["lifting", "gardening", "shaving", "cooking", "by accident", "accidentally", "at the gym", "playing", "when i fell", "tripped", "knife slipped", "working out", "moving furniture"],
)

SELF_HARM_ES = CrisisDetector(
    name="self_harm_es",
    crisis_type="self_harm",
    language="es",
    patterns=[
        Pattern("autolesion", r"\bautolesi(?:on|ones|onarme|onarse|ona|ono)\b", 0.9),
        Pattern("cortarse", r"\b(?:me corto|me estoy cortando|me volvi a cortar|se corta|se esta cortando|se volvio a cortar|cortarme|cortarse) (?:los|las|el|la|otra vez|de nuevo|a proposito)\b", 0.8),
        Pattern("hacerse_dano", r"\b(?:hacerme|hacerse|me hago|se hace|me hice|se hizo) dano\b|\b(?:lastimarme|lastimarse|quemarme|golpearme) (?:a proposito|otra vez|cuando)\b", 0.6),
    ],
    context=["a proposito", "otra vez", "cuchilla", "navaja", "cicatrices", "para sentir", "escondo", "mangas"],
    negative_context=["cocinando", "afeitando", "sin querer", "accidente", "pelando", "en el gimnasio"],
)
