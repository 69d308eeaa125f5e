"""Crisis and emergency screening, resources and disclaimers: the first step of every reply."""
