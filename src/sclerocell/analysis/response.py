"""Clinical response at 3, 6, 9 and 12 months: changes from baseline, mixed model, ACR-CRISS.

Population: the infused recipients, observed cases (no imputation); every result says how many
recipients it uses and how many are missing, and why (no baseline value, or no value at the visit).

- **Paired changes** (mRSS, FVC and DLCO % predicted, HAQ-DI): change = visit − baseline; mean,
  SD and t-based confidence interval of the mean change, median and quartiles; paired t-test;
  Wilcoxon signed-rank test (zero differences dropped — Wilcoxon's convention; exact p-value
  without ties, normal approximation with tie correction otherwise). Differences are rounded to
  1e-9 so that 72.3 − 70.1 and 2.2 tie and 0.3 − (0.1 + 0.2) is a zero.
- **Linear mixed model** over the visits (statsmodels ``MixedLM``, REML): value ~ visit
  (categorical, baseline the reference) with a random intercept per recipient; each visit's
  estimate is the mean change from baseline, with its Wald confidence interval. Convergence
  problems do not stop the analysis: the warnings are kept in the result and its message says
  to read the estimates with caution.
- **ACR-CRISS** (:func:`sclerocell.clinical.criss.acr_criss`): the proportion improved among the
  recipients whose status is decided, with an exact interval; exploratory before 12 months (the
  index is validated for the 1-year change).
"""

from __future__ import annotations

import math
import statistics
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.regression.mixed_linear_model import MixedLM

from sclerocell.analysis.dataset import (
    BASELINE,
    AnalysisDataset,
    VisitMeasurement,
)
from sclerocell.analysis.messages import Message
from sclerocell.analysis.settings import AnalysisSettings
from sclerocell.analysis.timeline import visit_definition
from sclerocell.clinical.criss import CrissChanges, CrissResult, acr_criss
from sclerocell.product.feasibility import Proportion, proportion

__all__ = [
    "CrissVisit",
    "MixedEstimate",
    "MixedModelResult",
    "PairedChange",
    "ResponseResults",
    "criss_by_visit",
    "mixed_model",
    "paired_change",
    "response",
]

_ROUNDING = 9


@dataclass(frozen=True, slots=True)
class PairedChange:
    """Change from baseline of one variable at one visit (observed pairs)."""

    variable: str
    visit: str
    #: Recipients in the population (infused).
    population: int
    #: Recipients with both a baseline and a visit value.
    n: int
    #: ``population − n`` = ``missing_baseline + missing_follow_up``.
    missing: int
    missing_baseline: int
    #: Baseline present, visit value absent.
    missing_follow_up: int
    baseline_mean: float | None
    follow_up_mean: float | None
    mean_change: float | None
    sd_change: float | None
    ci_low: float | None
    ci_high: float | None
    median_change: float | None
    q1_change: float | None
    q3_change: float | None
    t_statistic: float | None
    t_p_value: float | None
    #: Smaller of the signed-rank sums (scipy's two-sided statistic).
    wilcoxon_statistic: float | None
    wilcoxon_p_value: float | None
    wilcoxon_n_nonzero: int
    #: "exact" or "normal approximation"; None when the test was not computed.
    wilcoxon_method: str | None
    note: Message | None


@dataclass(frozen=True, slots=True)
class MixedEstimate:
    #: The fixed-effect term: "intercept" (baseline mean) or a visit code (change from baseline).
    term: str
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None


@dataclass(frozen=True, slots=True)
class MixedModelResult:
    variable: str
    #: Visits in the model (reference first); visits without any value are left out.
    visits: tuple[str, ...]
    n_subjects: int
    n_observations: int
    fitted: bool
    converged: bool
    estimates: tuple[MixedEstimate, ...]
    random_intercept_variance: float | None
    residual_variance: float | None
    #: Warnings raised while fitting (statsmodels' own words).
    warnings: tuple[str, ...]
    message: Message


@dataclass(frozen=True, slots=True)
class CrissVisit:
    visit: str
    months: int
    population: int
    #: Recipients whose ACR-CRISS status is decided (improved or not).
    evaluable: int
    #: Improved among the evaluable, with its exact interval.
    improved: Proportion
    #: Not decidable (missing core items, no visit): ``population − evaluable``.
    undetermined: int
    step1_events: int
    exploratory: bool
    by_subject: Mapping[str, CrissResult]
    note: Message


@dataclass(frozen=True, slots=True)
class ResponseResults:
    paired: tuple[PairedChange, ...]
    models: tuple[MixedModelResult, ...]
    criss: tuple[CrissVisit, ...]


def _finite(value: object) -> float | None:
    if value is None:
        return None
    result = float(value)  # type: ignore[arg-type]  # numpy scalars and floats
    return result if math.isfinite(result) else None


# --- paired changes ----------------------------------------------------------------------------


def paired_change(
    pairs: Sequence[tuple[float | None, float | None]],
    *,
    variable: str = "",
    visit: str = "",
    confidence: float = 0.95,
) -> PairedChange:
    """Paired summary and tests of ``(baseline, follow_up)`` pairs; ``None`` is missing."""
    population = len(pairs)
    missing_baseline = sum(b is None for b, _ in pairs)
    missing_follow_up = sum(b is not None and f is None for b, f in pairs)
    complete = [(float(b), float(f)) for b, f in pairs if b is not None and f is not None]
    n = len(complete)
    base = [b for b, _ in complete]
    follow = [f for _, f in complete]
    diffs = [round(f - b, _ROUNDING) for b, f in complete]

    def empty(note: Message) -> PairedChange:
        return PairedChange(
            variable=variable,
            visit=visit,
            population=population,
            n=n,
            missing=population - n,
            missing_baseline=missing_baseline,
            missing_follow_up=missing_follow_up,
            baseline_mean=statistics.fmean(base) if n else None,
            follow_up_mean=statistics.fmean(follow) if n else None,
            mean_change=statistics.fmean(diffs) if n else None,
            sd_change=None,
            ci_low=None,
            ci_high=None,
            median_change=statistics.median(diffs) if n else None,
            q1_change=None,
            q3_change=None,
            t_statistic=None,
            t_p_value=None,
            wilcoxon_statistic=None,
            wilcoxon_p_value=None,
            wilcoxon_n_nonzero=0,
            wilcoxon_method=None,
            note=note,
        )

    if n < 2:
        return empty(
            Message(f"{n} paire(s) complète(s) : pas de test.", f"{n} complete pair(s): no test.")
        )
    mean = statistics.fmean(diffs)
    sd = statistics.stdev(diffs)
    q1, _, q3 = (float(q) for q in np.percentile(diffs, [25, 50, 75]))
    notes_fr: list[str] = []
    notes_en: list[str] = []
    if sd > 0:
        half = float(stats.t.ppf(0.5 + confidence / 2, n - 1)) * sd / math.sqrt(n)
        ci_low, ci_high = mean - half, mean + half
        t = mean / (sd / math.sqrt(n))
        t_p: float | None = float(2 * stats.t.sf(abs(t), n - 1))
        t_stat: float | None = t
    else:
        ci_low = ci_high = mean
        t_stat = t_p = None
        notes_fr.append("changements tous identiques : pas de test t")
        notes_en.append("all changes equal: no t-test")
    nonzero = [d for d in diffs if d != 0]
    w_stat = w_p = None
    method: str | None = None
    if nonzero:
        exact = len({abs(d) for d in nonzero}) == len(nonzero) and len(nonzero) <= 50
        method = "exact" if exact else "normal approximation"
        result = stats.wilcoxon(nonzero, method="exact" if exact else "asymptotic")
        w_stat, w_p = _finite(result.statistic), _finite(result.pvalue)
    else:
        notes_fr.append("aucun changement non nul : pas de test de Wilcoxon")
        notes_en.append("no non-zero change: no Wilcoxon test")
    if len(nonzero) < n:
        notes_fr.append(f"{n - len(nonzero)} changement(s) nul(s) écarté(s) du test de Wilcoxon")
        notes_en.append(f"{n - len(nonzero)} zero change(s) dropped from the Wilcoxon test")
    note = Message("; ".join(notes_fr) + ".", "; ".join(notes_en) + ".") if notes_en else None
    return PairedChange(
        variable=variable,
        visit=visit,
        population=population,
        n=n,
        missing=population - n,
        missing_baseline=missing_baseline,
        missing_follow_up=missing_follow_up,
        baseline_mean=statistics.fmean(base),
        follow_up_mean=statistics.fmean(follow),
        mean_change=mean,
        sd_change=sd,
        ci_low=ci_low,
        ci_high=ci_high,
        median_change=float(statistics.median(diffs)),
        q1_change=q1,
        q3_change=q3,
        t_statistic=t_stat,
        t_p_value=t_p,
        wilcoxon_statistic=w_stat,
        wilcoxon_p_value=w_p,
        wilcoxon_n_nonzero=len(nonzero),
        wilcoxon_method=method,
        note=note,
    )


# --- mixed model -------------------------------------------------------------------------------


def mixed_model(
    observations: Sequence[tuple[str, str, float]],
    *,
    variable: str = "",
    visits: Sequence[str],
    confidence: float = 0.95,
) -> MixedModelResult:
    """Random-intercept linear mixed model of ``(subject, visit, value)`` observations with the
    visit as a categorical fixed effect, ``visits[0]`` the reference."""
    reference = visits[0]
    rows = sorted(
        (s, v, float(x)) for s, v, x in observations if v in visits
    )  # canonical order: the fit does not depend on the order of the rows
    present = [v for v in visits if any(row[1] == v for row in rows)]
    subjects = sorted({row[0] for row in rows})

    def failed(fr: str, en: str, caught: tuple[str, ...] = ()) -> MixedModelResult:
        return MixedModelResult(
            variable=variable,
            visits=tuple(present),
            n_subjects=len(subjects),
            n_observations=len(rows),
            fitted=False,
            converged=False,
            estimates=(),
            random_intercept_variance=None,
            residual_variance=None,
            warnings=caught,
            message=Message(f"Modèle non ajusté : {fr}", f"Model not fitted: {en}"),
        )

    if reference not in present or len(present) < 2:
        return failed(
            "pas de valeur initiale ou de visite de suivi.", "no baseline or no follow-up values."
        )
    if len(subjects) < 2 or len(rows) <= len(present) + 1:
        return failed("trop peu d'observations.", "too few observations.")
    terms = present[1:]
    endog = np.array([x for _, _, x in rows])
    exog = pd.DataFrame(
        {"intercept": np.ones(len(rows))}
        | {v: np.array([1.0 if row[1] == v else 0.0 for row in rows]) for v in terms}
    )
    groups = np.array([s for s, _, _ in rows])
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        try:
            model = MixedLM(endog, exog, groups=groups)
            fit = model.fit(reml=True)
        except (np.linalg.LinAlgError, ValueError) as error:
            caught = tuple(dict.fromkeys(str(r.message) for r in records))
            return failed(f"échec de l'ajustement ({error}).", f"the fit failed ({error}).", caught)
    caught = tuple(dict.fromkeys(str(r.message) for r in records))
    converged = bool(getattr(fit, "converged", False))
    params = fit.fe_params
    bounds = np.asarray(fit.conf_int(alpha=1 - confidence))
    pvalues = np.asarray(fit.pvalues)
    estimates = []
    for index, name in enumerate(["intercept", *terms]):
        estimates.append(
            MixedEstimate(
                term=name,
                estimate=_finite(params.iloc[index]),
                ci_low=_finite(bounds[index, 0]),
                ci_high=_finite(bounds[index, 1]),
                p_value=_finite(pvalues[index]),
            )
        )
    if converged and not caught:
        message = Message("Modèle ajusté, convergence atteinte.", "Model fitted; converged.")
    elif converged:
        message = Message(
            f"Modèle ajusté avec {len(caught)} avertissement(s) : "
            "lire les estimations avec prudence.",
            f"Model fitted with {len(caught)} warning(s): read the estimates with caution.",
        )
    else:
        message = Message(
            "L'optimisation n'a pas convergé : estimations non fiables.",
            "The optimisation did not converge: the estimates are not reliable.",
        )
    return MixedModelResult(
        variable=variable,
        visits=tuple(present),
        n_subjects=len(subjects),
        n_observations=len(rows),
        fitted=True,
        converged=converged,
        estimates=tuple(estimates),
        random_intercept_variance=_finite(np.asarray(fit.cov_re)[0, 0]),
        residual_variance=_finite(fit.scale),
        warnings=caught,
        message=message,
    )


# --- ACR-CRISS ---------------------------------------------------------------------------------

_CRISS_ITEMS = {
    "delta_mrss": "mrss",
    "delta_fvc_percent_predicted": "fvc_percent_predicted",
    "delta_patient_global": "patient_global",
    "delta_physician_global": "physician_global",
    "delta_haq_di": "haq_di",
}


def _changes(baseline: VisitMeasurement | None, visit: VisitMeasurement) -> CrissChanges | None:
    if baseline is None:
        return None
    deltas: dict[str, float] = {}
    for name, variable in _CRISS_ITEMS.items():
        start, end = baseline.value(variable), visit.value(variable)
        if start is None or end is None:
            return None
        deltas[name] = round(end - start, _ROUNDING)
    return CrissChanges(**deltas)


def criss_by_visit(dataset: AnalysisDataset, settings: AnalysisSettings, visit: str) -> CrissVisit:
    """ACR-CRISS of every infused recipient at ``visit`` and the proportion improved."""
    months = visit_definition(visit, settings.schedule).months
    records = {(v.subject_code, v.visit): v for v in dataset.visits}
    population = [s for s in dataset.subjects if s.infusion_date is not None]
    by_subject: dict[str, CrissResult] = {}
    for subject in population:
        record = records.get((subject.code, visit))
        if record is None:
            continue
        by_subject[subject.code] = acr_criss(
            record.step1,
            _changes(records.get((subject.code, BASELINE)), record),
            threshold=settings.criss_threshold,
            interval_months=months,
        )
    decided = [r for r in by_subject.values() if r.improved is not None]
    improved = sum(r.improved is True for r in decided)
    exploratory = months != 12
    if exploratory:
        note = Message(
            f"Exploratoire : l'ACR-CRISS est validé sur 12 mois, pas {months}.",
            f"Exploratory: the ACR-CRISS is validated over 12 months, not {months}.",
        )
    else:
        note = Message("Intervalle validé (12 mois).", "Validated interval (12 months).")
    return CrissVisit(
        visit=visit,
        months=months,
        population=len(population),
        evaluable=len(decided),
        improved=proportion(improved, len(decided), settings.confidence),
        undetermined=len(population) - len(decided),
        step1_events=sum(bool(r.step1_events) for r in by_subject.values()),
        exploratory=exploratory,
        by_subject=MappingProxyType(by_subject),
        note=note,
    )


# --- all response analyses ---------------------------------------------------------------------


def response(dataset: AnalysisDataset, settings: AnalysisSettings) -> ResponseResults:
    population = sorted(s.code for s in dataset.subjects if s.infusion_date is not None)
    records = {(v.subject_code, v.visit): v for v in dataset.visits}

    def value(code: str, visit: str, variable: str) -> float | None:
        record = records.get((code, visit))
        return None if record is None else record.value(variable)

    paired = []
    models = []
    for variable in settings.response_variables:
        for visit in settings.response_visits:
            pairs = [(value(c, BASELINE, variable), value(c, visit, variable)) for c in population]
            paired.append(
                paired_change(pairs, variable=variable, visit=visit, confidence=settings.confidence)
            )
        observations = [
            (c, v, x)
            for c in population
            for v in settings.model_visits
            if (x := value(c, v, variable)) is not None
        ]
        models.append(
            mixed_model(
                observations,
                variable=variable,
                visits=settings.model_visits,
                confidence=settings.confidence,
            )
        )
    criss = tuple(criss_by_visit(dataset, settings, v) for v in settings.response_visits)
    return ResponseResults(tuple(paired), tuple(models), criss)
