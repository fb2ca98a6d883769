"""The game's sounds, made by its own code: short cues and an ambient loop, synthesised with numpy.

No sound file is bundled. Each cue is a few lines of arithmetic on a sample array, made once and
handed to pygame's mixer:

* ``pick``: a soft tick when a card is picked;
* ``commit``: a low knock when a move is played;
* ``result``: two quiet bell notes when a step's consequence shows;
* ``drama``: a deep drum and a swell when a turn goes badly wrong or a meter comes near an ending;
* ``won``, ``lost``, ``drawn``: a rising chord, a falling minor line, an open fifth, at the ending;
* the ambient loop: a low drone with a slow swell, eight seconds that join without a seam.

The mixer is opened on the first sound that is to be heard, so a muted game never opens an audio
device. Without one (no sound card, or SDL's dummy audio driver) every sound is skipped, silently.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable

import numpy as np

RATE = 22050
LOOP_SECONDS = 8.0
CUES = ("pick", "commit", "result", "drama", "won", "lost", "drawn")


def _time(seconds: float) -> np.ndarray:
    return np.arange(int(RATE * seconds)) / RATE


def _envelope(t: np.ndarray, attack: float, decay: float) -> np.ndarray:
    """A quick rise and an exponential fall."""
    rise = np.clip(t / max(attack, 1e-4), 0.0, 1.0)
    return rise * np.exp(-t / decay)


def _bell(freq: float, seconds: float, decay: float) -> np.ndarray:
    t = _time(seconds)
    partials = np.sin(2 * np.pi * freq * t) + 0.35 * np.sin(2 * np.pi * 2.01 * freq * t)
    partials += 0.12 * np.sin(2 * np.pi * 3.02 * freq * t)
    return partials * _envelope(t, 0.004, decay) / 1.47


def _at(total: np.ndarray, part: np.ndarray, start: float) -> None:
    """Mix ``part`` into ``total`` from ``start`` seconds."""
    i = int(start * RATE)
    n = min(len(part), len(total) - i)
    if n > 0:
        total[i : i + n] += part[:n]


def pick() -> np.ndarray:
    t = _time(0.05)
    return 0.35 * np.sin(2 * np.pi * 1800 * t) * _envelope(t, 0.001, 0.008)


def commit() -> np.ndarray:
    t = _time(0.16)
    sweep = 2 * np.pi * (300 * t - 500 * t**2)  # the pitch falls from 300 Hz as the knock dies
    return 0.8 * np.sin(sweep) * _envelope(t, 0.002, 0.035)


def result() -> np.ndarray:
    out = np.zeros(int(RATE * 0.9))
    _at(out, 0.45 * _bell(659.25, 0.8, 0.25), 0.0)
    _at(out, 0.4 * _bell(987.77, 0.7, 0.3), 0.11)
    return out


def drama() -> np.ndarray:
    t = _time(1.6)
    drum = np.sin(2 * np.pi * (62 * t - 6 * t**2)) * _envelope(t, 0.003, 0.35)
    rng = np.random.default_rng(7)  # the noise is part of the sound, the same every time
    noise = np.convolve(rng.standard_normal(len(t)), np.ones(40) / 40, mode="same")
    swell = (np.sin(2 * np.pi * 110 * t) + 0.5 * np.sin(2 * np.pi * 164.8 * t)) * np.sin(np.pi * t / 1.6) ** 2
    return 0.8 * drum + 0.25 * noise * _envelope(t, 0.001, 0.2) + 0.22 * swell


def _line(notes: list[float], step: float, decay: float, hold: float) -> np.ndarray:
    out = np.zeros(int(RATE * (step * len(notes) + hold)))
    for i, freq in enumerate(notes):
        _at(out, 0.38 * _bell(freq, hold, decay), i * step)
    return out


def won() -> np.ndarray:
    return _line([261.63, 329.63, 392.0, 523.25], 0.14, 0.6, 1.4)


def lost() -> np.ndarray:
    return _line([392.0, 311.13, 261.63, 196.0], 0.22, 0.7, 1.6)


def drawn() -> np.ndarray:
    return _line([220.0, 329.63], 0.3, 0.8, 1.6)


def ambient() -> np.ndarray:
    """A drone of whole cycles over the loop's length, so that it repeats without a click."""
    t = _time(LOOP_SECONDS)
    cycles = lambda hz: round(hz * LOOP_SECONDS) / LOOP_SECONDS  # noqa: E731
    drone = np.sin(2 * np.pi * cycles(55.0) * t) + 0.6 * np.sin(2 * np.pi * cycles(82.5) * t)
    drone += 0.25 * np.sin(2 * np.pi * cycles(110.0) * t)
    swell = 0.65 + 0.35 * np.sin(2 * np.pi * t / LOOP_SECONDS)
    return 0.22 * drone * swell / 1.85


MAKERS: dict[str, Callable[[], np.ndarray]] = {
    "pick": pick,
    "commit": commit,
    "result": result,
    "drama": drama,
    "won": won,
    "lost": lost,
    "drawn": drawn,
}


def to_samples(wave: np.ndarray, channels: int, size: int) -> np.ndarray:
    """A wave in -1..1 as the mixer's integer samples, one column per channel."""
    peak = np.max(np.abs(wave)) if len(wave) else 0.0
    if peak > 1.0:
        wave = wave / peak
    if size == 32:  # the device takes floats
        samples = wave.astype(np.float32)
    elif abs(size) == 8:
        samples = np.round(wave * 127).astype(np.int8) if size < 0 else np.round(wave * 127 + 128).astype(np.uint8)
    else:
        wide = abs(size) == 32
        samples = np.round(wave * (2**31 - 1 if wide else 2**15 - 1)).astype(np.int32 if wide else np.int16)
    return np.repeat(samples[:, None], channels, axis=1) if channels > 1 else samples


class Sounds:
    """The cues and the loop, played through pygame's mixer at the player's volume."""

    def __init__(self, volume: float = 0.7, muted: bool = False, ambient_on: bool = True):
        self.volume = min(max(volume, 0.0), 1.0)
        self.muted = muted
        self.ambient_on = ambient_on
        self.played: list[str] = []  # every cue asked for, heard or not (for tests and checks)
        self._mixer = None
        self._failed = False
        self._sounds: dict[str, object] = {}
        self._loop = None

    @property
    def heard(self) -> bool:
        """Whether sounds reach a mixer (not muted, and a device opened)."""
        return not self.muted and self._open() is not None

    def _open(self):
        """pygame's mixer, opened on first use; None when there is no device to open."""
        if self._mixer is not None or self._failed:
            return self._mixer
        if not device_likely():
            self._failed = True
            return None
        try:
            import pygame

            if not pygame.mixer.get_init():
                pygame.mixer.init(frequency=RATE, size=-16, channels=2, buffer=1024)
            self._mixer = pygame.mixer
        except Exception:  # no sound device: the game plays on in silence
            self._failed = True
        return self._mixer

    def _sound(self, name: str, make: Callable[[], np.ndarray]):
        if name not in self._sounds:
            import pygame

            frequency, size, channels = self._mixer.get_init()
            wave = make()
            if frequency != RATE:  # the device runs at another rate: resample by interpolation
                n = int(len(wave) * frequency / RATE)
                wave = np.interp(np.linspace(0, len(wave) - 1, n), np.arange(len(wave)), wave)
            self._sounds[name] = pygame.sndarray.make_sound(to_samples(wave, channels, size))
        return self._sounds[name]

    def play(self, cue: str) -> None:
        """Play a cue (see the module's docstring); nothing happens when muted or without a device."""
        self.played.append(cue)
        if len(self.played) > 100:
            del self.played[:50]
        if self.muted or self._open() is None:
            return
        try:
            sound = self._sound(cue, MAKERS[cue])
            sound.set_volume(self.volume)
            sound.play()
            self.start_ambient()
        except Exception:  # a sound that cannot be made or played is not worth a game
            self._failed, self._mixer = True, None

    def start_ambient(self) -> None:
        """Start the ambient loop if it is wanted and not already going."""
        if self._loop is not None or not self.ambient_on or self.muted or self._open() is None:
            return
        try:
            self._loop = self._sound("ambient", ambient)
            self._loop.set_volume(self.volume * 0.5)
            self._loop.play(loops=-1)
        except Exception:
            self._loop = None

    def stop_ambient(self) -> None:
        if self._loop is not None:
            self._loop.stop()
            self._loop = None

    def settings(self, volume: float, muted: bool, ambient_on: bool) -> None:
        """Take new settings at once: the loop stops or starts, the volume changes."""
        self.volume = min(max(volume, 0.0), 1.0)
        self.muted, self.ambient_on = muted, ambient_on
        if muted or not ambient_on:
            self.stop_ambient()
        elif self._loop is not None:
            self._loop.set_volume(self.volume * 0.5)
        else:
            self.start_ambient()


def device_likely() -> bool:
    """Whether opening an audio device is worth trying: a driver was named, a sound server runs, or
    the system lists a sound card. Trying without one makes the system's audio library complain
    on the terminal (ALSA prints its errors itself), for nothing."""
    if os.environ.get("SDL_AUDIODRIVER"):
        return True
    if not sys.platform.startswith("linux"):
        return True
    if any(os.environ.get(name) for name in ("PULSE_SERVER", "PIPEWIRE_RUNTIME_DIR")):
        return True
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if runtime and any(os.path.exists(os.path.join(runtime, name)) for name in ("pulse", "pipewire-0")):
        return True
    return os.path.isdir("/dev/snd")


def loudness(wave: np.ndarray) -> float:
    """Root-mean-square level of a wave, in decibels of full scale (for checks)."""
    rms = float(np.sqrt(np.mean(wave**2))) if len(wave) else 0.0
    return 20 * math.log10(rms) if rms > 0 else -math.inf
