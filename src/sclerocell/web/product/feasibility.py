"""Feasibility (secondary objective) from the records: the core's counts over included recipients.

``feasibility_report()`` is what the analysis and the report call; the page calls it on the
recipients of the user's sites. Definitions (one recipient each):

- **included**: an inclusion date;
- **donor found**: a donor was chosen (``DonorSelection``);
- **harvest done**: a bone-marrow harvest of one of their donors is recorded;
- **released first time**: the first batch made for them was released at its decision, within
  specification (a release under deviation does not count);
- **infused** / **at the target dose**: an infusion record, whose dose is within the cohort's
  tolerance;
- **days from inclusion to infusion**: infusion date − inclusion date.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from sclerocell.product.feasibility import FeasibilityReport, RecipientCourse, feasibility
from sclerocell.web.trial.models import DonorSelection, Participant, ParticipantKind

from .models import Batch, Harvest, Infusion, ReleaseOutcome


def recipient_courses(recipients: QuerySet[Participant]) -> list[RecipientCourse]:
    """One course per recipient of the queryset (donors in it are ignored), in five queries."""
    rows = list(
        recipients.filter(kind=ParticipantKind.RECIPIENT)
        .select_related(None)
        .prefetch_related(
            Prefetch(
                "batches",
                queryset=Batch.objects.select_related("release").order_by("manufactured_on", "pk"),
            )
        )
        .order_by("pk")
    )
    ids = [row.pk for row in rows]
    chosen = set(
        DonorSelection.objects.filter(recipient__in=ids).values_list("recipient_id", flat=True)
    )
    harvested = set(
        Harvest.objects.filter(donor__recipient__in=ids).values_list(
            "donor__recipient_id", flat=True
        )
    )
    infusions = {
        infusion.recipient_id: infusion for infusion in Infusion.objects.filter(recipient__in=ids)
    }
    courses = []
    for row in rows:
        batches = list(row.batches.all())
        first = batches[0] if batches else None
        decision = getattr(first, "release", None) if first is not None else None
        infusion = infusions.get(row.pk)
        days = None
        if infusion is not None and row.inclusion_date and row.infusion_date:
            days = (row.infusion_date - row.inclusion_date).days
        courses.append(
            RecipientCourse(
                recipient_code=row.code,
                included=row.inclusion_date is not None,
                donor_found=row.pk in chosen,
                harvest_done=row.pk in harvested,
                released_first_time=decision is not None
                and decision.outcome == ReleaseOutcome.RELEASED
                and decision.conforming,
                infused=infusion is not None,
                infused_at_target_dose=infusion is not None and not infusion.dose_flagged,
                days_inclusion_to_infusion=days,
            )
        )
    return courses


def feasibility_report(
    recipients: QuerySet[Participant] | None = None, confidence: float = 0.95
) -> FeasibilityReport:
    """Counts and proportions (exact intervals) over the included recipients of the queryset."""
    queryset = Participant.objects.all() if recipients is None else recipients
    return feasibility(recipient_courses(queryset), confidence)
