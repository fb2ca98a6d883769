"""The calendar's start date: the quick reading agrees with strptime wherever it gives a date."""

from __future__ import annotations

import random
from datetime import datetime

from game.scenario.loader import _DATE_FORMATS, _plain_date


def _slow(text: str) -> datetime | None:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def test_usual_forms_are_read_quickly_and_alike():
    for text in ("2023-06-23 21:00", "2023-06-23T21:00", "2023-06-23 21:00:05", "2023-06-23T21:00:05", "1991-08-19"):
        assert _plain_date(text) is not None
        assert _plain_date(text) == _slow(text)


def test_other_texts_are_left_to_strptime():
    # not a date, out of range, a leap second, or a form only strptime reads (one-digit parts,
    # a wide gap, a small t): the quick reading gives nothing and strptime decides
    for text in (
        "2023-02-29",
        "2023-13-01",
        "2023-06-23 24:00",
        "2023-06-23 23:59:60",
        "0000-01-01",
        "2023-6-23",
        "2023-06-23  21:00",
        "2023-06-23t21:00",
        "2023-06-23 9:00",
        "\u0662\u0660\u0662\u0663-06-23",
        "soon",
    ):
        assert _plain_date(text) is None


def test_random_texts_agree_with_strptime():
    rng = random.Random(7)
    read = 0
    for _ in range(5000):
        year = rng.choice(["2023", "0001", "9999", "0000", "20a3"])
        month, day = f"{rng.randint(0, 13):02d}", f"{rng.randint(0, 32):02d}"
        sep = rng.choice([" ", "T", "t", "  ", "_"])
        hour, minute = f"{rng.randint(0, 25):02d}", f"{rng.randint(0, 61):02d}"
        second = rng.choice(["", f":{rng.randint(0, 62):02d}"])
        text = rng.choice([f"{year}-{month}-{day}", f"{year}-{month}-{day}{sep}{hour}:{minute}{second}"])
        quick = _plain_date(text)
        if quick is not None:
            read += 1
            assert quick == _slow(text), text
    assert read > 1000  # the usual forms were met often enough to mean something
