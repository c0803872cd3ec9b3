"""Study codes: the check digit catches every single-digit error and adjacent transposition."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sclerocell.web.trial import studycode
from sclerocell.web.trial.studycode import InvalidStudyCode, Kind, StudyCode

codes = st.builds(
    StudyCode,
    site=st.integers(1, 99),
    kind=st.sampled_from(list(Kind)),
    sequence=st.integers(1, studycode.MAX_SEQUENCE),
)
DIGIT_POSITIONS = [0, 1, 4, 5, 6, 8]  # in "SS-KNNN-C"


def test_it_formats_a_recipient_code_with_site_kind_sequence_and_check_digit() -> None:
    code = studycode.format_code(1, Kind.RECIPIENT, 7)
    assert code[:8] == "01-R007-"
    assert studycode.is_valid(code)


def test_it_gives_a_donor_code_the_letter_d() -> None:
    assert studycode.format_code(2, "donor", 12).startswith("02-D012-")


@given(codes)
def test_every_issued_code_parses_back_to_itself(code: StudyCode) -> None:
    assert studycode.parse(str(code)) == code


@given(codes)
def test_it_forgives_case_and_surrounding_spaces(code: StudyCode) -> None:
    assert studycode.parse(f"  {str(code).lower()} ") == code


@given(codes, st.sampled_from(DIGIT_POSITIONS), st.integers(1, 9))
def test_the_check_digit_catches_every_single_digit_error(
    code: StudyCode, position: int, shift: int
) -> None:
    text = str(code)
    wrong = (int(text[position]) + shift) % 10
    typo = text[:position] + str(wrong) + text[position + 1 :]
    assert not studycode.is_valid(typo)


@given(codes)
def test_it_catches_a_recipient_code_typed_as_a_donor_code(code: StudyCode) -> None:
    text = str(code)
    other = "D" if text[3] == "R" else "R"
    assert not studycode.is_valid(text[:3] + other + text[4:])


@given(codes, st.integers(0, 7))
def test_it_catches_every_adjacent_transposition_in_the_written_code(
    code: StudyCode, position: int
) -> None:
    text = str(code)
    swapped = text[:position] + text[position + 1] + text[position] + text[position + 2 :]
    if swapped != text:
        assert not studycode.is_valid(swapped)


@given(codes, st.integers(0, 5))
def test_it_catches_every_adjacent_transposition_of_the_checked_digits(
    code: StudyCode, position: int
) -> None:
    digits = code.payload + str(code.check)
    swapped = digits[:position] + digits[position + 1] + digits[position] + digits[position + 2 :]
    if swapped != digits:
        assert not studycode.is_valid_digits(swapped)


@given(st.text(digits := "0123456789", min_size=1, max_size=12), st.data())
def test_damm_detects_any_single_digit_error_in_any_digit_string(
    number: str, data: st.DataObject
) -> None:
    checked = number + str(studycode.check_digit(number))
    position = data.draw(st.integers(0, len(checked) - 1))
    wrong = data.draw(st.sampled_from([d for d in digits if d != checked[position]]))
    assert studycode.is_valid_digits(checked)
    assert not studycode.is_valid_digits(checked[:position] + wrong + checked[position + 1 :])


@pytest.mark.parametrize(
    "text", ["", "01-R007", "1-R007-4", "01-X007-4", "00-R001-0", "01-R000-0", "01R0074"]
)
def test_it_refuses_text_that_is_not_a_study_code(text: str) -> None:
    with pytest.raises(InvalidStudyCode):
        studycode.parse(text)


def test_it_refuses_a_sequence_beyond_the_last_code() -> None:
    with pytest.raises(InvalidStudyCode):
        StudyCode(1, Kind.RECIPIENT, studycode.MAX_SEQUENCE + 1)


def test_the_damm_table_is_a_totally_anti_symmetric_latin_square() -> None:
    """Exhaustive: this is what makes the two guarantees hold for every string of digits."""
    table = studycode._DAMM
    ten = range(10)
    assert all(sorted(table[row]) == list(ten) for row in ten)
    assert all(sorted(table[row][col] for row in ten) == list(ten) for col in ten)
    assert all(table[row][row] == 0 for row in ten)
    assert all(
        table[table[c][x]][y] != table[table[c][y]][x]
        for c in ten
        for x in ten
        for y in ten
        if x != y
    )
