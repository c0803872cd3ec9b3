"""Protocol settings of the product chain, read from Django settings with the core's defaults.

- ``SCLEROCELL_RELEASE_SPECIFICATION`` (default ``ReleaseSpecification()``, DOMAIN.md §8:
  ISCT 2006 phenotype, viability ≥ 70 %, sterility, endotoxin ≤ 5 EU/kg, mycoplasma, karyotype):
  the release limits;
- ``SCLEROCELL_MAX_INFUSION_RATE_ML_PER_MIN`` (default 2.0, **check** against the protocol): a
  slow IV infusion faster than this is flagged;
- ``SCLEROCELL_BEDSIDE_CHECK_VALID_MINUTES`` (default 120): the infusion starts within this time
  after its accepted bedside check.

A bad value stops the caller loudly (``ImproperlyConfigured``).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from sclerocell.product.specification import DEFAULT_SPECIFICATION, ReleaseSpecification


def specification() -> ReleaseSpecification:
    value: Any = getattr(settings, "SCLEROCELL_RELEASE_SPECIFICATION", DEFAULT_SPECIFICATION)
    if not isinstance(value, ReleaseSpecification):
        raise ImproperlyConfigured(
            f"SCLEROCELL_RELEASE_SPECIFICATION={value!r}: a ReleaseSpecification is expected"
        )
    return value


def max_infusion_rate() -> Decimal:
    value: Any = getattr(settings, "SCLEROCELL_MAX_INFUSION_RATE_ML_PER_MIN", 2.0)
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ImproperlyConfigured(
            f"SCLEROCELL_MAX_INFUSION_RATE_ML_PER_MIN={value!r}: a number > 0 is expected"
        )
    return Decimal(str(value))


def bedside_check_validity() -> timedelta:
    value: Any = getattr(settings, "SCLEROCELL_BEDSIDE_CHECK_VALID_MINUTES", 120)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ImproperlyConfigured(
            f"SCLEROCELL_BEDSIDE_CHECK_VALID_MINUTES={value!r}: an integer ≥ 1 is expected"
        )
    return timedelta(minutes=value)
