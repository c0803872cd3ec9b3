"""Where each participant stands in the study, computed in one place.

The stage (current state) and the milestones (cumulative counts of the dashboard) are derived
from the lifecycle dates held on ``Participant``: lists, filters, the dashboard, the API and
exports all read ``STAGE_RULES`` and ``MILESTONES`` through the functions of this module.
Inclusion and infusion keep reading ``inclusion_date`` and ``infusion_date``: ``actions.enrol``
sets the first with the participant's rank (``Enrolment``), and the infusion record
(``sclerocell.web.product.actions.record_infusion``) sets the second in the same transaction, so
a date is there exactly when its record is.

Both are database expressions, so a list can be filtered and counted by stage in one query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict

from django.db import models
from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from .models import Eligibility, EndCause, Participant, ParticipantKind

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class StageAnnotation(TypedDict):
    stage: str


type StagedParticipants = QuerySet[WithAnnotations[Participant, StageAnnotation]]

# The target of the protocol: 20 recipients, each with one donor.
TARGET_RECIPIENTS = 20
TARGET_DONORS = 20


class Stage(models.TextChoices):
    SCREENING = "screening", _("in screening")
    SCREEN_FAILURE = "screen_failure", _("screen failure")
    ELIGIBLE = "eligible", _("eligible, not yet included")
    ENROLLED = "enrolled", _("included")
    FOLLOW_UP = "follow_up", _("in follow-up")
    COMPLETED = "completed", _("completed")
    WITHDRAWN = "withdrawn", _("withdrawn")
    LOST_TO_FOLLOW_UP = "lost_to_follow_up", _("lost to follow-up")
    DECEASED = "deceased", _("deceased")


# First matching rule wins; a participant matching none is in screening.
STAGE_RULES: tuple[tuple[Stage, Q], ...] = (
    (Stage.DECEASED, Q(end_cause=EndCause.DEATH)),
    (Stage.COMPLETED, Q(end_cause=EndCause.COMPLETED)),
    (Stage.WITHDRAWN, Q(end_cause=EndCause.WITHDRAWAL)),
    (Stage.LOST_TO_FOLLOW_UP, Q(end_cause=EndCause.LOST_TO_FOLLOW_UP)),
    (Stage.FOLLOW_UP, Q(infusion_date__isnull=False)),
    (Stage.ENROLLED, Q(inclusion_date__isnull=False)),
    (Stage.ELIGIBLE, Q(eligibility=Eligibility.ELIGIBLE)),
    (Stage.SCREEN_FAILURE, Q(eligibility=Eligibility.NOT_ELIGIBLE)),
)
ENDED_STAGES = frozenset(
    {Stage.COMPLETED, Stage.WITHDRAWN, Stage.LOST_TO_FOLLOW_UP, Stage.DECEASED}
)


class Milestone(models.TextChoices):
    SCREENED = "screened", _("screened")
    ELIGIBLE = "eligible", _("eligible")
    ENROLLED = "enrolled", _("included")
    INFUSED = "infused", _("infused")
    IN_FOLLOW_UP = "in_follow_up", _("in follow-up")
    ENDED = "ended", _("participation ended")


# Cumulative: a participant counts in every milestone reached so far.
MILESTONES: dict[Milestone, Q] = {
    Milestone.SCREENED: Q(screening_date__isnull=False),
    Milestone.ELIGIBLE: Q(eligibility=Eligibility.ELIGIBLE),
    Milestone.ENROLLED: Q(inclusion_date__isnull=False),
    Milestone.INFUSED: Q(infusion_date__isnull=False),
    Milestone.IN_FOLLOW_UP: Q(infusion_date__isnull=False, end_date__isnull=True),
    Milestone.ENDED: Q(end_date__isnull=False),
}


def stage_expression() -> Case:
    return Case(
        *(When(condition, then=Value(stage.value)) for stage, condition in STAGE_RULES),
        default=Value(Stage.SCREENING.value),
        output_field=models.CharField(),
    )


def with_stage(queryset: QuerySet[Participant]) -> StagedParticipants:
    """The queryset with a ``stage`` attribute on each participant."""
    return queryset.annotate(stage=stage_expression())


def filter_stage(queryset: QuerySet[Participant], stage: str) -> StagedParticipants:
    return with_stage(queryset).filter(stage=stage)


def stage_of(participant: Participant) -> Stage:
    """The participant's current stage (from the annotation when the row carries one)."""
    annotated = getattr(participant, "stage", None)
    if annotated is None:
        annotated = (
            with_stage(Participant.objects.filter(pk=participant.pk))
            .values_list("stage", flat=True)
            .get()
        )
    return Stage(annotated)


def stage_counts(queryset: QuerySet[Participant]) -> dict[Stage, int]:
    """How many participants of the queryset stand at each stage (every stage present)."""
    counts = {stage: 0 for stage in Stage}
    rows = with_stage(queryset).order_by().values("stage").annotate(n=Count("pk"))
    for row in rows:
        counts[Stage(row["stage"])] = row["n"]
    return counts


@dataclass
class FunnelRow:
    """The cumulative milestones of one site for one kind of participant."""

    site_number: int
    site_name: str
    kind: str
    counts: dict[Milestone, int] = field(default_factory=dict)

    @property
    def kind_label(self) -> str:
        return str(ParticipantKind(self.kind).label)


def funnel(queryset: QuerySet[Participant]) -> list[FunnelRow]:
    """Milestone counts per site and kind, in one query."""
    aggregates = {
        milestone.value: Count("pk", filter=condition)
        for milestone, condition in MILESTONES.items()
    }
    rows = (
        queryset.order_by()
        .values("site__number", "site__name", "kind")
        .annotate(**aggregates)
        .order_by("site__number", "-kind")
    )
    found: list[dict[str, Any]] = [dict(row) for row in rows]
    return [
        FunnelRow(
            site_number=row["site__number"],
            site_name=row["site__name"],
            kind=row["kind"],
            counts={milestone: row[milestone.value] for milestone in Milestone},
        )
        for row in found
    ]
