"""Harm to others: threats, fear of losing control with the person cared for, weapons."""

from core.safety.detectors.base import CrisisDetector, Pattern

_VICTIM = r"(?:him|her|them|someone|somebody|people|everyone|kids|(?:my|our|the) (?:mom|mother|dad|father|wife|husband|son|daughter|kids?|child|baby|grandma|grandpa|brother|sister|neighbou?r|boss|patient|aide|stepdad|ex))"
_HARM = r"(?:hurt|hit|kill|shake|strangle|smother|choke|slap|punch|stab|shoot|beat|harm)"

HARM_TO_OTHERS_EN = CrisisDetector(
    name="harm_to_others_en",
    crisis_type="harm_to_others",
    language="en",
    patterns=[
        Pattern("intend_harm", rf"\b(?:i|im|ill|he|she|hes|shes|they|theyre|(?:my|our) \w+) (?:am |is |are )?(?:really |just |so |actually )?(?:going to|gonna|want to|wants to|wanna|will|plan(?:ning)? to|about to|ready to) {_HARM} {_VICTIM}\b", 0.8),
        Pattern("fear_losing_control", rf"\b(?:afraid|scared|worried|terrified) (?:that )?(?:i|ill|i will|i might|im going to) (?:\w+ )?(?:{_HARM}|snap|lose it and {_HARM})\b", 0.85),
        Pattern("could_kill", rf"\b(?:could|gonna) (?:just )?(?:kill|strangle|murder) {_VICTIM}\b", 0.3),
        Pattern("shook_or_hit", r"\bi (?:shook|slapped|hit|pushed|shoved|grabbed|choked|punched) (?:him|her|my (?:mom|mother|dad|father|wife|husband|baby|son|daughter|patient))\b(?! (?:up|back|with the|by accident))", 0.75),
        Pattern("weapon_threat", r"\b(?:threaten(?:s|ed|ing)?|came at|coming at|waving|pointed|pointing) (?:me |us |them |her |him )?(?:with )?(?:a |the |his |her )?(?:knife|gun|rifle|pistol|machete|hammer|bat)\b", 0.85),
        Pattern("threat_to_kill", r"\b(?:threaten(?:s|ed|ing)?|says? (?:he|she)(?:ll| will| is going to)|saying (?:he|she)(?:ll| will)) (?:to )?(?:kill|hurt|shoot|stab) (?:me|us|her|him|them|everyone|my)\b", 0.85),
        Pattern("tried_to_kill", r"\b(?:tried|tries|trying) to (?:kill|stab|strangle|choke|smother|poison) (?:me|her|him|them|us|my)\b", 0.9),
        Pattern("homicidal", r"\bhomicidal\b|\bkill (?:everyone|them all|people)\b", 0.85),
        Pattern("pillow_face", r"\b(?:pillow|hand|almohada) (?:over|on|en|sobre) (?:her|his|their|la|su) (?:face|mouth|cara|boca)\b", 0.8),
        Pattern("smother_someone", r"\b(?:smother|suffocate|strangle|poison)(?:ing)? (?:someone|somebody|a person|her|him|them|my \w+)\b", 0.55),
        Pattern("afraid_what_ill_do", r"\b(?:afraid|scared|terrified) of what (?:i|ill|i will|i might|i could) (?:do|could do)\b", 0.85),
        Pattern("thoughts_of_hurting", r"\b(?:thoughts?|fantasi[sz]e|fantasi[sz]ing|intrusive thoughts) (?:of|about) (?:hurting|harming|killing|smothering|running \w+ over|putting a pillow)\b", 0.85),
        Pattern("i_hurt_them", r"\bi (?:squeezed|yanked|threw (?:a|the) \w+ at|shoved|slapped|shook) (?:her|him|my \w+)", 0.75),
        Pattern("will_kill", r"\b(?:hell|shell|he will|she will|hes going to|shes going to) (?:kill|shoot|stab|hurt) (?:them|him|her|me|us|everyone|whoever|anyone|our|my)\b", 0.75),
        Pattern("coming_at", r"\b(?:coming (?:at|toward|towards) (?:me|us|her|him)|swinging (?:it|a \w+|the \w+|her \w+|his \w+) at)\b|\bgrabbed a (?:kitchen )?knife\b|\bsharpening (?:knives|a knife)\b", 0.7),
        Pattern("set_on_fire", r"\b(?:threaten\w*|says? (?:he|she)(?:ll| will)) (?:to )?(?:set (?:the|this|my|our) \w+ on fire|burn (?:the|this) (?:house|place|apartment) down)\b", 0.85),
        Pattern("threw_at", r"\bthrew (?:a |the |his |her )?(?:pot|plate|knife|chair|glass|cup|bottle|boiling water|hot water|\w+)\b.{0,25}\bat (?:her|him|his|my|the|me) ?\w*", 0.6),
    ],
    context=["cant stop", "losing control", "afraid", "tonight", "knife", "gun", "rage", "snap"],
    negative_context=[
        "joke", "kidding", "lol", "haha", "game", "video game", "movie", "germs", "bacteria", "weeds", "the lights",
        "the insurance", "paperwork", "figuratively", "lift", "lifting", "transfer", "by accident", "accidentally",
        "wound", "dressing change", "when i move", "moving (?:him|her)", "bathing (?:him|her)", "fragile",
        "toe ?nails", "nails", "trimming", "mailbox", "backing out", "zipper", "wheel ?chair", "stroller", "swing", "high five", "hand ?shake", "shook (?:her|his) hand",
        "before (?:she|he) fell", "to stop (?:a|her|him from)", "gently", "to wake", "text", "message", "email", "reminder", "party", "ball", "chess", "cards", "checkers",
        "feelings", "cake", "sharpening", "heat ?waves?", "cold snaps?", "flu shot", "birthday",
    ],
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
        Pattern("pensamientos", r"\b(?:pensamientos|ganas|fantasias) de (?:hacerle dano|lastimar|matar|pegarle|ponerle la almohada)\b|\bponerle la almohada en la cara\b", 0.85),
        Pattern("le_pegue", r"\b(?:le di una (?:cachetada|bofetada)|sacudi a|le pegue a|empuje a|casi la empujo|casi lo empujo|le apret\w+ (?:el brazo|la mano|el cuello))\b", 0.75),
        Pattern("dice_que_mata", r"\b(?:dice|dijo|amenaza|amenazo|grita) que (?:si .{0,30})?(?:me|nos|los|la|lo|te|le) (?:va a matar|mata|matara|mataria|va a apunalar|va a disparar)\b", 0.8),
        Pattern("va_a_matar", r"\bva a (?:matar|apunalar|disparar)(?:le|la|lo|nos|me|los)?\b(?! de (?:un |una )?(?:disgusto|susto|risa|pena|coraje|rabia|los nervios|un infarto|hambre|aburrimiento))", 0.4),
        Pattern("arma", r"\b(?:agarro|saco|tiene) (?:un|una|la|el) (?:cuchillo|escopeta|pistola|arma|machete)\b|\bafilando (?:cuchillos|un cuchillo)\b|\bme persigue con\b", 0.7),
    ],
    context=["cuchillo", "pistola", "arma", "no me controlo", "perder el control", "esta noche"],
    negative_context=["broma", "jajaja", "jaja", "juego", "pelicula", "etiqueta", "parche", "curita", "alfombra", "silla de ruedas", "columpio", "el sol", "la gripe", "resfriado", "animo", "pistola de agua", "maleza", "afilando", "el tiempo", "pastel", "de un disgusto", "de un susto", "de risa", "curas", "herida", "moverla", "moverlo", "levantarla", "levantarlo", "banarla", "banarlo", "sin querer", "no soy enfermera", "no soy enfermero"],
)
