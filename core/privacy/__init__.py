"""Health data protection: PHI redaction, encryption at rest."""
