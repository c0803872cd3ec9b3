"""The report as PDF: WeasyPrint renders the standalone HTML document (A4, print CSS, page
numbers in the footer). The figures are inline SVG, drawn as vectors."""

from __future__ import annotations

import logging

from weasyprint import HTML

# WeasyPrint reports each SVG presentation attribute it reads through its CSS parser as an
# "ignored property" warning; the figures render correctly, so only errors are let through.
logging.getLogger("weasyprint").setLevel(logging.ERROR)


def html_to_pdf(document: str) -> bytes:
    """PDF bytes of a standalone HTML document (no external resource is fetched)."""
    pdf = HTML(string=document, base_url=None, url_fetcher=_no_fetch).write_pdf()
    if pdf is None:  # pragma: no cover — write_pdf without a target returns the bytes
        raise RuntimeError("WeasyPrint produced no PDF")
    return bytes(pdf)


def _no_fetch(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    raise ValueError(f"the report fetches nothing: {url}")
