"""crisis: a political-crisis simulation game and scenario engine."""

__version__ = "0.1.0"
