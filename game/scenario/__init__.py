"""Scenario files: reading YAML with line marks, the format's schema, validation and building the model."""
