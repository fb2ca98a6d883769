"""Headless balance testing: many games at once on numpy arrays, and the ``crisis balance`` command."""
