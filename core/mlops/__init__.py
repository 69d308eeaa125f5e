"""Model lifecycle: datasets and their validation, training, evaluation (registry and drift later)."""
