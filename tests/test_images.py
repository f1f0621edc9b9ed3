"""Photo preparation (layout.photo.prepare) and embedding (layout.render.pdf_images)."""
from __future__ import annotations

import io
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from layout.photo.color import DEFAULT_PROFILE
from layout.model.findings import InputError
from layout.photo.prepare import PreparedImage, limit_ink, prepare_photo

DATA = Path(__file__).parent / "data"
ROCKET = DATA / "rocket.jpg"            # 640 × 427 RGB, Adobe RGB (1998) profile
HUBBLE = DATA / "hubble-srgb.jpg"       # 320 × 279 RGB, sRGB profile
ASTRONAUT = DATA / "astronaut-srgb.png"  # 256 × 256 RGB, sRGB profile
MM = 72 / 25.4


def prep(src, w=200.0, h=150.0, tmp=None, **kw) -> PreparedImage:
    kw.setdefault("profile", DEFAULT_PROFILE)
    return prepare_photo(Path(src), w, h, cache_dir=tmp / "cache", **kw)


def pixels(p: PreparedImage) -> np.ndarray:
    im = Image.open(p.path)
    assert im.format == "JPEG" and im.mode == p.mode
    assert (im.width, im.height) == (p.pixel_w, p.pixel_h)
    return np.asarray(im, dtype=np.int32)


def ink(a: np.ndarray) -> np.ndarray:
    return a.sum(axis=-1) * 100.0 / 255.0


def save(im: Image.Image, path: Path, **kw) -> Path:
    im.save(path, **kw)
    return path


def halves(size=(60, 40), left=(255, 0, 0), right=(0, 0, 255)) -> Image.Image:
    """Left half one colour, right half another: orientation and crops are visible in the output."""
    im = Image.new("RGB", size, right)
    im.paste(left, (0, 0, size[0] // 2, size[1]))
    return im


# ---------------------------------------------------------------- colour out

def test_rgb_jpeg_comes_out_cmyk(tmp_path):
    p = prep(ROCKET, tmp=tmp_path)
    assert p.mode == "CMYK"
    a = pixels(p)
    assert a.shape[-1] == 4
    # the sky is blue: cyan well above yellow on average
    assert a[..., 0].mean() > a[..., 2].mean() + 20


def test_rgba_png_is_flattened_onto_paper_white(tmp_path):
    rgba = Image.new("RGBA", (300, 200), (0, 0, 255, 0))        # fully transparent blue ...
    rgba.paste((200, 0, 0, 255), (0, 0, 150, 200))               # ... beside opaque red
    p = prep(save(rgba, tmp_path / "a.png"), 144, 96, tmp=tmp_path, fit="fit")
    assert p.mode == "CMYK"
    a = pixels(p)
    right = ink(a[:, -60:]).max()
    assert right <= 1.5, "transparent area must be paper (no ink), not the hidden blue"
    left = a[:, :60].mean(axis=(0, 1))
    assert left[1] > 200 and left[0] < 10   # red: magenta, no cyan


def test_palette_png_with_transparency(tmp_path):
    im = Image.new("P", (100, 100), 0)
    im.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    im.paste(1, (0, 0, 50, 100))
    p = prep(save(im, tmp_path / "p.png", transparency=0), 72, 72, tmp=tmp_path)
    a = pixels(p)
    assert ink(a[:, -20:]).max() <= 1.5       # transparent black → white paper
    assert a[:, :20, 1].mean() > 200


@pytest.mark.parametrize("src", [ROCKET, HUBBLE, ASTRONAUT])
def test_per_pixel_ink_never_above_limit(tmp_path, src):
    p = prep(src, tmp=tmp_path)
    assert ink(pixels(p)).max() <= 240.0


def test_saturated_edges_respect_a_low_limit(tmp_path):
    """Hard black/blue/white edges are where JPEG ringing adds ink; limit 200 forces CMY scaling."""
    im = Image.new("RGB", (400, 400), (255, 255, 255))
    for i in range(0, 400, 16):
        im.paste((0, 0, 0) if i % 32 else (0, 0, 90), (i, 0, i + 8, 400))
    p = prep(save(im, tmp_path / "edges.png"), 96, 96, tmp=tmp_path, ink_limit=200)
    a = pixels(p)
    assert ink(a).max() <= 200.0
    assert ink(a).max() >= 190.0      # ... but not needlessly lighter
    assert "ink-limited" in [f.code for f in p.findings]


def test_limit_ink_scales_cmy_and_keeps_k():
    px = np.array([[[200, 180, 170, 240], [10, 10, 10, 10]]], dtype=np.uint8)
    out = limit_ink(px, 612)  # 240 %
    assert out[0, 0, 3] == 240
    assert out[0, 0].astype(int).sum() <= 612
    assert out[0, 0, 0] >= out[0, 0, 1] >= out[0, 0, 2]     # proportions kept
    assert (out[0, 1] == px[0, 1]).all()                     # under the limit: untouched


def test_embedded_profile_is_used(tmp_path):
    """The same pixels tagged Adobe RGB (wider gamut) must convert differently from untagged sRGB."""
    src = halves((64, 64), (0, 160, 0), (0, 160, 0))
    plain = prep(save(src, tmp_path / "plain.png"), 72, 72, tmp=tmp_path)
    adobe_icc = (DATA / "compatibleWithAdobeRGB1998.icc").read_bytes()
    tagged = prep(save(src, tmp_path / "tagged.png", icc_profile=adobe_icc), 72, 72, tmp=tmp_path)
    a, b = pixels(plain).mean(axis=(0, 1)), pixels(tagged).mean(axis=(0, 1))
    assert "untagged-rgb" in [f.code for f in plain.findings]
    assert "untagged-rgb" not in [f.code for f in tagged.findings]
    assert np.abs(a - b).max() > 10


def test_gray_page_gives_k_only_gray(tmp_path):
    p = prep(ROCKET, tmp=tmp_path, gray=True)
    assert p.mode == "L"
    a = pixels(p)
    assert a.ndim == 2
    wb = Image.new("RGB", (100, 50), (255, 255, 255))
    wb.paste((0, 0, 0), (50, 0, 100, 50))
    g = pixels(prep(save(wb, tmp_path / "wb.png"), 72, 36, tmp=tmp_path, gray=True, fit="fit"))
    assert g[:, :40].min() >= 253          # white stays paper
    assert g[:, -40:].max() <= 2           # sRGB black → 100 % K (black point compensation)


def test_gray_source_stays_single_plate(tmp_path):
    src = Image.linear_gradient("L").resize((128, 128))
    p = prep(save(src, tmp_path / "g.jpg", quality=95), 72, 72, tmp=tmp_path)
    assert p.mode == "L"


# ---------------------------------------------------------------- geometry

def test_exif_rotation_is_applied(tmp_path):
    exif = Image.Exif()
    exif[0x0112] = 6   # stored landscape; display rotated 90° clockwise
    path = save(halves((60, 40)), tmp_path / "rot.jpg", exif=exif, quality=95)
    p = prep(path, 200, 200, tmp=tmp_path, fit="fit")
    assert (p.pixel_w, p.pixel_h) == (40, 60)
    a = pixels(p)
    top, bottom = a[:20].mean(axis=(0, 1)), a[-20:].mean(axis=(0, 1))
    # clockwise turn: the stored left (red) becomes the top
    assert top[1] > 200 and top[0] < 30          # magenta, no cyan
    assert bottom[0] > 200 and bottom[2] < 30    # cyan, no yellow


def test_fill_crops_to_the_frame(tmp_path):
    src = save(halves((600, 400)), tmp_path / "s.png")
    p = prep(src, 100, 100, tmp=tmp_path, fit="fill")
    assert p.placed == (0.0, 0.0, 100.0, 100.0)
    assert (p.pixel_w, p.pixel_h) == (400, 400)
    assert p.ppi == pytest.approx(400 / (100 / 72), abs=0.1)      # 288 ppi


def test_fit_letterboxes(tmp_path):
    src = save(halves((600, 400)), tmp_path / "s.png")
    p = prep(src, 100, 100, tmp=tmp_path, fit="fit")
    x, y, w, h = p.placed
    assert (x, w) == (0.0, 100.0)
    assert h == pytest.approx(66.6667, abs=1e-3) and y == pytest.approx(16.6667, abs=1e-3)
    # 600 px across 100 pt is 432 ppi: more than 1.1 × 300, so resampled to 300 ppi
    assert (p.pixel_w, p.pixel_h) == (417, 278)               # 100 pt = 1.3889 in × 300; 66.67 pt × 300/72
    assert p.ppi == pytest.approx(300.2, abs=0.1)


@pytest.mark.parametrize("focus, red_share", [((0.0, 0.5), 0.75), ((1.0, 0.5), 0.0), ((0.5, 0.5), 0.5)])
def test_focus_moves_the_crop(tmp_path, focus, red_share):
    # 600 × 200, red left half; a square crop is 200 px wide
    src = save(halves((600, 200)), tmp_path / "wide.png")
    p = prep(src, 72, 72, tmp=tmp_path, fit="fill", focus=focus)
    a = pixels(p)
    yellow = (a[..., 2] > 128).mean(axis=0)   # per column: red is magenta+yellow, blue has no yellow
    share = (yellow > 0.5).mean()
    if red_share == 0.75:      # focus at the far left clamps to the left edge: all red
        assert share == pytest.approx(1.0, abs=0.03)
    else:
        assert share == pytest.approx(red_share, abs=0.03)


def test_effective_ppi_600px_across_3_inches_is_200(tmp_path):
    src = save(halves((600, 300)), tmp_path / "s.png")
    p = prep(src, 76.2 * MM, 500, tmp=tmp_path, fit="fit")
    assert p.placed[2] == pytest.approx(216.0)
    assert p.ppi == pytest.approx(200.0)
    assert [f for f in p.findings if f.code in ("low-ppi", "ppi-below-floor")] == []


def test_low_ppi_warns_and_strict_makes_it_an_error(tmp_path):
    src = save(halves((599, 300)), tmp_path / "s.png")
    p = prep(src, 76.2 * MM, 500, tmp=tmp_path, fit="fit")
    low = [f for f in p.findings if f.code == "low-ppi"]
    assert len(low) == 1 and low[0].severity == "warning" and low[0].data["ppi"] == pytest.approx(199.7)
    p = prep(src, 76.2 * MM, 500, tmp=tmp_path, fit="fit", strict=True)
    assert [f.severity for f in p.findings if f.code == "low-ppi"] == ["error"]


def test_below_the_floor_is_an_error(tmp_path):
    src = save(halves((400, 300)), tmp_path / "s.png")
    p = prep(src, 76.2 * MM, 500, tmp=tmp_path, fit="fit")   # 133 ppi
    assert [(f.code, f.severity) for f in p.findings if "ppi" in f.code] == [("ppi-below-floor", "error")]


def test_downsamples_far_above_target_never_upsamples(tmp_path):
    big = save(halves((3000, 1500)), tmp_path / "big.png")
    p = prep(big, 216, 108, tmp=tmp_path, fit="fill")          # 1000 ppi placed
    assert (p.pixel_w, p.pixel_h) == (900, 450)                  # → 300 ppi
    assert p.ppi == pytest.approx(300.0)
    assert "downsampled" in [f.code for f in p.findings]
    mid = save(halves((960, 480)), tmp_path / "mid.png")
    p = prep(mid, 216, 108, tmp=tmp_path, fit="fill")          # 320 ppi: < 1.1 × target, kept
    assert (p.pixel_w, p.pixel_h) == (960, 480)
    small = save(halves((100, 50)), tmp_path / "small.png")
    p = prep(small, 216, 108, tmp=tmp_path)
    assert (p.pixel_w, p.pixel_h) == (100, 50)


def test_to_frame_image_offsets_by_placement(tmp_path):
    src = save(halves((600, 400)), tmp_path / "s.png")
    p = prep(src, 100, 100, tmp=tmp_path, fit="fit")
    item = p.to_frame_image(50, 60)
    assert (item.x, item.y, item.w, item.h) == (50, pytest.approx(76.6667, abs=1e-3), 100, p.placed[3])
    assert item.path == str(p.path) and item.ppi == p.ppi


# ---------------------------------------------------------------- bad input

def png_claiming(w: int, h: int) -> bytes:
    """A tiny PNG whose header claims w × h pixels (a decompression bomb's calling card)."""
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))


@pytest.mark.parametrize("w, h", [(60000, 60000), (10000, 10000)])  # above 2× and 1× Pillow's limit
def test_decompression_bomb(tmp_path, w, h):
    path = tmp_path / "bomb.png"
    path.write_bytes(png_claiming(w, h))
    assert path.stat().st_size < 200
    with pytest.raises(InputError) as e:
        prep(path, tmp=tmp_path)
    assert "bomb.png" in str(e.value) and "too large" in str(e.value)


def test_pixel_limit_is_a_parameter(tmp_path):
    with pytest.raises(InputError, match="too large"):
        prep(ROCKET, tmp=tmp_path, max_pixels=100_000)


def test_truncated_jpeg(tmp_path):
    data = ROCKET.read_bytes()
    path = tmp_path / "cut.jpg"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError) as e:
        prep(path, tmp=tmp_path)
    assert "cut.jpg" in str(e.value) and "truncated" in str(e.value) and "again" in str(e.value)


def test_empty_file(tmp_path):
    path = tmp_path / "zero.jpg"
    path.write_bytes(b"")
    with pytest.raises(InputError, match=r"zero\.jpg is empty"):
        prep(path, tmp=tmp_path)


def test_html_saved_as_jpg(tmp_path):
    path = tmp_path / "photo.jpg"
    path.write_text("<!DOCTYPE html><html><body>403 Forbidden</body></html>")
    with pytest.raises(InputError) as e:
        prep(path, tmp=tmp_path)
    assert "photo.jpg" in str(e.value) and "web page" in str(e.value)


def test_gif_is_refused(tmp_path):
    path = save(Image.new("P", (10, 10)), tmp_path / "anim.gif")
    with pytest.raises(InputError, match="not a JPEG, PNG or TIFF"):
        prep(path, tmp=tmp_path)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="not found"):
        prep(tmp_path / "nowhere.jpg", tmp=tmp_path)


@pytest.mark.parametrize("kw", [{"fit": "stretch"}, {"focus": (1.5, 0.5)}])
def test_bad_parameters(tmp_path, kw):
    with pytest.raises(InputError):
        prep(ROCKET, tmp=tmp_path, **kw)


# ---------------------------------------------------------------- determinism and cache

def test_same_input_same_bytes_and_name(tmp_path):
    a = prepare_photo(ROCKET, 200, 150, profile=DEFAULT_PROFILE, cache_dir=tmp_path / "a")
    b = prepare_photo(ROCKET, 200, 150, profile=DEFAULT_PROFILE, cache_dir=tmp_path / "b")
    assert a.path.name == b.path.name
    assert a.path.read_bytes() == b.path.read_bytes()
    c = prepare_photo(ROCKET, 200, 151, profile=DEFAULT_PROFILE, cache_dir=tmp_path / "a")
    assert c.path != a.path


def test_cache_hit_returns_the_same_result(tmp_path):
    first = prep(ROCKET, tmp=tmp_path)
    mtime = first.path.stat().st_mtime_ns
    again = prep(ROCKET, tmp=tmp_path)
    assert again == first
    assert first.path.stat().st_mtime_ns == mtime


def test_profile_bytes_are_part_of_the_key(tmp_path):
    other = tmp_path / "copy.icc"
    shutil.copy(DEFAULT_PROFILE, other)
    a = prep(ROCKET, tmp=tmp_path)
    b = prep(ROCKET, tmp=tmp_path, profile=other)
    assert a.path == b.path             # same bytes, different file: same key
    other.write_bytes((DATA / "TR002-lowq.icc").read_bytes())
    c = prep(ROCKET, tmp=tmp_path, profile=other)
    assert c.path != a.path


# ---------------------------------------------------------------- into a PDF

needs_tools = pytest.mark.skipif(not (shutil.which("gs") and shutil.which("pdfimages")),
                                 reason="ghostscript and poppler-utils needed")


def render_pdf(tmp_path, prepared, size=(144, 144), rect=(36, 36, 72, 72)) -> Path:
    from reportlab.pdfgen.canvas import Canvas
    from layout.render.pdf_images import draw_image
    pdf = tmp_path / "t.pdf"
    c = Canvas(str(pdf), pagesize=size, pdfVersion=(1, 3))
    draw_image(c, prepared, *rect)
    c.showPage()
    c.save()
    return pdf


def gs_cmyk(pdf: Path, tmp_path: Path, res: int = 72) -> np.ndarray:
    out = tmp_path / "render.tif"
    subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=tiff32nc", f"-r{res}",
                    f"-sOutputFile={out}", str(pdf)], check=True)
    return np.asarray(Image.open(out), dtype=np.int32)


def pdfimages_list(pdf: Path) -> list[dict]:
    out = subprocess.run(["pdfimages", "-list", str(pdf)], check=True, capture_output=True, text=True).stdout
    lines = out.splitlines()
    head = lines[0].split()
    return [dict(zip(head, line.split())) for line in lines[2:]]


@needs_tools
def test_known_cmyk_patches_survive_the_pdf(tmp_path):
    """CMYK JPEG inversion trap: Adobe APP14 + /Decode must give back the ink we put in."""
    patches = [(20, 40, 60, 10), (0, 0, 0, 100), (100, 0, 0, 0), (0, 0, 0, 0)]
    im = Image.new("CMYK", (200, 200))
    for i, v in enumerate(patches):
        x, y = (i % 2) * 100, (i // 2) * 100
        im.paste(tuple(round(c * 2.55) for c in v), (x, y, x + 100, y + 100))
    p = prep(save(im, tmp_path / "patch.tif"), 72, 72, tmp=tmp_path)   # untagged CMYK: passes through
    pdf = render_pdf(tmp_path, p)
    assert pdf.read_bytes().startswith(b"%PDF-1.3")
    a = gs_cmyk(pdf, tmp_path)
    # image spans pt 36..108 both ways; PDF y up, raster rows down: top-left patch at row 54
    for (col, row), want in zip([(54, 54), (90, 54), (54, 90), (90, 90)], patches):
        got = [round(v / 2.55) for v in a[row, col]]
        assert got == pytest.approx(list(want), abs=1), (col, row)
    assert ink(a[:30, :30]).max() == 0   # outside the image: paper


@needs_tools
def test_photo_in_pdf_is_cmyk_jpeg_at_the_right_ppi_and_ink(tmp_path):
    import pikepdf
    p = prep(ROCKET, 180, 120, tmp=tmp_path)
    pdf = render_pdf(tmp_path, p, size=(260, 200), rect=(40, 40, 180, 120))
    [row] = pdfimages_list(pdf)
    assert (row["color"], row["comp"], row["enc"]) == ("cmyk", "4", "jpeg")
    assert (int(row["width"]), int(row["height"])) == (p.pixel_w, p.pixel_h)
    assert int(row["x-ppi"]) == round(p.ppi) or int(row["y-ppi"]) == round(p.ppi)
    with pikepdf.open(pdf) as doc:
        [img] = [v for v in doc.pages[0].Resources.XObject.values()]
        assert img.Filter == pikepdf.Name.DCTDecode or list(img.Filter) == [pikepdf.Name.DCTDecode]
        assert "/SMask" not in img and "/Mask" not in img
        assert img.ColorSpace == pikepdf.Name.DeviceCMYK
        assert img.read_raw_bytes() == p.path.read_bytes()           # passed through untouched
    a = gs_cmyk(pdf, tmp_path, res=150)
    assert ink(a).max() <= 240.0
    assert ink(a).max() > 150            # it did print something dark


@needs_tools
def test_gray_photo_in_pdf_is_devicegray(tmp_path):
    p = prep(ROCKET, 180, 120, tmp=tmp_path, gray=True)
    pdf = render_pdf(tmp_path, p, size=(260, 200), rect=(40, 40, 180, 120))
    [row] = pdfimages_list(pdf)
    assert (row["color"], row["enc"]) == ("gray", "jpeg")
    a = gs_cmyk(pdf, tmp_path)
    assert a[..., :3].max() == 0         # K plate only


def test_cmyk_jpeg_without_adobe_marker_is_refused(tmp_path):
    from layout.render.pdf_images import check_press_jpeg
    buf = io.BytesIO()
    Image.new("CMYK", (16, 16), (0, 0, 0, 255)).save(buf, "JPEG")
    data = buf.getvalue()
    i = data.index(b"\xff\xee")
    n = struct.unpack(">H", data[i + 2:i + 4])[0]
    bad = tmp_path / "noadobe.jpg"
    bad.write_bytes(data[:i] + data[i + 2 + n:])
    with pytest.raises(ValueError, match="Adobe"):
        check_press_jpeg(bad)
    rgb = save(Image.new("RGB", (8, 8)), tmp_path / "rgb.jpg")
    with pytest.raises(ValueError, match="3-channel"):
        check_press_jpeg(rgb)


def test_large_jpeg_decoded_at_reduced_scale(tmp_path):
    """A 4000 px JPEG placed 2 in wide is decoded at 1/4 scale by libjpeg (1000 px ≥ 330 ppi × 2 in is
    not enough at 1/8 = 500 px), then resampled to exactly 300 ppi."""
    big = tmp_path / "big.jpg"
    halves((4000, 2000)).save(big, quality=90)
    opened = []
    import layout.photo.prepare as images_mod
    real_open = images_mod._open

    def spy(*args, **kw):  # the decoded pixels, whichever decoder made them
        im, icc = real_open(*args, **kw)
        opened.append(im.size)
        return im, icc
    images_mod._open = spy
    try:
        p = prep(big, 144, 72, tmp=tmp_path, fit="fill")
    finally:
        images_mod._open = real_open
    assert opened and opened[0] == (1000, 500)
    assert (p.pixel_w, p.pixel_h) == (600, 300) and p.ppi == pytest.approx(300.0)


def test_odd_sized_jpeg_is_still_decoded_at_half_scale(tmp_path):
    """A 3000 × 2003 JPEG placed where half scale still gives ≥ 95 % of 300 ppi: libjpeg decodes it at
    1/2 (1500 × 1002) even though 2003 is odd, and the half-scale pixels are used without resampling."""
    odd = tmp_path / "odd.jpg"
    halves((3000, 2003)).save(odd, quality=90)
    p = prep(odd, 361.0, 210.0, tmp=tmp_path, fit="fill")
    assert (p.pixel_w, p.pixel_h) == (1500, 872) and p.ppi == pytest.approx(299.2)
    assert not any(f.code == "downsampled" for f in p.findings)


def test_camera_original_between_target_and_twice_it_is_decoded_at_half_scale(tmp_path):
    """A 3000 px original placed 6.73 in wide is 446 ppi: no reduction keeps 285 ppi, but half scale
    keeps 223 ppi (≥ 1.1 × the 200 ppi warning level), so libjpeg decodes 1500 px and nothing is
    resampled. Placed 7.5 in wide (400 ppi) half scale would give 200 ppi: decoded whole, resampled to 300."""
    src = tmp_path / "camera.jpg"
    halves((3000, 2000)).save(src, quality=90)
    p = prep(src, 6.73 * 72, 4.0 * 72, tmp=tmp_path, fit="fill")
    assert p.pixel_w == 1500 and p.ppi == pytest.approx(1500 / 6.73, abs=0.1)
    assert not any(f.code in ("downsampled", "low-ppi") for f in p.findings)
    p = prep(src, 7.5 * 72, 4.0 * 72, tmp=tmp_path, fit="fill")
    assert (p.pixel_w, p.pixel_h) == (2250, 1200) and p.ppi == pytest.approx(300.0)
    assert "downsampled" in [f.code for f in p.findings]


def test_verification_decode_matches_pillows_own(tmp_path):
    """The ink re-check decodes the CMYK JPEG straight into an array: the same pixels Image.open gives."""
    from layout.photo.prepare import _decoded, _jpeg
    rng = np.random.default_rng(7)
    cmyk = Image.fromarray(rng.integers(0, 256, (37, 53, 4), dtype=np.uint8), "CMYK")
    payload = _jpeg(cmyk)
    got = _decoded(payload)
    assert got.shape == (37, 53, 4) and got.dtype == np.uint8
    assert np.array_equal(got, np.asarray(Image.open(io.BytesIO(payload))))


def test_source_metadata_does_not_reach_the_press_jpeg(tmp_path):
    """An untagged CMYK JPEG goes through without colour conversion; its comment must not be copied into
    the prepared file (no metadata in the output: deterministic bytes, nothing private sent to print)."""
    src = tmp_path / "cmyk.jpg"
    Image.new("CMYK", (300, 200), (40, 30, 20, 10)).save(src, quality=90, comment=b"private note")
    p = prep(src, 72, 48, tmp=tmp_path)
    data = p.path.read_bytes()
    assert b"private note" not in data and "comment" not in Image.open(p.path).info


def test_unusable_embedded_profile_falls_back_with_a_warning(tmp_path):
    from badcases import jpeg_bad_icc
    src = tmp_path / "bad-icc.jpg"
    src.write_bytes(jpeg_bad_icc())
    p = prep(src, tmp=tmp_path)
    assert p.mode == "CMYK"
    assert [f.code for f in p.findings if f.severity == "warning"] == ["bad-icc"]
    assert "unusable" in next(f.message for f in p.findings if f.code == "bad-icc")


def test_scrambled_jpeg_is_an_error_finding(tmp_path):
    """Pillow decodes damaged scan data silently; libjpeg-turbo's warning becomes an error finding."""
    from badcases import jpeg_bytes, jpeg_scrambled
    src = tmp_path / "scrambled.jpg"
    src.write_bytes(jpeg_scrambled())
    p = prep(src, tmp=tmp_path)
    corrupt = [f for f in p.findings if f.code == "photo-corrupt"]
    assert len(corrupt) == 1 and corrupt[0].severity == "error" and "Corrupt JPEG data" in corrupt[0].message
    good = tmp_path / "good.jpg"
    good.write_bytes(jpeg_bytes())
    assert not [f for f in prep(good, tmp=tmp_path).findings if f.code == "photo-corrupt"]


def test_a_cached_finding_names_the_photo_asked_for(tmp_path):
    """The photo cache is keyed by content: the same picture under another name (a copy in another
    issue, another folder) takes the prepared file, but its findings name the photo asked for."""
    first = save(halves((599, 300)), tmp_path / "first.png")
    other = tmp_path / "elsewhere" / "second.png"
    other.parent.mkdir()
    other.write_bytes(first.read_bytes())
    a = prep(first, 76.2 * MM, 500, tmp=tmp_path, fit="fit")
    b = prep(other, 76.2 * MM, 500, tmp=tmp_path, fit="fit")
    assert a.path == b.path                                  # one prepared file
    low = [f for f in b.findings if f.code == "low-ppi"]
    assert len(low) == 1 and low[0].data["image"] == str(other)
    assert "second.png" in low[0].message and "first.png" not in low[0].message


def _camera_like(size, seed=3) -> Image.Image:
    """Smooth gradients with noise and a hard edge: every DCT frequency and both chroma planes busy."""
    rng = np.random.default_rng(seed)
    w, h = size
    y, x = np.mgrid[0:h, 0:w]
    a = np.stack([x * 255 // w, y * 255 // h, (x + y) * 255 // (w + h)], axis=-1).astype(np.int16)
    a += rng.integers(-40, 40, a.shape, dtype=np.int16)
    a[: h // 3, : w // 3] = (250, 20, 30)
    return Image.fromarray(a.clip(0, 255).astype(np.uint8), "RGB")


@pytest.mark.parametrize("kind", ["420", "422", "444", "progressive", "restart", "gray", "exif-6", "exif-3"])
@pytest.mark.parametrize("scale", [1, 2, 4, 8])
def test_one_strict_decode_gives_pillows_pixels(tmp_path, monkeypatch, kind, scale):
    """RGB and gray JPEGs are decoded once, by libjpeg-turbo in strict mode (the corruption check comes
    with it), at the scale Pillow's draft picks: the pixels must be exactly Pillow's own, turned by EXIF."""
    import layout.photo.prepare as prep_mod
    from PIL import ImageOps
    im = _camera_like((803, 611))
    kw = dict(quality=90)
    if kind in ("420", "422", "444"):
        kw["subsampling"] = {"444": 0, "422": 1, "420": 2}[kind]
    elif kind == "progressive":
        kw["progressive"] = True
    elif kind == "restart":
        kw["restart_marker_blocks"] = 7
    elif kind == "gray":
        im = im.convert("L")
    else:
        exif = Image.Exif()
        exif[0x0112] = int(kind[-1])
        kw["exif"] = exif
    src = save(im, tmp_path / "src.jpg", **kw)
    data = src.read_bytes()

    def draft(i):
        if scale > 1:
            i.draft(i.mode, (i.width // scale, i.height // scale))

    def second_decode(_data):
        raise AssertionError("decoded twice")
    monkeypatch.setattr(prep_mod, "jpeg_corruption", second_decode)
    got, _icc = prep_mod._open(src, data, 10**9, [], draft=draft)
    ref = Image.open(src)
    draft(ref)
    ref.load()
    ref = ImageOps.exif_transpose(ref)
    assert got.mode == ref.mode and got.size == ref.size
    assert np.array_equal(np.asarray(got), np.asarray(ref))
