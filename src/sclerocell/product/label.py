"""The machine-readable product code on the MSC bag, and the bedside check before infusion.

Code (ASCII, one line, fits a QR or DataMatrix symbol)::

    MSC|v1|<batch>|<donor>|<recipient>|<expiry YYYYMMDDTHHMMZ>|<CRC-32, 8 upper-case hex>

- Study codes and batch numbers are opaque strings of ``A–Z a–z 0–9 - . _ /`` (e.g.
  ``01-R007-3``); the separator ``|`` and any other character are refused at encoding.
- The expiry is an instant in UTC to the minute: a fresh cell product expires within hours, so a
  date alone would be ambiguous about the hour and the time zone.
- The checksum is CRC-32 of the ASCII text before the last ``|``. CRC-32 detects every error
  burst of ≤ 32 bits, hence every single-character substitution; a changed separator alters the
  field count. A misread scan is therefore refused, never decoded into another valid label.

The bedside check refuses the infusion, each with its reason in French and English, when the code
is damaged, the wristband or the order names another recipient, the bag is not the ordered
product, the batch is not released, the batch has expired (expiry before the infusion instant;
an infusion exactly at the expiry minute is accepted), or the dose is outside tolerance.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from sclerocell.product.dosing import (
    DEFAULT_DOSE_SETTINGS,
    DoseCheck,
    DoseLevel,
    DoseSettings,
    check_dose,
)
from sclerocell.product.messages import Message, ProductInputError

PREFIX = "MSC"
VERSION = "v1"
SEPARATOR = "|"
_FIELD = re.compile(r"[A-Za-z0-9._/-]+")
_CHECK = re.compile(r"[0-9A-F]{8}")
_EXPIRY = re.compile(r"\d{8}T\d{4}Z")
_EXPIRY_FORMAT = "%Y%m%dT%H%MZ"


class DamagedCodeError(ProductInputError):
    """The scanned product code is unreadable, altered or of an unknown version."""

    def __init__(self, message: Message) -> None:
        super().__init__(message, field="product_code")


@dataclass(frozen=True, slots=True)
class ProductLabel:
    """What the product code carries. ``expiry`` is an aware datetime in UTC, to the minute."""

    batch: str
    donor_code: str
    recipient_code: str
    expiry: datetime


def _check_field(value: object, field: str) -> str:
    if not isinstance(value, str) or not _FIELD.fullmatch(value):
        raise ProductInputError(
            Message(
                f"{value!r} : seuls A–Z, a–z, 0–9, « - . _ / » sont permis (non vide).",
                f"{value!r}: only A–Z, a–z, 0–9 and '- . _ /' are allowed (non-empty).",
            ),
            field=field,
        )
    return value


def _checksum(payload: str) -> str:
    return f"{zlib.crc32(payload.encode('ascii')):08X}"


def encode(label: ProductLabel) -> str:
    """The product code of ``label``; :class:`ProductInputError` on a field that cannot be coded."""
    batch = _check_field(label.batch, "batch")
    donor = _check_field(label.donor_code, "donor_code")
    recipient = _check_field(label.recipient_code, "recipient_code")
    expiry = label.expiry
    if expiry.tzinfo is None or expiry.utcoffset() is None:
        raise ProductInputError(
            Message(
                "La date de péremption doit porter un fuseau horaire (UTC).",
                "The expiry must be an aware datetime (UTC).",
            ),
            field="expiry",
        )
    if expiry.second or expiry.microsecond:
        raise ProductInputError(
            Message(
                "La péremption se code à la minute (secondes = 0).",
                "The expiry is coded to the minute (seconds must be 0).",
            ),
            field="expiry",
        )
    stamp = expiry.astimezone(UTC).strftime(_EXPIRY_FORMAT)
    payload = SEPARATOR.join((PREFIX, VERSION, batch, donor, recipient, stamp))
    return f"{payload}{SEPARATOR}{_checksum(payload)}"


def _damaged(fr: str, en: str) -> DamagedCodeError:
    return DamagedCodeError(
        Message(f"Code produit illisible ou altéré : {fr}", f"Damaged product code: {en}")
    )


def decode(code: str) -> ProductLabel:
    """The label carried by ``code``; :class:`DamagedCodeError` if anything is wrong with it."""
    if not isinstance(code, str) or not code.isascii():
        raise _damaged("caractères non ASCII.", "non-ASCII characters.")
    parts = code.split(SEPARATOR)
    if len(parts) != 7:
        raise _damaged(f"{len(parts)} champs au lieu de 7.", f"{len(parts)} fields instead of 7.")
    prefix, version, batch, donor, recipient, stamp, check = parts
    if prefix != PREFIX:
        raise _damaged("ce n'est pas un code de produit MSC.", "not an MSC product code.")
    if version != VERSION:
        raise _damaged(f"version {version!r} inconnue.", f"unknown version {version!r}.")
    if not _CHECK.fullmatch(check):
        raise _damaged("clé de contrôle mal formée.", "malformed check value.")
    if check != _checksum(code[: -len(check) - 1]):
        raise _damaged(
            "la clé de contrôle ne correspond pas (lecture erronée ?).",
            "the check value does not match (misread scan?).",
        )
    for value in (batch, donor, recipient):
        if not _FIELD.fullmatch(value):
            raise _damaged("champ vide ou invalide.", "empty or invalid field.")
    if not _EXPIRY.fullmatch(stamp):
        raise _damaged("date de péremption mal formée.", "malformed expiry.")
    try:
        expiry = datetime.strptime(stamp, _EXPIRY_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        raise _damaged("date de péremption impossible.", "impossible expiry date.") from None
    return ProductLabel(batch=batch, donor_code=donor, recipient_code=recipient, expiry=expiry)


class BedsideRefusal(StrEnum):
    DAMAGED_CODE = "damaged_code"
    RECIPIENT_MISMATCH = "recipient_mismatch"
    PRODUCT_MISMATCH = "product_mismatch"
    UNRELEASED_BATCH = "unreleased_batch"
    EXPIRED_BATCH = "expired_batch"
    WRONG_DOSE = "wrong_dose"


@dataclass(frozen=True, slots=True)
class InfusionOrder:
    """What the product chain expects at the bedside, from the records (not from the bag).

    ``cells_in_product`` is the released cell count of the bag; ``infusion_at`` is the aware
    instant of the planned infusion (normally now).
    """

    recipient_code: str
    batch: str
    donor_code: str
    batch_released: bool
    cells_in_product: int
    recipient_weight_kg: float
    dose_level: DoseLevel
    infusion_at: datetime
    dose_settings: DoseSettings = DEFAULT_DOSE_SETTINGS


@dataclass(frozen=True, slots=True)
class BedsideProblem:
    reason: BedsideRefusal
    message: Message


@dataclass(frozen=True, slots=True)
class BedsideCheck:
    """The outcome of the bedside check: every problem found, or none."""

    problems: tuple[BedsideProblem, ...]
    label: ProductLabel | None
    dose: DoseCheck | None

    @property
    def accepted(self) -> bool:
        return not self.problems

    @property
    def reasons(self) -> frozenset[BedsideRefusal]:
        return frozenset(problem.reason for problem in self.problems)

    @property
    def message(self) -> Message:
        if self.accepted:
            return Message(
                "Contrôle au lit du patient conforme : perfusion autorisée.",
                "Bedside check passed: the infusion may proceed.",
            )
        return Message(
            "PERFUSION REFUSÉE — " + " ".join(p.message.fr for p in self.problems),
            "INFUSION REFUSED — " + " ".join(p.message.en for p in self.problems),
        )


def _fmt(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def bedside_check(
    scanned_product_code: str, scanned_recipient_code: str, expected: InfusionOrder
) -> BedsideCheck:
    """Check the scanned bag and wristband against the infusion order; list every problem.

    Scanner line endings and surrounding spaces are ignored. A damaged product code stops the
    check there (nothing else on the bag can be trusted).
    """
    if expected.infusion_at.tzinfo is None or expected.infusion_at.utcoffset() is None:
        raise ProductInputError(
            Message(
                "L'heure de perfusion doit porter un fuseau horaire.",
                "The infusion time must be an aware datetime.",
            ),
            field="infusion_at",
        )
    try:
        label = decode(scanned_product_code.strip())
    except DamagedCodeError as error:
        return BedsideCheck(
            (
                BedsideProblem(
                    BedsideRefusal.DAMAGED_CODE,
                    Message(
                        f"{error.message.fr} Scanner à nouveau ou saisir le code.",
                        f"{error.message.en} Scan again or key in the code.",
                    ),
                ),
            ),
            None,
            None,
        )
    problems: list[BedsideProblem] = []
    wristband = scanned_recipient_code.strip()
    if wristband != label.recipient_code or wristband != expected.recipient_code:
        problems.append(
            BedsideProblem(
                BedsideRefusal.RECIPIENT_MISMATCH,
                Message(
                    f"Receveur discordant : bracelet {wristband or '(vide)'}, poche "
                    f"{label.recipient_code}, prescription {expected.recipient_code}.",
                    f"Recipient mismatch: wristband {wristband or '(empty)'}, bag "
                    f"{label.recipient_code}, order {expected.recipient_code}.",
                ),
            )
        )
    if label.batch != expected.batch or label.donor_code != expected.donor_code:
        problems.append(
            BedsideProblem(
                BedsideRefusal.PRODUCT_MISMATCH,
                Message(
                    f"Poche non prévue : lot {label.batch} / donneur {label.donor_code}, attendu "
                    f"lot {expected.batch} / donneur {expected.donor_code}.",
                    f"Not the ordered product: batch {label.batch} / donor {label.donor_code}, "
                    f"expected batch {expected.batch} / donor {expected.donor_code}.",
                ),
            )
        )
    if not expected.batch_released:
        problems.append(
            BedsideProblem(
                BedsideRefusal.UNRELEASED_BATCH,
                Message(
                    f"Lot {expected.batch} non libéré.", f"Batch {expected.batch} is not released."
                ),
            )
        )
    if label.expiry < expected.infusion_at:
        problems.append(
            BedsideProblem(
                BedsideRefusal.EXPIRED_BATCH,
                Message(
                    f"Lot périmé : péremption {_fmt(label.expiry)}, perfusion "
                    f"{_fmt(expected.infusion_at)}.",
                    f"Expired batch: expiry {_fmt(label.expiry)}, infusion "
                    f"{_fmt(expected.infusion_at)}.",
                ),
            )
        )
    dose = check_dose(
        expected.cells_in_product,
        expected.recipient_weight_kg,
        expected.dose_level,
        expected.dose_settings,
    )
    if dose.flagged:
        problems.append(BedsideProblem(BedsideRefusal.WRONG_DOSE, dose.message))
    return BedsideCheck(tuple(problems), label, dose)
