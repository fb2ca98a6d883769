from game.core.aim import DRAWN, LOST, WON, key, result, winners


def test_a_strictly_higher_score_wins():
    scores = {"putin": 60.0, "prigozhin": 40.0}
    assert winners(scores) == ("putin",)
    assert result(scores, "putin") == WON
    assert result(scores, "prigozhin") == LOST


def test_equal_top_scores_are_a_draw_for_those_roles_only():
    scores = {"a": 50.0, "b": 50.0, "c": 10.0}
    assert winners(scores) == ("a", "b")
    assert [result(scores, r) for r in "abc"] == [DRAWN, DRAWN, LOST]


def test_no_scores_no_winner():
    assert winners({}) == ()


def test_expected_score_decides_before_the_win_chance():
    assert key(51.0, 0.1) > key(50.0, 0.9)
    assert key(50.0, 0.6) > key(50.0, 0.5)
