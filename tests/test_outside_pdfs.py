"""PDFs from outside (ads, `paiban preflight`) are opened with limits (layout/preflight/limits.py):
encrypted files, too many pages, decompression bombs and boxes without area are findings, quickly."""
from __future__ import annotations

import json
import time
import zlib
from pathlib import Path

import pikepdf
import pytest

from test_ads import AD, make_ad, paiban, with_ad
from layout.preflight import PreflightSpec, preflight
from layout.preflight.limits import Limits, inflated_over


def _bomb_stream(pdf: pikepdf.Pdf, size: int) -> pikepdf.Stream:
    comp = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    data = b"".join(comp.compress(chunk) for _ in range(size >> 20)) + comp.flush()
    s = pikepdf.Stream(pdf, data)
    s.stream_dict.Filter = pikepdf.Name.FlateDecode
    return s


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("pdfs")
    good = make_ad(d / "good.pdf")
    out = {"good": good}
    with pikepdf.open(good) as pdf:
        out["encrypted"] = d / "encrypted.pdf"
        pdf.save(out["encrypted"], encryption=pikepdf.Encryption(owner="o", user=""))
        out["password"] = d / "password.pdf"
        pdf.save(out["password"], encryption=pikepdf.Encryption(owner="o", user="secret"))
    with pikepdf.open(good) as pdf:  # page content inflating to 256 MB of spaces (a 256 kB file)
        page = pdf.pages[0].obj
        page.Contents = pikepdf.Array([page.Contents, _bomb_stream(pdf, 256 << 20)])
        out["bomb"] = d / "bomb.pdf"
        pdf.save(out["bomb"])
    with pikepdf.open(good) as pdf:
        for _ in range(1999):
            pdf.pages.append(pdf.pages[0])
        out["pages"] = d / "pages.pdf"
        pdf.save(out["pages"])
    with pikepdf.open(good) as pdf:
        pdf.pages[0].obj.TrimBox = pikepdf.Array([10, 10, 10, 10])
        out["zero-trim"] = d / "zero-trim.pdf"
        pdf.save(out["zero-trim"])
    return out


def codes(findings) -> set[str]:
    return {f.code for f in findings}


def test_inflated_over_stops_early():
    data = zlib.compress(b"\0" * (32 << 20), 9)
    assert inflated_over(data, 16 << 20) and not inflated_over(data, 33 << 20)


def test_encrypted(pdfs):
    for name in ("encrypted", "password"):
        f = preflight([pdfs[name]], PreflightSpec(check_ink=False))
        assert codes(f) == {"unreadable"} and "encrypted" in f[0].message


def test_bomb_is_a_finding_within_seconds(pdfs):
    t0 = time.perf_counter()
    f = preflight([pdfs["bomb"]], PreflightSpec())
    assert time.perf_counter() - t0 < 20  # a hang guard: unchecked, it inflated 256 MB per pass
    assert "stream-too-large" in codes(f)
    assert "ink-limit" not in codes(f) and "content-unreadable" not in codes(f)


def test_streams_judged_the_same_in_memory_as_on_disk(tmp_path, pdfs):
    """preflight_bytes knows the file's length, which bounds every stream's raw data, and so does not
    copy out a stream whose filters cannot expand past the limit even at that length: the same
    findings as from the file on disk, for a bomb, a plain page, and an image stream over a tiny limit."""
    from PIL import Image
    from layout.preflight import preflight_bytes
    jpg = tmp_path / "noise.jpg"
    Image.effect_noise((300, 300), 90).convert("RGB").save(jpg, quality=95)
    with pikepdf.open(pdfs["good"]) as pdf:
        image = pikepdf.Stream(pdf, jpg.read_bytes(), Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image,
                               Width=300, Height=300, ColorSpace=pikepdf.Name.DeviceRGB, BitsPerComponent=8,
                               Filter=pikepdf.Name.DCTDecode)
        pdf.pages[0].obj.Resources.XObject = pikepdf.Dictionary(Im9=image)
        pdf.save(tmp_path / "with-image.pdf")
    tiny = Limits(max_stream_bytes=20_000)     # the JPEG (≈ 90 kB) is over it, the file too
    for path, spec in ((pdfs["bomb"], PreflightSpec(check_ink=False)), (pdfs["good"], PreflightSpec(check_ink=False)),
                       (tmp_path / "with-image.pdf", PreflightSpec(check_ink=False, limits=tiny)),
                       (tmp_path / "with-image.pdf", PreflightSpec(check_ink=False))):
        on_disk = sorted(codes(preflight([path], spec)))
        in_memory = sorted(codes(preflight_bytes(path.read_bytes(), path.name, spec)))
        assert on_disk == in_memory
    assert "stream-too-large" in codes(preflight_bytes((tmp_path / "with-image.pdf").read_bytes(), "x.pdf",
                                                       PreflightSpec(check_ink=False, limits=tiny)))


def test_page_count_and_only_used_pages_checked(pdfs):
    f = preflight([pdfs["pages"]], PreflightSpec(check_ink=False, limits=Limits(max_pages=16)))
    assert "page-count" in codes(f)
    assert "16 of 2000 page(s) checked" in f[0].message
    f = preflight([pdfs["pages"]], PreflightSpec(check_ink=False, limits=Limits(max_pages=16, pages_used=1)))
    assert "1 of 2000 page(s) checked" in f[0].message


def test_degenerate_trim_box(pdfs):
    f = preflight([pdfs["zero-trim"]], PreflightSpec(check_ink=False))
    assert "box-degenerate" in codes(f)


def test_preflight_cli_max_pages(pdfs):
    proc = paiban("preflight", pdfs["pages"], "--max-pages", "3", "--format", "json")
    data = json.loads(proc.stdout)
    found = [f["code"] for f in data["findings"]] if "findings" in data else json.dumps(data)
    assert "page-count" in found, proc.stdout[:2000]
    assert paiban("preflight", pdfs["good"], "--max-pages", "0").returncode == 2


@pytest.mark.parametrize("name, code", [("encrypted", "ad-unreadable"), ("password", "ad-unreadable"),
                                        ("bomb", "ad-stream-too-large"), ("zero-trim", "ad-box-degenerate"),
                                        ("pages", "ad-page-count")])
def test_hostile_ads_are_findings(name, code, pdfs, sample_copy, tmp_path):
    (sample_copy / "ad.pdf").write_bytes(pdfs[name].read_bytes())
    with_ad(sample_copy, AD)
    proc = paiban("check", sample_copy, "--page", "04", "--format", "json")
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr
    assert code in proc.stdout, proc.stdout[:3000]
    if name != "pages":  # a long ad is still placed (page 1); the others are not
        assert "ad-not-placed" in proc.stdout
