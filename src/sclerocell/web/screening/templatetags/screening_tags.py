"""``{% screening_summary participant %}``: the live verdict and the signature on the participant's
page, with a link to the screening page."""

from __future__ import annotations

from typing import Any

from django import template

from ..evaluation import evaluate, reasons
from ..signatures import state_of

register = template.Library()


@register.inclusion_tag("screening/_summary.html")
def screening_summary(participant: Any) -> dict[str, Any]:
    evaluation = evaluate(participant)
    screening = evaluation.screening
    return {
        "participant": participant,
        "verdict": screening.verdict.value if screening else "",
        "verdict_label": screening.result.evidence.summary if screening else None,
        "reasons": reasons(screening.result) if screening else [],
        "state": state_of(participant, known=(evaluation.index_date, evaluation.facts)),
        "index_date": evaluation.index_date,
    }
