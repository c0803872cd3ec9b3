"""Template helpers of the follow-up pages: one badge per status model, the text of a query."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from ..checks import render
from ..definitions import FORMS
from ..models import FormStatus, MessageKind, Query, QueryMessage, QueryStatus
from ..visits import RowStatus

register = template.Library()

_MODELS: dict[str, Any] = {"form": FormStatus, "query": QueryStatus, "visit": RowStatus}


@register.simple_tag
def status_badge(kind: str, status: str) -> SafeString:
    """``{% status_badge "form" form.status %}`` — the same badge for a status everywhere."""
    try:
        label = _MODELS[kind](status).label
    except (KeyError, ValueError):
        label = status
    return format_html('<span class="badge {}-{}">{}</span>', kind, status, label)


@register.filter
def question(query: Query) -> str:
    """What a query asks: the check's explanation, or the first message of its thread."""
    if query.rule:
        return render(query.rule, query.params)
    first = next(iter(query.messages.all()), None)
    return first.text if first is not None else ""


@register.filter
def message_text(message: QueryMessage) -> str:
    if message.text:
        return message.text
    if message.kind == MessageKind.RAISE:
        return render(message.query.rule, message.query.params) if message.query.rule else ""
    if message.kind == MessageKind.RESOLVED:
        return _("The check passes with the corrected data.")
    return ""


@register.filter
def author(message: QueryMessage) -> str:
    return message.author.username if message.author_id and message.author else _("automatic check")


def _verdicts() -> dict[str, tuple[str, str, str]]:
    return {
        "improved": (_("improved"), _("not improved"), _("undetermined")),
        "responder": (_("responder"), _("non-responder"), _("undetermined")),
        "active": (_("active"), _("not active"), _("undetermined")),
    }


@register.filter
def verdict(value: bool | None, kind: str) -> str:
    """A tri-state result in words: ``{{ result.improved|verdict:"improved" }}``."""
    yes, no, unknown = _verdicts()[kind]
    return yes if value is True else no if value is False else unknown


@register.filter
def step1_labels(names: tuple[str, ...]) -> str:
    labels = {
        "new_scleroderma_renal_crisis": _("scleroderma renal crisis"),
        "fvc_decline": _("FVC decline (≥ 15 %, confirmed, ILD, FVC < 80 %)"),
        "new_left_ventricular_failure": _("new left-ventricular failure"),
        "new_pah_requiring_treatment": _("new pulmonary arterial hypertension"),
    }
    return ", ".join(labels.get(name, name) for name in names)


@register.filter
def label_of(code: str, labels: dict[str, str]) -> str:
    return labels.get(code, code)


@register.filter
def form_title(code: str) -> str:
    spec = FORMS.get(code)
    return str(spec.title) if spec else code or "—"


@register.filter
def field_label(query: Query) -> str:
    """The label of the field a query is about (its form's declaration), or "—"."""
    spec = FORMS.get(query.form)
    if spec is None or not spec.has_field(query.field):
        return "—"
    return str(spec.field(query.field).label)


@register.filter
def signed(value: float | None, places: int = 1) -> str:
    """A change with its sign, in the active language's format: +0,125 · −2,0."""
    if value is None:
        return "—"
    text = str(number_format(abs(value), places))
    return ("+" if value > 0 else "−" if value < 0 else "") + text
