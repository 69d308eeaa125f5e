"""Harm to others: threats, fear of losing control with the person cared for, weapons."""

from core.safety.detectors.base import CrisisDetector, Pattern

_VICTIM = r"(?:him|her|them|someone|somebody|my (?:mom|mother|dad|father|wife|husband|son|daughter|kids?|child|baby|grandma|grandpa|brother|sister|neighbou?r|boss|patient))"
_HARM = r"(?:hurt|hit|kill|shake|strangle|smother|choke|slap|punch|stab|shoot|beat|harm)"

HARM_TO_OTHERS_EN = CrisisDetector(
    name="harm_to_others_en",
    crisis_type="harm_to_others",
    language="en",
    patterns=[
        Pattern("intend_harm", rf"\b(?:going to|gonna|want to|wanna|will|plan(?:ning)? to|about to|ready to) {_HARM} {_VICTIM}\b", 0.8),
        Pattern("fear_losing_control", rf"\b(?:afraid|scared|worried|terrified) (?:that )?(?:i|ill|i will|i might|im going to) (?:\w+ )?(?:{_HARM}|snap|lose it and {_HARM})\b", 0.85),
        Pattern("could_kill", rf"\b(?:could|gonna) (?:just )?(?:kill|strangle|murder) {_VICTIM}\b", 0.3),
        Pattern("shook_or_hit", r"\bi (?:shook|slapped|hit|pushed|shoved|grabbed|choked|punched) (?:him|her|my (?:mom|mother|dad|father|wife|husband|baby|son|daughter|patient))\b(?! (?:up|back|with the|by accident))", 0.75),
        Pattern("weapon_threat", r"\b(?:threaten(?:s|ed|ing)?|came at|coming at|waving|pointed|pointing) (?:me |us |them |her |him )?(?:with )?(?:a |the |his |her )?(?:knife|gun|rifle|pistol|machete|hammer|bat)\b", 0.85),
        Pattern("threat_to_kill", r"\b(?:threaten(?:s|ed|ing)?|says? (?:he|she)(?:ll| will| is going to)|saying (?:he|she)(?:ll| will)) (?:to )?(?:kill|hurt|shoot|stab) (?:me|us|her|him|them|everyone|my)\b", 0.85),
        Pattern("tried_to_kill", r"\b(?:tried|tries|trying) to (?:kill|stab|strangle|choke|smother|poison) (?:me|her|him|them|us|my)\b", 0.9),
        Pattern("homicidal", r"\bhomicidal\b|\bkill (?:everyone|them all|people)\b", 0.85),
    ],
    context=["cant stop", "losing control", "afraid", "tonight", "knife", "gun", "rage", "snap"],
    negative_context=["joke", "kidding", "lol", "haha", "game", "video game", "movie", "germs", "bacteria", "weeds", "the lights", "the insurance", "paperwork", "figuratively"],
)

HARM_TO_OTHERS_ES = CrisisDetector(
    name="harm_to_others_es",
    crisis_type="harm_to_others",
    language="es",
    patterns=[
        Pattern("intencion", r"\b(?:voy a|quiero|tengo ganas de|me dan ganas de|estoy a punto de) (?:pegarle|golpearl[ao]|golpearle|matarl[ao]|matarle|lastimarl[ao]|hacerle dano|ahorcarl[ao]|sacudirl[ao]|ahogarl[ao])\b", 0.8),
        Pattern("miedo_perder_control", r"\b(?:miedo|temo|me da miedo) (?:de )?(?:que )?(?:le |la |lo )?(?:pegue|pegarle|golpee|golpearl[ao]|lastime|lastimarl[ao]|haga dano|hacerle dano|pierda el control)\b", 0.85),
        Pattern("amenaza", r"\b(?:amenaza|amenazo|amenazando|me amenaza) (?:con )?(?:matar|un cuchillo|una pistola|un arma|pegar|hacer dano)\b|\bcon un (?:cuchillo|arma|machete) en la mano\b", 0.85),
        Pattern("intento_matar", r"\b(?:intento|trato|quiso) (?:matarme|matarla|matarlo|ahorcarme|ahorcarla|apunalar)\b", 0.9),
        Pattern("lo_voy_a_matar", r"\b(?:l[oa]|te) voy a matar\b", 0.35),
    ],
    context=["cuchillo", "pistola", "arma", "no me controlo", "perder el control", "esta noche"],
    negative_context=["broma", "jajaja", "jaja", "juego", "pelicula"],
)
