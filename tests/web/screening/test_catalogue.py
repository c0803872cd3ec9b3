"""The forms collect exactly what the criteria read: every code a criterion reads is asked by a
form or comes from the trial's records, and every form asks only codes of the vocabulary."""

from __future__ import annotations

from sclerocell.criteria.evaluate import walk
from sclerocell.facts import codes
from sclerocell.facts.units import normalise
from sclerocell.protocol.screen import criteria
from sclerocell.web.screening import catalogue

# Codes filled from the trial's records or by dedicated forms (not the finding sections).
FROM_TRIAL = {"sex", "birth_month", "informed_consent", "consenting_donor", "donor_relationship"}
FROM_PROFILE = {"childbearing_potential", "effective_contraception", "social_security"}
FROM_OTHER_FORMS = {"sbp", "dbp", "mrss_total", *codes.MRSS_SITE_CODES}
RECIPIENT_ONLY = {"cyclophosphamide_iv_high_dose"}


def read_by(role: str) -> set[str]:
    found: set[str] = set()
    for node in walk(criteria(role)):  # type: ignore[arg-type]
        for attribute in ("codes", "item_codes"):
            found |= set(getattr(node, attribute, ()) or ())
        for attribute in ("code", "total_code"):
            value = getattr(node, attribute, None)
            if isinstance(value, str):
                found.add(value)
        for qualifier in getattr(node, "qualifiers", ()):
            found.add(qualifier.code)
        for select in getattr(node, "inputs", {}).values():
            found |= set(select.codes)
        for item in (i for d in getattr(node, "domains", ()) for i in d.items):
            found.add(item.code)
        for applicability in getattr(node, "applicability", ()):
            found.add(applicability.code)
    return found


def asked(role: str) -> set[str]:
    found = set(catalogue.finding_codes(role)) | set(catalogue.statement_codes(role))
    if role == "recipient":
        found |= catalogue.MEASURED_CODES | FROM_OTHER_FORMS | RECIPIENT_ONLY
    return found | FROM_TRIAL | FROM_PROFILE


def test_every_code_a_criterion_reads_is_collected() -> None:
    for role in ("recipient", "donor"):
        assert read_by(role) <= asked(role), (role, read_by(role) - asked(role))


def test_every_code_a_form_asks_is_read_by_a_criterion() -> None:
    for role in ("recipient", "donor"):
        forms = set(catalogue.finding_codes(role)) | set(catalogue.statement_codes(role))
        assert forms <= read_by(role), (role, forms - read_by(role))
    assert catalogue.MEASURED_CODES <= read_by("recipient")


def test_every_code_is_of_the_kind_its_form_expects() -> None:
    for section in catalogue.FINDING_SECTIONS:
        assert all(codes.get(c).kind == "finding" for c in section.codes), section.slug
    for role in ("recipient", "donor"):
        assert all(codes.get(c).kind in ("statement",) for c in catalogue.statement_codes(role))
    assert all(codes.get(c).kind == "measurement" for c in catalogue.MEASURED_CODES)


def test_every_unit_offered_converts_and_the_first_is_canonical() -> None:
    for code, units in catalogue.UNITS.items():
        assert normalise(code, 1.0, units[0]).as_measured is None, code
        for unit in units:
            assert normalise(code, 1.0, unit).unit == codes.get(code).unit, (code, unit)
    assert set(catalogue.UNITS) == set(catalogue.MEASURED_CODES)
