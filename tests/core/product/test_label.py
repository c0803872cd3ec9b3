"""Product code on the bag: encode/decode with a checksum, and the bedside check."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sclerocell.product.dosing import dose_level
from sclerocell.product.label import (
    BedsideRefusal,
    DamagedCodeError,
    InfusionOrder,
    ProductLabel,
    bedside_check,
    decode,
    encode,
)
from sclerocell.product.messages import ProductInputError

EXPIRY = datetime(2016, 3, 12, 18, 0, tzinfo=UTC)
NAIVE = datetime(2016, 3, 12, 18, 0)  # noqa: DTZ001 -- naive on purpose: it must be refused
LABEL = ProductLabel("L2016-007", "01-D007-5", "01-R007-3", EXPIRY)
ORDER = InfusionOrder(
    recipient_code="01-R007-3",
    batch="L2016-007",
    donor_code="01-D007-5",
    batch_released=True,
    cells_in_product=70_000_000,
    recipient_weight_kg=70.0,
    dose_level=dose_level(7),
    infusion_at=datetime(2016, 3, 12, 10, 30, tzinfo=UTC),
)

codes = st.text(
    alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._/",
    min_size=1,
    max_size=20,
)
# hypothesis takes naive bounds and attaches the zone from ``timezones``.
expiries = st.datetimes(
    min_value=datetime(2014, 1, 1),  # noqa: DTZ001
    max_value=datetime(2099, 12, 31),  # noqa: DTZ001
    timezones=st.just(UTC),
).map(lambda moment: moment.replace(second=0, microsecond=0))
labels = st.builds(ProductLabel, codes, codes, codes, expiries)


def test_it_encodes_a_compact_code_with_a_checksum() -> None:
    code = encode(LABEL)
    assert code.startswith("MSC|v1|L2016-007|01-D007-5|01-R007-3|20160312T1800Z|")
    assert len(code.rsplit("|", 1)[1]) == 8


@given(labels)
def test_decode_returns_what_encode_was_given(label: ProductLabel) -> None:
    assert decode(encode(label)) == label


@given(labels, st.data())
def test_any_single_character_change_is_rejected(label: ProductLabel, data: st.DataObject) -> None:
    code = encode(label)
    index = data.draw(st.integers(min_value=0, max_value=len(code) - 1))
    replacement = data.draw(st.characters().filter(lambda c: c != code[index]))
    damaged = code[:index] + replacement + code[index + 1 :]
    with pytest.raises(DamagedCodeError):
        decode(damaged)


def test_it_encodes_the_expiry_in_utc() -> None:
    paris = timezone(timedelta(hours=1))
    label = replace(LABEL, expiry=datetime(2016, 3, 12, 19, 0, tzinfo=paris))
    assert "|20160312T1800Z|" in encode(label)
    assert decode(encode(label)).expiry == EXPIRY


@pytest.mark.parametrize(
    ("label", "field"),
    [
        (replace(LABEL, batch="L 2016"), "batch"),
        (replace(LABEL, donor_code="01|D007"), "donor_code"),
        (replace(LABEL, recipient_code=""), "recipient_code"),
        (replace(LABEL, expiry=NAIVE), "expiry"),
        (replace(LABEL, expiry=EXPIRY.replace(second=30)), "expiry"),
    ],
)
def test_it_refuses_to_encode_a_field_that_cannot_be_coded(label: ProductLabel, field: str) -> None:
    with pytest.raises(ProductInputError) as error:
        encode(label)
    assert error.value.field == field


@pytest.mark.parametrize(
    "code",
    [
        "",
        "hello",
        "MSC|v2|L2016-007|01-D007-5|01-R007-3|20160312T1800Z|00000000",
        "XYZ|v1|L2016-007|01-D007-5|01-R007-3|20160312T1800Z|00000000",
        "MSC|v1|L2016-007|01-D007-5|01-R007-3|20160312T1800Z",
        "MSC|v1|L2016-007|01-D007-5|01-R007-3|20160312T1800Z|zzzzzzzz",
    ],
)
def test_it_rejects_a_damaged_code_with_a_clear_message(code: str) -> None:
    with pytest.raises(DamagedCodeError) as error:
        decode(code)
    assert error.value.field == "product_code"
    assert error.value.message.fr.startswith("Code produit illisible")
    assert error.value.message.en.startswith("Damaged product code")


def test_it_rejects_a_truncated_code() -> None:
    with pytest.raises(DamagedCodeError):
        decode(encode(LABEL)[:-1])


def test_it_accepts_the_right_bag_for_the_right_recipient() -> None:
    check = bedside_check(encode(LABEL) + "\r\n", " 01-R007-3 ", ORDER)
    assert check.accepted, check.message.en
    assert check.label == LABEL
    assert "may proceed" in check.message.en


def test_it_refuses_a_recipient_mismatch() -> None:
    check = bedside_check(encode(LABEL), "01-R008-1", ORDER)
    assert check.reasons == {BedsideRefusal.RECIPIENT_MISMATCH}
    assert "01-R008-1" in check.message.fr
    assert check.message.en.startswith("INFUSION REFUSED")


def test_it_refuses_a_bag_labelled_for_another_recipient() -> None:
    other = encode(replace(LABEL, recipient_code="01-R008-1"))
    assert bedside_check(other, "01-R007-3", ORDER).reasons == {BedsideRefusal.RECIPIENT_MISMATCH}


def test_it_refuses_a_bag_that_is_not_the_ordered_product() -> None:
    other = encode(replace(LABEL, batch="L2016-008"))
    assert bedside_check(other, "01-R007-3", ORDER).reasons == {BedsideRefusal.PRODUCT_MISMATCH}


def test_it_refuses_an_unreleased_batch() -> None:
    check = bedside_check(encode(LABEL), "01-R007-3", replace(ORDER, batch_released=False))
    assert check.reasons == {BedsideRefusal.UNRELEASED_BATCH}
    assert "non libéré" in check.message.fr


def test_it_refuses_an_expired_batch() -> None:
    late = replace(ORDER, infusion_at=EXPIRY + timedelta(minutes=1))
    check = bedside_check(encode(LABEL), "01-R007-3", late)
    assert check.reasons == {BedsideRefusal.EXPIRED_BATCH}
    assert "Expired batch" in check.message.en


def test_it_accepts_an_infusion_at_the_expiry_minute() -> None:
    assert bedside_check(encode(LABEL), "01-R007-3", replace(ORDER, infusion_at=EXPIRY)).accepted


def test_it_refuses_a_wrong_dose() -> None:
    check = bedside_check(encode(LABEL), "01-R007-3", replace(ORDER, cells_in_product=80_000_000))
    assert check.reasons == {BedsideRefusal.WRONG_DOSE}
    assert check.dose is not None and check.dose.flagged


def test_it_accepts_a_dose_at_the_edge_of_the_tolerance() -> None:
    assert bedside_check(
        encode(LABEL), "01-R007-3", replace(ORDER, cells_in_product=63_000_000)
    ).accepted


def test_it_refuses_a_damaged_code_and_checks_nothing_else() -> None:
    code = encode(LABEL)
    damaged = code[:10] + ("X" if code[10] != "X" else "Y") + code[11:]
    check = bedside_check(damaged, "01-R007-3", replace(ORDER, batch_released=False))
    assert check.reasons == {BedsideRefusal.DAMAGED_CODE}
    assert check.label is None
    assert "Scan again" in check.message.en


def test_it_lists_every_problem_at_once() -> None:
    order = replace(ORDER, batch_released=False, infusion_at=EXPIRY + timedelta(hours=1))
    check = bedside_check(encode(LABEL), "01-R999-9", order)
    assert check.reasons == {
        BedsideRefusal.RECIPIENT_MISMATCH,
        BedsideRefusal.UNRELEASED_BATCH,
        BedsideRefusal.EXPIRED_BATCH,
    }


def test_it_refuses_a_naive_infusion_time() -> None:
    with pytest.raises(ProductInputError) as error:
        bedside_check(encode(LABEL), "01-R007-3", replace(ORDER, infusion_at=NAIVE))
    assert error.value.field == "infusion_at"
