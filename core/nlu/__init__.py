"""Language understanding: normalisation, language detection, sentence embeddings, intent model."""
