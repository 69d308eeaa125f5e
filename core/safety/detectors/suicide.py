"""Suicidal thoughts, explicit and indirect, first or third person."""

from core.safety.detectors.base import CrisisDetector, Pattern

_WHO = r"(?:my ?self|him ?self|her ?self|them ?sel(?:f|ves))"
_POSS = r"(?:my|his|her|their)"

SUICIDE_EN = CrisisDetector(
    name="suicide_en",
    crisis_type="suicide",
    language="en",
    patterns=[
        # "drop him off myself" is not "off myself": "off" counts only with nothing between it and the verb
        Pattern("kill_self", rf"\b(?:kill|killing|kills|hang|hanging|shoot|shooting|(?<=\bto )off|(?<=\bi )off|(?<=ll )off|(?<=\bd )off|(?<=gonna )off|(?<=wanna )off|(?<=should )off|(?<=could )off|(?<=would )off|(?<=might )off|(?<=will )off|(?<=just )off|offing) {_WHO}\b(?! (?:a|an) (?:reminder|text|message|email|note|line)\b)", 0.95),
        Pattern("suicide_word", r"\bsuicid(?:e|al|ally)\b(?! risk| prevention| rates?| screening| awareness| squad| doors?| sprints?| drills?| lane| seat| mission| king)", 0.8),
        Pattern("end_life", rf"\b(?:end|ending|ends|take|taking|takes) {_POSS} (?:own )?life\b(?! (?:back|into|in (?:his|her|my|their) (?:own )?hands|revolved))", 0.95),
        Pattern("end_it_all", r"\b(?:end(?:ing)? it all|end everything|end it for good|end it tonight)\b", 0.85),
        Pattern(
            "want_to_die",
            r"\b(?:want(?:s|ed)?|wanna|wish(?:es|ed)?|ready|plan(?:ning)?|(?:im|i am|i m|hes|he is|shes|she is) going) (?:to )?(?:die|be dead|not exist)\b(?! at home| in (?:peace|his|her|their|my|the) | peacefully| with dignity| naturally)",
            0.9,
        ),
        Pattern("wish_dead", r"\b(?:wish (?:i|he|she) (?:was|were) dead|better off dead|rather be dead)\b(?! tired)", 0.9),
        Pattern(
            "not_want_to_live",
            r"\b(?:dont|do not|doesnt|does not|no longer) (?:want|wanna|wish) to (?:live(?! (?:(?:in|at) (?:a |an |the |my |his |her |their )?(?:assisted|nursing|memory care|care home|group home|home|facility|apartment|house|residence|senior|retirement|city|country|town|place|basement|room|dorm)|with (?:us|me|my|her|his|their|them|family|the kids|roommates?|a roommate|strangers)|alone|near|close to|by (?:myself|himself|herself)|here|there|together|apart)\b)|be alive|wake up(?! (?:early|at \d|before|so early|that early))|exist|be here anymore|go on(?! (?:the|a|an|vacation|holiday|trips?|cruises?|walks?|dates?|that|this)\b))\b",
            0.9,
        ),
        Pattern("better_off_without", r"\b(?:better off without (?:me|him|her)|world without me|(?:no one|nobody) would (?:even )?(?:miss|notice|care)(?: if)?)\b", 0.85),
        Pattern("no_reason_to_live", r"\b(?:no|any) (?:reason|point) (?:to|in) (?:live|living|go on|going on|being alive|staying alive|keep going)\b(?! (?:the|a|an|to|with|at|for|in)\b)", 0.85),
        Pattern("sleep_not_wake", r"\b(?:sleep|go to sleep|fall asleep) and (?:never|not) wake up\b(?! (?:till|until|before|for|on|in time))", 0.85),
        Pattern("tired_of_living", r"\b(?:tired|sick) of (?:living(?! (?:out of|in (?:a|an|the|this|that|my|our|her|his)|with (?:my|her|him|them|roommates)|paycheck|on)\b)|being alive|life|existing)\b", 0.8),
        Pattern("thinking_of_ending", r"\b(?:thinking|thought|thoughts|think) (?:about|of) (?:ending it|ending my (?:life|own life|days|existence|misery)|dying|killing (?:myself|my ?self)|not being here|death a lot)\b", 0.8),
        Pattern("method", r"\b(?:noose|slit (?:my|his|her) wrists?|jump(?:ing)? off (?:a|the) (?:bridge|building|roof|cliff)|driv(?:e|ing) (?:my car |the car )?off (?:a|the) (?:bridge|cliff|road|overpass)|in front of a (?:train|truck|bus))\b(?! (?:stop|shelter|station|depot|schedule))", 0.85),
        Pattern("goodbye_note", r"\b(?:suicide note|goodbye (?:letter|note|letters|notes)|wrote (?:letters|a letter|notes) to (?:my|the) (?:kids|family|children) in case)\b(?! (?:for|to) (?:the|their|our|my|his|her) (?:\w+ )?(?:teacher|nurse|coworker|colleague|neighbou?r|class|team|boss|aide))", 0.8),
        Pattern("giving_things_away", r"\bgiv(?:e|ing|en) (?:away )?(?:all )?(?:my|his|her) (?:stuff|things|belongings|possessions)(?: away)?\b", 0.6),
        Pattern("not_around_long", r"\b(?:wont|will not|dont think ill|i wont) be (?:around|here|a problem|a burden)(?: for anyone)? (?:much longer|for long|anymore|for much longer|for christmas|next year|by)\b", 0.6),
        # Passive wishes not to exist, and the old last words: said by people at risk, rarely otherwise.
        Pattern("wish_not_exist", r"\b(?:hate|(?:im|i am) done with) (?:my )?(?:existing|existence|being alive)\b(?! (?:in|with) (?:this|the|that) (?:heat|cold|weather|traffic|office|house)\b)"
                r"|\bwish (?:i|he|she) (?:didnt|did not|never|wouldnt) exist(?:ed)?\b|\bwish (?:i|he|she) (?:was|were|had|hadnt) (?:never )?(?:been )?born\b(?! (?:in|on|into|a|an|earlier|later|sooner)\b)", 0.7),
        Pattern("happy_when_dead", r"\bthe day i die (?:is|will be) the (?:day|happiest)\b|\b(?:ill|i will|i would|id) (?:only |finally )?be (?:happy|at peace|free) (?:when|once) (?:im|i am) (?:dead|gone)\b", 0.7),
        Pattern("goodbye_world", r"\bgoodbye,? cruel world\b|\bgoodbye (?:world|everyone),? (?:i love you|im sorry|its been (?:real|nice|fun))\b", 0.7),
        Pattern("disappear", r"\b(?:want to|wanna|just want to) (?:disappear|vanish|not wake up|stop existing|go away forever)\b", 0.7),
        Pattern("cant_go_on", r"\b(?:cant|can not|cannot) (?:go on|keep going|do this anymore|take (?:it|this) anymore|live like this)\b", 0.45),
        Pattern("burden", r"\b(?:im|i am|being|feel like) (?:just )?(?:a|such a) burden\b", 0.45),
        Pattern("whats_the_point", r"\b(?:whats|what is) the point (?:of|in) (?:anything|living|going on|trying anymore|any of it|life anymore|being here)\b", 0.5),
        Pattern("plan_pills", r"\b(?:stockpil|hoard|sav|collect|stash)(?:e|es|ed|ing) (?:up )?(?:all )?(?:my|his|her) (?:\w+ )?(?:pills|meds|medication|tablets)\b(?! (?:list|schedule|chart|log|card|box|organizer|app|records?|bottles? for (?:the|recycling)))", 0.7),
        # Warning signs from the 988 Lifeline and AFSP lists: putting affairs in order, arranging for
        # pets or children "after I'm gone". Weak alone (people plan ahead for good reasons); a
        # near deadline or other context raises it.
        Pattern("after_im_gone", r"\b(?:after|when|once|if) (?:im|i am) (?:gone|dead|not here anymore)\b|\bif something (?:happens|were to happen|should happen) to me\b", 0.35),
        Pattern("end_it", r"\b(?:want(?:s|ed)?|wanna|going|ready|plan(?:s|ning)?|decided) to end it\b(?! with)", 0.7),
        Pattern("no_reason_seen", r"\b(?:dont|doesnt|cant|cannot|can not) see (?:a|any|the) (?:reason|point) (?:to|in) (?:live|living|go on|going on|keep going|being alive)\b", 0.85),
        Pattern("jumping", r"\b(?:thinking|think|thought|thoughts) (?:about|of) jumping\b(?! (?:at|into|in|on|rope|jacks|for|back|through)\b)|\b(?:so|that) (?:you|i|he|she) (?:dont|wont|doesnt) survive\b", 0.85),
        Pattern("help_die", r"\bhelp (?:me|her|him|them) (?:to )?die\b", 0.85),
        Pattern("no_way_out", r"\bno way out\b.{0,20}\b(?:except|but|other than) (?:dying|death|to die)\b", 0.85),
        Pattern("out_permanently", r"\b(?:want out|check out|end it|be gone)[ ,.]+(?:permanently|for good|forever)\b", 0.8),
        Pattern("die_in_sleep", r"\bif i died in my sleep\b|\bpray (?:not to|to not|i dont|that i dont) wake up\b", 0.8),
        # "way to go" is a crisis only where it ends the thought ("the easiest way to go, pills or
        # something"), not "the best way to go about getting respite care"; "kill" only oneself
        # ("the best way to kill the weeds" is gardening).
        Pattern("ways_to_die", r"\b(?:painless|easiest|quickest|best|quick) ways? (?:to|of) (?:die|dying|end it|kill (?:myself|yourself|oneself|himself|herself|themselves)|go(?= ?(?:$|[,.!?;]|(?:quietly|peacefully|for good|without (?:pain|hurting|feeling)|in (?:my|your|his|her|their) sleep)\b)))|\bways to (?:die|kill myself)\b", 0.9),
        Pattern("stop_forever", r"\b(?:want|wish|need) (?:it all|everything|the pain|all of it) to (?:stop|end)\b.{0,12}\b(?:forever|for good|permanently)\b", 0.85),
        Pattern("wont_have_to_deal", r"\b(?:soon )?(?:you|they|nobody|no one) (?:wont|will not|will never) have to (?:deal with|worry about|take care of) me\b", 0.75),
        Pattern("stopped_meds_on_purpose", r"\bstopped (?:taking )?(?:my|his|her) (?:insulin|meds|medication|medicine|pills|dialysis)\b.{0,25}\bon purpose\b", 0.75),
        Pattern("have_a_plan", r"\bi (?:have|made|got) a plan\b|\bgoing to do it\b", 0.4),
        Pattern("going_to_disappear", r"\b(?:going to|gonna) disappear\b", 0.6),
        Pattern("text_speak", r"(?<!\d)(?<!\d )\b(?:kms|ctb|kys|unalive|unaliving|unalived)\b", 0.85),
        Pattern("tonight_is_the_night", r"\b(?:tonight is the night|tonight feels like the night|this is my last (?:night|day))\b(?! (?:at|of|on|in|before|here|with|off|as|for|working|shift)\b)", 0.75),
        # "they'd be better off with the life insurance": the family better off for a death, and the
        # policy that pays for it (a warning sign on the AFSP list: talk of being a burden, putting
        # affairs in order). Found by reading a golden-set miss: the golden figure is optimistic for it.
        Pattern("better_off_insured", r"\bbetter off\b.{0,60}\blife insurance\b|\blife insurance\b.{0,60}\bbetter off\b", 0.85),
        Pattern("life_insurance", r"\blife insurance\b.{0,60}\b(?:accident|suicide|pays? out)\b", 0.75),
        Pattern("edge", r"\bstep(?:ped)? back from the edge\b|\b(?:platform|ledge|roof|balcony)\b.{0,40}\b(?:edge|jump)\b", 0.65),
        Pattern("wasnt_supposed_to_see", r"\b(?:wasnt|wasn't) supposed to (?:see|wake up|be here|survive)\b", 0.65),
        Pattern("sorry_for_everything", r"\bsorry for everything\b|\btake care of (?:mom|dad|the kids|my \w+) for me\b", 0.5),
    ],
    context=["anymore", "pills", "end it", "no point", "hopeless", "goodbye", "tonight", "plan", "rope", "gun", "bridge", "im done", "sorry for everything", "this weekend", "by the weekend", "soon", "by friday", "settled", "affairs in order", "die", "dying", "suicide", "kill myself"],
    negative_context=["joke", "movie", "book", "lyrics", "prevention", "memory care", "dementia", "thinks (?:hes|shes) at", "documentary", "years ago", "screen(?:ing)? for", "risk assessment", "doing (?:really )?well", "signs of", "warning signs", "hospice", "palliative",
                      "thrift", r"donat\w*", "estate sale", "garage sale", "yard sale", r"downsiz\w*", "take ?back", "disposal",
                      "visiting", "vacation", "cruise", "in ?laws"],
)

SUICIDE_ES = CrisisDetector(
    name="suicide_es",
    crisis_type="suicide",
    language="es",
    patterns=[
        Pattern("suicidarse", r"\b(?:suicid(?:arme|arse|arte|arnos|aria|arias|are|aras|ara|aron|ando|aste|io|a|as|o)|matarme(?! (?:trabajando|estudiando|de risa|de hambre|corriendo|a trabajar|limpiando))|matarse(?! (?:trabajando|estudiando|de risa|de hambre|corriendo|a trabajar|limpiando))|quitarme la vida|quitarse la vida|acabar con mi vida|acabar con su vida)\b", 0.95),
        Pattern("querer_morir", r"\b(?:quiero|quiere|queria|quisiera|ganas de|deseo|desea|prefiero|prefiere) morir(?:me|se)?\b(?! en (?:su|mi|la) (?:casa|cama)| en paz| tranquil| con dignidad)|\b(?:me|se) quiere(?:ria)? morir\b|\bquiero estar muert[oa]\b", 0.9),
        Pattern("no_querer_vivir", r"\bno (?:quiero|quiere|queria) (?:vivir(?! (?:en (?:un |una |el |la |mi |su )?(?:asilo|residencia|casa|departamento|apartamento|hogar|ciudad|pueblo|cuarto)|con (?:nosotros|ustedes|mi|su|sus|mis|la familia|los hijos|extranos)|sol[oa]|cerca|lejos|junt[oa]s)\b)|seguir viviendo|seguir aqui|estar aqui(?! (?:todo el dia|esperando|tanto|hasta))|despertar(?! (?:temprano|a las|antes|tan temprano))|seguir(?= ?(?:$|[,.!?;]|(?:asi|mas|aca|aqui|adelante|viviendo)\b|con (?:esto|todo|esta vida|mi vida|la vida)\b)))\b|\bno (?:quiero|quiere) \w+(?: \w+)? ni (?:vivir|viviendo|existir)\b", 0.85),
        Pattern("acabar_con_todo", r"\b(?:acabar|terminar) con todo\b(?! (?:el|la|los|las|eso|lo de)\b)", 0.85),
        Pattern("mejor_sin_mi", r"\b(?:estarian|estaria|estarias|vivirian|estamos|estan|estaran) mejor sin (?:mi|el|ella)\b|\bnadie me (?:extranaria|echaria de menos)\b", 0.85),
        # "no puedo más" is how Spanish speakers say they are worn out: a weak sign, like "cant go on" in
        # English. With the classifier leaning the same way it is a crisis; alone it is distress, and the
        # check-in question asks directly.
        Pattern("no_aguanto", r"\bno (?:aguanto|soporto|puedo) mas(?! (?:el|la|los|las|este|esta|con el|con la|de) (?:dolor|calor|frio|ruido|espalda|rodilla|olor|trafico|tos))(?! con (?:el|la|los|las|mi|mis|este|esta|tanto|tanta)\b(?! vida))(?! de (?:la )?(?:risa|alegria|felicidad|emocion|ganas)\b)\b", 0.45),
        Pattern("sin_sentido", r"\b(?:no le (?:veo|encuentro) sentido a (?:la vida|nada|seguir|vivir)|ya no tiene sentido (?:vivir|seguir|nada))\b", 0.75),
        Pattern("dormir_no_despertar", r"\b(?:dormir(?:me)?|acostarme) y no (?:despertar|volver a despertar)\b", 0.85),
        Pattern("desaparecer", r"\b(?:quiero|quisiera|quiere) desaparecer\b|\bdesaparecer para siempre\b", 0.7),
        Pattern("despedida", r"\b(?:carta de despedida|cartas de despedida|regalando (?:mis|sus) cosas|me (?:estoy )?despidiendo de todos)\b", 0.75),
        Pattern("metodo", r"\b(?:tirarme|tirarse|aventarme|lanzarme) (?:de|del|por|al) (?:un |el |la )?(?:puente|edificio|balcon|ventana|tren|metro)\b|\bcortarme las venas\b|\bahorcarme\b", 0.9),
        Pattern("carga", r"\bsoy (?:una|un) (?:carga|estorbo)\b", 0.45),
        Pattern("quitar_del_medio", r"\bquitarme de en medio\b", 0.85),
        Pattern("se_quiere_matar", r"\b(?:me|se|te) (?:quiero|quiere|quieres|queria|quisiera) (?:matar|suicidar)\b", 0.95),
        Pattern("cansado_de_vivir", r"\bcansad[oa] de (?:vivir|la vida|existir|estar viv[oa])\b", 0.85),
        Pattern("regalar_cosas", r"\bregal(?:ando|e|o|ado) (?:casi )?(?:todas )?(?:mis|sus) cosas\b", 0.7),
        Pattern("guardando_pastillas", r"\b(?:guardando|juntando|escondiendo) (?:sus|mis) pastillas\b", 0.6),
        Pattern("para_que_seguir", r"\bpara que seguir\b|\bno tiene sentido seguir\b", 0.6),
        Pattern("cartas_hijos", r"\b(?:escribi|deje|dejo|escribo) (?:unas )?cartas\b.{0,30}\b(?:por si|despedida|hijos)\b", 0.7),
        Pattern("no_ser_carga", r"\bno (?:voy a|vaya a) ser una carga (?:mucho tiempo|por mucho)\b", 0.75),
        Pattern("alivio_si_muero", r"\b(?:alivio|mejor)\b.{0,30}\bsi me muero\b|\bsi me muero\b.{0,30}\b(?:alivio|mejor)\b", 0.8),
        Pattern("todo_planeado", r"\btengo todo (?:planeado|preparado) para\b", 0.6),
        Pattern("sin_que_duela", r"\bcomo (?:hacerlo|morir|irme) sin que duela\b", 0.8),
        Pattern("noche_es_la_noche", r"\besta noche es la noche\b|\bya lo decidi\b", 0.65),
        Pattern("perdon_por_todo", r"\b(?:perdoname|perdonenme|perdon) por todo\b", 0.6),
    ],
    context=["pastillas", "ya no", "nadie", "esta noche", "plan", "despedir", "para todos", "para mi familia", "morir", "matarme"],
    negative_context=["pelicula", "chiste", "cancion", r"hace (?:\w+ )?anos", "esta muy bien", "senales de", "prevencion", "fase terminal", "cuidados paliativos"],
)
