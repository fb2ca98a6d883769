"""A server killed with SIGKILL mid-game restarts with every game where it was: both clients
resume by themselves and the game ends exactly as an uninterrupted one with the same seed and moves."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time

from game.saves import parse_save, replay
from game.scenario.loader import load_scenario
from game.server.client import Client
from tests.conftest import ROOT
from tests.server.conftest import create, local_game, play_out

WAGNER = ROOT / "scenarios" / "wagner_mutiny.yaml"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(port: int, data, home) -> subprocess.Popen:
    env = dict(os.environ, CRISIS_HOME=str(home))
    command = [sys.executable, "-m", "game", "serve", "--port", str(port), "--data", str(data), "--seeds"]
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    assert "listening on" in line, (line, proc.stderr.read() if proc.poll() is not None else "")
    return proc


def test_a_server_killed_mid_game_resumes_every_game_and_ends_it_as_if_never_stopped(tmp_path):
    scenario = load_scenario(WAGNER)
    port = _free_port()
    url = f"ws://127.0.0.1:{port}"
    data, home = tmp_path / "data", tmp_path / "home"
    procs = [_serve(port, data, home)]
    games = [create(url, scenario="wagner_mutiny", seed=seed) for seed in (61, 62)]
    clients = [Client(url, game["codes"][role]).start() for game in games for role in ("putin", "prigozhin")]
    kills = []

    def killer() -> None:
        """Kill the server twice, at moments that fall between and during moves, and restart it."""
        for threshold in (25, 60):
            while min((c.seat.view or {"step": 0})["step"] for c in clients[:2]) < threshold:
                time.sleep(0.005)
            procs[-1].kill()  # SIGKILL: no chance to tidy up
            procs[-1].wait()
            kills.append(threshold)
            time.sleep(0.3)
            procs.append(_serve(port, data, home))

    thread = threading.Thread(target=killer, daemon=True)
    thread.start()
    try:
        play_out(clients[:2], timeout=180)
        thread.join(timeout=60)
        play_out(clients[2:], timeout=180)
        saves = []
        for client in (clients[0], clients[2]):
            client.request("download")
            assert client.wait(lambda s: s.save is not None, 30)
            saves.append(parse_save(json.dumps(client.seat.save).encode()))
    finally:
        for client in clients:
            client.close()
        for proc in procs:
            if proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=30)
    assert kills == [25, 60]
    for save, seed in zip(saves, (61, 62)):
        again = replay(save, scenario)
        same = local_game(scenario, seed)
        assert [(s.action, s.outcome, s.digest) for s in again.steps] == [
            (s.action, s.outcome, s.digest) for s in same.steps
        ]
    restarted = [c for c in clients if any(e.get("code") == "server_error" for e in c.seat.errors)]
    assert not restarted
