"""Lethal-dose questions and overdoses already taken.

"Can mom take tylenol with her blood pressure pills" is an ordinary dose question; "how many of her
sleeping pills would be too many" asks where the lethal line is, and gets crisis resources."""

from core.safety.detectors.base import CrisisDetector, Pattern

_MEDS = r"(?:pills?|tablets?|meds|medicine|medication|insulin|sleeping pills|tylenol|oxy\w*|morphine|xanax|ambien|opioids?|painkillers|dose|capsules)"

OVERDOSE_RISK_EN = CrisisDetector(
    name="overdose_risk_en",
    crisis_type="overdose_risk",
    language="en",
    patterns=[
        Pattern("lethal_dose", r"\b(?:lethal|fatal|deadly|toxic enough to kill|kill(?:ing)? dose)\b.{0,20}\b(?:dose|amount|overdose)\b|\b(?:lethal|fatal) dose\b", 0.9),
        Pattern("how_many_kill", r"\bhow (?:many|much)\b.{0,60}\b(?:would|will|does it take to|to|it takes to) (?:kill|be (?:fatal|lethal|deadly)|die|od|overdose|never wake up|stop (?:his|her|my) heart)\b", 0.9),
        Pattern("would_be_too_many", rf"\bhow (?:many|much)\b.{{0,50}}\b{_MEDS}\b.{{0,30}}\b(?:would be|is it) too (?:many|much)\b|\bhow (?:many|much)\b.{{0,40}}\b(?:would be|would count as) too (?:many|much)\b.{{0,30}}\b{_MEDS}\b", 0.75),
        Pattern("took_too_many", rf"\b(?:took|swallowed|has taken|have taken|ate|downed|taken)\b.{{0,25}}\b(?:whole bottle|entire bottle|bottle of|all (?:of )?(?:my|his|her|the)|handful of|too many|way too many|a bunch of)\b.{{0,25}}\b{_MEDS}\b|\b(?:took|swallowed|downed) (?:the |a |her |his |my )?(?:whole|entire) (?:bottle|box|pack)\b", 0.85),
        Pattern("overdose_on", r"\b(?:overdose|overdosed|overdosing|od) on\b|\b(?:took|taken) an overdose\b", 0.85),
        Pattern("what_dose_fatal", r"\b(?:what|which) (?:dose|amount)\b.{0,40}\b(?:is|would be) (?:fatal|lethal|deadly|an overdose)\b|\bis an overdose for\b", 0.9),
        Pattern("until_no_wake", r"\bhow many\b.{0,40}\b(?:until|till|before) (?:you|i|she|he|someone) (?:dont|doesnt|never|wont) wake up\b|\benough to not wake up\b", 0.9),
        Pattern("can_die_from", r"\bcan (?:you|someone|a person|i) die (?:from|of) (?:taking|swallowing|too many|all)\b|\b(?:would|will|could) \d+ (?:pills|tablets|capsules|of (?:them|these|those|her|his|my) \w+) (?:kill|be fatal|be enough)\b|\b(?:would|will|could) \d+ \w+ (?:kill|be fatal)\b", 0.85),
        Pattern("took_count", rf"\b(?:took|swallowed|ive taken|i have taken)\b (?:like |about |around |maybe )?(?:\d{{2,3}}|twenty|thirty|forty|fifty)(?! ?(?:mg|mcg|milligrams?|micrograms?|units?|ml)\b) (?:of (?:my|his|her|the) |of )?(?:\w+ )?{_MEDS}", 0.8),
        # A count of pills and their strength: "took 30 10mg", "swallowed 65 5 mg of ...".
        Pattern("took_count_strength", r"\b(?:took|swallowed|ive taken|i have taken|has taken|he took|she took)\b (?:like |about |around |maybe |over )?(?:\d{2,3}|twenty|thirty|forty|fifty) (?:x |of (?:the |my |his |her )?)?\d+(?:\.\d+)? ?(?:mg|mgs|milligrams?)\b", 0.8),
        Pattern("i_overdosed", r"\b(?:i|he|she|they) (?:just |think (?:i|he|she|they) |may have |might have |accidentally )?(?:overdosed|odd|oded)\b(?! on)", 0.85),
        Pattern("double_on_purpose", r"\b(?:double|triple|extra) (?:my |his |her )?(?:insulin|dose|pills|meds)\b.{0,20}\bon purpose\b", 0.9),
        Pattern("is_that_enough", r"\b(?:pills|sleeping ones|tablets|patches)\b.{0,40}\bis (?:that|it|this) enough\b|\bhow many of my pills it would take\b|\bswallow everything in (?:her|his|my) pill\b", 0.75),
        Pattern("wreck_liver", r"\bhow much \w+ does it take to (?:wreck|destroy|damage|shut down)\b", 0.8),
        # "what happens if someone takes all her pills at once, is it quick": asked about taking
        # everything together. Weak alone ("can she take all her pills at once in the morning" is an
        # ordinary question); "quick", "painless", "would she die" raise it.
        Pattern("all_at_once", rf"\b(?:take|takes|took|swallow|swallows|swallowed)\b.{{0,15}}\ball (?:of )?(?:her|his|my|the|their|your) (?:\w+ )?{_MEDS}.{{0,20}}\b(?:at once|together|at the same time)\b", 0.35),
        Pattern("pills_lined_up", r"\b(?:every|all the) pills? in the house\b|\bpills? lined up\b|\b(?:take|taking|swallow) (?:a |the )?(?:whole|entire) bottle\b", 0.75),
    ],
    context=["sleeping", "kill", "die", "end", "too many", "whole bottle", "on purpose", "insulin", "quick", "quickly", "painless", "fast", "wake up"],
    negative_context=["last year", "years ago", "recovered", "per day", "a day", "daily", "maximum daily", "max daily", "safe dose", "recommended dose", "store", "storage", "childproof", "locked", "lock up", "how should we", "lol", "haha", "jk", "cookies", "candy", "chocolate", "netflix", "tv", "coffee", "sugar cookies", "in the morning", "with breakfast", "like a champ", "on (?:her|his|my) own", "on time", r"remember\w*", "as prescribed", "without (?:a fuss|complaining)", "weeds", "germs", "bacteria", "ants", "bugs", "mold", "lice", "fleas", "roaches", "mice", "time to kill",
                      "trip", "refill", "left for", r"travel\w*", "packed", "take ?back", "disposal", "blister", "sunshine", "sweets", "cake", "with food", "pill organizer", "space them"],
)

OVERDOSE_RISK_ES = CrisisDetector(
    name="overdose_risk_es",
    crisis_type="overdose_risk",
    language="es",
    patterns=[
        Pattern("dosis_letal", r"\bdosis (?:letal|mortal)\b|\bcantidad (?:letal|mortal)\b", 0.9),
        Pattern("cuantas_matan", r"\bcuant[oa]s?\b.{0,70}\b(?:para morir|son mortales|es mortal|serian demasiadas|seria demasiado|matan|mata a|para matar|para no despertar|para una sobredosis|para que .{0,30}no (?:se )?despiert\w*)\b", 0.85),
        Pattern("se_tomo_todas", r"\b(?:se tomo|me tome|me tomo|tomo|se trago|me trague)\b.{0,20}\b(?:(?:todas las|muchas) (?:pastillas|pildoras|tabletas|capsulas)|un punado de|todo el frasco|un frasco|toda la caja|la caja entera)\b", 0.8),
        Pattern("sobredosis", r"\b(?:sobredosis)\b(?! de (?:azucar|dulces|cafe|amor|risa|sol|television|series|trabajo))", 0.7),
        Pattern("tomo_cantidad", r"\b(?:me tome|se tomo|tomo|me trague|se trago)\b (?:como |unas? |unos |casi )?(?:\d{2,3}|veinte|treinta|cuarenta|cincuenta) (?:pastillas|pildoras|tabletas|capsulas|comprimidos|\w+(?:pam|lam|ona|ina|ol|ex|ax|ato))\b", 0.8),
        Pattern("todas_juntas", r"\b(?:toma|tomo|tomara|tomase|toman|traga|trago|tragara)\b.{0,15}\btodas (?:las|sus|mis|tus) (?:\w+ )?(?:pastillas|pildoras|tabletas|capsulas|medicinas)\b.{0,40}\b(?:juntas|de golpe|de una vez|a la vez)\b", 0.35),
        Pattern("dosis_es_mortal", r"\bque (?:dosis|cantidad) de \w+ (?:es|seria) (?:mortal|letal)\b|\bpara que el higado no aguante\b|\bel doble de insulina a proposito\b", 0.9),
    ],
    context=["dormir", "morir", "matar", "a proposito", "insulina", "es rapido", "rapido", "sin dolor", "duele", "despertar"],
    negative_context=["al dia", "por dia", "diaria", "dosis maxima", "dosis segura", "en la manana", "por la manana", "de la manana", "con el desayuno", "con comida", "pastillero", "germenes", "bacterias", "hormigas", "cucarachas", "moho", "plagas", "maleza", "piojos", "pulgas"],
)
