"""Abuse or neglect of the person cared for (elder, child, dependent adult), and violence at home."""

from core.safety.detectors.base import CrisisDetector, Pattern

_PERSON = r"(?:her|him|them|(?:a|the) (?:resident|patient|child|kid)|(?:my|our) (?:mom|mother|dad|father|grandma|grandmother|grandpa|grandfather|wife|husband|son|daughter|kids?|child|children|baby|aunt|uncle|sister|brother|patient|parents?))"

# games: "she beats my mom at cards"
GAMES_RE = r"at (?:cards|chess|checkers|scrabble|bingo|dominoes|poker|tennis|golf|pool|cribbage|rummy|monopoly|trivia|(?:\w+ )?games?)"

ABUSE_NEGLECT_EN = CrisisDetector(
    name="abuse_neglect_en",
    crisis_type="abuse_neglect",
    language="en",
    patterns=[
        Pattern("physical_abuse", rf"\b(?:hits|hitting|slaps|slapping|slapped|beats|beating|beat up|punches|punched|kicks|kicking|kicked|chokes|choking|choked|shoves|shoving|burns|burned|whips) {_PERSON}\b(?! hard| harder| so hard| the hardest)", 0.65),
        Pattern("hits_me", r"\b(?:he|she|they|husband|wife|boyfriend|girlfriend|partner|son|daughter|dad|father|mom|mother|brother|sister|stepdad|stepfather|uncle|ex) (?:always |still |often |sometimes |keeps )?(?:hits|hit|beats|beat|slaps|slapped|punches|punched|kicks|kicked|chokes|choked|shoves|shoved|pushes|pushed) (?:me|us)\b", 0.75),
        Pattern("abuse_word", r"\b(?:elder abuse|(?<!drug )(?<!substance )(?<!alcohol )(?<!opioid )abus(?:e|ed|es|ing|ive)|mistreat(?:s|ed|ing|ment)?|molest(?:ed|ing|s|er|ation)?|neglect(?:s|ed|ing)?)\b", 0.45),
        # Abuse going on now (the bare word above is a warning sign: a survivor's history, a word about
        # someone else's marriage, a film; with context words or the classifier leaning, a crisis).
        Pattern("abuse_now", r"\b(?:is|are|am|im|being|getting|gets|get) (?:\w+ ){0,2}?(?:abused|mistreated|molested|neglected)\b(?! as a (?:child|kid))"
                r"|(?<!\bim )(?<!\bi am )(?<!\bi was )(?<!\bwe are )(?<!\bam i )(?<!\bwas i )(?<!\bare we )\b(?:abus(?:es|ing)|mistreat(?:s|ing)|neglect(?:s|ing)) (?:me|her|him|them|us|my|our)\b(?! (?:own )?(?:prescription|medicine|meds|medication|pills|drugs?|alcohol|body|trust|privileges?|power|position|authority)\b)"
                r"|\b(?:in|into|get out of|getting out of|leave|leaving|escape|escaping|stuck in|trapped in|living with|live with|lives with|married to) (?:\w+ ){0,2}?abusive\b", 0.65),
        Pattern("bruises_from", r"\b(?:bruises?|bruising|marks|welts|burns) (?:on (?:her|his|their) \w+ )?(?:from|after|since|that) (?:the |her |his |a )?(?:aide|caregiver|nurse|staff|brother|sister|son|daughter|husband|wife|boyfriend|girlfriend|home)\b", 0.75),
        Pattern("financial", r"\b(?:taking|takes|took|stealing|steals|stole|drained|draining|drains|cashing|cashes|spending|uses|using) (?:all )?(?:of )?(?:her|his|their|(?:my |our )?(?:mom|mother|dad|father|grandma|grandpa|grandmother|grandfather|parent|aunt|uncle)s?) (?:money|pension|social security|checks?|savings|bank account|card|benefits)\b", 0.7),
        Pattern("left_alone", r"\b(?:leaves?|left|leaving|locks?|locked|locking) (?:her|him|them|my \w+) (?:alone )?(?:in (?:her|his|their|the) (?:room|closet|basement)|for days|all day|without (?:food|water|meds|her meds|his meds|help))\b", 0.75),
        Pattern("not_fed", r"\b(?:isnt|is not|arent|are not|never|not|wont|doesnt|dont) (?:feeding|giving (?:her|him|them) (?:food|water|meds)|changing (?:her|him|them)|bathing (?:her|him|them))\b", 0.55),
        Pattern("soiled", r"\b(?:in|sitting in|lying in) (?:her|his|their) own (?:urine|waste|feces|poop|mess)\b", 0.7),
        Pattern("sexual", r"\btouch(?:es|ed|ing)? (?:her|him|them|my \w+) (?:inappropriately|sexually|down there|in private)\b", 0.9),
        Pattern("afraid_of_person", r"\b(?:afraid|scared|terrified) of (?:her|his|my|the) (?:husband|wife|son|daughter|boyfriend|caregiver|aide|brother|partner)\b", 0.5),
        Pattern("left_bruises", r"\b(?:left|leaves|leaving) (?:bruises|marks|welts)\b|\bbruis\w*\b.{0,40}\b(?:grabbed|slapped|squeezed|tied|hit)\b", 0.75),
        Pattern("restrained", r"\b(?:ties|tied|tying|straps|strapped|locks|locked|locking|keeps) (?:her|him|them|(?:my|our) \w+) (?:to (?:her|his|the|a) (?:chair|bed)|in (?:the|her|his|a) (?:basement|room|closet)|in a dirty room)\b", 0.75),
        Pattern("sores_neglect", r"\b(?:bed ?sores|pressure sores|sores)\b.{0,60}\b(?:nobody|no one|hasnt|havent|doesnt|dont|wont|never|for hours|down to the bone)\b|\bhavent bathed\b", 0.65),
        Pattern("in_urine", r"\b(?:sitting|lying|left|leaves \w+ sitting) in (?:her |his |their )?(?:own )?(?:urine|pee|waste|feces|poop)\b", 0.7),
        Pattern("child_disclosure", r"\btold me (?:that )?(?:\w+ ){0,3}(?:touches|touched) (?:her|him|them|me)\b|\balone in the (?:apartment|house) every night\b", 0.85),
        Pattern("facility_abuse", r"\b(?:slap|slaps|slapped|hit|hits|push|pushes|pushed|pushing|yell at|yells at)\b.{0,15}\b(?:a|the) (?:resident|patient|client)\b", 0.7),
        Pattern("controls_person", r"\bwont let (?:her|him|them) (?:see a doctor|see anyone|talk to|leave|have (?:her|his) phone)\b|\bsign over (?:his|her) (?:house|home|money|accounts)\b", 0.65),
        Pattern("stealing_meds", r"\b(?:stealing|steals|stole|pocketing|pockets) (?:her|his|my \w+s?) (?:oxy\w*|pain (?:pills|meds)|meds|morphine|medications?)\b", 0.7),
        Pattern("withholds_care", r"\b(?:holds? back|withholds?|withholding|keeps? back|hides?|hiding|skips?) (?:her|his|their|(?:my |our )?\w+s?) (?:insulin|meds|medication|medicine|pills|food|water|oxygen)\b", 0.7),
        Pattern("new_bruises", r"\bnew bruises\b|\bunexplained (?:bruises|injuries|marks)\b", 0.5),
    ],
    context=["aide", "caregiver", "bruises?", "scared", "afraid", "terrified", "every day", "nursing home", "money", "police", "hiding", "marks", "nobody told", "different story", r"flinch\w*", "staff"],
    negative_context=[
        "dementia", "alzheimers", "sundowning", "when i (?:try|tried) to (?:bathe|shower|change|dress)",
        "substance abuse", "drug abuse", "alcohol abuse", "self neglect", "nothing is missing", "accuses", "accusing",
        "signs of", "what signs", "warning signs", "look out for", "keep an eye out", "how do i spot", "years ago", "childhood", "when i was a kid",
        "paranoid", "thinks", "convinced", "accused", "imagines", "believes",
        GAMES_RE, "at the beach", r"sunburn\w*", "radiator", "heater", "out of the kitchen", "blankets off", "my own health", "the garden", "friendships",
        "the system", "parking", "groceries", "deposit", "power of attorney", "for a nap", "with the radio", "compression", "the tape", "cold sores?",
        "canker", "applesauce", "pudding", "yogurt", "wet the bed", "drawing blood", "hits me up", "rides", "high five",
    ],
)

ABUSE_NEGLECT_ES = CrisisDetector(
    name="abuse_neglect_es",
    crisis_type="abuse_neglect",
    language="es",
    patterns=[
        Pattern("me_pega", r"\b(?:mi (?:esposo|marido|pareja|novio|novia|esposa|mujer|hijo|hija|padre|madre|papa|mama|padrastro|madrastra|hermano|hermana|tio|tia|suegro|suegra|cuidador|cuidadora|ex)|el|ella) (?:me|nos) (?:pega|golpea|pego|golpeo|maltrata|empuja|ahorca)\b", 0.75),
        Pattern("golpes", r"\b(?:le pega|le pegan|la golpea|lo golpea|los golpea|la golpean|lo golpean|le da golpes|le pego|la maltrata|lo maltrata|me maltrata|la empuja|lo empuja)\b", 0.75),
        Pattern("maltrato", r"\b(?:maltrato|maltratan|maltratando|abuso sexual|abusa de|abusando de|abusaron de|negligencia|la tienen abandonad[ao]|lo tienen abandonado)\b", 0.75),
        Pattern("dinero", r"\b(?:le quita|le quitan|le roba|le roban|se queda con|se gasta) (?:la |su |toda la |todo el )?(?:pension|dinero|plata|jubilacion|cheque|tarjeta|ahorros)\b", 0.7),
        Pattern("sin_comer", r"\b(?:no le dan? de comer|la dejan? sol[ao]|lo dejan? solo|la encierra|lo encierra|la encierran|lo encierran|la dejan sin comer|sin comer todo el dia)\b", 0.7),
        Pattern("moretones", r"\b(?:moretones|morados|marcas) (?:desde que|por|de) (?:la |el |su )?(?:cuidador[a]?|enfermer[ao]|hij[oa]|herman[oa]|espos[oa]|asilo)\b", 0.75),
        Pattern("tocamientos", r"\b(?:la|lo|le) toca (?:de forma inapropiada|sus partes)\b|\btocamientos\b", 0.9),
        Pattern("cachetadas", r"\b(?:le|la|lo|nos|me|les) (?:da|dio|dan|daba) (?:cachetadas|bofetadas|golpes|palizas|una paliza)\b|\bnos pega\b|\bles pega\b|\bcon el cinturon\b", 0.75),
        Pattern("amarrada", r"\b(?:amarrad[oa]|atad[oa]|encerrad[oa]) (?:a la|en la|en su|en el) (?:silla|cama|cuarto|habitacion|sotano)\b|\bencierra(?:n)? con llave\b", 0.75),
        Pattern("escaras", r"\b(?:escaras|llagas|ulceras)\b.{0,60}\b(?:no lo cambia|no la cambia|nadie|no viene|sin cambiar|abandonad)\b|\bsol[oa] en la casa,? sin comida\b|\bno lo cambia ni\b", 0.7),
        Pattern("firmar_casa", r"\bhizo que (?:mi|su) \w+ firmara\b|\bno la deja salir\b|\bno lo deja salir\b", 0.65),
        Pattern("moretones_llanto", r"\bsiempre tiene moretones\b|\bmoretones\b.{0,40}\b(?:llorar|gritar|miedo)\b", 0.7),
    ],
    context=["cuidadora", "cuidador", "moretones", "miedo", "policia", "asilo", "todos los dias"],
    negative_context=["demencia", "alzheimer", "cree que", "piensa que", "no falta nada", "senales de", "que senales", "hace anos",
                      "resfriado", "gripe", "el sol", "silla de ruedas", "columpio", "a cuidarme", "empuja a ir", "paciencia", "jaja", "la sal", "medicinas", "compras", "mercado",
                      "estudio", "colonoscopia", "para los analisis", "cinturon de seguridad", "el doctor no", "fiebre", "anticoagulante", "radiografia", "la bane", "la banan"],
)
