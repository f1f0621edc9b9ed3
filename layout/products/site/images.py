"""Screen images for the digital edition: page images from the page PDFs, web copies of photos.

Page images are rendered by pdftoppm (poppler-utils) from a copy of the page PDF whose CropBox is set to
its TrimBox, so the crop marks, slug and bleed are left out; Pillow writes a baseline-optimised JPEG,
lowering the quality step by step until the file is under the byte budget. Same input, same bytes.
"""
from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

from layout.model.findings import InputError, Where
from layout.model.i18n import _

PAGE_WIDTH = 1000          # px, page image width (about 65 ppi for a 390 mm broadsheet)
PAGE_MAX_BYTES = 300_000   # keep every page image under this
THUMB_WIDTH = 240          # px, thumbnails on the issue index
PHOTO_WIDTH = 900          # px, web copies of photos (never enlarged)
QUALITIES = (82, 78, 74, 70, 66, 62, 58, 54, 50, 45, 40)


@dataclass(frozen=True)
class WebImage:
    width: int
    height: int
    bytes: int


def _jpeg(im: Image.Image, quality: int) -> bytes:
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=quality, optimize=True, progressive=True)
    return buf.getvalue()


def _budget_jpeg(im: Image.Image, max_bytes: int) -> bytes:
    data = b""
    for q in QUALITIES:
        data = _jpeg(im, q)
        if len(data) <= max_bytes:
            break
    return data


def render_trimmed(pdf: Path, width: int) -> Image.Image:
    """The page's trimmed area (TrimBox) as an RGB image `width` pixels wide."""
    if not shutil.which("pdftoppm"):
        raise InputError(_('pdftoppm not found'), Where(str(pdf)), _('install poppler-utils (tools/setup.sh does)'))
    import pikepdf
    with tempfile.TemporaryDirectory(prefix="paiban-site-") as tmp:
        trimmed = Path(tmp) / "page.pdf"
        with pikepdf.open(pdf) as doc:
            for page in doc.pages:
                box = page.obj.get("/TrimBox")
                if box is not None:
                    page.obj.CropBox = box
            doc.save(trimmed)
        proc = subprocess.run(["pdftoppm", "-cropbox", "-singlefile", "-f", "1", "-l", "1", "-png",
                               "-scale-to-x", str(width), "-scale-to-y", "-1", str(trimmed)],
                              capture_output=True, check=False)
    if proc.returncode != 0 or not proc.stdout:
        raise InputError(_('pdftoppm could not render {name}: {stderr}', name=pdf.name, stderr=proc.stderr.decode(errors='replace').strip()),
                         Where(str(pdf)))
    im = Image.open(io.BytesIO(proc.stdout))
    im.load()
    return im.convert("RGB")


def page_images(pdf: Path, page_jpg: Path, thumb_jpg: Path, width: int = PAGE_WIDTH,
                max_bytes: int = PAGE_MAX_BYTES) -> WebImage:
    """Write the page image and its thumbnail; return the page image's size."""
    im = render_trimmed(pdf, width)
    data = _budget_jpeg(im, max_bytes)
    page_jpg.write_bytes(data)
    th = im.resize((THUMB_WIDTH, max(1, round(im.height * THUMB_WIDTH / im.width))), Image.LANCZOS)
    thumb_jpg.write_bytes(_jpeg(th, 80))
    return WebImage(im.width, im.height, len(data))


def web_photo(src: Path, dest: Path, width: int = PHOTO_WIDTH) -> WebImage:
    """A web-sized RGB JPEG copy of a photo (transparency flattened on white, EXIF rotation applied)."""
    try:
        return _web_photo(src, dest, width)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        if isinstance(exc, OSError) and exc.filename and Path(exc.filename) == dest:
            raise
        raise InputError(_("photo {name} cannot be made into a web copy: {reason}", name=src.name, reason=exc),
                         Where(str(src)), _("save it again as a plain JPEG or PNG")) from None


def _web_photo(src: Path, dest: Path, width: int) -> WebImage:
    with Image.open(src) as im:
        try:
            im = ImageOps.exif_transpose(im)
        except (OSError, ValueError, SyntaxError, TypeError, KeyError, ZeroDivisionError):
            pass  # unreadable EXIF (build warns about it): the photo as stored
        if im.mode in ("RGBA", "LA", "P", "PA"):
            im = im.convert("RGBA")
            flat = Image.new("RGB", im.size, (255, 255, 255))
            flat.paste(im, mask=im.getchannel("A"))
            im = flat
        else:
            im = im.convert("RGB")
        if im.width > width:
            im = im.resize((width, max(1, round(im.height * width / im.width))), Image.LANCZOS)
        data = _jpeg(im, 82)
    dest.write_bytes(data)
    return WebImage(im.width, im.height, len(data))
