"""The bag label of a released batch, as a PDF: a QR code of the product code and the same
fields in clear, in the active language (French or English).

The QR code carries ``sclerocell.product.label.encode(...)`` (batch, donor, intended recipient,
expiry in UTC, CRC-32), which the bedside check decodes. The product code is also printed in
clear under the code, so a damaged symbol can be keyed in. Uncompressed, so the code can be
found in the file by a text search.
"""

from __future__ import annotations

import io
from datetime import UTC

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from sclerocell.product.label import ProductLabel, encode

from .models import Batch

WIDTH, HEIGHT = 100 * mm, 62 * mm
QR_SIZE = 36 * mm
MARGIN = 3 * mm


def product_code(batch: Batch) -> str:
    """The machine-readable code of the batch's bag (expiry rounded down to the minute)."""
    expiry = batch.expires_at.astimezone(UTC).replace(second=0, microsecond=0)
    return encode(
        ProductLabel(
            batch=batch.number,
            donor_code=batch.harvest.donor.code,
            recipient_code=batch.recipient.code,
            expiry=expiry,
        )
    )


def _scientific(value: float) -> str:
    mantissa, exponent = f"{value:.2e}".split("e")
    return f"{mantissa.rstrip('0').rstrip('.')} x 10^{int(exponent)}"


def label_pdf(batch: Batch, dose_level: int | None, target_per_kg: float | None) -> bytes:
    """The label of ``batch`` as PDF bytes (one page, 100 × 62 mm)."""
    code = product_code(batch)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(WIDTH, HEIGHT), pageCompression=0, invariant=1)
    pdf.setTitle(_("MSC label %(batch)s") % {"batch": batch.number})
    pdf.setSubject(code)
    pdf.setAuthor("sclerocell")

    widget = QrCodeWidget(code, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(
        QR_SIZE, QR_SIZE, transform=[QR_SIZE / (x1 - x0), 0, 0, QR_SIZE / (y1 - y0), 0, 0]
    )
    drawing.add(widget)
    renderPDF.draw(drawing, pdf, MARGIN, HEIGHT - MARGIN - QR_SIZE - 6 * mm)

    expiry = timezone.localtime(batch.expires_at)
    lines = [
        ("Helvetica-Bold", 8.5, _("Allogeneic bone-marrow MSC")),
        ("Helvetica", 6.5, _("MSC-SSc trial (NCT02213705)")),
        ("Helvetica", 6.5, _("For clinical trial use only")),
        ("Helvetica-Bold", 7.5, _("Batch: %(batch)s") % {"batch": batch.number}),
        ("Helvetica", 7.5, _("Donor: %(code)s") % {"code": batch.harvest.donor.code}),
        ("Helvetica-Bold", 7.5, _("Recipient: %(code)s") % {"code": batch.recipient.code}),
        (
            "Helvetica-Bold",
            7.5,
            _("Expiry: %(local)s (Paris), %(utc)s UTC")
            % {
                "local": expiry.strftime("%Y-%m-%d %H:%M"),
                "utc": batch.expires_at.astimezone(UTC).strftime("%H:%M"),
            },
        ),
        (
            "Helvetica",
            7,
            _("%(cells)s cells in %(volume)s mL")
            % {"cells": _scientific(batch.cell_count), "volume": batch.volume_ml},
        ),
    ]
    if dose_level is not None and target_per_kg is not None:
        lines.append(
            (
                "Helvetica",
                7,
                _("Dose level %(level)d: %(dose)s cells/kg")
                % {"level": dose_level, "dose": _scientific(target_per_kg)},
            )
        )
    y = HEIGHT - MARGIN - 3 * mm
    x = MARGIN + QR_SIZE + 2 * mm
    for font, size, text in lines:
        pdf.setFont(font, size)
        pdf.drawString(x, y, text)
        y -= size * 1.35
    pdf.setFont("Helvetica", 5)
    pdf.drawString(MARGIN, MARGIN + 3 * mm, _("Product code:"))
    pdf.setFont("Courier", 5.5)
    pdf.drawString(MARGIN, MARGIN, code)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
