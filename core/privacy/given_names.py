"""A small lexicon of common given names in English and Spanish, for the redactor's name detector.

Written for this project from general knowledge of common first names (not copied from any list);
it is deliberately short: names outside it are still found through context cues ("my mom ...",
"Dr. ...", "me llamo ..."). Lookups are accent- and case-insensitive (see `name_key`)."""

from __future__ import annotations

import unicodedata

ENGLISH_GIVEN_NAMES = """
aaron abigail adam alan albert alice allison amanda amy andrew angela ann anna anne anthony arthur
ashley barbara benjamin betty beverly bobby brandon brenda brian bruce carl carol carolyn catherine
charles charlotte cheryl christina christine christopher cynthia daniel david deborah debra denise
dennis diane donald donna doris dorothy douglas edward elizabeth emily emma eric ethel eugene evelyn
frances gary george gerald gloria gregory harold harry heather helen henry howard irene jack
jacqueline james janet janice jason jean jeffrey jennifer jeremy jessica joan joe john johnny jonathan
joseph joshua joyce judith judy julia julie justin karen katherine kathleen kathryn keith kelly
kenneth kevin kim kimberly larry laura lauren lawrence linda lisa lois louis louise margaret marie
marilyn martha martin mary matthew melissa michael michelle mildred nancy nicholas nicole norma
olivia pamela patricia patrick paul peter philip phyllis rachel ralph raymond rebecca richard robert
roger ronald roy ruth ryan samuel sandra sara sarah scott sharon shirley stephanie stephen steven
susan teresa terry theresa thomas timothy tyler victoria walter wayne william willie
agnes alma bernice clara edith edna eleanor elsie esther florence gladys harriet hazel ida lillian
mabel marjorie mae nellie pauline vera viola wanda wilma bertha eddie ernest fred gordon herbert
leonard lloyd melvin norman oscar russell stanley vernon warren wesley nora ella lucy sophie grace
rose faith joy june hope april iris ivy holly ruby pearl dawn violet
"""

SPANISH_GIVEN_NAMES = """
adriana agustin alberto alejandra alejandro alicia alfonso alfredo alvaro amparo ana andres angel
angela angeles antonia antonio armando arturo beatriz benito blanca camila carlos carmen carolina
catalina cecilia clara claudia concepcion consuelo cristina daniela diego dolores eduardo elena
elvira emilio enrique esperanza esteban eugenia eva felipe fernanda fernando francisca francisco
gabriela gerardo gloria gonzalo graciela guadalupe guillermo gustavo hector hilda ignacio ines irma
isabel jaime javier jesus joaquin jorge jose josefa josefina juan juana julio laura leticia lorena
lourdes lucia luis luisa luz manuel manuela marcela marco margarita maria mariana mario marisol marta
mercedes miguel milagros monica nicolas norma octavio pablo paloma patricia paz pedro pilar rafael
ramon raquel raul refugio remedios ricardo roberto rocio rodrigo rosa rosario ruben salvador santiago
sergio silvia socorro sofia soledad susana teresa tomas valentina veronica victor vicente ximena
yolanda
"""

def words(text: str) -> frozenset[str]:
    """The whitespace-separated words of a text, as a set."""
    return frozenset(text.split())


def name_key(word: str) -> str:
    """The lexicon key of a word: lower case, accents removed ("María" -> "maria")."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


GIVEN_NAMES = words(ENGLISH_GIVEN_NAMES + SPANISH_GIVEN_NAMES)

# Given names that are also everyday words or months. They are names only with a context cue, a
# surname after them, or a verb of a person after them; never at the start of a sentence alone.
AMBIGUOUS_GIVEN_NAMES = words("""
grace rose faith joy june hope april iris ivy holly ruby pearl dawn violet will may mark bill art pat
sue guy frank miles chase rich sunny august summer angel luz paz pilar dolores consuelo soledad
esperanza amparo socorro remedios milagros refugio rosa rosario mercedes gloria victoria
""")
