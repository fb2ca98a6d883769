"""A text with no brace is parsed as it is: the same template the full reading would give."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from game.core.text import parse
from tests.core.test_expr import SYMBOLS

PLAIN = st.text(alphabet=st.characters(blacklist_characters="{}", blacklist_categories=("Cs",)), max_size=60)


@given(text=PLAIN, conditions=st.booleans())
def test_a_text_without_braces_reads_as_the_full_reading_reads_it(text, conditions):
    symbols = SYMBOLS if conditions else None
    plain = parse(text, symbols, frozenset())
    # the same text with a doubled brace after it goes the full way: it differs only by the brace
    full = parse(text + "{{", symbols, frozenset())
    assert plain.source == text
    assert plain.parts == ((text,) if text else ())
    assert full.parts == (text + "{",)
    assert (plain.names, plain.inserts, plain.conditional) == (full.names, full.inserts, full.conditional)
    assert plain.render([], str, lambda _: True) == text
