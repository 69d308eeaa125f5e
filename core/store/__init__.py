"""Persistence: SQLModel tables and small repositories over one engine factory."""
