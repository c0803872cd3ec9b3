"""One participant's follow-up data, read once: visits in date order with their outcome forms.

The checks, the response and the pages read a :class:`Casebook` rather than querying form by form:
one query for the visits and one per form type, whatever the number of visits.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from typing import Any

from sclerocell.web.trial.models import Participant

from .models import FORM_MODELS, FormStatus, OutcomeForm, Visit


@dataclass
class VisitData:
    visit: Visit
    forms: dict[str, OutcomeForm] = field(default_factory=dict)

    def values(self, code: str) -> dict[str, Any] | None:
        form = self.forms.get(code)
        return None if form is None else form.values()


@dataclass
class Casebook:
    participant: Participant
    visits: list[VisitData]

    def __iter__(self) -> Iterator[VisitData]:
        return iter(self.visits)

    def get(self, visit_id: int) -> VisitData | None:
        return next((v for v in self.visits if v.visit.pk == visit_id), None)

    def previous_values(
        self, visit: Visit, code: str, field_name: str
    ) -> tuple[VisitData, Any] | None:
        """The latest earlier visit (by date) whose ``code`` form has ``field_name`` entered."""
        earlier = [v for v in self.visits if v.visit.visit_date < visit.visit_date]
        for data in reversed(earlier):
            values = data.values(code)
            if values is not None and values.get(field_name) is not None:
                return data, values[field_name]
        return None

    def forms(self) -> Iterator[tuple[VisitData, OutcomeForm]]:
        for data in self.visits:
            for form in data.forms.values():
                yield data, form


def load_casebook(
    participant: Participant,
    *,
    at_least: FormStatus | None = None,
    codes: Collection[str] | None = None,
) -> Casebook:
    """Every visit of ``participant`` and its forms: only those at ``at_least`` or beyond, and
    only the form types in ``codes`` (all when None)."""
    visits = [VisitData(v) for v in Visit.objects.filter(participant=participant)]
    by_id = {data.visit.pk: data for data in visits}
    statuses = list(FormStatus.values)
    allowed = statuses[statuses.index(at_least) :] if at_least is not None else statuses
    for code, model in FORM_MODELS.items():
        if codes is not None and code not in codes:
            continue
        rows = model.objects.filter(visit__participant=participant, status__in=allowed)
        for form in rows:
            by_id[form.visit_id].forms[code] = form
    for data in visits:
        for form in data.forms.values():
            form.visit = data.visit  # already loaded: no query per form
    return Casebook(participant, visits)
