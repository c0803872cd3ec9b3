"""Making a report for someone: the scope, the dataset at the cut-off, the rendering, the audit.

One snapshot gives one report, byte for byte (nothing in it depends on when it is made), so the
rendered body and PDF are kept in a small in-process cache keyed by the snapshot's hash, the
scope, the versions and the language: asking again for the same report costs only the reading of
the data (every generation is still audited).

The scope is the recipients of the user's sites (``trial.access.sites_for``), like every other
read of the application: a sponsor-level role (statistician, safety board, data manager) holds
every site and gets the trial-wide report; a site's investigator gets the report of their site
only, so its listings never show another site's study codes. The command reads every site.
"""

from __future__ import annotations

import datetime
import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from sclerocell.analysis.dataset import AnalysisDataset
from sclerocell.analysis.messages import Lang
from sclerocell.analysis.snapshot import snapshot_hash
from sclerocell.web.accounts.models import Site
from sclerocell.web.accounts.roles import Permission
from sclerocell.web.audit.context import audit_scope
from sclerocell.web.trial import access
from sclerocell.web.trial.enrolment import frame_on
from sclerocell.web.trial.models import Participant

from .builder import build_dataset
from .document import (
    Embedding,
    Rendered,
    ReportMeta,
    protocol_version,
    render_body,
    render_document,
    software_version,
)
from .models import ReportRun
from .pdf import html_to_pdf

__all__ = ["Report", "clear_cache", "make_report", "record_run", "report_for", "sites_of"]

_CACHE_SIZE = 8
_lock = threading.Lock()
_bodies: OrderedDict[tuple[str, ...], Rendered] = OrderedDict()
_pdfs: OrderedDict[tuple[str, ...], bytes] = OrderedDict()


def _cached[T](store: OrderedDict[tuple[str, ...], T], key: tuple[str, ...]) -> T | None:
    with _lock:
        found = store.get(key)
        if found is not None:
            store.move_to_end(key)
        return found


def _keep[T](store: OrderedDict[tuple[str, ...], T], key: tuple[str, ...], value: T) -> None:
    with _lock:
        store[key] = value
        while len(store) > _CACHE_SIZE:
            store.popitem(last=False)


def clear_cache() -> None:
    with _lock:
        _bodies.clear()
        _pdfs.clear()


@dataclass(frozen=True)
class Report:
    dataset: AnalysisDataset
    meta: ReportMeta
    body: Rendered
    lang: Lang
    #: What the report depends on: snapshot hash, scope, versions, language.
    key: tuple[str, ...] = field(default=())
    cache: bool = True

    def document(self) -> str:
        return render_document(self.body, lang=self.lang)

    def pdf(self) -> bytes:
        found = _cached(_pdfs, self.key) if self.cache else None
        if found is None:
            found = html_to_pdf(self.document())
            if self.cache:
                _keep(_pdfs, self.key, found)
        return found


def sites_of(sites: QuerySet[Site]) -> tuple[str, ...]:
    return tuple(f"{n:02d}" for n in sites.order_by("number").values_list("number", flat=True))


def make_report(
    sites: QuerySet[Site],
    cutoff: datetime.date,
    lang: Lang,
    *,
    embed: Embedding = "inline",
    cache: bool = True,
) -> Report:
    """The report over the recipients of ``sites`` as they stood on ``cutoff``, its figures
    embedded as ``embed`` says (``"image"`` for the page of the application); ``cache=False``
    computes and renders it again even when the same report was made a moment ago."""
    recipients = Participant.objects.filter(site__in=sites)
    dataset = build_dataset(recipients, cutoff)
    meta = ReportMeta(
        sites=sites_of(sites),
        protocol=protocol_version(f"frame {frame_on(cutoff).version}"),
        software=software_version(),
    )
    key = (snapshot_hash(dataset), ",".join(meta.sites), meta.protocol, meta.software, lang, embed)
    body = _cached(_bodies, key) if cache else None
    if body is None:
        body = render_body(dataset, lang=lang, meta=meta, embed=embed)
        if cache:
            _keep(_bodies, key, body)
    return Report(dataset, meta, body, lang, key, cache)


def report_for(
    user: Any, cutoff: datetime.date, lang: Lang, *, embed: Embedding = "inline"
) -> Report:
    """The report a user may see: ``VIEW_REPORTS`` (403 otherwise), over the user's sites."""
    access.require(user, Permission.VIEW_REPORTS)
    return make_report(access.sites_for(user), cutoff, lang, embed=embed)


def record_run(by: Any, report: Report, *, format: str, content: bytes) -> ReportRun:
    """The generation in the audit trail: who (``by``; None for the command), the cut-off, the
    snapshot, the scope and the hash of the file produced; the audit event says when."""
    with audit_scope(by=by, action="generate_report"):
        return ReportRun.objects.create(
            cutoff_date=report.dataset.cutoff_date,
            snapshot_hash=report.body.results.snapshot_hash,
            language=report.lang,
            format=format,
            sites=",".join(report.meta.sites),
            subjects=len(report.dataset.subjects),
            protocol_version=report.meta.protocol[:200],
            software_version=report.meta.software[:80],
            content_sha256=hashlib.sha256(content).hexdigest(),
        )
