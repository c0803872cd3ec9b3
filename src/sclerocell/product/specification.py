"""MSC batch release: the specification, the evaluation of a batch, and the release decision.

Defaults follow DOMAIN.md §8: ISCT minimal criteria (Dominici 2006) for the phenotype
(CD73, CD90, CD105 ≥ 95 %; CD45, CD34, CD14/CD11b, CD19/CD79α, HLA-DR ≤ 2 %), and the usual
release tests of clinical MSC batches, whose values vary by centre and are therefore settings:
viability ≥ 70 %, sterility (no growth), endotoxin ≤ 5 EU/kg of recipient, mycoplasma negative,
normal karyotype, and optionally a maximum passage.

Endotoxin is specified per kg of recipient by default: the load is
``endotoxin (EU/mL) × infused volume (mL) / recipient weight (kg)``, so the evaluation needs the
volume to be infused and the recipient's weight; without them the line is ``missing``. A per-mL
limit is the alternative (:attr:`EndotoxinBasis.PER_ML`).

All limits are inclusive (a phenotype at exactly 95 % or 2 % passes). A batch is conforming only
when every line passes; a batch with a failed or missing line is released only under a documented
deviation (:func:`can_release`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sclerocell.product._exact import exact
from sclerocell.product.messages import Message, ProductInputError, positive_number


class ReleaseTest(StrEnum):
    CD73 = "cd73"
    CD90 = "cd90"
    CD105 = "cd105"
    CD45 = "cd45"
    CD34 = "cd34"
    CD14_CD11B = "cd14_cd11b"
    CD19_CD79A = "cd19_cd79a"
    HLA_DR = "hla_dr"
    VIABILITY = "viability"
    STERILITY = "sterility"
    ENDOTOXIN = "endotoxin"
    MYCOPLASMA = "mycoplasma"
    KARYOTYPE = "karyotype"
    PASSAGE = "passage"


POSITIVE_MARKERS = (ReleaseTest.CD73, ReleaseTest.CD90, ReleaseTest.CD105)
NEGATIVE_MARKERS = (
    ReleaseTest.CD45,
    ReleaseTest.CD34,
    ReleaseTest.CD14_CD11B,
    ReleaseTest.CD19_CD79A,
    ReleaseTest.HLA_DR,
)

_NAMES: dict[ReleaseTest, Message] = {
    ReleaseTest.CD73: Message("CD73", "CD73"),
    ReleaseTest.CD90: Message("CD90", "CD90"),
    ReleaseTest.CD105: Message("CD105", "CD105"),
    ReleaseTest.CD45: Message("CD45", "CD45"),
    ReleaseTest.CD34: Message("CD34", "CD34"),
    ReleaseTest.CD14_CD11B: Message("CD14 ou CD11b", "CD14 or CD11b"),
    ReleaseTest.CD19_CD79A: Message("CD19 ou CD79α", "CD19 or CD79α"),
    ReleaseTest.HLA_DR: Message("HLA-DR", "HLA-DR"),
    ReleaseTest.VIABILITY: Message("Viabilité", "Viability"),
    ReleaseTest.STERILITY: Message("Stérilité", "Sterility"),
    ReleaseTest.ENDOTOXIN: Message("Endotoxines", "Endotoxin"),
    ReleaseTest.MYCOPLASMA: Message("Mycoplasmes", "Mycoplasma"),
    ReleaseTest.KARYOTYPE: Message("Caryotype", "Karyotype"),
    ReleaseTest.PASSAGE: Message("Nombre de passages", "Passage number"),
}


def name_of(test: ReleaseTest) -> Message:
    """The name of a release test, for screens and certificates."""
    return _NAMES[test]


class Sterility(StrEnum):
    NO_GROWTH = "no_growth"
    GROWTH = "growth"


class Mycoplasma(StrEnum):
    NEGATIVE = "negative"
    POSITIVE = "positive"


class Karyotype(StrEnum):
    NORMAL = "normal"
    ABNORMAL = "abnormal"


class EndotoxinBasis(StrEnum):
    PER_KG = "eu_per_kg"  # EU/mL × volume / weight ≤ limit (EU/kg of recipient)
    PER_ML = "eu_per_ml"  # EU/mL ≤ limit


class Outcome(StrEnum):
    PASS = "pass"  # noqa: S105 -- a test outcome, not a password
    FAIL = "fail"
    MISSING = "missing"


_OUTCOME_FR = {Outcome.PASS: "conforme", Outcome.FAIL: "non conforme", Outcome.MISSING: "manquant"}


@dataclass(frozen=True, slots=True)
class ReleaseSpecification:
    """Release limits of one protocol version; all limits inclusive."""

    version: str = "v1 (ISCT 2006 + centre release tests)"
    positive_marker_min_pct: float = 95.0
    negative_marker_max_pct: float = 2.0
    viability_min_pct: float = 70.0
    endotoxin_basis: EndotoxinBasis = EndotoxinBasis.PER_KG
    #: EU per kg of recipient (basis PER_KG) or EU per mL (basis PER_ML).
    endotoxin_limit: float = 5.0
    require_sterility: bool = True
    require_mycoplasma: bool = True
    require_karyotype: bool = True
    #: None: the passage number is not part of the release specification (no source gives one).
    max_passage: int | None = None

    def __post_init__(self) -> None:
        for name in ("positive_marker_min_pct", "negative_marker_max_pct", "viability_min_pct"):
            value = getattr(self, name)
            if not 0 <= value <= 100:
                raise ValueError(f"ReleaseSpecification.{name} must be within 0–100 %")
        if not self.endotoxin_limit > 0:
            raise ValueError("ReleaseSpecification.endotoxin_limit must be > 0")
        if self.max_passage is not None and self.max_passage < 0:
            raise ValueError("ReleaseSpecification.max_passage must be ≥ 0")


DEFAULT_SPECIFICATION = ReleaseSpecification()


@dataclass(frozen=True, slots=True)
class BatchResults:
    """Quality-control results of one batch; ``None`` means not (yet) available.

    Percentages are 0–100. ``infused_volume_ml`` and ``recipient_weight_kg`` are needed for an
    endotoxin limit per kg of recipient.
    """

    batch: str
    cd73_pct: float | None = None
    cd90_pct: float | None = None
    cd105_pct: float | None = None
    cd45_pct: float | None = None
    cd34_pct: float | None = None
    cd14_cd11b_pct: float | None = None
    cd19_cd79a_pct: float | None = None
    hla_dr_pct: float | None = None
    viability_pct: float | None = None
    sterility: Sterility | None = None
    endotoxin_eu_per_ml: float | None = None
    infused_volume_ml: float | None = None
    recipient_weight_kg: float | None = None
    mycoplasma: Mycoplasma | None = None
    karyotype: Karyotype | None = None
    passage: int | None = None


@dataclass(frozen=True, slots=True)
class TestLine:
    """One release test: outcome, observed value, limit and explanation."""

    __test__ = False  # not a pytest test class

    test: ReleaseTest
    outcome: Outcome
    value: float | str | None
    limit: str
    explanation: Message


@dataclass(frozen=True, slots=True)
class ReleaseAssessment:
    batch: str
    specification_version: str
    lines: tuple[TestLine, ...]

    @property
    def conforming(self) -> bool:
        """True only when every line passes."""
        return all(line.outcome is Outcome.PASS for line in self.lines)

    @property
    def failed(self) -> tuple[TestLine, ...]:
        return tuple(line for line in self.lines if line.outcome is Outcome.FAIL)

    @property
    def missing(self) -> tuple[TestLine, ...]:
        return tuple(line for line in self.lines if line.outcome is Outcome.MISSING)

    def line(self, test: ReleaseTest) -> TestLine:
        for line in self.lines:
            if line.test is test:
                return line
        raise KeyError(test)


@dataclass(frozen=True, slots=True)
class ReleaseDecision:
    releasable: bool
    conforming: bool
    #: True when the batch can go only under a documented deviation.
    deviation_required: bool
    deviation: str | None
    reason: Message


_FIELD_OF: dict[ReleaseTest, str] = {
    ReleaseTest.CD73: "cd73_pct",
    ReleaseTest.CD90: "cd90_pct",
    ReleaseTest.CD105: "cd105_pct",
    ReleaseTest.CD45: "cd45_pct",
    ReleaseTest.CD34: "cd34_pct",
    ReleaseTest.CD14_CD11B: "cd14_cd11b_pct",
    ReleaseTest.CD19_CD79A: "cd19_cd79a_pct",
    ReleaseTest.HLA_DR: "hla_dr_pct",
    ReleaseTest.VIABILITY: "viability_pct",
}


def _missing(test: ReleaseTest, limit: str, what: Message | None = None) -> TestLine:
    name = name_of(test)
    detail = what or Message("résultat non disponible", "result not available")
    return TestLine(
        test,
        Outcome.MISSING,
        None,
        limit,
        Message(f"{name.fr} : {detail.fr}.", f"{name.en}: {detail.en}."),
    )


def _percent(results: BatchResults, test: ReleaseTest) -> float | None:
    field = _FIELD_OF[test]
    raw = getattr(results, field)
    if raw is None:
        return None
    value = positive_number(raw, field, allow_zero=True)
    if value > 100:
        raise ProductInputError(
            Message(f"{raw!r} % dépasse 100 %.", f"{raw!r} % is above 100 %."), field=field
        )
    return value


def _threshold_line(
    test: ReleaseTest, value: float | None, limit: float, *, minimum: bool, unit: str
) -> TestLine:
    sign = "≥" if minimum else "≤"
    limit_text = f"{sign} {limit:g} {unit}"
    if value is None:
        return _missing(test, limit_text)
    ok = exact(value) >= exact(limit) if minimum else exact(value) <= exact(limit)
    name = name_of(test)
    verdict = Message("conforme", "pass") if ok else Message("NON CONFORME", "FAIL")
    return TestLine(
        test,
        Outcome.PASS if ok else Outcome.FAIL,
        value,
        limit_text,
        Message(
            f"{name.fr} {value:g} {unit} (limite {limit_text}) : {verdict.fr}.",
            f"{name.en} {value:g} {unit} (limit {limit_text}): {verdict.en}.",
        ),
    )


def _categorical_line(
    test: ReleaseTest, value: StrEnum | None, expected: StrEnum, limit: Message
) -> TestLine:
    if value is None:
        return _missing(test, limit.en)
    try:
        value = type(expected)(value)
    except ValueError:
        allowed = ", ".join(member.value for member in type(expected))
        raise ProductInputError(
            Message(f"{value!r} : valeurs permises {allowed}.", f"{value!r}: allowed {allowed}."),
            field=test.value,
        ) from None
    ok = value is expected
    name = name_of(test)
    verdict = Message("conforme", "pass") if ok else Message("NON CONFORME", "FAIL")
    return TestLine(
        test,
        Outcome.PASS if ok else Outcome.FAIL,
        value.value,
        limit.en,
        Message(
            f"{name.fr} : {value.value} (attendu : {limit.fr}) : {verdict.fr}.",
            f"{name.en}: {value.value} (expected: {limit.en}): {verdict.en}.",
        ),
    )


def _endotoxin_line(results: BatchResults, spec: ReleaseSpecification) -> TestLine:
    test = ReleaseTest.ENDOTOXIN
    name = name_of(test)
    if spec.endotoxin_basis is EndotoxinBasis.PER_ML:
        limit_text = f"≤ {spec.endotoxin_limit:g} EU/mL"
    else:
        limit_text = f"≤ {spec.endotoxin_limit:g} EU/kg"
    if results.endotoxin_eu_per_ml is None:
        return _missing(test, limit_text)
    concentration = positive_number(
        results.endotoxin_eu_per_ml, "endotoxin_eu_per_ml", allow_zero=True
    )
    if spec.endotoxin_basis is EndotoxinBasis.PER_ML:
        load = exact(concentration)
        shown_fr = shown_en = f"{concentration:g} EU/mL"
    else:
        lacking_fr = []
        lacking_en = []
        if results.infused_volume_ml is None:
            lacking_fr.append("volume à perfuser (mL)")
            lacking_en.append("volume to infuse (mL)")
        if results.recipient_weight_kg is None:
            lacking_fr.append("poids du receveur (kg)")
            lacking_en.append("recipient weight (kg)")
        if results.infused_volume_ml is None or results.recipient_weight_kg is None:
            return _missing(
                test,
                limit_text,
                Message(
                    "limite par kg de receveur : manque " + " et ".join(lacking_fr),
                    "limit per kg of recipient: missing " + " and ".join(lacking_en),
                ),
            )
        volume = positive_number(results.infused_volume_ml, "infused_volume_ml")
        weight = positive_number(results.recipient_weight_kg, "recipient_weight_kg")
        load = exact(concentration) * exact(volume) / exact(weight)
        shown_en = (
            f"{concentration:g} EU/mL × {volume:g} mL / {weight:g} kg = {float(load):.3g} EU/kg"
        )
        shown_fr = shown_en
    ok = load <= exact(spec.endotoxin_limit)
    verdict = Message("conforme", "pass") if ok else Message("NON CONFORME", "FAIL")
    return TestLine(
        test,
        Outcome.PASS if ok else Outcome.FAIL,
        float(load),
        limit_text,
        Message(
            f"{name.fr} {shown_fr} (limite {limit_text}) : {verdict.fr}.",
            f"{name.en} {shown_en} (limit {limit_text}): {verdict.en}.",
        ),
    )


def _passage_line(results: BatchResults, maximum: int) -> TestLine:
    test = ReleaseTest.PASSAGE
    limit_text = f"≤ P{maximum}"
    if results.passage is None:
        return _missing(test, limit_text)
    passage = results.passage
    if isinstance(passage, bool) or not isinstance(passage, int) or passage < 0:
        raise ProductInputError(
            Message("Le passage doit être un entier ≥ 0.", "The passage must be an integer ≥ 0."),
            field="passage",
        )
    ok = passage <= maximum
    name = name_of(test)
    verdict = Message("conforme", "pass") if ok else Message("NON CONFORME", "FAIL")
    return TestLine(
        test,
        Outcome.PASS if ok else Outcome.FAIL,
        passage,
        limit_text,
        Message(
            f"{name.fr} P{passage} (limite {limit_text}) : {verdict.fr}.",
            f"{name.en} P{passage} (limit {limit_text}): {verdict.en}.",
        ),
    )


def evaluate_batch(
    results: BatchResults, spec: ReleaseSpecification = DEFAULT_SPECIFICATION
) -> ReleaseAssessment:
    """One line per release test of ``spec``: pass, fail or missing, with value, limit and why.

    Raises :class:`ProductInputError` for an impossible value (negative, above 100 %, not a
    number), naming the field.
    """
    lines: list[TestLine] = []
    for test in POSITIVE_MARKERS:
        lines.append(
            _threshold_line(
                test, _percent(results, test), spec.positive_marker_min_pct, minimum=True, unit="%"
            )
        )
    for test in NEGATIVE_MARKERS:
        lines.append(
            _threshold_line(
                test,
                _percent(results, test),
                spec.negative_marker_max_pct,
                minimum=False,
                unit="%",
            )
        )
    lines.append(
        _threshold_line(
            ReleaseTest.VIABILITY,
            _percent(results, ReleaseTest.VIABILITY),
            spec.viability_min_pct,
            minimum=True,
            unit="%",
        )
    )
    if spec.require_sterility:
        lines.append(
            _categorical_line(
                ReleaseTest.STERILITY,
                results.sterility,
                Sterility.NO_GROWTH,
                Message("absence de pousse", "no growth"),
            )
        )
    lines.append(_endotoxin_line(results, spec))
    if spec.require_mycoplasma:
        lines.append(
            _categorical_line(
                ReleaseTest.MYCOPLASMA,
                results.mycoplasma,
                Mycoplasma.NEGATIVE,
                Message("négatif", "negative"),
            )
        )
    if spec.require_karyotype:
        lines.append(
            _categorical_line(
                ReleaseTest.KARYOTYPE,
                results.karyotype,
                Karyotype.NORMAL,
                Message("normal", "normal"),
            )
        )
    if spec.max_passage is not None:
        lines.append(_passage_line(results, spec.max_passage))
    return ReleaseAssessment(results.batch, spec.version, tuple(lines))


def can_release(assessment: ReleaseAssessment, deviation: str | None) -> ReleaseDecision:
    """Whether the batch may be released.

    A conforming batch is released. A batch with any failed or missing line is released only with
    a documented deviation (non-blank text); without one it is refused, and the reason lists the
    lines at fault.
    """
    documented = deviation.strip() if deviation and deviation.strip() else None
    if assessment.conforming:
        return ReleaseDecision(
            releasable=True,
            conforming=True,
            deviation_required=False,
            deviation=documented,
            reason=Message(
                f"Lot {assessment.batch} conforme : tous les contrôles sont conformes.",
                f"Batch {assessment.batch} conforming: every release test passes.",
            ),
        )
    faults_fr = ", ".join(
        f"{name_of(line.test).fr} ({_OUTCOME_FR[line.outcome]})"
        for line in (*assessment.failed, *assessment.missing)
    )
    faults_en = ", ".join(
        f"{name_of(line.test).en} ({line.outcome.value})"
        for line in (*assessment.failed, *assessment.missing)
    )
    if documented is None:
        return ReleaseDecision(
            releasable=False,
            conforming=False,
            deviation_required=True,
            deviation=None,
            reason=Message(
                f"Lot {assessment.batch} non conforme — {faults_fr}. Libération impossible sans "
                "déviation documentée.",
                f"Batch {assessment.batch} not conforming — {faults_en}. It cannot be released "
                "without a documented deviation.",
            ),
        )
    return ReleaseDecision(
        releasable=True,
        conforming=False,
        deviation_required=True,
        deviation=documented,
        reason=Message(
            f"Lot {assessment.batch} non conforme — {faults_fr} — libéré sous déviation : "
            f"{documented}",
            f"Batch {assessment.batch} not conforming — {faults_en} — released under deviation: "
            f"{documented}",
        ),
    )
