"""The safety settings, read from Django settings with the core's defaults.

- ``SCLEROCELL_STOPPING_PRIOR_A`` / ``_B`` (1.0 / 1.0): Beta prior of the toxicity rate;
- ``SCLEROCELL_STOPPING_THRESHOLD`` (0.30): the highest acceptable toxicity rate θ;
- ``SCLEROCELL_STOPPING_BOUND`` (0.80): stop when P(rate > θ) exceeds it;
- ``SCLEROCELL_STOPPING_ATTRIBUTION`` (``"suspected"``): a grade ≥ 3 event counts as a toxicity
  unless judged unlikely or not related to the MSC; ``"any"``: every grade ≥ 3 event counts;
- ``SCLEROCELL_STOPPING_WINDOW_MONTHS`` (24): toxicities counted from the infusion to this month;
- ``SCLEROCELL_SAFETY_ESCALATION_HOURS`` (24): an overdue clock is escalated (level 2) this long
  after its deadline;
- ``SCLEROCELL_SAFETY_ALERT_FROM`` (``DEFAULT_FROM_EMAIL``): sender of the alert e-mails.

A bad value stops the caller loudly (``ImproperlyConfigured``), like the environment helpers.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from sclerocell.followup.reporting import DEFAULT_CLOCKS, ReportingClocks
from sclerocell.followup.stopping_rule import DEFAULT_STOPPING_RULE, StoppingRuleSettings
from sclerocell.followup.tolerance import DEFAULT_TOLERANCE, ToleranceSettings

ATTRIBUTIONS = ("suspected", "any")


def _number(name: str, default: float) -> float:
    value: Any = getattr(settings, name, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ImproperlyConfigured(f"{name}={value!r}: a number is expected")
    return float(value)


def _whole(name: str, default: int, minimum: int) -> int:
    value: Any = getattr(settings, name, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ImproperlyConfigured(f"{name}={value!r}: an integer ≥ {minimum} is expected")
    return value


def stopping_rule_settings() -> StoppingRuleSettings:
    prior_a = _number("SCLEROCELL_STOPPING_PRIOR_A", DEFAULT_STOPPING_RULE.prior_a)
    prior_b = _number("SCLEROCELL_STOPPING_PRIOR_B", DEFAULT_STOPPING_RULE.prior_b)
    threshold = _number("SCLEROCELL_STOPPING_THRESHOLD", DEFAULT_STOPPING_RULE.threshold)
    bound = _number("SCLEROCELL_STOPPING_BOUND", DEFAULT_STOPPING_RULE.bound)
    default = (
        DEFAULT_STOPPING_RULE.prior_a,
        DEFAULT_STOPPING_RULE.prior_b,
        DEFAULT_STOPPING_RULE.threshold,
        DEFAULT_STOPPING_RULE.bound,
    )
    if (prior_a, prior_b, threshold, bound) == default:
        return DEFAULT_STOPPING_RULE
    try:
        return StoppingRuleSettings(
            version=f"settings (Beta({prior_a:g},{prior_b:g}), θ = {threshold:g}, bound {bound:g})",
            prior_a=prior_a,
            prior_b=prior_b,
            threshold=threshold,
            bound=bound,
        )
    except ValueError as error:
        raise ImproperlyConfigured(f"stopping rule settings: {error}") from error


def stopping_attribution() -> str:
    value = getattr(settings, "SCLEROCELL_STOPPING_ATTRIBUTION", "suspected")
    if value not in ATTRIBUTIONS:
        raise ImproperlyConfigured(
            f"SCLEROCELL_STOPPING_ATTRIBUTION={value!r}: expected one of {ATTRIBUTIONS}"
        )
    return str(value)


def stopping_window_months() -> int:
    return _whole("SCLEROCELL_STOPPING_WINDOW_MONTHS", 24, 1)


def reporting_clocks() -> ReportingClocks:
    return DEFAULT_CLOCKS


def tolerance() -> ToleranceSettings:
    return DEFAULT_TOLERANCE


def escalation_delay() -> timedelta:
    return timedelta(hours=_whole("SCLEROCELL_SAFETY_ESCALATION_HOURS", 24, 1))


def alert_sender() -> str:
    return str(getattr(settings, "SCLEROCELL_SAFETY_ALERT_FROM", settings.DEFAULT_FROM_EMAIL))
