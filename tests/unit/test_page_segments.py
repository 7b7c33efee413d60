"""page_segments: which sub-items a page of the round's table falls on, and where in the first one it starts."""
from app.reports.services import page_segments

SIZES = [(1, 30), (2, 0), (3, 30), (4, 30)]  # sub-item id, rows (sub-item 2 has none)


def test_a_page_inside_one_sub_item():
    assert page_segments(SIZES, 0, 10) == ([1], 0)
    assert page_segments(SIZES, 40, 10) == ([3], 10)


def test_a_page_across_sub_items_skips_the_empty_one():
    assert page_segments(SIZES, 25, 10) == ([1, 3], 25)
    assert page_segments(SIZES, 20, 50) == ([1, 3, 4], 20)


def test_a_page_past_the_end_touches_nothing():
    assert page_segments(SIZES, 90, 10) == ([], 90)
    assert page_segments([], 0, 10) == ([], 0)


def test_boundaries():
    assert page_segments(SIZES, 30, 30) == ([3], 0)
    assert page_segments(SIZES, 0, 30) == ([1], 0)
