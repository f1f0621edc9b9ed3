"""Screen images for the digital edition: page images from the page PDFs, web copies of photos.

Page images are rendered by pdftoppm (poppler-utils) from a copy of the page PDF whose CropBox is set to
its TrimBox, so the crop marks, slug and bleed are left out. One render at the largest width is scaled
down by Pillow to the others (the page view offers them through `srcset`, so a phone loads the small one and
a zoom to 300 % the large one); each is a progressive JPEG whose quality is lowered step by step until the
file is under its byte budget. Same input, same bytes.
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

# px, the page image widths offered by srcset: fits a phone or a laptop window (800), a high-density
# screen or a 150 % zoom (1600), a 300 % zoom (2800, about 180 ppi on a 390 mm broadsheet, where 新五号
# body type is some 20 px high). The first is the one named in src (and the hotspots' pixel space).
PAGE_WIDTHS = (800, 1600, 2800)
PAGE_MAX_BYTES = {800: 240_000, 1600: 700_000, 2800: 1_600_000}   # byte budget per width
THUMB_WIDTH = 240          # px, thumbnails on the issue index
PHOTO_WIDTH = 900          # px, web copies of photos (never enlarged)
QUALITIES = (82, 78, 74, 70, 66, 62, 58, 54, 50, 45, 40)


@dataclass(frozen=True)
class WebImage:
    width: int
    height: int
    bytes: int
    variants: tuple[tuple[int, int], ...] = ()   # page images: (width, bytes) of every size written


def page_image_name(number: str, width: int) -> str:
    return f"page_{number}_{width}.jpg"


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


def page_images(pdf: Path, folder: Path, number: str, widths: tuple[int, ...] = PAGE_WIDTHS,
                max_bytes: dict | None = None) -> WebImage:
    """Write the page images (images/page_NN_<width>.jpg) and the thumbnail (page_NN_s.jpg) into folder;
    return the smallest image's size with the sizes of all."""
    budget = dict(PAGE_MAX_BYTES, **(max_bytes or {}))
    widths = tuple(sorted(widths))
    big = render_trimmed(pdf, widths[-1])
    variants = []
    for w in widths:
        im = big if w == big.width else big.resize((w, max(1, round(big.height * w / big.width))), Image.LANCZOS)
        data = _budget_jpeg(im, budget.get(w, max(budget.values())))
        (folder / page_image_name(number, w)).write_bytes(data)
        variants.append((im.width, im.height, len(data)))
    th = big.resize((THUMB_WIDTH, max(1, round(big.height * THUMB_WIDTH / big.width))), Image.LANCZOS)
    (folder / f"page_{number}_s.jpg").write_bytes(_jpeg(th, 80))
    w0, h0, b0 = variants[0]
    return WebImage(w0, h0, b0, tuple((w, b) for w, _, b in variants))


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
