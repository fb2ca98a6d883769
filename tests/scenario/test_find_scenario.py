"""Finding a scenario by path, file name or id, in the player's folder and the bundled one."""

from __future__ import annotations

import pytest

from game.cli import main
from game.paths import SCENARIOS, ScenarioNotFound, find_scenario, user_scenarios
from tests.conftest import TUTORIAL


def _own_copy(name: str, scenario_id: str):
    folder = user_scenarios()
    folder.mkdir(parents=True, exist_ok=True)
    text = TUTORIAL.read_text(encoding="utf-8").replace("  id: tutorial\n", f"  id: {scenario_id}\n")
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_path_is_taken_as_it_is(tmp_path):
    copy = tmp_path / "elsewhere.yaml"
    copy.write_text(TUTORIAL.read_text(encoding="utf-8"), encoding="utf-8")
    assert find_scenario(str(copy)) == copy


@pytest.mark.parametrize("name", ["tutorial", "tutorial.yaml"])
def test_bundled_scenarios_by_file_name(name):
    assert find_scenario(name) == SCENARIOS / "tutorial.yaml"


def test_the_players_folder_by_file_name_and_by_id():
    path = _own_copy("strike_copy.yaml", "my_strike")
    assert find_scenario("strike_copy") == path
    assert find_scenario("my_strike") == path


def test_the_players_copy_wins_over_the_bundled_one():
    path = _own_copy("tutorial.yaml", "tutorial")
    assert find_scenario("tutorial") == path


def test_an_unknown_name_lists_what_exists():
    _own_copy("harbour.yaml", "harbour")
    with pytest.raises(ScenarioNotFound) as missing:
        find_scenario("tutorail")
    message = str(missing.value)
    assert "did you mean 'tutorial'?" in message
    assert "harbour" in message and "tutorial" in message
    assert str(user_scenarios()) in message


def test_commands_take_names_from_the_players_folder(capsys):
    _own_copy("my_docks.yaml", "my_docks")
    assert main(["lint", "my_docks", "--games", "20"]) == 0
    assert "my_docks.yaml: 0 errors" in capsys.readouterr().out
    assert main(["validate", "my_docks"]) == 0
    assert "my_docks.yaml: ok" in capsys.readouterr().out
    assert main(["lint", "no_such_crisis"]) == 2
    assert "no scenario 'no_such_crisis'" in capsys.readouterr().err


def test_a_pipe_or_an_endless_file_in_the_players_folder_is_passed_over():
    """Looking a name up reads each file's id: a pipe there made it wait for good (and a link to
    /dev/zero read without end; not tried here, since the old code would fill the memory)."""
    import os
    import threading

    folder = user_scenarios()
    folder.mkdir(parents=True, exist_ok=True)
    os.mkfifo(folder / "pipe.yaml")
    (folder / "big.yaml").write_bytes(b"#" * 2_000_000)
    _own_copy("zz_harbour.yaml", "harbour_id")  # after the pipe, in the order files are looked at
    found: list = []
    looking = threading.Thread(target=lambda: found.append(find_scenario("harbour_id")), daemon=True)
    looking.start()
    looking.join(20)
    if looking.is_alive():  # let the old code's open() of the pipe go before failing
        os.close(os.open(folder / "pipe.yaml", os.O_WRONLY | os.O_NONBLOCK))
    assert found == [folder / "zz_harbour.yaml"]


def test_the_list_of_scenarios_on_offer_holds_regular_files_only():
    import os

    from game.paths import scenario_files

    folder = user_scenarios()
    folder.mkdir(parents=True, exist_ok=True)
    os.mkfifo(folder / "pipe.yaml")
    (folder / "folder.yaml").mkdir()
    (folder / "zero.yaml").symlink_to(os.devnull)
    own = _own_copy("mine.yaml", "mine")
    offered = [p for p in scenario_files() if p.parent == folder]
    assert offered == [own]
    with pytest.raises(ScenarioNotFound) as refused:
        find_scenario("nothing_like_it")
    assert "mine" in str(refused.value) and "pipe" not in str(refused.value) and "zero" not in str(refused.value)
