"""Research interop: any scenario as an OpenSpiel game and as a PettingZoo environment.

Optional: ``pip install -e '.[research]'`` brings OpenSpiel and PettingZoo. Nothing else in the
game imports this package. What a role is shown comes from the core's ``state.observe(role)``,
as everywhere else (:mod:`game.interop.encoding`).
"""
