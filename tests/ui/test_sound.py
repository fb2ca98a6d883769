"""The game's own sounds: made by its code, heard at the player's volume, silent without a device."""

from __future__ import annotations

import numpy as np
import pygame
import pytest

from game.ui import sound
from game.ui.preferences import load_preferences
from game.ui.sound import CUES, MAKERS, Sounds, loudness, to_samples
from tests.ui.driver import first_open, frames, key, make_app, play_card, reader, top_name, until


@pytest.mark.parametrize("cue", CUES)
def test_every_cue_is_a_short_audible_wave_within_full_scale(cue):
    wave = MAKERS[cue]()
    assert np.isfinite(wave).all() and np.abs(wave).max() <= 1.0
    assert 0.03 < len(wave) / sound.RATE < 3.0
    assert loudness(wave) > -40  # heard, not a click of silence
    assert np.array_equal(wave, MAKERS[cue]())  # the same sound every time


def test_the_ambient_loop_joins_without_a_click():
    wave = sound.ambient()
    assert len(wave) == int(sound.RATE * sound.LOOP_SECONDS)
    step = np.abs(np.diff(wave)).max()
    assert abs(wave[-1] - wave[0]) <= 2 * step  # the end runs into the start like any other sample


def test_samples_fit_the_mixers_format():
    wave = np.array([0.0, 0.5, -1.0, 1.0])
    assert to_samples(wave, 2, -16).shape == (4, 2) and to_samples(wave, 2, -16).dtype == np.int16
    assert to_samples(wave, 1, -16).tolist() == [0, 16384, -32767, 32767]
    assert to_samples(wave, 2, 32).dtype == np.float32


def test_cues_play_through_the_dummy_driver_without_a_sound_and_without_an_error():
    sounds = Sounds(volume=0.5)
    for cue in CUES:
        sounds.play(cue)
    assert sounds.played == list(CUES)
    sounds.settings(0.2, muted=False, ambient_on=False)
    sounds.settings(0.2, muted=True, ambient_on=True)
    assert sounds._loop is None


def test_a_muted_game_never_opens_an_audio_device():
    sounds = Sounds(muted=True)
    sounds.play("commit")
    assert sounds._mixer is None and not sounds._failed


def test_a_game_sounds_its_moves_and_its_ending():
    app = make_app(seat="union", opponent="easy")
    assert until(app, lambda: top_name(app) == "TurnScene" and app.top.cards is not None, on_frame=reader(app))
    play_card(app, first_open(app))
    frames(app, 2)
    played = app.sound.played
    assert "pick" in played and "commit" in played and ("result" in played or "drama" in played)


def test_volume_mute_and_the_loop_are_settings_kept_for_the_next_game():
    app = make_app()
    frames(app, 1)
    app.top.settings()
    frames(app, 1)
    assert top_name(app) == "SettingsScene"
    key(app, pygame.K_DOWN)
    key(app, pygame.K_DOWN)
    key(app, pygame.K_LEFT)  # volume down a step
    key(app, pygame.K_DOWN)
    key(app, pygame.K_RETURN)  # sound off
    key(app, pygame.K_DOWN)
    key(app, pygame.K_RETURN)  # ambient loop off
    saved = load_preferences()
    assert saved.volume == pytest.approx(0.6) and saved.muted and not saved.ambient
    assert app.sound.muted and not app.sound.ambient_on
