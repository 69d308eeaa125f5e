"""Medical emergencies happening now: stroke and heart-attack signs, breathing, unresponsive,
falls with a head injury, seizures, heavy bleeding, choking, severe low blood sugar, allergy.

Patterns ask for a present situation ("her face is drooping", "he cant breathe"), not the
topic: "what are the signs of a stroke" is a health question, not an emergency."""

from core.safety.detectors.base import CrisisDetector, Pattern

_POSS = r"(?:my|his|her|their)"
# "his lips are blue from the blue raspberry slushie" is not cyanosis
_NOT_FROM_A_SWEET = r"(?! from (?:the |a |that )?(?:\w+ )?(?:slushie|popsicle|candy|juice|berries|blueberries|marker|paint|lipstick|drink|freezie|ice pop))"

MEDICAL_EMERGENCY_EN = CrisisDetector(
    name="medical_emergency_en",
    crisis_type="medical_emergency",
    language="en",
    patterns=[
        Pattern("face_drooping", rf"\b(?:face|mouth|smile|lip) (?:is |went |looks |started )?(?:drooping|droopy|droops|crooked|lopsided|sagging)\b|\b{_POSS} face (?:is )?(?:droop\w*|fell on one side)\b", 0.85),
        Pattern("slurred_speech", r"\b(?:slurr(?:ed|ing)|garbled|cant get (?:his|her) words out|words (?:are )?(?:coming out )?(?:wrong|jumbled))\b", 0.6),
        Pattern("one_side_weak", rf"\b(?:cant|can not|cannot) (?:lift|raise|move|feel) {_POSS} (?:left |right )?(?:arm|leg|hand|side)\b|\b(?:one side|left side|right side) (?:is |went |of (?:his|her) body (?:is |went )?)?(?:weak|numb|limp|dead)\b", 0.7),
        Pattern("having_event", r"\b(?:having|is having|think (?:hes|shes|im|he is|she is|i am) having|might be having) (?:a )?(?:stroke(?! of)|heart attack|seizure|allergic reaction|anaphyla\w*)\b", 0.85),
        Pattern("chest_pain", r"\b(?:chest (?:pain|pressure|tightness|is tight|hurts|feels (?:tight|heavy))|crushing (?:chest|pain))\b", 0.5),
        Pattern("cant_breathe", rf"\b(?:cant|can not|cannot|unable to|struggling to|fighting to) (?:breathe|catch {_POSS} breath|get air)\b(?! (?:laughing|from laughing|in this (?:heat|humidity)|with (?:this|the|a) mask|through (?:my|the) nose))|\bgasping for (?:air|breath)\b", 0.75),
        Pattern("not_breathing", r"\b(?:not breathing|stopped breathing|isnt breathing|no pulse|no heartbeat)\b(?! (?:on|at|in|during) (?:the |an |my |her )?(?:ultrasound|scan|sonogram|appointment))", 0.95),
        Pattern("blue_lips", r"\b(?:lips|face|skin) (?:are |is )?(?:turning |turned |going |gone )?(?:blue|gr[ae]y)\b" + _NOT_FROM_A_SWEET, 0.85),
        Pattern("unresponsive", r"\b(?:unresponsive|wont wake up|cant wake (?:him|her|them|my \w+) up|cant wake (?:him|her|them)|not waking up|passed out(?! (?:flyers|the|some|candy|papers|food|cookies|leaflets|invitations|programs|drinks|gifts))|lost consciousness|unconscious|collapsed(?! lung)|not responding to me|limp and)\b", 0.8),
        Pattern("fall_head", rf"\b(?:fell|fallen|fall|slipped|tripped)\b.{{0,60}}\b(?:hit|hitting|banged|bumped|struck|cracked) {_POSS} head\b|\bhead (?:is )?bleeding\b", 0.85),
        Pattern("fall_cant_get_up", r"\b(?:fell|fallen)\b(?! (?:asleep|behind|in love|for it|apart))(?! \w+ (?:asleep|behind))(?=.{0,40}\b(?:cant get up|wont get up|not moving|cant move|bleeding|bone sticking))(?!.{0,60}\b(?:bleeding us|bleeding me)\b).{0,40}\b(?:cant get up|wont get up|not moving|cant move|bleeding|bone sticking)\b", 0.75),
        Pattern("seizure_long", r"\b(?:seizure|convulsions?|seizing|convulsing)\b.{0,40}\b(?:wont stop|not stopping|for (?:over )?(?:\d+|five|ten) minutes|keeps going)\b|\b(?:is seizing|is convulsing)\b", 0.9),
        Pattern("heavy_bleeding", r"\b(?:bleeding|blood(?! (?:pressure|sugar|tests?|work|glucose|counts?|draws?|levels?|type|bank|thinners?|donations?|results?|panel|orange|readings?|oxygen)))\b.{0,20}\b(?:a lot|heavily|wont stop|everywhere|all over|soaking|gushing|spurting)\b|\b(?:coughing|throwing|vomiting|puking|spitting)(?: up)? blood\b", 0.8),
        Pattern("choking_now", r"\b(?:is choking|choking right now|choking and (?:cant|turning|cannot)|something stuck in (?:his|her) throat and)\b", 0.9),
        Pattern("throat_swelling", r"\b(?:throat|tongue|lips) (?:is |are )?(?:swelling|swollen|closing)(?: up)?\b", 0.75),
        Pattern("low_sugar_severe", r"\b(?:sugar|glucose)\b.{0,50}\b(?:not responding|unresponsive|wont wake|passing out|passed out|seizing|cant swallow|not making sense)\b", 0.8),
        Pattern("worst_headache", r"\bworst headache (?:of|in) (?:his|her|my|their) life\b|\b(?:face|arm|leg|side) (?:just )?(?:went|going|is going) numb\b(?! (?:from|after|when|while) (?:sitting|kneeling|crossing|lying|sleeping|leaning))|\bcant see out of one eye\b|\broom is spinning\b.{0,40}\bcant (?:walk|stand)\b", 0.85),
        Pattern("found_on_floor", r"\bfound (?:him|her|them|my \w+) (?:on the floor(?! (?:playing|looking|searching|doing|with the|reading|sorting|folding))|unconscious|not breathing|unresponsive|passed out)\b", 0.8),
        Pattern("blood_from_head", r"\b(?:blood|bleeding) (?:coming )?(?:from|out of) (?:his|her|their|my) (?:head|ear|ears)\b|\bhit (?:his|her|their|my) head\b.{0,60}\b(?:was out|passed out|knocked out|unconscious|drowsy|confused|vomit\w*|throwing up|keeps asking|bleeding|bump)\b", 0.85),
        Pattern("thinner_fall", r"\b(?:on|takes?) (?:warfarin|eliquis|xarelto|coumadin|blood thinners?)\b.{0,60}\b(?:fell(?! (?:behind|in love|asleep|for))|bleeding|hit (?:his|her) head|pooling)\b|\b(?:fell(?! (?:behind|in love|asleep|for))|bleeding)\b.{0,60}\b(?:on|takes?) (?:warfarin|eliquis|xarelto|coumadin|blood thinners?)\b", 0.8),
        Pattern("ingested_poison", r"\b(?:swallowed|ate|drank|bit into|chewed)\b (?:a |an |some |the |one of (?:the|her|his|grandmas?|my) )?(?:\w+ )?(?:button battery|batteries|battery|pods?|detergent|bleach|antifreeze|lye|drain cleaner|rat poison|pills? (?:we|i) (?:dont|do not) know)\b", 0.8),
        Pattern("soaking_pad", r"\bsoak(?:ing|ed|s)? (?:a|through a|one|through) pads?\b", 0.8),
        Pattern("dka_signs", r"\b(?:breath smells fruity|fruity breath|breath smells like fruit)\b", 0.6),
        Pattern("meter_lo", r"\bmeter (?:says|reads|shows) lo\b", 0.75),
        Pattern("sweaty_jaw", r"\b(?:pale|sweaty|sweating|clammy|cold sweat)\b.{0,60}\b(?:jaw|chest|left arm)\b|\b(?:jaw|chest|left arm)\b.{0,60}\b(?:pale|sweaty|sweating|clammy|cold sweat)\b", 0.75),
        Pattern("choking_cant", r"\bchok(?:ing|es)\b.{0,30}\b(?:cant|cannot|can not) (?:cough|breathe|talk|speak)\b", 0.9),
        Pattern("infant_danger", r"\b(?:floppy|limp)\b(?! (?:sun )?hats?| ears| toy)(?! \w+ hats?).{0,30}\b(?:baby|infant|wont feed|not feeding|week old|month old)\b|\b(?:week|month) old\b.{0,40}\b(?:fever|floppy|limp|wont feed|not feeding|turning blue)\b|\bsoft spot\b.{0,20}\bsunken\b|\bno wet diapers?\b", 0.75),
        Pattern("rash_no_fade", r"\bspots?\b.{0,40}\b(?:dont|do not|doesnt|wont) fade\b", 0.8),
        Pattern("black_stool", r"\b(?:black|tarry) (?:tarry )?(?:poop|stool|stools)\b", 0.5),
        Pattern("epipen", r"\bepi ?pen\b", 0.5),
        # a child who swallowed something dangerous, not "my toddler ate all his broccoli"
        Pattern("child_ingestion", r"\b(?:toddler|baby|\d+ ?(?:yo|year old|yr old)|kid|little one)\b.{0,40}\b(?:got into|ate|swallowed|drank|chewed|took)\b.{0,30}\b(?:pills?|tablets?|medicines?|meds|medication|vitamins|gummies|gummy|batter(?:y|ies)|magnets?|coins?|detergent|pods?|bleach|cleaners?|chemicals?|cigarettes?|nicotine|vapes?|edibles?|alcohol|wine|beer|vodka|liquor|mushrooms?|berries|poison|xanax|oxy\w*|adderall|ambien|iron|tylenol|ibuprofen|something|anything|a bottle|the bottle|lamp oil|perfume|mouthwash|hand sanitizer|rat poison|weed|marijuana|melatonin)\b|\b(?:toddler|baby|\d+ ?(?:yo|year old|yr old)|kid|little one)\b.{0,40}\bgot into\b", 0.7),
        # CDC "Hear Her" urgent maternal warning signs, during or after pregnancy.
        Pattern("pregnancy_warning", r"\b(?:pregnant|\d+ ?(?:wks|weeks) along|(?:post ?partum|gave birth|had (?:the|her|my) baby)\b.{0,30}\b(?:days?|weeks?) ago)\b.{0,80}\b(?:bleeding (?:heavy|heavily|a lot)|heavy bleeding|(?:bad|severe|sharp|really bad|horrible) (?:belly|stomach|abdominal|tummy) pain|baby (?:has )?(?:stopped|isnt|is not|hasnt been|not) moving|(?:worst|severe|terrible) headache|blurry vision|seeing spots|fever of 10[0-4]|(?:face|hands) (?:are |is )?(?:really |very )?swollen|leaking fluid)\b|\b(?:bleeding (?:heavy|heavily|a lot)|heavy bleeding|(?:bad|severe|sharp) (?:belly|stomach|abdominal) pain|baby (?:has )?(?:stopped|isnt|not) moving)\b.{0,60}\b(?:pregnant|\d+ ?(?:wks|weeks)(?: along| pregnant)?)\b", 0.8),
        # Heart attack: chest pain that spreads to the arm, jaw, neck or shoulder, or the classic
        # "someone standing on my chest"; pain or pressure "in" the chest said the other way round.
        Pattern("chest_spreading", r"\b(?:chest|heart area)\b.{0,60}\b(?:left arm|arm pain|arms?|jaw|neck)\b.{0,30}\b(?:pain|hurts?|aching|ache|numb|heavy)\b|\b(?:chest pain|pain in (?:my |his |her |the )?chest|chest pressure)\b.{0,40}\b(?:arm|jaw|neck|shoulder|dizzy|sweat\w*|short of breath|cant breathe|left hand|weak(?:ness)? on (?:the|my|his|her) left)\b|\b(?:elephant|someone|somebody|something heavy) (?:is )?(?:standing|sitting) on (?:my|his|her) chest\b", 0.8),
        Pattern("chest_pain_in", r"\b(?:pain|pressure|squeezing) (?:like pain )?in (?:my|his|her|the) chest\b|\b(?:awful|terrible|crushing|severe|bad) (?:pain|pressure) in (?:my |his |her )?chest\b", 0.5),
        # Stroke (BE FAST): one side of the face or body not moving, sudden loss of sight or balance.
        Pattern("half_face", r"\b(?:half|one side) (?:of )?(?:his|her|my|their|the) (?:face|smile|mouth)\b.{0,20}\b(?:doesnt|wont|isnt|cant|is not|does not|stopped|not) (?:move|moving|work|working|go up)\b", 0.85),
        Pattern("arm_heaviness", rf"\bheaviness (?:in|to|of) {_POSS} (?:left |right )?(?:arm|leg)\b\b|\b{_POSS} (?:left |right )?(?:arm|leg) (?:suddenly )?(?:feels|went|is) (?:heavy|dead|limp)\b(?! (?:from|after|when|since))", 0.7),
        Pattern("sudden_deficit", r"\b(?:woke up with|suddenly (?:has|have|had|got)?|all of a sudden|sudden) (?:\w+ ){0,2}(?:double vision|blurr?(?:ed|y) vision|lost (?:his |her |my )?(?:vision|sight)|numbness|weakness(?! for)|slurred|confusion|cant see)\b", 0.75),
        Pattern("losing_consciousness", r"\b(?:loses|losing|keeps losing|lost|keeps passing out|keeps fainting) conscious\w*\b|\b(?:going to|gonna|about to) (?:pass out|faint|black out)\b(?! from (?:the |a )?(?:blood (?:test|draw|work)|needles?|hunger|boredom|laughing|excitement))(?:.{0,40}\b(?:blood(?! (?:test|draw|work))|bleeding|chest|breathe)\b)|\b(?:blood|bleeding|lost)\b.{0,60}\b(?:going to|gonna|about to) (?:pass out|faint)\b", 0.8),
        Pattern("slurry_words", r"\b(?:words|speech|talking) (?:are |is )?(?:slurry|slurring|all slurred)\b", 0.6),
        # Blood: a mouth filling with blood, litres lost, a wound that bubbles or a stab or gunshot.
        Pattern("blood_loss", r"\bmouth (?:just )?(?:filled|fills|is full|full) (?:with|of) blood\b|\blost (?:nearly |about |almost |over )?(?:a lot of|so much|\w+ (?:liters?|litres?|pints?) of) blood\b", 0.85),
        Pattern("chest_wound", r"\b(?:holes?|wound) in (?:my|his|her) chest\b(?! of drawers)|\bbubbles when (?:i|he|she) breathe", 0.85),
        # "my back is shot" and game talk ("i was stabbed by an sk") are not wounds: first person only,
        # and weak alone ("i just got stabbed, help" is raised by its context words).
        Pattern("wounded_now", r"\bi (?:just )?(?:got|was|have been|ve been|been) (?:stabbed|shot)\b(?! (?:at|down|for|by an?))", 0.5),
        # Poisoning: cleaning products, pesticides, fumes, swallowed or breathed in.
        Pattern("poison_exposure", r"\b(?:drank|swallowed|ingested|breathed in|inhaled|drinking|swallowing)\b (?:\w+ ){0,4}(?:raid|bleach|disinfectant|phenyl|pesticide|insecticide|weed killer|ammonia|carbon monoxide|gasoline|kerosene|paint thinner|antifreeze|lighter fluid|rubbing alcohol|hand sanitizer|mouthwash)\b", 0.75),
        # Blood sugar far out of range ("his sugar is 520", "glucose of 35"): read in mg/dL.
        Pattern("sugar_extreme", r"\b(?:blood sugar|glucose|sugar level|sugar|bs|bg)\b (?:\w+ ){0,3}(?:(?:is|was|of|at|reads|reading|says|read) (?:over |above )?(?:[5-9]\d\d|4[5-9]\d)|(?:is|of|at|reads|says) (?:only )?[23]\d)\b(?! ?(?:-|to |and )?\d*\s?(?:g\b|grams|carbs|calories|%|percent|years|hours|hrs|minutes|days|weeks|wks|months|units|mmol|pesos|dollars|cents))", 0.7),
        # A head injury with a change: acting strange, numbness, confusion.
        Pattern("head_injury_change", r"\b(?:cracked|split|hit|hitting|banged|bumped|struck) (?:{poss} |the |open )?(?:head|skull)\b.{0,60}\b(?:acting (?:strange|weird|odd|funny|different)|not (?:making sense|himself|herself)|numb\w*|tingling|cant feel|confused|vomit\w*|throwing up|seizure|sleepy|drowsy)\b|\bhead (?:hit|struck|slammed)\b.{0,60}\b(?:acting (?:strange|weird|odd|funny)|confused|numb\w*|vomit\w*|drowsy|not making sense)\b|\b(?:fell|fallen|fall|slipped|tripped)\b.{0,40}\bcracked (?:{poss} |the )?(?:head|skull)\b".replace("{poss}", _POSS), 0.85),
        # Signs a triage nurse sends to the emergency room whatever the words around them: a limb that
        # will not move, breathlessness that came on suddenly, a lot of blood, and the stroke triad of
        # headache, sight and numbness together.
        Pattern("paralysis", rf"\b(?:arm|leg|hand|foot|side|face)s? (?:is |are |now |went |has gone |have gone )?(?:paralyzed|paralysed)\b|\b(?:cant|can not|cannot) move (?:{_POSS} |the )?(?:(?:right|left) )?(?:arm|leg|hand|foot|fingers|side)\b|\bnumb\b.{{0,20}}\b(?:i|he|she) (?:cant|can not|cannot) move\b", 0.7),
        Pattern("sudden_breathless", r"\bsudden(?: onset(?: of)?)? (?:breathlessness|shortness of breath|trouble breathing|difficulty breathing)\b|\bsuddenly (?:cant|can not|cannot|couldnt|short of|out of|struggling to) breath", 0.75),
        Pattern("much_blood", r"\b(?:a lot of|lots of|so much|pool of|puddle of|cups? of|toilet full of|bowl full of) blood\b(?! (?:pressure|sugar|tests?|work|glucose|counts?|draws?|levels?|type|thinners?|results?|readings?))", 0.6),
        Pattern("stroke_triad", r"\b(?:headache|vision|sight)\b.{0,80}\b(?:numb(?:ness|ed)?|weakness (?:on|in) (?:the|one|his|her|my)|slurred|cant move)\b|\b(?:numb(?:ness|ed)?|weakness (?:on|in) (?:the|one|his|her|my))\b.{0,80}\b(?:blurr?(?:ed|y) vision|double vision|lost (?:his |her |my )?vision|worst headache)\b", 0.7),
        Pattern("purple_lips", r"\blips (?:are |is )?(?:turning |turned |going |gone |look |looks )?(?:purple|blue|dusky)\b" + _NOT_FROM_A_SWEET, 0.85),
        Pattern("no_urine_confused", r"\b(?:hasnt|has not|hasn't|didnt|no) (?:peed|urinated|pee)\b.{0,60}\b(?:confused|sleepy|drowsy|doesnt know)\b", 0.7),
    ],
    context=["right now", "just now", "suddenly", "all of a sudden", "911", "ambulance", "help", "sweating", "jaw", "left arm", "numb", "blood thinners?", "minutes ago", "getting worse", "worse again", "fainted", "nearly fainted", "passed out", "cant breathe"],
    negative_context=[
        "signs of", "symptoms of", "what are", "how do i know", "what do you do if", "what should i do if", "want to learn", "first aid", "last year", "years ago", "months ago", "weeks ago",
        "prevent", "nose", "stuffy", "cold", "history of", "risk of", "after coughing", "had a stroke", "since (?:his|her|the|my) stroke",
        "after (?:his|her|the|my) (?:stroke|surgery|operation)", "mastectomy", "(?:incision|wound|scar) from (?:the |his |her )?surgery", "drains", "nearly had", "almost had",
        "in the spring", "last (?:month|spring|summer|winter|fall)", "in (?:19|20)\\d\\d", "physical therapy", "rehab",
        "dentist", "numbing", "novocaine", "botox", "so sore", "sore (?:from|after)", "workout", "gym", "push ?ups?", "weights", "moving furniture", "donat\\w*", "blood drive",
        "voicemail", "phone line", "recording", "laptop", "computer", "portal", "tent", "food coma", "lol", "haha",
    ],
)

MEDICAL_EMERGENCY_ES = CrisisDetector(
    name="medical_emergency_es",
    crisis_type="medical_emergency",
    language="es",
    patterns=[
        Pattern("no_respira", r"\b(?:no (?:puede|puedo|podia) respirar|no respira|dejo de respirar|se esta ahogando|le falta el aire y|se ahoga)\b", 0.85),
        Pattern("cara_torcida", r"\b(?:cara|boca) (?:se le )?(?:torcida|caida|chueca|de lado)\b|\bse le (?:cayo|torcio) (?:la cara|la boca)\b", 0.85),
        Pattern("habla_rara", r"\b(?:no puede hablar bien|habla (?:arrastrando|enredado|trabado|raro)|arrastra las palabras)\b", 0.6),
        Pattern("evento", r"\b(?:le (?:esta )?(?:dando|dio)|esta teniendo|creo que (?:tiene|le da|es)) (?:un )?(?:infarto|derrame|ataque al corazon|ictus|convulsion|ataque(?! de (?:risa|tos|nervios|celos|hambre|sueno|panico|ansiedad|hipo)))\b", 0.85),
        Pattern("pecho", r"\b(?:dolor|presion|opresion|apreton) (?:en el|de|del) pecho\b", 0.5),
        Pattern("inconsciente", r"\b(?:inconsciente|no reacciona|no despierta(?! (?:antes|temprano|hasta))|no responde(?! (?:los|el|a los|a mis|a sus|mis|sus|al|la) ?(?:mensajes?|telefono|celular|correos?|llamadas?|whatsapp|textos?)?\b)|se desmayo|perdio el conocimiento|se desvanecio)\b", 0.8),
        Pattern("caida_cabeza", r"\bse cayo\b.{0,60}\b(?:se (?:golpeo|pego|dio) (?:en )?la cabeza|le sangra la cabeza|no se puede levantar)\b", 0.85),
        Pattern("convulsion", r"\b(?:convulsionando|esta convulsionando|convulsion que no para|no para de convulsionar)\b", 0.9),
        Pattern("sangrado", r"\b(?:sangra mucho|sangra sin parar|no para de sangrar|mucha sangre|vomitando sangre|tose sangre)\b", 0.85),
        Pattern("atragantado", r"\b(?:atragantad[oa]|atragantando|se le atoro|se atraganto)\b", 0.85),
        Pattern("labios_morados", r"\b(?:labios|cara) (?:morados?|azul(?:es)?)\b", 0.85),
        Pattern("hinchazon", r"\bse le hinch(?:o|a|aron) (?:la cara|la garganta|la lengua|los labios)\b|\b(?:le|me) cuesta (?:mucho )?respirar\b", 0.75),
        Pattern("sangre_oido", r"\ble sale sangre (?:del oido|de la cabeza|de la boca)\b|\bse trago una pila\b|\bse (?:tomo|bebio) (?:el |la )?(?:cloro|lejia|detergente|veneno)\b", 0.85),
        Pattern("no_puede_levantarse", r"\bse cayo\b.{0,60}\bno (?:puede|se puede) levantar(?:se)?\b", 0.7),
        Pattern("aliento_fruta", r"\baliento a fruta\b", 0.6),
        Pattern("garganta_cierra", r"\bse (?:le|me) (?:cierra|esta cerrando) la garganta\b|\bse esta desmayando\b|\b(?:tosiendo|escupiendo|vomitando) sangre\b", 0.85),
        Pattern("embarazo_alarma", r"\b(?:embarazada|semanas de embarazo|dio a luz|acaba de dar a luz|tuvo (?:al|a la|su) (?:bebe|nena|nene))\b.{0,80}\b(?:sangra(?:ndo)? mucho|sangrado (?:abundante|fuerte)|dolor (?:muy )?fuerte (?:de|en la|en el) (?:barriga|panza|vientre|estomago)|(?:el|la) bebe (?:no se mueve|dejo de moverse|ya no se mueve)|dolor de cabeza (?:muy )?fuerte|vision borrosa|ve manchas|fiebre de (?:38|39|40))\b", 0.8),
        Pattern("pecho_brazo", r"\b(?:duele|dolor|presion|opresion)\b.{0,20}\bpecho\b.{0,60}\b(?:brazo|mandibula|cuello|sudor|sudando|mareo)\b|\bcomo si (?:alguien|algo) (?:estuviera|estuviese) (?:sentado|parado) (?:en|sobre) (?:mi|su) pecho\b", 0.8),
        Pattern("paralisis", r"\b(?:brazo|pierna|mano|pie|lado|cara) (?:se le |se me )?(?:paralizo|paralizad[oa])\b|\bno (?:puede|puedo) mover (?:el|la|su|mi) (?:brazo|pierna|mano|pie|lado)\b", 0.7),
        Pattern("falta_aire_repente", r"\b(?:de repente|de golpe|derrepente)\b.{0,30}\b(?:no (?:puede|puedo) respirar|le falta el aire|me falta el aire|se ahoga)\b", 0.8),
        Pattern("azucar_extrema", r"\b(?:azucar|glucosa|glucemia)\b (?:\w+ ){0,3}(?:(?:en|de|esta en|marca|salio en|tiene) (?:mas de )?(?:[5-9]\d\d|4[5-9]\d)|(?:en|de|esta en|marca) [23]\d)\b(?! ?(?:-|a |y )?\d*\s?(?:g\b|gramos|%|anos|horas|minutos|dias|semanas|meses|unidades|mmol|pesos|dolares|centavos))", 0.7),
        Pattern("panza_dura", r"\b(?:panza|barriga|abdomen|estomago)\b.{0,30}\bdur[ao] como (?:una )?piedra\b", 0.6),
    ],
    context=["ahora", "ahorita", "de repente", "911", "ambulancia", "urgente", "ayuda", "brazo", "sudando", "mandibula"],
    negative_context=["sintomas de", "senales de", "como saber", "prevenir", r"hace (?:\w+ )?anos", "el ano pasado", "nariz",
                      "risa", "planta", "verguenza", "telefono", "consultorio", "celular", "pagina", "sistema", "vacuna", "gimnasio", "pesas", "analisis"],
)
