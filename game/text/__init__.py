"""The terminal front end and the `crisis play` command."""
