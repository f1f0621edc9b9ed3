"""Advertisements: page 1 of a supplied PDF embedded in our page as a form XObject.

reportlab cannot read PDFs, so the renderer writes the placement (clip, matrix, `/PBAdN Do`) into
the page content, and this module then copies the advertiser's page into the finished file with
pikepdf (qpdf) — fonts, images and colour spaces included — as a form XObject clipped to its trim.
The file is saved deterministically (content-derived /ID, no object streams, the same PDF version).
"""
from __future__ import annotations

import io
from dataclasses import dataclass

import pikepdf


@dataclass(frozen=True)
class AdForm:
    name: str                                  # XObject resource name used in the content ("PBAd1")
    path: str                                  # the advertiser's PDF
    trim: tuple[float, float, float, float]    # its TrimBox: the form's BBox (clips bleed and marks)


def attach_ads(data: bytes, forms: list[AdForm], version: str) -> bytes:
    """Return `data` (one-page PDF) with each ad's page 1 added as a form XObject resource."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        resources = pdf.pages[0].obj.Resources
        if "/XObject" not in resources:
            resources.XObject = pikepdf.Dictionary()
        for form in forms:
            with pikepdf.open(form.path) as ad:
                xobj = ad.pages[0].as_form_xobject()
                xobj.BBox = pikepdf.Array([float(v) for v in form.trim])
                resources.XObject[f"/{form.name}"] = pdf.copy_foreign(xobj)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.disable,
                 force_version=version, compress_streams=True, linearize=False)
        return out.getvalue()
