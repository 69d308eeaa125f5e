"""Suicidal thoughts, explicit and indirect, first or third person."""

from core.safety.detectors.base import CrisisDetector, Pattern

_WHO = r"(?:my ?self|him ?self|her ?self|them ?sel(?:f|ves))"
_POSS = r"(?:my|his|her|their)"

SUICIDE_EN = CrisisDetector(
    name="suicide_en",
    crisis_type="suicide",
    language="en",
    patterns=[
        Pattern("kill_self", rf"\b(?:kill|killing|kills|hang|hanging|shoot|shooting|off|offing) {_WHO}\b", 0.95),
        Pattern("suicide_word", r"\bsuicid(?:e|al|ally)\b", 0.8),
        Pattern("end_life", rf"\b(?:end|ending|ends|take|taking|takes) {_POSS} (?:own )?life\b", 0.95),
        Pattern("end_it_all", r"\b(?:end(?:ing)? it all|end everything|end it for good|end it tonight)\b", 0.85),
        Pattern(
            "want_to_die",
            r"\b(?:want(?:s|ed)?|wanna|wish(?:es|ed)?|ready|plan(?:ning)?|going) (?:to )?(?:die|be dead|not exist)\b",
            0.9,
        ),
        Pattern("wish_dead", r"\b(?:wish (?:i|he|she) (?:was|were) dead|better off dead|rather be dead)\b", 0.9),
        Pattern(
            "not_want_to_live",
            r"\b(?:dont|do not|doesnt|does not|no longer) (?:want|wanna|wish) to (?:live|be alive|wake up|exist|be here anymore|go on)\b",
            0.9,
        ),
        Pattern("better_off_without", r"\b(?:better off without (?:me|him|her)|world without me|no one would (?:miss|notice|care)|nobody would (?:miss|notice|care))\b", 0.85),
        Pattern("no_reason_to_live", r"\b(?:no|any) (?:reason|point) (?:to|in) (?:live|living|go on|going on|being alive|staying alive|keep going)\b", 0.85),
        Pattern("sleep_not_wake", r"\b(?:sleep|go to sleep|fall asleep) and (?:never|not) wake up\b", 0.85),
        Pattern("tired_of_living", r"\b(?:tired|sick) of (?:living|being alive|life|existing)\b", 0.8),
        Pattern("thinking_of_ending", r"\b(?:thinking|thought|thoughts|think) (?:about|of) (?:ending it|ending my|dying|killing|not being here|death a lot)\b", 0.8),
        Pattern("method", r"\b(?:noose|slit (?:my|his|her) wrists?|jump(?:ing)? off (?:a|the) (?:bridge|building|roof|cliff)|drive (?:my car )?off (?:a|the) (?:bridge|cliff|road)|in front of a (?:train|truck|bus))\b", 0.85),
        Pattern("goodbye_note", r"\b(?:suicide note|goodbye (?:letter|note|letters|notes)|wrote (?:letters|a letter|notes) to (?:my|the) (?:kids|family|children) in case)\b", 0.8),
        Pattern("giving_things_away", r"\bgiv(?:e|ing|en) (?:away )?(?:all )?(?:my|his|her) (?:stuff|things|belongings|possessions)(?: away)?\b", 0.6),
        Pattern("not_around_long", r"\b(?:wont|will not) be (?:around|here|a problem|a burden) (?:much longer|for long|anymore|for much longer)\b", 0.6),
        Pattern("disappear", r"\b(?:want to|wanna|just want to) (?:disappear|vanish|not wake up|stop existing|go away forever)\b", 0.7),
        Pattern("cant_go_on", r"\b(?:cant|can not|cannot) (?:go on|keep going|do this anymore|take (?:it|this) anymore|live like this)\b", 0.45),
        Pattern("burden", r"\b(?:im|i am|being|feel like) (?:just )?(?:a|such a) burden\b", 0.45),
        Pattern("whats_the_point", r"\b(?:whats|what is) the point (?:of|in) (?:anything|living|life|going on|trying anymore|any of it)\b", 0.7),
        Pattern("plan_pills", r"\b(?:stockpil|hoard|sav)(?:e|es|ed|ing) (?:up )?(?:my|his|her) (?:pills|meds|medication|sleeping pills)\b", 0.7),
    ],
    context=["anymore", "pills", "end it", "no point", "hopeless", "goodbye", "tonight", "plan", "rope", "gun", "bridge"],
    negative_context=["joke", "movie", "book", "lyrics", "prevention training", "documentary"],
)

SUICIDE_ES = CrisisDetector(
    name="suicide_es",
    crisis_type="suicide",
    language="es",
    patterns=[
        Pattern("suicidarse", r"\b(?:suicid(?:arme|arse|arte|io|a|as|o)|matarme|matarse|quitarme la vida|quitarse la vida|acabar con mi vida|acabar con su vida)\b", 0.95),
        Pattern("querer_morir", r"\b(?:quiero|quiere|queria|quisiera|ganas de|deseo|desea|prefiero|prefiere) morir(?:me|se)?\b|\b(?:me|se) quiere(?:ria)? morir\b|\bquiero estar muert[oa]\b", 0.9),
        Pattern("no_querer_vivir", r"\bno (?:quiero|quiere|queria) (?:vivir|seguir viviendo|seguir aqui|estar aqui|despertar|seguir)\b", 0.85),
        Pattern("acabar_con_todo", r"\b(?:acabar|terminar) con todo\b", 0.85),
        Pattern("mejor_sin_mi", r"\b(?:estarian|estaria|estarias|vivirian) mejor sin (?:mi|el|ella)\b|\bnadie me (?:extranaria|echaria de menos)\b", 0.85),
        Pattern("no_aguanto", r"\bno (?:aguanto|soporto|puedo) mas(?! (?:el|la|los|las|este|esta|con el|con la|de) (?:dolor|calor|frio|ruido|espalda|rodilla|olor|trafico|tos))\b", 0.65),
        Pattern("sin_sentido", r"\b(?:no le (?:veo|encuentro) sentido a (?:la vida|nada|seguir|vivir)|ya no tiene sentido (?:vivir|seguir|nada))\b", 0.75),
        Pattern("dormir_no_despertar", r"\b(?:dormir(?:me)?|acostarme) y no (?:despertar|volver a despertar)\b", 0.85),
        Pattern("desaparecer", r"\b(?:quiero|quisiera|quiere) desaparecer\b|\bdesaparecer para siempre\b", 0.7),
        Pattern("despedida", r"\b(?:carta de despedida|cartas de despedida|regalando (?:mis|sus) cosas|me (?:estoy )?despidiendo de todos)\b", 0.75),
        Pattern("metodo", r"\b(?:tirarme|tirarse|aventarme|lanzarme) (?:de|del|por|al) (?:un |el |la )?(?:puente|edificio|balcon|ventana|tren|metro)\b|\bcortarme las venas\b|\bahorcarme\b", 0.9),
        Pattern("carga", r"\bsoy (?:una|un) (?:carga|estorbo)\b", 0.45),
        Pattern("quitar_del_medio", r"\bquitarme de en medio\b", 0.85),
    ],
    context=["pastillas", "ya no", "nadie", "esta noche", "plan", "despedir"],
    negative_context=["pelicula", "chiste", "cancion"],
)
