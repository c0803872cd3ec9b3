"""Fixtures of the product-chain tests: the persona trial, and a recipient with a released batch."""

from __future__ import annotations

import pytest

from sclerocell.web.product.models import Batch
from tests.web.conftest import Personas
from tests.web.product import factories
from tests.web.trial.conftest import Trial, make_trial


@pytest.fixture
def trial(personas: Personas) -> Trial:
    """A recipient with a donor and a consent at each site."""
    return make_trial(personas)


@pytest.fixture
def released(trial: Trial, personas: Personas) -> Batch:
    """Site A's recipient and donor included, harvested, a conforming batch released."""
    return factories.released_batch(personas, trial.recipient_a)
