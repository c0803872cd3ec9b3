"""Bayesian safety stopping rule (beta-binomial), per dose level and overall.

With a prior Beta(a, b) on the toxicity rate *p* and *x* toxicities among *n* treated
recipients, the posterior is Beta(a + x, b + n − x). The rule says **stop** when
P(p > θ | data) > bound (strict), where θ is the highest acceptable toxicity rate.
"Stop" means: suspend inclusions and refer to the safety board, which decides.

Defaults (settings; DOMAIN/CRITERIA give none, so they are documented choices):

- prior Beta(1, 1) — uniform, one pseudo-toxicity and one pseudo-non-toxicity: weak, and easy to
  explain to the safety board ("the observed counts plus one of each"). Prior P(p > 0.30) = 0.70,
  below the bound, so the rule never stops without data.
- θ = 0.30, bound = 0.80.

What counts as a toxicity (e.g. a recipient with any CTCAE grade ≥ 3 toxicity attributable to the
infusion) is decided upstream; this module counts recipients, not events.

Hand-worked check: Beta(1, 1), n = 3, x = 3 → Beta(4, 1), P(p > 0.3) = 1 − 0.3⁴ = 0.9919.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from scipy.stats import beta

from sclerocell.followup.messages import FollowUpInputError, Message


@dataclass(frozen=True, slots=True)
class StoppingRuleSettings:
    version: str = "v1 (Beta(1,1), θ = 0.30, bound 0.80)"
    prior_a: float = 1.0
    prior_b: float = 1.0
    threshold: float = 0.30
    bound: float = 0.80
    #: Largest cohort size in the boundary table (the trial's 20 recipients).
    max_n: int = 20

    def __post_init__(self) -> None:
        if not (
            math.isfinite(self.prior_a)
            and math.isfinite(self.prior_b)
            and self.prior_a > 0
            and self.prior_b > 0
        ):
            raise ValueError("StoppingRuleSettings: prior parameters must be finite and > 0")
        if not 0 < self.threshold < 1 or not 0 < self.bound < 1:
            raise ValueError("StoppingRuleSettings: threshold and bound must be in (0, 1)")
        if self.max_n < 1:
            raise ValueError("StoppingRuleSettings.max_n must be ≥ 1")
        prior = float(beta.sf(self.threshold, self.prior_a, self.prior_b))
        if prior > self.bound:
            raise ValueError(
                f"StoppingRuleSettings: the prior alone gives P(p > θ) = {prior:.3f} > bound; "
                "the rule would stop before any recipient is treated"
            )


DEFAULT_STOPPING_RULE = StoppingRuleSettings()


@dataclass(frozen=True, slots=True)
class StoppingAssessment:
    toxicities: int
    treated: int
    posterior_a: float
    posterior_b: float
    #: P(p > θ | data).
    probability: float
    stop: bool
    message: Message


@dataclass(frozen=True, slots=True)
class Boundary:
    """Among ``treated`` recipients, the smallest number of toxicities that triggers stopping."""

    treated: int
    #: None when even ``treated`` toxicities out of ``treated`` do not trigger stopping.
    min_toxicities: int | None
    #: P(p > θ) at that number of toxicities.
    probability: float | None


@dataclass(frozen=True, slots=True)
class SafetyReview:
    by_level: Mapping[int, StoppingAssessment]
    overall: StoppingAssessment

    @property
    def stop(self) -> bool:
        """True when the rule triggers overall or at any dose level."""
        return self.overall.stop or any(a.stop for a in self.by_level.values())


def _counts(toxicities: int, treated: int) -> tuple[int, int]:
    for value, field in ((toxicities, "toxicities"), (treated, "treated")):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise FollowUpInputError(
                Message("Entier ≥ 0 attendu.", "An integer ≥ 0 is expected."), field=field
            )
    if toxicities > treated:
        raise FollowUpInputError(
            Message(
                f"{toxicities} toxicités pour {treated} receveurs traités.",
                f"{toxicities} toxicities among {treated} treated recipients.",
            ),
            field="toxicities",
        )
    return toxicities, treated


def posterior_probability(
    toxicities: int, treated: int, settings: StoppingRuleSettings = DEFAULT_STOPPING_RULE
) -> float:
    """P(p > θ | x toxicities among n treated) under the Beta(a, b) prior."""
    x, n = _counts(toxicities, treated)
    return float(beta.sf(settings.threshold, settings.prior_a + x, settings.prior_b + n - x))


def assess(
    toxicities: int, treated: int, settings: StoppingRuleSettings = DEFAULT_STOPPING_RULE
) -> StoppingAssessment:
    """Posterior probability and the stop / continue decision for one group of recipients."""
    x, n = _counts(toxicities, treated)
    a, b = settings.prior_a + x, settings.prior_b + n - x
    probability = posterior_probability(x, n, settings)
    stop = probability > settings.bound
    theta, bound = f"{settings.threshold:g}", f"{settings.bound:g}"
    if stop:
        message = Message(
            f"{x}/{n} toxicités : P(taux > {theta}) = {probability:.3f} > {bound}. Règle d'arrêt "
            "atteinte : suspendre les inclusions et saisir le comité de surveillance.",
            f"{x}/{n} toxicities: P(rate > {theta}) = {probability:.3f} > {bound}. Stopping rule "
            "met: suspend inclusions and refer to the safety board.",
        )
    else:
        message = Message(
            f"{x}/{n} toxicités : P(taux > {theta}) = {probability:.3f} ≤ {bound}. Poursuite.",
            f"{x}/{n} toxicities: P(rate > {theta}) = {probability:.3f} ≤ {bound}. Continue.",
        )
    return StoppingAssessment(x, n, a, b, probability, stop, message)


def stopping_boundaries(
    settings: StoppingRuleSettings = DEFAULT_STOPPING_RULE,
) -> tuple[Boundary, ...]:
    """For n = 1 … max_n, the number of toxicities among n that triggers stopping."""
    table = []
    for n in range(1, settings.max_n + 1):
        found: Boundary = Boundary(n, None, None)
        for x in range(n + 1):  # P(p > θ) increases with x: the first hit is the boundary
            probability = posterior_probability(x, n, settings)
            if probability > settings.bound:
                found = Boundary(n, x, probability)
                break
        table.append(found)
    return tuple(table)


def review(
    counts_by_level: Mapping[int, tuple[int, int]],
    settings: StoppingRuleSettings = DEFAULT_STOPPING_RULE,
) -> SafetyReview:
    """The rule at each dose level and overall; ``counts_by_level`` maps level → (x, n)."""
    by_level = {level: assess(x, n, settings) for level, (x, n) in sorted(counts_by_level.items())}
    total_x = sum(a.toxicities for a in by_level.values())
    total_n = sum(a.treated for a in by_level.values())
    return SafetyReview(by_level, assess(total_x, total_n, settings))
