"""Building blocks shared by the recipient and donor criteria: findings read with the protocol's
missing-data setting, contraception, pregnancy, social security."""

from __future__ import annotations

from typing import Literal

from sclerocell.criteria.base import Criterion
from sclerocell.criteria.findings import Finding, Mode, TextIn
from sclerocell.criteria.logic import AllOf, AnyOf, Not
from sclerocell.criteria.text import OPERATORS, Text, num
from sclerocell.criteria.values import LatestValue, Op, unit_suffix
from sclerocell.criteria.windows import ANY_TIME, Window
from sclerocell.facts import codes
from sclerocell.protocol.settings import ProtocolSettings


def finding(
    id_: str,
    code: str,
    settings: ProtocolSettings,
    *,
    mode: Mode = "ever",
    window: Window = ANY_TIME,
    attribute: bool = False,
) -> Finding:
    """A finding leaf labelled by its code. History and findings follow the setting
    ``unrecorded_findings``; person attributes (``attribute=True``) are always `unknown` when
    not recorded."""
    missing = "unknown" if attribute else settings.unrecorded_findings
    reading = (
        settings.reading(
            "unrecorded_findings",
            "Non renseigné compté comme absent",
            "Not recorded counts as absent",
        )
        if missing == "absent"
        else None
    )
    return Finding(
        id=id_,
        text=codes.label(code),
        codes=(code,),
        mode=mode,
        window=window,
        missing=missing,
        reading=reading,
    )


def latest(
    id_: str,
    code: str,
    window: Window,
    op: Op,
    threshold: float,
    reading: Text | None = None,
    *,
    missing: Literal["unknown", "not_met"] = "unknown",
) -> LatestValue:
    """The latest value of ``code`` in ``window`` compared with ``threshold``, labelled."""
    label, unit = codes.label(code), unit_suffix(code)
    return LatestValue(
        id=id_,
        text=Text(
            f"{label.fr} {OPERATORS[op]} {num(threshold, 'fr')}{unit}",
            f"{label.en} {OPERATORS[op]} {num(threshold, 'en')}{unit}",
        ),
        code=code,
        window=window,
        op=op,
        threshold=threshold,
        missing=missing,
        reading=reading,
    )


def woman_of_childbearing_potential(prefix: str) -> Criterion:
    return AllOf(
        id=f"{prefix}.woman_of_childbearing_potential",
        text=Text("Femme en âge de procréer", "Woman of childbearing potential"),
        members=(
            TextIn(
                id=f"{prefix}.female",
                text=Text("Sexe féminin", "Female"),
                code="sex",
                allowed=("F",),
            ),
            Finding(
                id=f"{prefix}.childbearing_potential",
                text=codes.label("childbearing_potential"),
                codes=("childbearing_potential",),
                mode="latest",
            ),
        ),
    )


def contraception_if_needed(id_: str, text: Text) -> Criterion:
    """R-I5 / D-I5: not applicable (met) to men and to women without childbearing potential."""
    return AnyOf(
        id=id_,
        text=text,
        members=(
            Not(
                id=f"{id_}.not_applicable",
                text=Text(
                    "Non applicable (homme ou femme non en âge de procréer)",
                    "Not applicable (man, or woman without childbearing potential)",
                ),
                member=woman_of_childbearing_potential(id_),
            ),
            Finding(
                id=f"{id_}.contraception",
                text=codes.label("effective_contraception"),
                codes=("effective_contraception",),
                mode="latest",
            ),
        ),
    )


def pregnancy_or_no_contraception(id_: str, text: Text, settings: ProtocolSettings) -> Criterion:
    """R-E1 / D-E3, for women of childbearing potential."""
    return AllOf(
        id=id_,
        text=text,
        members=(
            woman_of_childbearing_potential(id_),
            AnyOf(
                id=f"{id_}.pregnancy_or_no_contraception",
                text=Text(
                    "Grossesse ou absence de contraception efficace",
                    "Pregnancy or no effective contraception",
                ),
                members=(
                    Finding(
                        id=f"{id_}.pregnancy",
                        text=Text(
                            "Test de grossesse positif (le plus récent)",
                            "Positive pregnancy test (the latest)",
                        ),
                        codes=("pregnancy",),
                        mode="latest",
                        window=Window(settings.pregnancy_test_months),
                    ),
                    Not(
                        id=f"{id_}.no_contraception",
                        text=Text("Pas de contraception efficace", "No effective contraception"),
                        member=Finding(
                            id=f"{id_}.contraception",
                            text=codes.label("effective_contraception"),
                            codes=("effective_contraception",),
                            mode="latest",
                        ),
                    ),
                ),
            ),
        ),
    )


def affiliated(id_: str, text: Text | None = None) -> Finding:
    return Finding(
        id=id_,
        text=text or codes.label("social_security"),
        codes=("social_security",),
        mode="latest",
    )


def not_affiliated(id_: str, text: Text) -> Criterion:
    return Not(id=id_, text=text, member=affiliated(f"{id_}.affiliated"))
