"""Taking the PDF/X claim off a page that must not go to press.

A page with an error is still written (for proofing) but must not claim a conformance it lacks: its
PDF/X identification (Info GTS_PDFXVersion / GTS_PDFXConformance, the XMP pdfxid) and its OutputIntent
go, and the Info says why. A plate line that trusts the label then refuses the file.
"""
from __future__ import annotations

import io

import pikepdf

NOT_FOR_PRESS = "NOT FOR PRESS"


def unlabel(data: bytes, reason: str) -> bytes:
    """`data` without the PDF/X identification and OutputIntent; Info /Subject says `reason`."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        version = pdf.pdf_version
        for key in ("/OutputIntents", "/Metadata"):   # the XMP packet carries pdfxid:GTS_PDFXVersion
            if key in pdf.Root:
                del pdf.Root[key]
        info = pdf.trailer.get("/Info")
        if info is not None:
            for key in ("/GTS_PDFXVersion", "/GTS_PDFXConformance"):
                if key in info:
                    del info[key]
            info.Subject = pikepdf.String(f"{NOT_FOR_PRESS}: {reason}")
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.disable,
                 force_version=version, compress_streams=True, linearize=False)
        return out.getvalue()


def is_labelled(data: bytes) -> bool:
    """Whether the file claims PDF/X (Info identification or an OutputIntent)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        info = pdf.trailer.get("/Info") or {}
        return "/GTS_PDFXVersion" in info or "/OutputIntents" in pdf.Root
