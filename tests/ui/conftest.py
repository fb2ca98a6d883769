"""The window tests run on SDL's dummy drivers with sized-down background simulations."""

from __future__ import annotations

import pygame
import pytest


@pytest.fixture(autouse=True)
def _window(monkeypatch):
    monkeypatch.setenv("CRISIS_UI_SIM_GAMES", "200")
    pygame.init()
    yield
