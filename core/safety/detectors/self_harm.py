"""Self-harm: cutting, burning, hurting oneself on purpose, in the first or third person."""

from core.safety.detectors.base import CrisisDetector, Pattern

_WHO = r"(?:my ?self|him ?self|her ?self|them ?sel(?:f|ves))"

SELF_HARM_EN = CrisisDetector(
    name="self_harm_en",
    crisis_type="self_harm",
    language="en",
    patterns=[
        Pattern("self_harm_word", r"\bself[ -]?(?:harm|harming|injur(?:y|e|ing)|mutilat\w*)\b", 0.85),
        Pattern("cut_body", r"\bcut(?:s|ting)? (?:on )?(?:my|his|her|their) (?:arms?|wrists?|thighs?|legs?|stomach|skin)\b(?! (?:on|while|by accident|accidentally|when|with (?:a|the) (?:can|glass|lid|nail))\b)", 0.85),
        Pattern("hurt_self", rf"\b(?:cut|cuts|cutting|burn|burns|burning|hurt|hurts|hurting|harm|harms|harming|hit|hits|hitting|punch|punching|scratch|scratching) {_WHO}\b", 0.5),
        Pattern("cutting_again", r"\b(?:started|start|been|am|is|keeps?) cutting (?:again|herself|himself|myself)\b|\brelapsed? (?:on|into)? ?(?:cutting|self harm)\b", 0.85),
        Pattern("urge", r"\burges? to (?:cut|hurt|burn|harm)\b", 0.85),
        Pattern("on_purpose", r"\b(?:burn(?:ed|t|ing)?|cut(?! (?:the |her |his |my )?(?:pills?|tablets?|pill)\b)|cutting(?! (?:the |her |his |my )?(?:pills?|tablets?)\b)|hit|hitting|hurt|hurting|scratch(?:ed|ing)?|punch(?:ed|ing)?|bit|biting|starv\w+|skip(?:ped)? meals)\b.{0,40}\bon purpose\b|\bto (?:feel something|punish myself|punish herself|punish himself)\b", 0.75),
        Pattern("cuts_on_body", r"\b(?:cuts|fresh cuts|scars|burns) (?:all )?(?:on|over|up and down) (?:her|his|my|their) (?:arms?|wrists?|thighs?|legs?|stomach|ankles?)\b", 0.75),
        Pattern("hide_cuts", r"\b(?:hide|hiding|hid|cover|covering) (?:the |my |her |his )?(?:cuts|scars|burns)\b|\brazor blades? hidden\b|\bcarves? (?:words )?into (?:my|her|his)\b", 0.8),
        Pattern("been_cutting", r"\b(?:been|started|keep|keeps) (?:cutting|burning) (?:for|again|myself|herself|himself)\b|\bhurting myself\b|\bthe bruises i gave myself\b|\bdeserve the pain\b", 0.75),
        Pattern("until_bleeds", r"\b(?:scratch\w*|pick\w*|bit\w*|hit\w*|punch\w*)\b.{0,30}\b(?:until|till|til) (?:it|they|i|she|he) (?:bleeds?|bled|bruise)\b", 0.65),
    ],
    context=["on purpose", "again", "blade", "razor", "scars?", "to feel", "to cope", "too much", "relapse", "urges?", "hide", "sleeves", "deliberately"],
    negative_context=["lifting", "gardening", "shaving", "cooking", "by accident", "accidentally", "at the gym", "playing", "when i fell", "tripped", "knife slipped", "working out", "moving furniture", "rusty", "nail", "bed frame", "scrape", "tetanus", "doctor said", "lower dose", "in half"],
)

SELF_HARM_ES = CrisisDetector(
    name="self_harm_es",
    crisis_type="self_harm",
    language="es",
    patterns=[
        Pattern("autolesion", r"\bautolesi(?:on|ones|onarme|onarse|ona|ono)\b", 0.9),
        Pattern("cortarse", r"\b(?:me corto|me estoy cortando|me volvi a cortar|se corta|se esta cortando|se volvio a cortar|cortarme|cortarse) (?:(?:los|las|el|la)(?! (?:unas|pelo|cabello|barba|fleco|flequillo|puntas|patillas|bigote|cejas)\b)|otra vez|de nuevo|a proposito)\b", 0.8),
        Pattern("hacerse_dano", r"\b(?:hacerme|hacerse|me hago|se hace|me hice|se hizo) dano\b|\b(?:lastimarme|lastimarse|quemarme|golpearme) (?:a proposito|otra vez|cuando)\b", 0.45),
        Pattern("a_proposito", r"\b(?:me queme|se quema|me corte|se corto|me pego|me golpeo|me rasco|se rasca)\b.{0,40}\b(?:a proposito|hasta sangrar|otra vez|de nuevo|con cigarros|con el encendedor)\b", 0.8),
        Pattern("cortes", r"\b(?:cortes|marcas|cicatrices) en (?:las|los|sus|mis) (?:munecas|brazos|piernas|muslos)\b|\bse esta cortando\b|\bse quema con\b|\bvolvi a hacerme dano\b|\bescondo los cortes\b", 0.8),
        Pattern("merezco_dolor", r"\bmerezco (?:el|este|ese) dolor\b|\bmerezco sufrir\b", 0.65),
    ],
    context=["a proposito", "otra vez", "cuchilla", "navaja", "cicatrices", "para sentir", "escondo", "mangas"],
    negative_context=["cocinando", "afeitando", "sin querer", "accidente", "pelando", "en el gimnasio", "espalda", "levantar", "levantarlo", "levantarla", "subir", "subirlo", "cargar", "mover", "moverlo", "moverla", "rodilla", "hombro", "papel", "plancha", "horno", "estufa", "sol", "picadura", "mosquito", "inyecciones", "insulina", "operacion"],
)
