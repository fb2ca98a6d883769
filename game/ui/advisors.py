"""What the advisors say on the turn screen, as the crisis moves: new remarks first, old ones brief.

The scenario's remarks apply while their condition holds. A remark that starts to apply is said
in full and put first; one that has been said since an earlier turn is kept to a line (the whole
of it on pointing at it), so the panel changes as the state does instead of repeating itself.
The staff add what the meters show: a warning for each meter near a line where the game ends,
in the words of the ending and of what it would mean for the side watching.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.core.aim import LOST, WON
from game.ui import theme as t


@dataclass(frozen=True)
class Remark:
    speaker: str
    text: str
    colour: tuple[int, int, int]
    repeated: bool = False

    @property
    def whole(self) -> str:
        return f"{self.speaker}: “{self.text}”"


class Advisors:
    """Remembers since when each remark applies, to tell new remarks from old ones."""

    def __init__(self) -> None:
        self.since: dict[object, int] = {}  # remark key -> first turn of its current run
        self.last: dict[object, int] = {}  # remark key -> last turn it applied
        self._cache: tuple[object, list[Remark]] | None = None

    def hear(self, key: object, turn: int) -> bool:
        """Note that a remark applies at ``turn``; True when it is new (not said on the turn before)."""
        last = self.last.get(key)
        if last is None or last < turn - 1 or key not in self.since:
            self.since[key] = turn
        self.last[key] = max(turn, last or turn)
        return self.since[key] == turn

    def remarks(self, scene) -> list[Remark]:
        """The remarks for the side watching the scene's shown state, in the order they are shown."""
        key = (id(scene.shown), scene.viewer, scene.shown.turn, len(scene.meters))
        if self._cache is not None and self._cache[0] == key:
            return self._cache[1]
        found = self._staff(scene) + self._scenario(scene)
        found.sort(key=lambda pair: pair[0])
        remarks = [remark for _, remark in found]
        self._cache = (key, remarks)
        return remarks

    def _staff(self, scene) -> list[tuple[int, Remark]]:
        turn = scene.shown.turn
        out = []
        speaker = "Your staff" if scene.viewer else "The analysts"
        for vid, meter in scene.meters.items():
            line = meter.stakes.warning
            if line is None:
                continue
            result = {WON: ": you would win", LOST: ": you would lose"}.get(line.outlook, "") if scene.viewer else ""
            text = f"{meter.variable.label} is at {meter.reading.text}. {line.words}{result}."
            new = self.hear(("warning", vid, line.words), turn)
            colour = t.outlook_colour(line.outlook) if scene.viewer else t.ORANGE
            out.append((0 if new else 2, Remark(speaker, text, colour, repeated=not new)))
        return out

    def _scenario(self, scene) -> list[tuple[int, Remark]]:
        state, viewer = scene.shown, scene.viewer
        roles = (viewer,) if viewer else tuple(scene.session.scenario.roles)
        out = []
        for role in roles:
            for advice in state.advice(role):
                new = self.hear(("advice", role, advice.speaker, advice.text), state.turn)
                colour = t.ORANGE if viewer else t.readable(scene.role_colour(role))
                remark = Remark(advice.speaker, state.render(advice.text, role), colour, repeated=not new)
                out.append((1 if new else 3, remark))
        return out
