"""Photo preparation: any JPEG/PNG/TIFF in, a press-ready CMYK (or gray) JPEG out.

Pure data in, file out: no reportlab here. The steps, in order, and why:
  open safely      – bombs, truncated and non-image files become InputError naming the file
  orient, flatten  – EXIF rotation applied; transparency composited onto paper white (PDF/X-1a has no SMask)
  crop and scale   – fill/fit the frame around a focal point; downsample far above target ppi, never upsample
  colour           – ICC conversion from the embedded profile (sRGB if none) to the press profile,
                     relative colorimetric + black point compensation; gray through the press's own K curve
  ink limit        – per-pixel total ink ≤ limit, checked again on the decoded JPEG (JPEG noise adds ink)
  cache            – files named by a hash of (source bytes, parameters, profile bytes): same input, same bytes
"""
from __future__ import annotations

import hashlib
import io
import json
import math
import os
import tempfile
import warnings
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

# numpy is imported where pixels are worked on: a build whose photos all come from the cache
# does not load it (~0.12 s a process)
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from layout.photo import color as colour
from layout.model.findings import Finding, InputError, Where
from layout.model.frame import Image as FrameImage
from layout.model.i18n import _, language
from layout.photo.formats import FORMATS, sniff as _sniff

JPEG_QUALITY = 92          # fixed: output bytes must not vary between runs
DOWNSAMPLE_ABOVE = 1.1     # resample when more than 10 % above target ppi (print.md: no point beyond ~300 ppi)
DRAFT_MARGIN = 1.1         # JPEG reduced-scale decoding may go down to this × the warning level (min_ppi)
FLOOR_PPI = 150.0          # print.md: fail below ~120–150 ppi whatever the publication's warning level
INK_SAFETY = 1.0           # percent kept free below the limit for other decoders' IDCT rounding
PIPELINE_VERSION = "7"     # bump when the output of the same input changes (invalidates caches)


@dataclass(frozen=True)
class PreparedImage:
    path: Path            # press-ready JPEG in the cache dir, named by content hash
    pixel_w: int
    pixel_h: int
    mode: str             # "CMYK" | "L"
    placed: tuple[float, float, float, float]  # x, y, w, h in pt from the frame's top-left
    ppi: float            # effective resolution at placed size (min of x and y)
    findings: tuple[Finding, ...]

    def to_frame_image(self, frame_x: float, frame_y: float) -> FrameImage:
        """The PageFrame item for this photo in a frame whose top-left is (frame_x, frame_y)."""
        x, y, w, h = self.placed
        return FrameImage(x=frame_x + x, y=frame_y + y, w=w, h=h, path=str(self.path),
                          pixel_w=self.pixel_w, pixel_h=self.pixel_h, ppi=self.ppi)


def prepare_photo(src: Path, frame_w: float, frame_h: float, *, fit: str = "fill",
                  focus: tuple[float, float] = (0.5, 0.5), profile: Path = colour.DEFAULT_PROFILE,
                  gray: bool = False, ink_limit: float = 240.0, target_ppi: float = 300.0,
                  min_ppi: float = 200.0, cache_dir: Path, strict: bool = False,
                  floor_ppi: float = FLOOR_PPI, max_pixels: int | None = None) -> PreparedImage:
    """Prepare `src` for a frame_w × frame_h pt frame; see the module docstring for the steps.

    fit="fill" covers the frame and crops around `focus` (fractions of the picture, 0..1);
    fit="fit" shows the whole picture, centred, letterboxed inside the frame.
    """
    src = Path(src)
    _check_args(src, frame_w, frame_h, fit, focus, ink_limit, target_ppi)
    source, data = _digest(src, _read)
    profile_digest, profile_bytes = _digest(Path(profile), _read_profile)
    params = dict(frame=[round(frame_w, 4), round(frame_h, 4)], fit=fit, focus=list(focus), gray=gray,
                  ink=ink_limit, target=target_ppi, min=min_ppi, floor=floor_ppi, strict=strict,
                  q=JPEG_QUALITY, v=PIPELINE_VERSION)
    key = _cache_key(source, params, profile_digest)
    cache_dir = Path(cache_dir)
    cached = _load_cached(cache_dir, key, src)
    if cached:
        return cached
    data = data if data is not None else _read(src)
    profile_bytes = profile_bytes if profile_bytes is not None else _read_profile(Path(profile))

    findings: list[Finding] = []
    im, icc = _open(src, data, max_pixels or Image.MAX_IMAGE_PIXELS, findings,
                    draft=lambda im: _draft(im, frame_w, frame_h, fit, target_ppi, min_ppi))
    crop, placed, out_size, ppi = _geometry(im.size, frame_w, frame_h, fit, focus, target_ppi)
    if out_size != (round(crop[2] - crop[0]), round(crop[3] - crop[1])):
        findings.append(_finding("info", "downsampled", src,
                                 _('downsampled to {target_ppi:g} ppi at placed size', target_ppi=target_ppi),
                                 {"from_px": list(im.size), "to_px": list(out_size)}))
        im = im.resize(out_size, Image.Resampling.LANCZOS, box=crop)
    else:
        box = tuple(round(v) for v in crop)  # a sub-pixel sliver rounds to an empty box: resample it instead
        im = im.crop(box) if box[2] > box[0] and box[3] > box[1] else \
            im.resize(out_size, Image.Resampling.LANCZOS, box=crop)
    ppi = round(ppi, 1)  # what is reported is what is judged: 600 px over 3 in is 200, not 199.99999
    findings += _ppi_findings(src, ppi, min_ppi, floor_ppi, strict)

    out, remarks = _to_press(im, icc, profile_bytes, gray, src)
    del im  # the RGB pixels are done with: not held through encoding (peak memory)
    out.info = {}  # a CMYK source passed through keeps its metadata, and Pillow writes info["comment"]
    findings += remarks
    payload, max_ink = _encode(out, ink_limit, src, findings)

    prepared = PreparedImage(path=cache_dir / f"{key}.jpg", pixel_w=out.width, pixel_h=out.height,
                             mode=out.mode, placed=tuple(round(float(v), 4) for v in placed),
                             ppi=ppi, findings=tuple(findings))
    _store(cache_dir, key, payload, prepared, max_ink)
    return prepared


# ---------------------------------------------------------------- input

def _check_args(src, frame_w, frame_h, fit, focus, ink_limit, target_ppi):
    if fit not in ("fill", "fit"):
        raise InputError(_("{src}: fit {fit!r} is not 'fill' or 'fit'", src=src, fit=fit))
    if not (frame_w > 0 and frame_h > 0):
        raise InputError(_('{src}: picture frame {frame_w:g} × {frame_h:g} pt has no area', src=src, frame_w=frame_w, frame_h=frame_h))
    if len(focus) != 2 or not all(0.0 <= f <= 1.0 for f in focus):
        raise InputError(_('{src}: focus {focus!r} must be two fractions 0..1 (x, y from top-left)', src=src, focus=focus))
    if not 0 < ink_limit <= 400 or target_ppi <= 0:
        raise InputError(_('{src}: ink limit {ink_limit:g} % / target {target_ppi:g} ppi out of range', src=src, ink_limit=ink_limit, target_ppi=target_ppi))


def _read(src: Path) -> bytes:
    try:
        data = src.read_bytes()
    except FileNotFoundError:
        raise InputError(_('photo {src} not found', src=src), hint=_('check the path in the page definition')) from None
    except OSError as e:
        raise InputError(_('photo {src} cannot be read: {value}', src=src, value=e.strerror or e)) from None
    if not data:
        raise InputError(_('photo {src} is empty (0 bytes)', src=src),
                         hint=_('the copy or download was interrupted: fetch the picture again'))
    return data


def _read_profile(profile: Path) -> bytes:
    try:
        return profile.read_bytes()
    except OSError as e:
        raise InputError(_('press profile {profile} cannot be read: {value}', profile=profile, value=e.strerror or e)) from None


def _draft(im: Image.Image, frame_w: float, frame_h: float, fit: str, target_ppi: float,
           min_ppi: float) -> None:
    """JPEG: let libjpeg decode at 1/2, 1/4 or 1/8 scale (scaled in the DCT domain: one good filter
    step, far faster than decoding every pixel and resampling afterwards).

    The largest reduction that keeps 95 % of the target is taken: 285 ppi prints like 300 on newsprint
    (85–100 lpi) and needs no resampling. When none does, half scale is still taken if it keeps
    DRAFT_MARGIN × min_ppi (220 ppi): print.md asks ≥ 200 ppi and sees no point beyond ~300, and at over
    twice the screen ruling the halftone cannot show more detail, while decoding a camera original
    whole only to resample it to 300 ppi costs about 2.5 × the work (docs/performance.md)."""
    if im.format != "JPEG":
        return
    w, h = im.size
    if im.getexif().get(0x0112, 1) in (5, 6, 7, 8):  # EXIF turns it a quarter: frame axes swap
        w, h = h, w
    pt_per_px = max(frame_w / w, frame_h / h) if fit == "fill" else min(frame_w / w, frame_h / h)
    ppi = 72.0 / pt_per_px
    factor = 1
    while factor < 8 and ppi / (factor * 2) >= target_ppi * 0.95:
        factor *= 2
    if factor == 1 and ppi > target_ppi * DOWNSAMPLE_ABOVE and ppi / 2 >= min_ppi * DRAFT_MARGIN:
        factor = 2
    if factor > 1:
        # Pillow takes the reduction as min(width // asked width, height // asked height): asking for the
        # rounded-down size gets exactly `factor` (the rounded-up size asked too much of an odd side and
        # fell back to full-size decoding); libjpeg's output is the rounded-up size either way
        im.draft(im.mode, (max(1, im.width // factor), max(1, im.height // factor)))


def _open(src: Path, data: bytes, max_pixels: int, findings: list, draft=None) -> tuple[Image.Image, bytes | None]:
    """Decode fully (so errors surface here), apply EXIF orientation, flatten alpha."""
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that; we want a clear refusal.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data), formats=FORMATS)
            if im.width * im.height > max_pixels:
                raise Image.DecompressionBombError(f"{im.width} × {im.height} px")
            if draft:
                draft(im)
            decoded, problem, checked = _decode_checked(data, im)
            if decoded is None:
                im.load()
            else:
                im = decoded
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
        raise InputError(_('photo {src} is too large to open safely ({e}; limit {max_pixels:.0f} MP)', src=src, e=e, max_pixels=max_pixels / 1e6),
                         hint=_('a damaged or malicious file (decompression bomb), or a huge scan: resize it to at most a few thousand pixels a side')) from None
    except UnidentifiedImageError:
        raise InputError(_('photo {src} is not a JPEG, PNG or TIFF image{value}', src=src, value=_sniff(data)),
                         hint=_('open it in an image editor and save it as JPEG or TIFF')) from None
    except (OSError, SyntaxError, ValueError, EOFError) as e:
        raise InputError(_('photo {src} is damaged or truncated ({e})', src=src, e=e),
                         hint=_('the file is incomplete: copy or download it again')) from None
    if not checked:
        problem = jpeg_corruption(data)
    if problem:
        findings.append(_finding("error", "photo-corrupt", src, _("the JPEG data is damaged ({problem}): parts of "
                                 "the picture would print as noise; ask for the file again", problem=problem),
                                 {"problem": problem}))
    icc = im.info.get("icc_profile") or None
    try:
        ImageOps.exif_transpose(im, in_place=True)  # not a copy of every picture that needs no turning
    except Exception as e:  # broken EXIF must not stop a page; the picture is just not rotated
        findings.append(_finding("warning", "bad-exif", src, _('EXIF orientation ignored ({e})', e=e)))
    return _flatten(im, src), icc


def _flatten(im: Image.Image, src: Path) -> Image.Image:
    """Reduce every pixel format to RGB, L or CMYK; alpha goes onto paper white."""
    import numpy as np
    if im.mode == "P":
        im = im.convert("RGBA" if "transparency" in im.info else "RGB")
    elif im.mode == "PA":
        im = im.convert("RGBA")
    elif im.mode == "1":
        im = im.convert("L")
    elif im.mode.startswith("I"):
        a = np.asarray(im, dtype=np.uint32)
        shift = 8 if a.max(initial=0) > 255 else 0  # 16-bit gray scans
        im = Image.fromarray((a >> shift).clip(0, 255).astype(np.uint8), "L")
    if im.mode in ("RGBA", "RGBa", "LA", "La"):
        base = "RGB" if im.mode.startswith("RGB") else "L"
        rgba = im.convert("RGBA") if im.mode != "RGBA" else im
        paper = Image.new("RGBA", im.size, (255, 255, 255, 255))
        im = Image.alpha_composite(paper, rgba).convert(base)
    elif im.mode in ("RGBX", "YCbCr"):
        im = im.convert("RGB")
    if im.mode not in ("RGB", "L", "CMYK"):
        raise InputError(_('photo {src} uses pixel format {mode}, which paiban does not convert', src=src, mode=im.mode),
                         hint=_('save it as 8-bit RGB, grayscale or CMYK'))
    return im


# ---------------------------------------------------------------- geometry

def _geometry(size, frame_w, frame_h, fit, focus, target_ppi):
    """Source crop box (float px), placed rect (pt, frame-relative), output px size, effective ppi."""
    sw, sh = size
    if fit == "fill":
        aspect = frame_w / frame_h
        cw, ch = (sh * aspect, sh) if sw / sh > aspect else (sw, sw / aspect)
        left = min(max(focus[0] * sw - cw / 2, 0.0), sw - cw)
        top = min(max(focus[1] * sh - ch / 2, 0.0), sh - ch)
        placed = (0.0, 0.0, frame_w, frame_h)
    else:
        cw, ch, left, top = sw, sh, 0.0, 0.0
        scale = min(frame_w / sw, frame_h / sh)
        w, h = sw * scale, sh * scale
        placed = ((frame_w - w) / 2, (frame_h - h) / 2, w, h)
    crop = (left, top, left + cw, top + ch)
    inches_w, inches_h = placed[2] / 72.0, placed[3] / 72.0
    out_w, out_h = max(1, round(cw)), max(1, round(ch))  # a sliver of an extreme panorama: still one pixel
    if min(out_w / inches_w, out_h / inches_h) > target_ppi * DOWNSAMPLE_ABOVE:
        out_w, out_h = max(1, round(inches_w * target_ppi)), max(1, round(inches_h * target_ppi))
    return crop, placed, (out_w, out_h), min(out_w / inches_w, out_h / inches_h)


def _ppi_findings(src, ppi, min_ppi, floor_ppi, strict):
    data = {"ppi": round(ppi, 1), "min_ppi": min_ppi, "floor_ppi": floor_ppi}
    if ppi < floor_ppi:
        return [_finding("error", "ppi-below-floor", src,
                         _('{ppi:.0f} ppi at placed size is below the {floor_ppi:g} ppi floor: the photo will print visibly blocky; use a larger original or place it smaller', ppi=ppi, floor_ppi=floor_ppi), data)]
    if ppi < min_ppi:
        return [_finding("error" if strict else "warning", "low-ppi", src,
                         _('{ppi:.0f} ppi at placed size (want {min_ppi:g}): use a larger original or place it smaller', ppi=ppi, min_ppi=min_ppi), data)]
    return []


def _finding(severity, code, src, message, data=None) -> Finding:
    return Finding(severity, code, _('photo {name}: {message}', name=src.name, message=message),
                   data={"image": str(src), **(data or {})})


# ---------------------------------------------------------------- colour

_INTENT = ImageCms.Intent.RELATIVE_COLORIMETRIC
_BPC = ImageCms.Flags.BLACKPOINTCOMPENSATION


@lru_cache(maxsize=16)
def _profile(data: bytes | None, fallback: str):
    if data is None:
        return ImageCms.createProfile(fallback)
    return ImageCms.ImageCmsProfile(io.BytesIO(data))


@lru_cache(maxsize=16)
def _transform(src_icc: bytes | None, src_mode: str, dst_icc: bytes | None, dst_mode: str, bpc: bool):
    return ImageCms.buildTransform(_profile(src_icc, "sRGB"), _profile(dst_icc, "LAB"), src_mode, dst_mode,
                                   renderingIntent=_INTENT, flags=_BPC if bpc else 0)


def _apply(im: Image.Image, transform) -> Image.Image:
    """ImageCms.applyTransform without what it adds: Pillow's apply() serialises the output profile
    (169 kB for the press profile, 2 ms) into the result's info on every call, and ours is dropped."""
    core = getattr(transform, "transform", None)
    if core is None or not hasattr(im, "getim"):
        return ImageCms.applyTransform(im, transform)
    out = Image.new(transform.output_mode, im.size)
    try:
        core.apply(im.getim(), out.getim())
    except (TypeError, ValueError) as e:
        raise ImageCms.PyCMSError(e) from None
    return out


def _usable_icc(icc: bytes | None, mode: str, src: Path, findings: list) -> bytes | None:
    """The embedded profile if it opens and matches the pixels; else None (with a finding)."""
    if icc is None:
        return None
    want = {"RGB": "RGB ", "L": "GRAY", "CMYK": "CMYK"}[mode]
    try:
        space = _profile(icc, "sRGB").profile.xcolor_space
    except (OSError, ImageCms.PyCMSError) as e:
        findings.append(_finding("warning", "bad-icc", src, _('embedded ICC profile unreadable ({e}); assumed sRGB / press CMYK', e=e)))
        return None
    if space != want:
        findings.append(_finding("warning", "bad-icc", src, _('embedded ICC profile is for {space}, pixels are {mode}; profile ignored', space=space.strip(), mode=mode)))
        return None
    return icc


def _decode_checked(data: bytes, im: Image.Image) -> tuple[Image.Image | None, str | None, bool]:
    """An RGB or gray JPEG decoded once by libjpeg-turbo in strict mode (simplejpeg): the pixels Pillow
    would give (the same library, the same DCT scaling and upsampling; tests/test_images.py compares
    them) and, in the same pass, the corruption check that otherwise costs a second decode.

    (image, problem, checked): image None when Pillow is to decode (another format or pixel format, no
    simplejpeg, or the strict decoder stopped: a damaged file is then decoded by Pillow, which keeps
    going, and `problem` says what is wrong); checked tells whether the corruption check was made."""
    if im.format != "JPEG" or im.mode not in ("RGB", "L") or not data.startswith(b"\xff\xd8"):
        return None, None, False
    try:
        import simplejpeg
    except ImportError:
        return None, None, False
    scale = im.decoderconfig[0] if im.decoderconfig else 1  # what Pillow's draft asked libjpeg for
    try:
        h, w = simplejpeg.decode_jpeg_header(data)[:2]
        a = simplejpeg.decode_jpeg(data, colorspace="RGB" if im.mode == "RGB" else "GRAY", strict=True,
                                   min_factor=scale, min_width=max(1, w // scale), min_height=max(1, h // scale))
    except ValueError as e:
        return None, _corruption_text(e), True
    if a.shape[:2] != (im.height, im.width):  # another scale than Pillow's: let Pillow decode
        return None, None, True
    out = Image.fromarray(a if im.mode == "RGB" else a.reshape(a.shape[:2]))
    out.info = dict(im.info)  # EXIF (orientation) and the ICC profile travel with the pixels
    return out, None, True


def _corruption_text(e: ValueError) -> str | None:
    text = str(e)
    return text if "orrupt" in text or "premature" in text.lower() or "marker" in text else None


def jpeg_corruption(data: bytes) -> str | None:
    """What libjpeg-turbo (simplejpeg, strict) says is wrong with a JPEG's scan data, or None. Pillow
    decodes scrambled data without a word; this decodes at 1/8 scale and listens (the entropy decoding
    of every block is most of the cost: ~10 ms for a 3,000-pixel photo). RGB and gray JPEGs get the
    check from their one decode (_decode_checked); this is for the others (CMYK)."""
    if not data.startswith(b"\xff\xd8"):
        return None
    try:
        import simplejpeg
    except ImportError:  # the check is skipped, not the photo
        return None
    try:
        space = simplejpeg.decode_jpeg_header(data)[2]
        # min_factor alone does not scale: the smallest size asked for must be given too
        simplejpeg.decode_jpeg(data, colorspace="CMYK" if space in ("CMYK", "YCCK") else
                               "GRAY" if space == "Gray" else "RGB", strict=True, min_factor=8,
                               min_width=1, min_height=1)
    except ValueError as e:
        return _corruption_text(e)
    return None


def _to_press(im: Image.Image, icc: bytes | None, press: bytes, gray: bool, src: Path):
    """Pixels in press space: CMYK for colour pages, L (DeviceGray) for gray pages and gray photos.
    An embedded profile whose colour transform cannot be built falls back to the assumed one."""
    findings: list[Finding] = []
    icc = _usable_icc(icc, im.mode, src, findings)
    if icc is not None:
        try:
            _transform(icc, im.mode if im.mode != "L" else "L", None, "LAB", False)
        except (OSError, ValueError, ImageCms.PyCMSError) as e:
            findings.append(_finding("warning", "bad-icc", src,
                                     _("embedded ICC profile unusable ({e}); assumed sRGB / press CMYK", e=e)))
            icc = None
    if im.mode == "CMYK" and icc is None:
        findings.append(_finding("info", "untagged-cmyk", src,
                                 _('CMYK without a profile: taken to be for this press already')))
    elif im.mode == "RGB" and icc is None:
        findings.append(_finding("info", "untagged-rgb", src, _('RGB without a profile: assumed sRGB')))
    if gray or im.mode == "L":
        return _to_gray(im, icc, press), findings
    if im.mode == "CMYK":
        if icc is None or icc == press:
            return im, findings
        return _apply(im, _transform(icc, "CMYK", press, "CMYK", True)), findings
    return _apply(im, _transform(icc, "RGB", press, "CMYK", True)), findings


def _to_gray(im: Image.Image, icc: bytes | None, press: bytes) -> Image.Image:
    """Lightness → the K tint that prints that light on this press (gray pages carry only K)."""
    if im.mode == "L" and icc is None:
        im = Image.merge("RGB", (im, im, im))  # untagged gray: read it as sRGB's neutral axis
    if im.mode == "CMYK" and icc is None:
        icc = press
    lab = _apply(im, _transform(icc, im.mode, None, "LAB", False))
    return lab.getchannel("L").point(list(_gray_lut(press)))


@lru_cache(maxsize=4)
def _gray_lut(press: bytes) -> tuple[int, ...]:
    """Lab L byte → DeviceGray byte, with black point compensation onto the press's 100 % K."""
    y_black = _l_to_y(colour.k_ramp(press)[-1])
    lut = []
    for v in range(256):
        y = y_black + (1.0 - y_black) * _l_to_y(v * 100.0 / 255.0)
        lut.append(round(255 * (1.0 - colour.k_for_lightness(_y_to_l(y), press))))
    return tuple(lut)


def _l_to_y(l: float) -> float:
    return ((l + 16) / 116) ** 3 if l > 8 else l / 903.3


def _y_to_l(y: float) -> float:
    return 116 * y ** (1 / 3) - 16 if y > 0.008856 else 903.3 * y


# ---------------------------------------------------------------- ink limit and encoding

def limit_ink(cmyk: np.ndarray, limit_units, total: np.ndarray | None = None) -> np.ndarray:
    """Scale C, M, Y down (K kept: it carries the detail) where C+M+Y+K > limit_units.

    limit_units is in sample units (255 = 100 %), a number or one value per pixel."""
    import numpy as np
    if total is None:  # per-pixel C+M+Y+K, when the caller has not computed it already
        total = ink_sum(cmyk)
    over = total > limit_units
    if not over.any():
        return cmyk
    # only the pixels over the limit are widened and scaled (memory and time follow their number)
    a = cmyk[over].astype(np.int32)                       # (n, 4)
    limit = limit_units[over] if np.ndim(limit_units) else limit_units
    k = np.minimum(a[:, 3], limit)
    cmy = a[:, :3]
    room = (limit - k)[:, None]
    cmy_sum = np.maximum((cmy[:, 0] + cmy[:, 1] + cmy[:, 2])[:, None], 1)
    a[:, :3] = (cmy * room) // cmy_sum  # floor: never above the limit
    a[:, 3] = k
    out = np.array(cmyk, dtype=np.uint8)
    out[over] = a
    return out


def ink_sum(a) -> np.ndarray:
    """Per-pixel C+M+Y+K of an H×W×4 array or CMYK image. Four whole-plane adds: ten times faster
    than .sum(axis=-1), whose reduction over a 4-element axis walks the array pixel by pixel. 8-bit
    samples give int16 totals (at most 1020, and differences of two stay in range): half the memory."""
    import numpy as np
    a = np.asarray(a)
    total = a[..., 0].astype(np.int16 if a.dtype == np.uint8 else np.int32)
    total += a[..., 1]
    total += a[..., 2]
    total += a[..., 3]
    return total


def max_ink(im: Image.Image) -> float:
    """Largest per-pixel total ink of a CMYK image, in percent."""
    return float(ink_sum(im).max(initial=0)) * 100.0 / 255.0


def _encode(im: Image.Image, ink_limit: float, src: Path, findings: list) -> tuple[bytes, float]:
    """JPEG bytes whose *decoded* pixels respect the ink limit.

    JPEG ringing adds a few percent of ink next to hard edges in dark areas, so the decoded file is
    checked and, where a pixel is over, that pixel's total is lowered by its excess and the file
    re-encoded. Two rounds settle it on the sample photos, touching a handful of pixels."""
    import numpy as np
    if im.mode == "L":
        return _jpeg(im), 100.0 - float(np.asarray(im).min(initial=255)) * 100.0 / 255.0
    units = math.floor((ink_limit - INK_SAFETY) * 255 / 100)
    px = None  # the pixels as an array, made only when a round finds pixels over the limit
    before = None  # the picture's own maximum, computed only when a round finds pixels over the limit
    for _attempt in range(8):
        payload = _jpeg(im if px is None else Image.fromarray(px, "CMYK"))
        decoded = ink_sum(_decoded(payload))
        excess = decoded - units
        if excess.max(initial=0) <= 0:
            break
        # lower the source pixels over the limit (the press profile's own limit) and where the
        # decoded file went over (JPEG ringing next to hard dark edges), then encode again
        if px is None:
            px = np.asarray(im)
        current = ink_sum(px)
        if before is None:
            before = float(current.max(initial=0)) * 100.0 / 255.0
        target = np.where(excess > 0, current - excess - 1, 4 * 255)
        px = limit_ink(px, np.minimum(target, units), current)
    decoded_max = float(decoded.max(initial=0)) * 100.0 / 255.0
    if decoded_max > ink_limit:
        findings.append(_finding("error", "ink-limit", src,
                                 _('could not keep total ink under {ink_limit:g} % (decoded {decoded_max:.1f} %)', ink_limit=ink_limit, decoded_max=decoded_max)))
    if before is not None and before > ink_limit - INK_SAFETY:
        findings.append(_finding("info", "ink-limited", src,
                                 _('total ink reduced from {before:.0f} % to the {ink_limit:g} % limit', before=before, ink_limit=ink_limit),
                                 {"before": round(before, 1), "after": round(decoded_max, 1)}))
    return payload, decoded_max


def _decoded(payload: bytes) -> np.ndarray:
    """The pixels of a CMYK JPEG as a H×W×4 array, decoded at full size by Pillow's JPEG decoder with the
    raw mode its JPEG plugin picks (Adobe CMYK is stored inverted), straight into the array's memory: the
    same pixels as np.asarray(Image.open(...)) without Pillow's image copied out again (a third faster)."""
    import numpy as np
    im = Image.open(io.BytesIO(payload))
    tile = im.tile
    if im.mode != "CMYK" or len(tile) != 1 or tile[0][0] != "jpeg" or tile[0][1] != (0, 0) + im.size:
        return np.asarray(im)
    out = np.empty((im.height, im.width, 4), np.uint8)
    out[0, 0] = (1, 2, 3, 4)
    view = Image.frombuffer("CMYK", im.size, out, "raw", "CMYK", 0, 1)
    if not view.readonly or view.getpixel((0, 0)) != (1, 2, 3, 4):  # a copy, not the array's memory
        return np.asarray(im)
    view.frombytes(payload, "jpeg", *tile[0][3])
    return out


def _jpeg(im: Image.Image) -> bytes:
    buf = io.BytesIO()
    # Baseline, fixed quality, no metadata: deterministic bytes. Pillow writes CMYK with an
    # Adobe APP14 marker and inverted samples (what pdf_images' /Decode array undoes).
    im.save(buf, "JPEG", quality=JPEG_QUALITY, optimize=False, progressive=False, subsampling=0)
    return buf.getvalue()


# ---------------------------------------------------------------- cache

def _cache_key(source_sha256: bytes, params: dict, profile_sha256: bytes) -> str:
    h = hashlib.sha256()
    for part in (source_sha256, json.dumps(params, sort_keys=True).encode(), profile_sha256):
        h.update(part)
    return h.hexdigest()[:32]


_DIGESTS: dict[tuple, bytes] = {}  # (path, size, mtime, inode, ctime) -> SHA-256 of the file's bytes


def _digest(path: Path, read) -> tuple[bytes, bytes | None]:
    """(SHA-256, bytes or None) of a file: the digest is remembered by the file's stat, so a rebuild
    (paiban watch) that finds the photo prepared already neither reads nor hashes its 1–2 MB again.
    The bytes come back when they had to be read; `read` raises the file's InputError."""
    try:
        st = path.stat()
        key = (str(path), st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)
    except OSError:
        key = None
    digest = _DIGESTS.get(key) if key else None
    if digest is not None:
        return digest, None
    data = read(path)
    digest = hashlib.sha256(data).digest()
    if key:
        if len(_DIGESTS) > 4096:
            _DIGESTS.clear()
        _DIGESTS[key] = digest
    return digest, data


def _load_cached(cache_dir: Path, key: str, src: Path) -> PreparedImage | None:
    jpg, meta = cache_dir / f"{key}.jpg", _meta_path(cache_dir, key)
    if not (jpg.is_file() and meta.is_file()):
        return None
    try:
        m = json.loads(meta.read_text("utf-8"))
        findings = tuple(_as_for(Finding(**{**f, "where": Where(**f["where"])}), src) for f in m["findings"])
        return PreparedImage(path=jpg, pixel_w=m["pixel_w"], pixel_h=m["pixel_h"], mode=m["mode"],
                             placed=tuple(m["placed"]), ppi=m["ppi"], findings=findings)
    except (ValueError, KeyError, TypeError):
        return None  # damaged sidecar: prepare again


def _as_for(f: Finding, src: Path) -> Finding:
    """A cached finding told of `src`: the cache is keyed by content, so the photo that filled it may
    have had another path or name (another issue, a copy, a test's temporary folder)."""
    was = f.data.get("image") if isinstance(f.data, dict) else None
    if not was or was == str(src):
        return f
    message = f.message.replace(Path(was).name, src.name, 1) if Path(was).name != src.name else f.message
    return replace(f, message=message, data={**f.data, "image": str(src)})


def _store(cache_dir: Path, key: str, payload: bytes, p: PreparedImage, max_ink_: float) -> None:
    cache_dir.mkdir(parents=True, exist_ok=True)
    meta = dict(pixel_w=p.pixel_w, pixel_h=p.pixel_h, mode=p.mode, placed=list(p.placed), ppi=p.ppi,
                max_ink=round(max_ink_, 2), findings=[f.to_json() for f in p.findings])
    _atomic_write(cache_dir / f"{key}.jpg", payload)
    _atomic_write(_meta_path(cache_dir, key), json.dumps(meta, ensure_ascii=False, indent=1).encode())


def _meta_path(cache_dir: Path, key: str) -> Path:
    """The sidecar with the figures and findings: one per message language, since findings carry text."""
    return cache_dir / f"{key}.{language()}.json"


def _atomic_write(path: Path, data: bytes) -> None:
    """Parallel builds may prepare the same photo: write aside, then rename over."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
