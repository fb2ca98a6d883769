"""The pure core: expressions, the scenario model, states and the turn engine (no I/O)."""
