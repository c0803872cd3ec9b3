"""HAQ-DI (Health Assessment Questionnaire disability index) and the SHAQ visual analogue scales.

Sources (DOMAIN.md §5):

- Fries JF et al. Measurement of patient outcome in arthritis. Arthritis Rheum 1980;23:137–45;
  Bruce B, Fries JF. The Stanford HAQ: dimensions and practical applications. Health Qual Life
  Outcomes 2003;1:20. 20 items in 8 categories, each 0 no difficulty · 1 some · 2 much ·
  3 unable. Category score = highest item; aids/devices or help from another person raise the
  category to at least 2. Index = mean of the answered categories (0–3); no index when fewer
  than 6 categories are answered (**check**; ``min_categories`` is a parameter).
- Steen VD, Medsger TA Jr. The value of the Health Assessment Questionnaire and special patient-
  generated scales to demonstrate change in systemic sclerosis patients over time. Arthritis
  Rheum 1997;40:1984–91 (scleroderma HAQ): 6 VAS (pain, intestinal, breathing, Raynaud's,
  digital ulcers, overall severity), each 15 cm scaled to 0–3, reported separately and never
  added to the HAQ-DI.

The item labels here describe the questions; they are not the licensed questionnaire wording.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, fields
from types import MappingProxyType

from sclerocell.clinical._checks import number
from sclerocell.clinical.errors import ClinicalInputError

__all__ = [
    "CATEGORIES",
    "ITEMS",
    "HaqCategory",
    "HaqDiResult",
    "HaqItem",
    "ShaqResult",
    "ShaqVas",
    "haq_di",
    "shaq_vas",
    "vas_to_score",
]

MAX_ITEM_SCORE = 3
AID_MINIMUM = 2


@dataclass(frozen=True)
class HaqItem:
    id: str
    category: str
    label_en: str
    label_fr: str


@dataclass(frozen=True)
class HaqCategory:
    id: str
    label_en: str
    label_fr: str
    items: tuple[HaqItem, ...]


def _category(id_: str, en: str, fr: str, *items: tuple[str, str, str]) -> HaqCategory:
    return HaqCategory(id_, en, fr, tuple(HaqItem(i, id_, ie, ifr) for i, ie, ifr in items))


CATEGORIES: tuple[HaqCategory, ...] = (
    _category(
        "dressing",
        "Dressing and grooming",
        "S'habiller, se préparer",
        (
            "dress",
            "Dress yourself, including shoelaces and buttons",
            "S'habiller, lacets et boutons compris",
        ),
        ("shampoo", "Shampoo your hair", "Se laver les cheveux"),
    ),
    _category(
        "arising",
        "Arising",
        "Se lever",
        ("stand_from_chair", "Stand up from a straight chair", "Se lever d'une chaise droite"),
        ("in_out_of_bed", "Get in and out of bed", "Se coucher et se lever du lit"),
    ),
    _category(
        "eating",
        "Eating",
        "Manger",
        ("cut_meat", "Cut your meat", "Couper sa viande"),
        ("lift_cup", "Lift a full cup or glass to your mouth", "Porter à la bouche un verre plein"),
        ("open_carton", "Open a new milk carton", "Ouvrir une brique de lait neuve"),
    ),
    _category(
        "walking",
        "Walking",
        "Marcher",
        ("walk_outdoors", "Walk outdoors on flat ground", "Marcher dehors en terrain plat"),
        ("climb_steps", "Climb up five steps", "Monter cinq marches"),
    ),
    _category(
        "hygiene",
        "Hygiene",
        "Hygiène",
        ("wash_body", "Wash and dry your body", "Se laver et se sécher entièrement"),
        ("tub_bath", "Take a tub bath", "Prendre un bain"),
        ("toilet", "Get on and off the toilet", "S'asseoir et se relever des toilettes"),
    ),
    _category(
        "reach",
        "Reach",
        "Atteindre",
        (
            "reach_above_head",
            "Reach and get down a 5-pound object from just above your head",
            "Attraper un objet de 2,5 kg placé au-dessus de sa tête",
        ),
        (
            "bend_down",
            "Bend down to pick up clothing from the floor",
            "Se baisser pour ramasser un vêtement",
        ),
    ),
    _category(
        "grip",
        "Grip",
        "Préhension",
        ("open_car_doors", "Open car doors", "Ouvrir une portière de voiture"),
        ("open_jars", "Open jars which have been previously opened", "Ouvrir un bocal déjà ouvert"),
        ("turn_faucets", "Turn faucets on and off", "Ouvrir et fermer un robinet"),
    ),
    _category(
        "activities",
        "Activities",
        "Activités",
        ("errands", "Run errands and shop", "Faire ses courses"),
        ("car_in_out", "Get in and out of a car", "Monter et descendre de voiture"),
        ("chores", "Do chores such as vacuuming or yard work", "Faire le ménage ou le jardinage"),
    ),
)
ITEMS: Mapping[str, HaqItem] = MappingProxyType(
    {item.id: item for category in CATEGORIES for item in category.items}
)
_CATEGORY_IDS = frozenset(c.id for c in CATEGORIES)


def _item_score(item_id: str, value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_ITEM_SCORE:
        raise ClinicalInputError(f"HAQ-DI {item_id}: {value!r} must be 0, 1, 2 or 3", field=item_id)
    return value


@dataclass(frozen=True)
class HaqDiResult:
    """Category scores (``None`` = no item answered), the index and how it was reached."""

    category_scores: Mapping[str, int | None]
    raised_by_aids: tuple[str, ...]  # categories raised to 2 by aids, devices or help
    answered: int
    min_categories: int
    index: float | None  # mean of the answered categories; None when too few

    def explain(self) -> str:
        if self.index is None:
            return (
                f"HAQ-DI not computable: {self.answered} of 8 categories answered "
                f"(at least {self.min_categories} needed)"
            )
        raised = ""
        if self.raised_by_aids:
            raised = f"; raised to 2 by aids/help: {', '.join(self.raised_by_aids)}"
        return f"HAQ-DI {self.index:.3f} (mean of {self.answered} categories){raised}"


def haq_di(
    answers: Mapping[str, int | None],
    aids_or_help: Collection[str] = (),
    *,
    min_categories: int = 6,
) -> HaqDiResult:
    """HAQ-DI from item answers (keys are :data:`ITEMS` ids, values 0–3 or ``None``) and the
    categories where aids, devices or help from another person are used."""
    if not 1 <= min_categories <= len(CATEGORIES):
        raise ClinicalInputError(
            f"min_categories: {min_categories} must be 1 to {len(CATEGORIES)}",
            field="min_categories",
        )
    for key in answers:
        if key not in ITEMS:
            raise ClinicalInputError(f"HAQ-DI: unknown item {key!r}", field=str(key))
    for key in aids_or_help:
        if key not in _CATEGORY_IDS:
            raise ClinicalInputError(
                f"HAQ-DI: unknown category {key!r} for aids or help", field=str(key)
            )
    scores: dict[str, int | None] = {}
    raised: list[str] = []
    for category in CATEGORIES:
        values = [_item_score(i.id, answers.get(i.id)) for i in category.items]
        answered = [v for v in values if v is not None]
        if not answered:
            scores[category.id] = None  # aids alone do not score an unanswered category
            continue
        best = max(answered)
        if category.id in aids_or_help and best < AID_MINIMUM:
            best = AID_MINIMUM
            raised.append(category.id)
        scores[category.id] = best
    answered_scores = [v for v in scores.values() if v is not None]
    count = len(answered_scores)
    index = sum(answered_scores) / count if count >= min_categories else None
    return HaqDiResult(
        category_scores=MappingProxyType(scores),
        raised_by_aids=tuple(raised),
        answered=count,
        min_categories=min_categories,
        index=index,
    )


def vas_to_score(length_cm: float, *, scale_cm: float = 15.0, field: str = "vas") -> float:
    """A visual analogue scale mark (cm from the left end) scaled to 0–3."""
    scale = number(scale_cm, "scale_cm", minimum=0, strict_minimum=True)
    length = number(length_cm, field, minimum=0, maximum=scale)
    return length / scale * 3.0


@dataclass(frozen=True)
class ShaqVas:
    """The six SHAQ scales, as marks in cm on 15-cm lines (``None`` = not answered)."""

    pain: float | None = None
    intestinal: float | None = None
    breathing: float | None = None
    raynaud: float | None = None
    digital_ulcers: float | None = None
    overall_severity: float | None = None


@dataclass(frozen=True)
class ShaqResult:
    """Each SHAQ scale on 0–3, reported separately (never added to the HAQ-DI)."""

    scores: Mapping[str, float | None]


def shaq_vas(marks: ShaqVas, *, scale_cm: float = 15.0) -> ShaqResult:
    """Scale each SHAQ VAS mark to 0–3."""
    scores = {
        f.name: None
        if getattr(marks, f.name) is None
        else vas_to_score(getattr(marks, f.name), scale_cm=scale_cm, field=f.name)
        for f in fields(marks)
    }
    return ShaqResult(scores=MappingProxyType(scores))
