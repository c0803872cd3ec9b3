"""Every endpoint of the trial from one snapshot: :func:`analyse` → :class:`AnalysisResults`.

The dataset is put in canonical order first (:func:`~sclerocell.analysis.snapshot.canonical_order`)
and its hash is carried by the results, so the same snapshot gives the same numbers whatever the
order of the rows, and a report can say which snapshot it was computed from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sclerocell.analysis.consort import ConsortFlow, consort
from sclerocell.analysis.dataset import VARIABLES, AnalysisDataset
from sclerocell.analysis.messages import Message
from sclerocell.analysis.recruitment import Recruitment, recruitment
from sclerocell.analysis.response import ResponseResults, response
from sclerocell.analysis.safety import LateTolerance, ToleranceResults, late_tolerance, tolerance
from sclerocell.analysis.serialise import JsonValue, jsonable
from sclerocell.analysis.settings import DEFAULT_SETTINGS, AnalysisSettings
from sclerocell.analysis.snapshot import SNAPSHOT_FORMAT, canonical_order, snapshot_hash
from sclerocell.analysis.survival import SurvivalResults, survival
from sclerocell.product.feasibility import FeasibilityReport, feasibility

__all__ = ["AnalysisResults", "analyse", "feasibility_endpoint"]


@dataclass(frozen=True, slots=True)
class AnalysisResults:
    snapshot_hash: str
    snapshot_format: str
    cutoff_date: date
    settings: AnalysisSettings
    #: Primary endpoint, immediate tolerance, AE tables (D0 to the horizon).
    tolerance: ToleranceResults
    late_tolerance: LateTolerance
    #: None when the dataset carries no product courses.
    feasibility: FeasibilityReport | None
    response: ResponseResults
    survival: SurvivalResults
    consort: ConsortFlow
    recruitment: Recruitment
    #: What a reader must know: exploratory results, model warnings, incomplete follow-up.
    notes: tuple[Message, ...]

    def as_dict(self) -> JsonValue:
        """Plain JSON-ready values (for exports and for comparing two runs)."""
        return jsonable(self)


def feasibility_endpoint(
    dataset: AnalysisDataset, confidence: float = 0.95
) -> FeasibilityReport | None:
    """The feasibility objective (:func:`sclerocell.product.feasibility.feasibility`) over the
    included recipients; None without product courses."""
    if not dataset.courses:
        return None
    return feasibility(dataset.courses, confidence)


def _notes(
    safety: ToleranceResults,
    product: FeasibilityReport | None,
    outcome: ResponseResults,
    curves: SurvivalResults,
    settings: AnalysisSettings,
) -> tuple[Message, ...]:
    notes: list[Message] = []
    infused = safety.safety_population.overall
    if safety.full_follow_up < infused:
        notes.append(
            Message(
                f"Suivi complet ({settings.horizon_months} mois ou décès) pour "
                f"{safety.full_follow_up}/{infused} patients perfusés (les autres : perdus de vue, "
                "sortis d'étude ou encore suivis).",
                f"Complete follow-up ({settings.horizon_months} months or death) for "
                f"{safety.full_follow_up}/{infused} infused patients (the others: lost to "
                "follow-up, off study or still followed).",
            )
        )
    if product is None:
        notes.append(
            Message(
                "Faisabilité non calculée : pas de parcours produit.",
                "Feasibility not computed: no product courses.",
            )
        )
    for model in outcome.models:
        if not (model.fitted and model.converged and not model.warnings):
            name = VARIABLES[model.variable][2]
            notes.append(
                Message(
                    f"Modèle mixte {name.fr} : {model.message.fr}",
                    f"Mixed model {name.en}: {model.message.en}",
                )
            )
    exploratory = [c.visit for c in outcome.criss if c.exploratory]
    if exploratory:
        visits = ", ".join(exploratory)
        notes.append(
            Message(
                f"ACR-CRISS à {visits} : exploratoire (validé à 12 mois).",
                f"ACR-CRISS at {visits}: exploratory (validated at 12 months).",
            )
        )
    for curve in (curves.overall, curves.progression_free):
        if curve.n and curve.at_horizon.survival is None:
            notes.append(
                Message(
                    f"{curve.name.fr} : personne n'est suivi jusqu'à {curves.horizon_months} mois.",
                    f"{curve.name.en}: nobody followed up to {curves.horizon_months} months.",
                )
            )
    return tuple(notes)


def analyse(
    dataset: AnalysisDataset, settings: AnalysisSettings = DEFAULT_SETTINGS
) -> AnalysisResults:
    """Every endpoint of the statistical analysis plan for one snapshot."""
    data = canonical_order(dataset)
    safety = tolerance(data, settings)
    product = feasibility_endpoint(data, settings.confidence)
    outcome = response(data, settings)
    curves = survival(data, settings)
    return AnalysisResults(
        snapshot_hash=snapshot_hash(data),
        snapshot_format=SNAPSHOT_FORMAT,
        cutoff_date=data.cutoff_date,
        settings=settings,
        tolerance=safety,
        late_tolerance=late_tolerance(data, settings),
        feasibility=product,
        response=outcome,
        survival=curves,
        consort=consort(data, settings),
        recruitment=recruitment(data, settings),
        notes=_notes(safety, product, outcome, curves, settings),
    )
