"""The batch engine's compiled form of a scenario, built once and shared by the policies that use it."""

from __future__ import annotations

from game.core.model import Scenario

KEEP = 4  # scenarios whose plans are kept (a balance run, a window and a test or two)
_PLANS: dict[int, object] = {}


def plan_for(scenario: Scenario):
    """The :class:`game.analysis.plan.Plan` of ``scenario`` (kept while the scenario is in use)."""
    from game.analysis.plan import Plan

    found = _PLANS.get(id(scenario))
    if found is None or found.scenario is not scenario:
        if len(_PLANS) >= KEEP:
            _PLANS.pop(next(iter(_PLANS)))
        found = _PLANS[id(scenario)] = Plan(scenario)
    return found
