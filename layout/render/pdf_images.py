"""Embedding prepared photos with reportlab: the JPEG goes in untouched (DCTDecode).

CMYK JPEGs written by Pillow (like Photoshop's) carry an Adobe APP14 marker and store inverted
samples; reportlab then adds /Decode [1 0 1 0 1 0 1 0], which is what makes viewers and RIPs read the
right ink. We check that pairing before drawing, because a 4-channel JPEG without the marker would
print as a negative. Gray JPEGs become DeviceGray. No SMask, no RGB, nothing beyond PDF 1.3.
"""
from __future__ import annotations

import hashlib
import struct
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc

from layout.model.frame import Image as FrameImage
from layout.photo.prepare import PreparedImage


@dataclass(frozen=True)
class JpegInfo:
    width: int
    height: int
    components: int      # 1 gray, 3 YCbCr/RGB, 4 CMYK/YCCK
    adobe: bool          # APP14 "Adobe" marker present
    adobe_transform: int  # 0 none (CMYK), 1 YCbCr, 2 YCCK; -1 without the marker
    progressive: bool


def jpeg_info(path: Path) -> JpegInfo:
    """Read the JPEG markers up to the first frame header (SOFn)."""
    data = Path(path).read_bytes()
    if data[:2] != b"\xff\xd8":
        raise ValueError(f"{path}: not a JPEG file")
    pos, adobe, transform = 2, False, -1
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            raise ValueError(f"{path}: broken JPEG marker at byte {pos}")
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        length = struct.unpack(">H", data[pos + 2:pos + 4])[0]
        segment = data[pos + 4:pos + 2 + length]
        if marker == 0xEE and segment.startswith(b"Adobe") and len(segment) >= 12:
            adobe, transform = True, segment[11]
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
            height, width = struct.unpack(">HH", segment[1:5])
            return JpegInfo(width, height, segment[5], adobe, transform, marker in (0xC2, 0xC6, 0xCA, 0xCE))
        pos += 2 + length
    raise ValueError(f"{path}: no JPEG frame header")


def check_press_jpeg(path: Path) -> JpegInfo:
    """Refuse what would print wrong: RGB, CMYK without the Adobe marker, YCCK, progressive."""
    info = jpeg_info(path)
    if info.components == 4 and not (info.adobe and info.adobe_transform == 0):
        raise ValueError(f"{path}: CMYK JPEG without an Adobe APP14 (transform 0) marker: "
                         "the /Decode inversion would turn it into a negative")
    if info.components not in (1, 4):
        raise ValueError(f"{path}: {info.components}-channel JPEG; press images are CMYK or gray")
    if info.progressive:
        raise ValueError(f"{path}: progressive JPEG; some RIPs want baseline")
    return info


def draw_image(canvas, prepared: PreparedImage | FrameImage, x_pdf: float, y_pdf: float, w: float, h: float) -> None:
    """Draw `prepared` with its lower-left corner at (x_pdf, y_pdf), w × h pt, in PDF space.

    Only `.path` is used, so a PageFrame Image item (whose path is a prepared JPEG) works too."""
    _draw_jpeg(canvas, Path(prepared.path), x_pdf, y_pdf, w, h)


def draw_frame_image(canvas, item: FrameImage, page_left: float, page_top: float) -> None:
    """Draw a PageFrame Image item (top-left origin, y down) on a page whose trimmed top-left
    corner sits at (page_left, page_top) in PDF space."""
    _draw_jpeg(canvas, Path(item.path), page_left + item.x, page_top - item.y - item.h, item.w, item.h)


def _draw_jpeg(canvas, path: Path, x: float, y: float, w: float, h: float) -> None:
    """What canvas.drawImage does for a JPEG file, but with the image XObject named after the file's
    content: reportlab names it after the path string, so the same page came out with other bytes
    when the photo cache lived in another folder (another checkout, PAIBAN_CACHE, a CI temp dir)."""
    name = _checked_name(path)
    doc = canvas._doc
    registered = doc.getXObjectName(name)
    if doc.idToObject.get(registered) is None:
        with binary_streams():  # reportlab reads the setting while loading the image
            # a .jpg filename makes reportlab pass the file through as DCTDecode; mask=None: no SMask
            image = pdfdoc.PDFImageXObject(name, str(path), mask=None)
        image.name = name
        canvas._setXObjects(image)
        doc.Reference(image, registered)
        doc.addForm(name, image)
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(w, h)
    canvas._code.append(f"/{registered} Do")
    canvas.restoreState()
    canvas._formsinuse.append(name)


_NAMES: dict[tuple, str] = {}  # (path, size, mtime, inode) -> XObject name of a JPEG found fit for press


def _checked_name(path: Path) -> str:
    """check_press_jpeg, and the XObject name from the file's content; remembered by the file's stat,
    since a rebuilt page (paiban watch) places the same prepared photos again (2 reads and a hash of
    ≈ 1 MB each time otherwise)."""
    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns, st.st_ino)
    name = _NAMES.get(key)
    if name is None:
        data = path.read_bytes()
        check_press_jpeg(path)
        name = "PB" + hashlib.sha256(data).hexdigest()[:32]
        if len(_NAMES) > 1024:
            _NAMES.clear()
        _NAMES[key] = name
    return name


@contextmanager
def binary_streams():
    """reportlab wraps streams in ASCII85 while rl_config.useA85 is set (its default): a quarter
    bigger, and its pure-Python encoder was ≈ 15 ms a page. PDF/X has no need for 7-bit files."""
    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = saved
