"""The turn screen: the clock, what the role knows, the map, the news, and the choices.

Every step of the match is revealed in order. A person's choice is played at once; an AI move or
a world event is worked out on a thread while the window keeps drawing. Each step that did
something is shown as a consequence (the outcome's text, the meters gliding to their new values,
the unit moving on the map), and waits for Enter unless the game is advancing by itself.

The screen shows a step as the side watching heard of it: the item the step added to that side's
own feed (:mod:`game.core.information`), never the match's true record. A move the side did not
see reads as its cover, or not at all; in hot-seat each side reads its own feed after the
hand-over screen; a spectator reads everything, and the screen says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from game import talks
from game.core.errors import CrisisError, IllegalAction
from game.core.information import Entry
from game.core.model import WORLD, Marker
from game.core.state import Report, State
from game.scenario.lint_ranges import Interval, evaluate
from game.scenario.stakes import Threshold, stakes_of
from game.ui import theme as t
from game.ui.advisors import Advisors
from game.ui.choices import ANSWER, COMPOSE, Reckoner, make_cards
from game.ui.readings import feed_of, known_ranges, news_of, reading_of
from game.ui.scenes.base import Scene
from game.ui.scenes.message import MessageScene
from game.ui.scenes.talks import AnswerDialog, OfferPanel
from game.ui.scenes.turn_view import Layout, TurnView
from game.ui.session import save_session
from game.ui.widgets.cards import CardList
from game.ui.widgets.feed import NewsFeed, NewsItem
from game.ui.widgets.meter import Line, Meter, Reading
from game.ui.widgets.meter import Stakes as MeterStakes
from game.ui.worker import Task

MARKERS_KEPT = 8
SKIM = 0.25  # seconds each step shows while skimming to the next choice
BANNER = 1.6  # seconds a new turn is announced over the map
WATCH = 2.5  # seconds each step stays when the AI plays itself in a window


@dataclass(frozen=True)
class Step:
    """A report with the state it led to, and (once revealed) the item it added to the viewer's feed."""

    report: Report
    state: State
    entry: Entry | None = None


class TurnScene(Scene):
    name = "turn"
    recorded_on_return = False  # it records each new turn itself

    def __init__(self, app, session):
        super().__init__(app)
        self.session = session
        self.shown: State = session.state
        self.previous_values = self.shown.values
        self.viewer = session.viewer(fallback=session.humans[0] if session.hotseat else None)
        self.queue: list[Step] = []
        self.current: Step | None = None
        self.clock = 0.0
        self.task: Task | None = None
        self.hold = 0.0
        self.cards: CardList | None = None
        self.cards_for: tuple | None = None
        self.feed = NewsFeed()
        self.markers: list[Marker] = []
        self.meters: dict[str, Meter] = {}
        self.travel = 1.0
        self.hover: str | None = None
        self.drag: tuple[int, int] | None = None
        self.drag_moved = 0
        self.selected: str | None = None
        self.recorded_turn = 0
        self.skipping = False
        self.chance: float | None = None
        self.saving: Task | None = None
        self.banner = 0.0
        self.meter_scroll = 0
        self.save_failed = False
        self.consequences = 0
        self.ended = 0.0
        self.stakes = stakes_of(session.scenario)
        self.reckoner = Reckoner(session.scenario, self.app.worker)
        self.own_odds: dict[tuple[str, str], float] = {}
        self.advisors = Advisors()
        self.asked: tuple | None = None  # the decision at which the answer dialog last opened by itself
        self.view = TurnView(self)
        self._replay_news()
        self._build_meters(animate=False)

    def _replay_news(self) -> None:
        """The news and the map's markers as the viewer's own feed tells them."""
        self.feed.clear()
        self.markers = []
        for entry in feed_of(self.shown, self.viewer):
            self._add_news(entry)
            if entry.marker:
                self.markers = (self.markers + [entry.marker])[-MARKERS_KEPT:]

    def enter(self) -> None:
        self.app.sound.start_ambient()

    # what the screen shows --------------------------------------------------------------

    def readings(self) -> dict[str, object]:
        """Each variable the viewer may see, as a meter reading, from the shown state."""
        return reading_of(self.shown, self.viewer)

    def _build_meters(self, animate: bool) -> None:
        readings = self.readings()
        ranges = self.known_ranges(readings)
        if not animate or set(readings) != set(self.meters):
            variables = self.session.scenario.variables
            self.meters = {
                vid: Meter(variables[vid], r, self._meter_stakes(vid, r, ranges)) for vid, r in readings.items()
            }
            return
        for vid, reading in readings.items():
            self.meters[vid].show(reading)
            self.meters[vid].stakes = self._meter_stakes(vid, reading, ranges)

    def known_ranges(self, readings: dict[str, Reading]) -> dict[str, Interval]:
        """Where the viewer knows each value to lie: exact values, estimate bands, the clock."""
        return known_ranges(self.shown, readings)

    def leaning(self) -> dict[str, int]:
        """Whether the viewer is better off as each variable rises (+1) or falls (-1); {} for a spectator."""
        return self.stakes.leaning.get(self.viewer, {}) if self.viewer else {}

    def _meter_stakes(self, vid: str, reading: Reading, ranges: dict[str, Interval]) -> MeterStakes:
        viewer = self.viewer
        lines = []
        for line in self.stakes.lines_of(vid):
            ending = self.session.scenario.endings[line.ending]
            outlook = self.stakes.outlook(ending, viewer, ranges) if viewer else ""
            closest = reading.low if line.below else reading.high
            near = self.stakes.near(line, closest)
            if near and line.others is not None:  # joined with other conditions: warn only once they hold
                near = not evaluate(line.others, {**self.stakes.ranges, **ranges}, self.session.scenario).can_be_false()
            lines.append(Line(line.value, line.below, line_words(line, ending.title), outlook, not line.also, near))
        return MeterStakes(self.leaning().get(vid, 0), tuple(lines))

    def _add_news(self, entry: Entry) -> None:
        if entry.seen == "none" and not entry.changes:
            return  # only the game's end, which the ending tells
        who, headline = self.told(entry)
        if entry.seen == "full" and self._outcomes(entry) > 1:
            headline += f" — {entry.outcome_title}"
        elif entry.seen == "move" and entry.outcome_title:
            headline += f" — {entry.outcome_title}"
        colour = self.role_colour(entry.role) if entry.seen in ("full", "move") else t.MUTED
        when = f"T{entry.turn} {entry.clock:%H:%M}"
        self.feed.add(NewsItem(when, who, headline, entry.text, colour))

    def told(self, entry: Entry) -> tuple[str, str]:
        """Who the viewer heard moved, and the headline: a move seen, its cover, or no word of it."""
        if entry.seen in ("full", "move"):
            return self.session.role_name(entry.role), entry.title
        if entry.seen == "cover":
            return "Word reaches you", entry.title
        return "Unexplained", "No word of what happened"

    def _outcomes(self, entry: Entry) -> int:
        """How many ways the move the viewer saw could have gone (0 for a move not seen)."""
        scenario = self.session.scenario
        move = scenario.actions.get(entry.action) or scenario.events.get(entry.action)
        return len(move.outcomes) if move is not None else 0

    def role_colour(self, role: str):
        found = self.session.scenario.roles.get(role)
        return t.hex_colour(found.color) if found else t.MUTED

    # cards ------------------------------------------------------------------------------

    def _ensure_cards(self, role: str) -> None:
        decision = (role, self.shown.turn, self.shown.step, len(self.session.match.steps))
        if self.cards_for == (decision, self.app.odds):
            return
        odds = self.reckoner.ready(decision)
        if odds is None and self.reckoner.key != decision:
            self.reckoner.request(self.shown, role, decision)
        self.cards = CardList(make_cards(self.shown, role, odds), self.app.odds, self.role_colour(role))
        self.cards_for = (decision, self.app.odds)

    def _odds_arrived(self) -> None:
        """Put the odds on the cards once the worker has worked them out, keeping what was picked."""
        cards = self.cards
        if cards is None or self.cards_for is None or not any(c.reckoning for c in cards.cards):
            return
        decision = self.cards_for[0]
        odds = self.reckoner.ready(decision)
        if odds is not None:
            fresh = CardList(make_cards(self.shown, decision[0], odds), self.app.odds, self.role_colour(decision[0]))
            fresh.picked, fresh.hover, fresh.scroll = cards.picked, cards.hover, cards.scroll
            self.cards = fresh

    # flow -------------------------------------------------------------------------------

    def update(self, dt: float) -> None:
        speed = 4.0 if self.app.options.auto else 1.0
        for meter in self.meters.values():
            meter.update(dt, speed)
        self.travel = min(1.0, self.travel + dt * speed / 1.2)
        self.clock += dt
        self.banner = max(0.0, self.banner - dt * speed)
        self._check_autosave()
        if self.cards is not None:
            self.cards.mode = self.app.odds  # the settings may have changed it
            self._odds_arrived()
        if self.task is not None:
            self._collect(dt)
        elif self.current is not None:
            shown_for = self.reveal_time()
            if shown_for is not None and self.clock > shown_for:
                self.next()
        elif self.queue:
            self._reveal(self.queue.pop(0))
        else:
            self._advance(dt)

    def reveal_time(self) -> float | None:
        """How long a consequence stays before the game moves on by itself (None: until Enter)."""
        if self.app.options.auto:
            return self.app.options.pace * 2
        if self.skipping:
            return SKIM
        if not self.session.humans:  # watching from the new-game screen: time to read each step
            return WATCH
        return None

    def _collect(self, dt: float) -> None:
        self.hold -= dt
        if self.task.done and self.hold <= 0:
            step = self.task.result()
            self.task = None
            self.queue.append(step)
            self._autosave()

    def _advance(self, dt: float) -> None:
        session = self.session
        if session.match.is_over():
            self.ended += dt
            if self.ended > (self.app.options.pace if self.app.options.auto else 0.6):
                from game.ui.scenes.ending import EndingScene

                self.app.replace(EndingScene(self.app, session))
            return
        seat = session.seat_of_move()
        if seat is not None and session.hotseat and seat != self.viewer:
            self._hand_over(seat)
            return
        self._record_turn()
        if seat is not None:
            self._ensure_cards(seat)
            self._offer_waiting(seat)
            if not session.autopilot:
                self.skipping = False
                return
            if self.clock < self.app.options.pace * 2:
                return
        self._think()

    def _think(self) -> None:
        # an AI appears to think for a moment, so that its move does not flash past
        pace = self.app.options.pace
        session = self.session
        if self.shown.current_role() == WORLD:
            # a roll of the dice takes microseconds: no thread needed
            self.hold = pace / 2
            self.task = Task.finished(self._step(session.play()))
            return
        self.hold = pace if self.app.options.auto else 2 * pace
        self.task = self.app.worker.submit(lambda: self._step(session.play()))

    def _step(self, report: Report) -> Step:
        return Step(report, self.session.match.state)

    def _hand_over(self, seat: str) -> None:
        from game.ui.scenes.handover import HandoverScene

        self.viewer = seat
        self.cards_for = None
        self.previous_values = self.shown.values
        self._replay_news()  # the new seat reads its own news, never the last seat's
        self._build_meters(animate=False)
        self.app.push(HandoverScene(self.app, self.session, seat))

    def _record_turn(self) -> None:
        """A new turn: announce it on the map, and screenshot it when recording."""
        if self.shown.turn != self.recorded_turn:
            if self.recorded_turn and self.app.options.record is None:  # screenshots show the board unobscured
                self.banner = BANNER
            self.recorded_turn = self.shown.turn
            self.app.record(f"turn {self.shown.turn:02d}")

    def belief_for(self, role: str):
        """``role``'s belief, once the worker has followed it to the decision on show (else None)."""
        decision = self.cards_for[0] if self.cards_for else None
        if decision is None or decision[0] != role or self.reckoner.ready(decision) is None:
            return None
        return self.reckoner.beliefs.get(role)

    def _offer_waiting(self, role: str) -> None:
        """Open the answer dialog once when an offer comes to a person (the card opens it again)."""
        decision = self.cards_for[0] if self.cards_for else None
        if decision is None or decision == self.asked or self.session.autopilot:
            return
        self.asked = decision
        if talks.incoming(self.session.scenario, self.shown.observe(role)) is not None:
            self.app.push(AnswerDialog(self.app, self, role))

    def choose(self, action_id: str) -> None:
        """A person's move, played at once and shown as a consequence (the bargaining cards open
        the offer panel or the answer dialog instead)."""
        role = self.shown.current_role()
        if action_id in (COMPOSE, ANSWER) and self.cards is not None:
            self.cards.picked = None  # back from the panel, its card is picked afresh, never opened by one key
        if action_id == COMPOSE:
            self.app.push(OfferPanel(self.app, self, role))
            return
        if action_id == ANSWER:
            self.app.push(AnswerDialog(self.app, self, role))
            return
        self.app.sound.play("commit")
        decision = self.cards_for[0] if self.cards_for else None
        odds = self.reckoner.ready(decision) if decision else None
        self.own_odds = {(action_id, row[0]): row[2] for row in (odds or {}).get(action_id, ())}
        report = self.session.play(action_id)
        self.cards = None
        self.cards_for = None
        self.queue.append(Step(report, self.session.match.state))
        self._autosave()

    def _autosave(self) -> None:
        """With ``--save FILE``, the game is written after every step, on the worker thread.

        The worker runs jobs in order, so the save is written before any later AI move starts.
        """
        path = self.app.options.save
        if path is None:
            return
        session = self.session
        self.saving = self.app.worker.submit(lambda: save_session(session, path))

    def _check_autosave(self) -> None:
        if self.saving is None or not self.saving.done:
            return
        task, self.saving = self.saving, None
        try:
            task.result()
        except CrisisError as exc:
            if not self.save_failed:  # said once; the game goes on
                self.save_failed = True
                self.app.push(MessageScene(self.app, "The game is not being saved", [str(exc)]))

    def _reveal(self, step: Step) -> None:
        """Show the next step as the viewer heard of it (a step they heard nothing of passes unseen)."""
        entry = news_of(step.state, self.viewer)
        self.previous_values = self._seen_before(step.state)
        self.chance = self._chance_of(self.shown, step.report)
        self.shown = step.state
        if entry is None or (entry.seen == "none" and not entry.changes):
            self._build_meters(animate=False)
            return
        self._add_news(entry)
        self.current = Step(step.report, step.state, entry)
        self.clock = 0.0
        self.travel = 0.0
        self.cards = None
        if entry.marker:
            self.markers = (self.markers + [entry.marker])[-MARKERS_KEPT:]
        warned = {vid for vid, meter in self.meters.items() if meter.stakes.warning}
        self._build_meters(animate=True)
        if not entry.ending:  # the ending has its own sound
            self.app.sound.play("drama" if self._dramatic(entry, warned) else "result")
        self.consequences += 1
        if self.consequences == 1:
            self.app.record("consequence")

    def _seen_before(self, after: State) -> tuple[float, ...]:
        """The values before a step, where the viewer saw them then; a value that has only now come
        into sight starts where it is now (a unit on the map glides only from where it was seen)."""
        seen = set(self.meters)
        ids = self.session.scenario.variable_ids
        return tuple(old if vid in seen else new for vid, old, new in zip(ids, self.shown.values, after.values))

    def _dramatic(self, entry: Entry, warned: set[str]) -> bool:
        """A step that brings a meter near an ending, or moves one by a fifth of its range or more
        (as far as the viewer can see: the sound tells no more than the meters)."""
        if any(meter.stakes.warning and vid not in warned for vid, meter in self.meters.items()):
            return True
        variables = self.session.scenario.variables
        for change in entry.changes:
            var = variables[change.variable]
            if change.before is None or change.after is None:
                continue
            if change.variable in self.meters and self.meters[change.variable].has_bar:
                if abs(change.after.value - change.before.value) >= 0.2 * (var.max - var.min):
                    return True
        return False

    def _chance_of(self, before: State, report: Report) -> float | None:
        """How likely the outcome that happened was, as the side watching could tell.

        A side is told the odds it worked out for its own move; another side's move or an event
        may turn on what the side cannot see, so it is told none. A spectator sees the truth.
        """
        if self.viewer is not None:
            return self.own_odds.get((report.action, report.outcome)) if report.role == self.viewer else None
        try:
            pairs = before.outcomes(report.action)
        except Exception:  # a move the state no longer knows (cannot happen in play) shows no odds
            return None
        return next((p for outcome, p in pairs if outcome.id == report.outcome), None)

    def next(self) -> None:
        """Close the consequence on show and move on."""
        self.current = None
        self.clock = 0.0
        self.travel = 1.0

    # input ------------------------------------------------------------------------------

    def handle_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and self._global_key(event):
            return
        if self._map_event(event):
            return
        if self.current is not None:
            self._consequence_input(event)
        elif self.cards is not None and self.task is None and self.session.person_to_move():
            picked = self.cards.picked
            chosen = self.cards.handle_event(event)
            if chosen:
                self.choose(chosen)
            elif self.cards.picked != picked:
                self.app.sound.play("pick")

    def _map_event(self, event: pygame.event.Event) -> bool:
        """Pointing, clicking, dragging and the wheel on the map; True when the map used the event."""
        view = self.view
        if event.type == pygame.MOUSEMOTION:
            self.hover = view.place_under(event.pos)
            if self.drag is not None and event.buttons[0]:
                self.drag_moved += abs(event.rel[0]) + abs(event.rel[1])
                view.pan_map(*event.rel)
            return False
        if event.type == pygame.MOUSEWHEEL and view.on_meters(pygame.mouse.get_pos()):
            self.scroll_meters(-event.y)
            return True
        if event.type == pygame.MOUSEWHEEL and view.on_feed(pygame.mouse.get_pos()):
            self.feed.scroll(-event.y)
            return True
        if event.type == pygame.MOUSEWHEEL:
            return view.zoom_map(1.25**event.y, pygame.mouse.get_pos())
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and view.on_map(event.pos):
            self.drag, self.drag_moved = event.pos, 0
            return True
        if event.type == pygame.MOUSEBUTTONUP and event.button == 1 and self.drag is not None:
            if self.drag_moved < 5:  # a click, not a drag: open or close the place's card
                place = view.place_under(event.pos)
                self.selected = None if place is None or self.selected == place else place
            self.drag = None
            return True
        return False

    def scroll_meters(self, rows: int) -> None:
        """Scroll the left column when a side knows more than fits."""
        last = max(0, len(self.view.meter_rows()) - 4)
        self.meter_scroll = min(max(0, self.meter_scroll + rows), last)

    def cycle_place(self, step: int) -> None:
        """Show the next place's card on the map (the keyboard's way to point at places)."""
        places = [None, *self.session.scenario.places]
        at = places.index(self.selected) if self.selected in places else 0
        self.selected = places[(at + step) % len(places)]

    def can_take_back(self) -> bool:
        """Whether the step on show is the viewer's own move, which may still be taken back."""
        current = self.current
        return (
            current is not None
            and not self.queue
            and self.task is None
            and current.report.role in self.session.humans
            and current.state is self.session.state
            and self.session.can_undo()
        )

    def take_back(self) -> None:
        """Undo the move on show: the state, the news and the meters as they were before it."""
        if not self.can_take_back():
            return
        try:
            self.session.undo()
        except IllegalAction:
            return
        self.current = None
        self.shown = self.session.state
        self.previous_values = self.shown.values
        self.travel = 1.0
        self.cards, self.cards_for = None, None
        self.reckoner.forget()  # the side's trail is shorter again: its belief starts over
        self._replay_news()
        self._build_meters(animate=True)
        self._autosave()
        self.app.toast("Move taken back: the dice are as they were")

    def _consequence_input(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and (
            event.key == pygame.K_BACKSPACE or (event.key == pygame.K_z and event.mod & pygame.KMOD_CTRL)
        ):
            self.take_back()
        elif (
            event.type == pygame.MOUSEBUTTONDOWN
            and event.button == 1
            and self.view.consequence.take_back_rect.collidepoint(event.pos)
        ):
            self.take_back()
        elif (
            event.type == pygame.KEYDOWN
            and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER)
            and event.mod & pygame.KMOD_SHIFT
        ):
            # skim to the next choice: every step still passes by and stays in the news
            self.skipping = True
            self.next()
        elif event.type == pygame.KEYDOWN and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
            self.next()
        elif (
            event.type == pygame.MOUSEBUTTONDOWN
            and event.button == 1
            and self.view.continue_rect.collidepoint(event.pos)
        ):
            self.next()

    def _global_key(self, event: pygame.event.Event) -> bool:
        from game.ui.scenes import flow

        key, ctrl = event.key, event.mod & pygame.KMOD_CTRL
        if key == pygame.K_ESCAPE:
            from game.ui.scenes.pause import PauseScene

            self.app.push(PauseScene(self.app))
        elif key == pygame.K_F5:
            flow.save_game(self.app)
        elif key == pygame.K_F9:
            flow.load_game(self.app, flow.quick_save_path(self.app))
        elif key == pygame.K_F6 or (key == pygame.K_r and ctrl):
            flow.reload_scenario(self.app)
        elif key in (pygame.K_LEFTBRACKET, pygame.K_RIGHTBRACKET):
            self.cycle_place(1 if key == pygame.K_RIGHTBRACKET else -1)
        elif key in (pygame.K_PLUS, pygame.K_EQUALS, pygame.K_KP_PLUS, pygame.K_MINUS, pygame.K_KP_MINUS):
            self.view.zoom_map(1.25 if key in (pygame.K_PLUS, pygame.K_EQUALS, pygame.K_KP_PLUS) else 0.8)
        elif key == pygame.K_HOME:
            self.view.reset_map()
        elif key in (pygame.K_PAGEUP, pygame.K_PAGEDOWN):
            self.scroll_meters(4 if key == pygame.K_PAGEDOWN else -4)
        else:
            return False
        return True

    def resize(self) -> None:
        self.view = TurnView(self)

    # drawing ----------------------------------------------------------------------------

    def layout(self) -> Layout:
        return self.view.layout

    def draw(self, surface: pygame.Surface) -> None:
        self.view.draw(surface)


def line_words(line: Threshold, ending: str) -> str:
    """A threshold as players read it: "At 20 or below: Putin's system fractures"."""
    value = f"{line.value:g}"
    where = {"<=": f"At {value} or below", "<": f"Below {value}", ">=": f"At {value} or above"}.get(
        line.op, f"Above {value}"
    )
    return f"{where}{f' (with {line.also})' if line.also else ''}: {ending}"
