"""Unit codes typed in the sub-item form (when units are too many to tick): any mix of separators."""
from app.plans.forms import split_codes


def test_codes_are_split_on_lines_spaces_commas_and_semicolons():
    assert split_codes("ICT\nBPS, bla;ESA001  ESA002\r\n") == ["ICT", "BPS", "bla", "ESA001", "ESA002"]


def test_nothing_typed_is_no_code():
    assert split_codes(None) == split_codes("") == split_codes(" ,;\n") == []
