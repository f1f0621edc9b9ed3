"""Screen previews of built pages (`paiban watch`): one PDF page → a JPEG at screen resolution, in process.

pdfium (pypdfium2) renders the page from its PDF. The press photos are most of that work when done
as they are (decoding 1–2 MP CMYK JPEGs and converting them to RGB on every rebuild: 0.12 of 0.19 s
for page 04 of the sample), so in pdfium's in-memory copy of the page — never in the file — each
photo is swapped for an RGB proxy at the preview's resolution, made once per photo and kept: the
page then renders in ≈ 0.07 s. The proxies keep the photo's place, clipping and stacking order
(they replace the image data, not the drawing). Colours are a screen approximation (CMYK → RGB
without the press profile), as a proof's are not: `paiban proof` is the colour-true one.
"""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

from PIL import Image

JPEG_QUALITY = 85
MAX_PROXIES = 512   # a bound on memory (≈ 30 kB each): dropped whole when reached


class Previewer:
    def __init__(self, dpi: float = 60):
        self.dpi = dpi
        self.proxies: dict[tuple, bytes] = {}   # (sha256 of the photo's JPEG, px w, px h) -> RGB JPEG
        self.made = 0                           # proxies made (the rest were kept from before)

    def render(self, pdf: Path | bytes) -> bytes:
        """The first page of `pdf` as a JPEG at self.dpi."""
        import pypdfium2 as pdfium
        import pypdfium2.raw as pdfium_c
        doc = pdfium.PdfDocument(Path(pdf).read_bytes() if isinstance(pdf, (str, Path)) else pdf)
        try:
            page = doc[0]
            for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=1):
                self._swap(obj)
            image = page.render(scale=self.dpi / 72.0).to_pil()
        finally:
            doc.close()
        buf = io.BytesIO()
        image.save(buf, "JPEG", quality=JPEG_QUALITY)
        return buf.getvalue()

    def _swap(self, obj) -> None:
        """Replace a placed JPEG's data with its screen-size RGB proxy (other images stay as they are)."""
        if obj.get_filters() != ["DCTDecode"]:
            return
        left, bottom, right, top = obj.get_bounds()
        scale = self.dpi / 72.0
        size = (max(1, round((right - left) * scale)), max(1, round((top - bottom) * scale)))
        data = bytes(obj.get_data(decode_simple=False))
        key = (hashlib.sha256(data).digest(), *size)
        proxy = self.proxies.get(key)
        if proxy is None:
            proxy = self.proxies[key] = _proxy(data, size)
            self.made += 1
            if len(self.proxies) > MAX_PROXIES:
                self.proxies = {key: proxy}
        obj.load_jpeg(io.BytesIO(proxy), inline=True)


def _proxy(jpeg: bytes, size: tuple[int, int]) -> bytes:
    im = Image.open(io.BytesIO(jpeg))
    im.draft(im.mode, size)  # libjpeg's reduced-scale decoding, down to no less than the size asked
    im = im.convert("RGB")   # Pillow reads Adobe's inverted CMYK right; a plain conversion is enough here
    if im.size != size:
        im = im.resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0)
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=JPEG_QUALITY)
    return buf.getvalue()
