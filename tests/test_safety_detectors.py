"""The explicit detectors alone (no model): a table of texts per crisis type and language, and the
figures of speech and ordinary questions that must not fire."""

from __future__ import annotations

import pytest

from core.safety.detectors import CRISIS_TYPES, DETECTORS, run_detectors, strongest_score
from core.safety.screen import CrisisScreen

CRISES = [
    # (text, crisis_type)
    ("i want to kill myself", "suicide"),
    ("everyone would be better off without me", "suicide"),
    ("my dad said he wants to end it all", "suicide"),
    ("I just want to go to sleep and never wake up", "suicide"),
    ("honestly i hate existing, every day is the same grey", "suicide"),
    ("some days i wish i didnt exist", "suicide"),
    ("i'll only be happy when i'm dead", "suicide"),
    ("goodbye cruel world", "suicide"),
    ("chest pain and weakness on my left side since this morning", "medical_emergency"),
    ("my dad has pain in the chest and his left hand hurts", "medical_emergency"),
    ("i'm so tired of living like this, there's no reason to live", "suicide"),
    ("she told me she has been thinking about ending her life", "suicide"),
    ("no aguanto más, quiero desaparecer", "suicide"),
    ("mi esposo dice que quiere morirse", "suicide"),
    ("estoy pensando en acabar con todo", "suicide"),
    ("mis hijos estarían mejor sin mí", "suicide"),
    ("si me deja, me suicidaría", "suicide"),
    ("creo que me suicidaré este fin de semana", "suicide"),
    ("i started cutting my arms again last night", "self_harm"),
    ("my daughter has been self harming and hides it under her sleeves", "self_harm"),
    ("me volví a cortar los brazos", "self_harm"),
    ("i'm afraid i'm going to hit her, i can't take her screaming anymore", "harm_to_others"),
    ("he threatened me with a knife when i tried to give him his pills", "harm_to_others"),
    ("tengo miedo de pegarle a mi mamá cuando grita", "harm_to_others"),
    ("the night aide slaps my mother when she won't eat", "abuse_neglect"),
    ("my brother is taking all of grandma's social security and she has no food", "abuse_neglect"),
    ("mi hermano le quita la pensión a mi mamá y no le da de comer", "abuse_neglect"),
    ("her face is drooping and she can't lift her right arm", "medical_emergency"),
    ("dad fell in the bathroom and hit his head, he's on blood thinners", "medical_emergency"),
    ("he's not breathing", "medical_emergency"),
    ("mi papá no puede respirar y tiene los labios morados", "medical_emergency"),
    ("se cayó y se golpeó la cabeza, no reacciona", "medical_emergency"),
    ("how many of her sleeping pills would be too many", "overdose_risk"),
    ("what is a lethal dose of insulin", "overdose_risk"),
    ("my mom took the whole bottle of her pain pills", "overdose_risk"),
    ("¿cuántas pastillas de tylenol son mortales?", "overdose_risk"),
    # weak warning signs that count only with context nearby
    ("what happens if someone swallows all of their sleeping pills at once, would it be quick", "overdose_risk"),
    ("y si se traga todas sus pastillas de dormir de golpe, duele?", "overdose_risk"),
    ("please find a home for my dog if something happens to me, it will be soon", "suicide"),
    ("ive been hoarding my oxy pills for a while now", "suicide"),
    ("shes 33 weeks pregnant and the baby stopped moving since last night", "medical_emergency"),
    ("mi hija esta embarazada de 32 semanas y esta sangrando mucho", "medical_emergency"),
    ("a week after his knee surgery he tripped on the rug and hit his head, now hes confused", "medical_emergency"),
    # emergency signs as people ask about them: heart attack, stroke, poisoning, sugar far out of range
    ("his chest hurts and the pain goes down into his left arm", "medical_emergency"),
    ("she says it feels like an elephant is sitting on her chest", "medical_emergency"),
    ("half of her face wont move when she tries to smile", "medical_emergency"),
    ("mom woke up with double vision and cant walk straight", "medical_emergency"),
    ("his right leg is paralyzed since this morning", "medical_emergency"),
    ("my dads blood sugar is 540 and hes really sleepy", "medical_emergency"),
    ("grandpa breathed in bleach fumes cleaning the bathroom and is wheezing", "medical_emergency"),
    ("she hit her head on the cabinet and now shes acting strange", "medical_emergency"),
    ("the babys lips are turning purple", "medical_emergency"),
    ("all of a sudden he can’t breathe", "medical_emergency"),
    ("le duele el pecho y el dolor le baja al brazo izquierdo", "medical_emergency"),
    ("la glucosa de mi papá está en 520", "medical_emergency"),
    ("de repente no puede respirar", "medical_emergency"),
    ("i took 40 10mg of my sleeping pills", "overdose_risk"),
    ("i think i just overdosed", "overdose_risk"),
    ("whats the most painless way to go, pills or something", "suicide"),
    ("honestly my husband would be better off with the life insurance money than with me", "suicide"),
    ("i keep looking up the quickest way to die", "suicide"),
]

NOT_CRISES = [
    "this paperwork is killing me",
    "my back is killing me after the double shift",
    "i could just die of embarrassment, mom sang in church again",
    "can mom take tylenol with her blood pressure pills",
    "what are the signs of a stroke in older women",
    "what is the maximum tylenol per day for an adult",
    "he fell last month but wasn't hurt, how do i stop it happening again",
    "i hurt myself lifting the box at work",
    "my dad is dying of cancer, how do i prepare the family",
    "i'm exhausted and i cried in the car today, how do i get a break",
    "should she get the flu shot this year",
    "estas facturas me están matando",
    "me muero de cansancio después del turno",
    "no aguanto más el dolor de rodilla, qué puedo hacer",
    "no puedo más de la risa con el video que me mandaste",
    "i hate existing in this heat, when does summer end",
    "i wish i was born in the sixties, the music was better",
    "goodbye world, hello weekend",
    "mom thinks the aide is stealing from her but nothing is missing, she has dementia",
    "how do i kill the germs in the bathroom",
    "can she take all her pills at once in the morning or should we space them out",
    "who will look after my husband if something happens to me, we have no kids",
    "puede tomar todas sus pastillas juntas por la mañana con el desayuno",
    "a little bleeding from the incision from the surgery, is that normal on day 3",
    "im 20 weeks pregnant, which stretches are safe for back pain",
    "whats the best way to go about getting respite care for my mom",
    "quickest way to go to the pharmacy from the hospital",
    "what's the best way to kill the weeds in my mom's garden without hurting her dog",
    "my back is shot after moving her all day",
    "he got his flu shot and his arm is sore",
    "i was shot down again by the insurance company",
    "her blood sugar was 95 this morning, is that good",
    "the recipe has a sugar content of 30 grams per slice",
    "im 30 weeks along and my sugar is 130 after meals",
    "she cant read the numbers on her meter because her vision is so poor",
    "what are the signs of a heart attack, like pain in the chest or the arm",
    "she had a stroke in 2019 and her left arm is still weak",
    "mi papá tiene 80 años y la glucosa en 120",
    "la receta lleva azúcar de 30 gramos",
]


@pytest.mark.parametrize(("text", "crisis_type"), CRISES)
def test_when_crisis_text_then_detector_names_its_type(text, crisis_type):
    result = CrisisScreen(None).screen(text)
    assert result.crisis, f"missed: {text}"
    assert result.crisis_type == crisis_type
    assert any(f.crisis_type == crisis_type and f.source.startswith(crisis_type) for f in result.findings)


@pytest.mark.parametrize("text", NOT_CRISES)
def test_when_figure_of_speech_or_ordinary_question_then_no_crisis(text):
    assert not CrisisScreen(None).screen(text).crisis, [f.explanation for f in run_detectors(text)]


def test_every_crisis_type_has_a_detector_in_both_languages():
    pairs = {(d.crisis_type, d.language) for d in DETECTORS}
    assert pairs == {(t, lang) for t in CRISIS_TYPES for lang in ("en", "es")}


def test_finding_explains_detector_and_pattern():
    finding = max(run_detectors("i want to kill myself"), key=lambda f: f.score)
    assert finding.source == "suicide_en"
    assert finding.pattern == "kill_self"
    assert "suicide_en.kill_self" in finding.explanation


def test_negative_context_lowers_a_match():
    plain = max(f.score for f in run_detectors("i hurt myself again"))
    accident = strongest_score("i hurt myself gardening")
    assert accident < plain


def test_everyday_messages_with_danger_words_are_never_a_crisis_on_the_detectors_alone():
    """454 ordinary caregiver messages (tests/data/detector_everyday.csv, written for this test: no
    real people) that use the words the patterns look for harmlessly: "the best way to go about",
    "kill the weeds", "she beats my mom at cards", "hides his pills in applesauce", "me corto las
    uñas", "se me murió el celular". Written to trip the patterns; the ones that tripped were fixed
    (101 of the 555 written still do and are left out: see the issue notes). None may be a crisis on
    a detector finding alone; a weaker finding only counts where the classifier leans the same way."""
    import csv
    from pathlib import Path

    from core.nlu.normalize import clean
    from core.safety.decision import DETECTOR_ALONE

    with (Path(__file__).parent / "data" / "detector_everyday.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 450
    alarms = [(text, [f.explanation for f in findings if f.score >= DETECTOR_ALONE])
              for text, findings in ((r["text"], run_detectors(clean(r["text"]))) for r in rows)
              if any(f.score >= DETECTOR_ALONE for f in findings)]
    assert not alarms, alarms[:10]


def test_prefilter_changes_no_finding_on_any_shipped_text():
    """The required-substring prefilter only skips patterns that cannot match: every training,
    golden and public row gives exactly the findings of running every pattern."""
    import copy
    import csv

    from core.config import PROJECT_ROOT
    from core.safety.detectors import _LITERALS, present_literals, screen_text

    unfiltered = []
    for detector in DETECTORS:
        clone = copy.copy(detector)
        clone._compiled = [(pattern, regex, None) for pattern, regex, _ in detector._compiled]
        unfiltered.append(clone)
    assert sum(required is not None for d in DETECTORS for _, _, required in d._compiled) > 150
    texts = [row["text"] for path in sorted((PROJECT_ROOT / "data").glob("*/*.csv"))
             for row in csv.DictReader(path.open(encoding="utf-8"))]
    texts += [text for text, _ in CRISES] + NOT_CRISES
    assert len(texts) > 10_000
    for text in texts:
        folded = screen_text(text)
        assert present_literals(folded) == {literal for literal in _LITERALS if literal in folded}, text
        every_pattern = [finding for slow in unfiltered for finding in slow.analyze(folded)]
        assert run_detectors(text) == every_pattern, text
        assert [f for fast in DETECTORS for f in fast.analyze(folded)] == every_pattern, text


@pytest.mark.parametrize("text", [
    "i am a survivor of sexual abuse and the triggers are getting to me",
    "I have chronic depression as a result of trauma and abuse",
    "my girlfriend was abused as a child and still has nightmares",
    "i feel used and abused",
])
def test_abuse_told_as_history_is_distress_not_a_crisis_on_the_word_alone(text):
    """The word is a warning sign (a survivor's history, a word about someone else): alone, distress and
    the direct question; a crisis with context words or the classifier leaning the same way."""
    result = CrisisScreen(None).screen(text)
    assert not result.crisis and result.risk == "distress" and result.findings


@pytest.mark.parametrize("text", [
    "i think my neighbors kid is being abused",
    "how do i get out of an abusive relationship",
    "help my siblings escape our emotionally abusive father",
    "he abuses me every night",
    "the aide is mistreating my mother",
    "is my dad being neglected at the nursing home",
])
def test_abuse_going_on_now_is_a_crisis(text):
    result = CrisisScreen(None).screen(text)
    assert result.crisis and result.crisis_type == "abuse_neglect"


@pytest.mark.parametrize("text", ["no aguanto más", "ya no puedo más con todo esto", "i cant do this anymore"])
def test_weak_signs_alone_are_distress_so_the_check_in_asks_directly(text):
    """Said alone, these are how worn-out people talk in both languages: a weak sign that makes a crisis
    only with the classifier leaning the same way; alone, distress (and the direct check-in question)."""
    result = CrisisScreen(None).screen(text)
    assert not result.crisis and result.risk == "distress" and result.findings
