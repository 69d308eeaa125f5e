"""English / Spanish detection from function words and Spanish-only characters.

A dependency-free scorer is enough for two languages, runs in microseconds, and works on the short,
accent-less messages people type ("q hago con mi mama").
"""

from __future__ import annotations

from core.nlu.normalize import tokens
from core.taxonomy import LANGUAGES, Language

__all__ = ["LANGUAGES", "Language", "detect_language"]

_SPANISH = frozenset(
    ["de", "la", "que", "el", "en", "y", "los", "se", "del", "las", "un", "por", "con", "una", "su", "para", "es", "al", "lo", "como", "mas", "pero", "sus", "le", "ya", "o", "este", "si", "porque", "esta", "entre", "cuando", "muy", "sin", "sobre", "tambien", "hasta", "hay", "donde", "quien", "desde", "todo", "nos", "durante", "todos", "uno", "les", "ni", "contra", "otros", "ese", "eso", "ante", "ellos", "esto", "antes", "algunos", "unos", "yo", "otro", "otras", "otra", "tanto", "esa", "estos", "mucho", "quienes", "nada", "muchos", "cual", "poco", "ella", "estar", "estas", "algunas", "algo", "nosotros", "mis", "tu", "tus", "ellas", "usted", "ustedes", "hola", "gracias", "mama", "papa", "abuela", "abuelo", "esposo", "esposa", "hijo", "hija", "puedo", "tengo", "quiero", "hago", "ayuda", "estoy", "dolor", "cuando", "q", "que", "pq", "porq", "tiene", "tienen", "hacer", "puede", "pueden", "mi", "ella", "el", "bien", "mal", "dia", "noche", "semana", "siempre", "nunca", "ahora", "despues", "quiere", "duele", "cuido", "cuidar", "adios", "buenos", "buenas", "dias", "tardes", "noches", "cuidadora", "enfermera", "mucha", "muchas", "pastillas", "azucar", "comer", "ayudar", "necesito", "tambien", "cansada", "cansado", "solo", "sola", "vida", "gente", "familia", "medico", "doctor", "nino", "nina", "bebe", "embarazo", "embarazada", "hermano", "hermana", "casa", "cama", "bano", "despues", "cuanto", "cuantas", "cuantos", "como", "vez", "veces", "hoy", "ayer", "manana", "sabe", "se", "sé", "ya", "asi"]
)
_ENGLISH = frozenset(
    ["the", "and", "is", "to", "of", "it", "in", "that", "for", "you", "with", "she", "he", "her", "his", "have", "what", "how", "can", "do", "not", "this", "was", "be", "are", "on", "at", "mom", "dad", "im", "i'm", "dont", "don't", "my", "i", "we", "they", "them", "their", "our", "your", "been", "has", "had", "will", "would", "could", "should", "about", "just", "get", "got", "when", "why", "where", "who", "which", "there", "here", "out", "up", "down", "after", "before", "help", "thanks", "thank", "hello", "hi", "hey", "bye", "night", "day", "week", "always", "never", "now", "still", "keeps", "keep", "take", "takes", "care", "caring", "mother", "father", "husband", "wife", "son", "daughter", "pills", "sugar", "eat", "sleep", "pain", "tired", "feel", "feels", "does", "did", "its", "it's", "cant", "can't", "wont", "won't", "need", "needs", "want", "wants", "what's", "whats", "anyone", "anything", "any", "some", "tell", "more", "much", "many", "please", "really", "very", "so", "but", "or", "if", "because", "than", "then", "too", "also"]
)
_SPANISH_CHARS = set("ñ¿¡áéíóú")


def detect_language(text: str, default: Language = "en") -> Language:
    """Return 'en' or 'es'; `default` (usually the session's language) breaks ties."""
    words = tokens(text)
    es = sum(1 for w in words if w in _SPANISH) + 2 * sum(1 for ch in text.lower() if ch in _SPANISH_CHARS)
    en = sum(1 for w in words if w in _ENGLISH)
    if es > en:
        return "es"
    if en > es:
        return "en"
    return default
