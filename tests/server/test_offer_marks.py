"""The view marks an offer the game ends before anyone can answer, as the local game warns of it."""

from __future__ import annotations

from game import talks
from game.ai import make_policy
from game.core import negotiation as deals
from game.core.match import Match
from game.core.model import WORLD
from game.scenario.loader import load_scenario
from game.server import views
from tests.conftest import ROOT

SIEGE = ROOT / "tests" / "fixtures" / "format2" / "siege.yaml"


def test_each_offer_in_a_view_says_whether_it_comes_too_late():
    scenario = load_scenario(SIEGE)
    late = fine = 0
    for seed in range(12):
        match = Match(scenario, seed=seed, policies={r: make_policy("random") for r in scenario.roles})
        match.start()
        while not match.is_over():
            state = match.state
            role = state.current_role()
            if role != WORLD:
                for move in views.situation(state, role, "exact")["moves"]:
                    offer = deals.offer_of(scenario, move["id"])
                    if offer is None:
                        assert "offer" not in move
                        continue
                    assert move["offer"]["too_late"] is talks.too_late(state, offer)
                    late += move["offer"]["too_late"]
                    fine += not move["offer"]["too_late"]
            match.play()
    assert late and fine  # both kinds were seen
