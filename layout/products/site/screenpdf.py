"""The lighter screen version of a page PDF, offered for download beside the print PDF.

Ghostscript's pdfwrite rewrites the print PDF: colour converted to RGB, photos downsampled to 150 ppi
(JPEG), fonts kept embedded, so the text stays sharp and can be searched and copied. pikepdf then sets the
page to its trim (MediaBox = CropBox = TrimBox), so bleed, crop marks and slug lie outside the page: not
shown, printed or extracted as text. It keeps the print file's title, author and dates, drops
Ghostscript's XMP and writes an /ID derived from the content: same input, same bytes. It carries no PDF/X identification or OutputIntent: it is not for press (Subject says so).
On the sample the screen PDFs are a fifth of the print PDFs (docs/edition.md).
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from layout.model.findings import InputError, Where
from layout.model.i18n import _

SCREEN_PPI = 150        # photos: sharp on a screen at 100–150 % zoom, a quarter of the print pixels
SUBJECT = "screen version (RGB, 150 ppi photos): not for press"
GS_TIMEOUT_S = 300


def screen_pdf_name(print_name: str) -> str:
    return print_name[:-4] + "-screen.pdf" if print_name.endswith(".pdf") else print_name + "-screen.pdf"


def screen_pdf(src: Path, dest: Path, ppi: int = SCREEN_PPI) -> int:
    """Write the screen version of the page PDF src (built without marks) to dest; return its size."""
    gs = shutil.which("gs")
    if gs is None:
        raise InputError(_('Ghostscript (gs) not found'), Where(str(src)), _('install ghostscript (tools/setup.sh does)'))
    import pikepdf
    with tempfile.TemporaryDirectory(prefix="paiban-screen-") as tmp:
        mid = Path(tmp) / "gs.pdf"
        cmd = [gs, "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=pdfwrite", "-dCompatibilityLevel=1.5",
               "-dPDFSETTINGS=/screen", "-sColorConversionStrategy=RGB",
               f"-dColorImageResolution={ppi}", f"-dGrayImageResolution={ppi}", f"-dMonoImageResolution={ppi * 2}",
               # bicubic, from any resolution above: /screen's averaging only divides by whole factors
               "-dColorImageDownsampleType=/Bicubic", "-dGrayImageDownsampleType=/Bicubic",
               "-dColorImageDownsampleThreshold=1.0", "-dGrayImageDownsampleThreshold=1.0",
               "-dOmitInfoDate", "-dOmitID", "-dOmitXMP", f"-sOutputFile={mid}", str(src)]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=GS_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc = None
        if proc is None or proc.returncode != 0 or not mid.is_file():
            detail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] if proc else ["timed out"]
            raise InputError(_('Ghostscript could not make the screen PDF of {name}: {detail}', name=src.name,
                               detail=detail[0] if detail else "?"), Where(str(src)))
        with pikepdf.open(src) as orig, pikepdf.open(mid) as doc:
            for page in doc.pages:
                trim = page.obj.get("/TrimBox")
                if trim is not None:
                    page.obj.MediaBox = trim
                    page.obj.CropBox = trim
                    for box in ("/BleedBox", "/ArtBox"):
                        if box in page.obj:
                            del page.obj[box]
            for key in list(doc.docinfo.keys()):
                del doc.docinfo[key]
            for key in ("/Title", "/Author", "/Creator", "/CreationDate", "/ModDate"):
                if key in orig.docinfo:
                    doc.docinfo[key] = orig.docinfo[key]
            doc.docinfo["/Subject"] = SUBJECT
            if "/Metadata" in doc.Root:
                del doc.Root["/Metadata"]
            doc.save(dest, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return dest.stat().st_size
