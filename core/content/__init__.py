"""Scenario content: schema, loading, validation and rendering of answers."""
