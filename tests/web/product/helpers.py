"""Small helpers of the product-chain tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation


def refusal(call: Callable[[], object], key: str | None = None) -> str:
    """Run ``call`` in English; it must refuse: its messages (of ``key`` only, if given)."""
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            call()
        found = error.value.message_dict
        if key is not None:
            assert key in found, found
        return " ".join(m for k, values in found.items() if key in (None, k) for m in values)


def french_url(name: str, *args: object) -> str:
    """The page's French URL, whatever language an earlier request left active."""
    with translation.override("fr"):
        return reverse(name, args=list(args))
