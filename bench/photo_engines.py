"""Photo engines side by side: today's Pillow/LittleCMS path against libvips (pyvips), step by step.

    pip install pyvips; apt-get install libvips42     # only for this comparison
    python3 bench/photo_engines.py [--pages 16] [--repeat 3]

Takes the benchmark issue's photos (bench/gen.py: 2 a page, camera-size JPEGs) with the frames the
composer asks for (recorded from a check-only build), and runs each step of `prepare_photo` in both
engines on the same input, one thread each (VIPS_CONCURRENCY=1, as in a build's workers, which already
keep both cores busy), CPU seconds per photo (best of --repeat):

  decode   JPEG at reduced scale: Pillow's draft (libjpeg DCT scaling) / vips shrink-on-load, same factor
  resample the crop to the output size: Pillow LANCZOS / vips resize(kernel=lanczos3)
  colour   sRGB → press CMYK, relative colorimetric + black point compensation: Pillow's ImageCms
           (LittleCMS, one 8-bit transform) / vips icc_transform (LittleCMS through its PCS), the same
           source profile (LittleCMS's built-in sRGB, written out for vips) and the press profile
  encode   CMYK JPEG q92 4:4:4: Pillow / vips jpegsave

The colour step gets identical RGB pixels in both engines (Pillow's resampled ones), so its CMYK
difference is the colour engines' alone: per channel (mean, max in 8-bit levels), total ink (max, and
pixels over the limit: the ink limit is applied after this step in either engine, the same numpy
code), and ΔE*ab of the two results read back through the press profile. The full pipeline's end
result (`prepare_photo`, today's engine) is timed too, per photo, with an empty cache.
"""
from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("VIPS_CONCURRENCY", "1")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def record_calls(folder: Path) -> list[tuple]:
    """(src, frame_w, frame_h, kwargs) of every prepare_photo call of a check-only build."""
    import layout.photo.prepare as prep
    from layout.build import BuildOptions, build, open_book
    calls, real = [], prep.prepare_photo

    def spy(src, frame_w, frame_h, **kw):
        calls.append((Path(src), frame_w, frame_h, dict(kw)))
        return real(src, frame_w, frame_h, **kw)
    prep.prepare_photo = spy
    try:
        with tempfile.TemporaryDirectory() as cache:
            opts = BuildOptions(out=Path(cache) / "out", jobs=1, write=False, cache_dir=Path(cache))
            build(folder, opts, open_book(opts, folder))
    finally:
        prep.prepare_photo = real
    return calls


def cpu(fn, repeat: int):
    best, out = None, None
    for _ in range(repeat):
        t = time.process_time()
        out = fn()
        d = time.process_time() - t
        best = d if best is None else min(best, d)
    return best, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=16)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    import numpy as np
    import pyvips
    from PIL import Image, ImageCms
    from gen import generate
    from run import machine
    from layout.photo import prepare as prep
    from layout.photo.color import DEFAULT_PROFILE

    work = Path(tempfile.mkdtemp(prefix="paiban-photo-engines-"))
    folder = generate(work, a.pages)
    calls = record_calls(folder)
    press = DEFAULT_PROFILE
    srgb_icc = work / "srgb.icc"
    srgb_icc.write_bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    to_press = ImageCms.buildTransform(ImageCms.createProfile("sRGB"), ImageCms.getOpenProfile(str(press)),
                                       "RGB", "CMYK", renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
                                       flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)
    to_lab = ImageCms.buildTransform(ImageCms.getOpenProfile(str(press)), ImageCms.createProfile("LAB"),
                                     "CMYK", "LAB", renderingIntent=ImageCms.Intent.ABSOLUTE_COLORIMETRIC)

    def lab(cmyk: Image.Image) -> np.ndarray:
        raw = np.asarray(ImageCms.applyTransform(cmyk, to_lab))
        out = np.empty(raw.shape, np.float64)
        out[..., 0] = raw[..., 0] * (100.0 / 255.0)
        out[..., 1:] = raw[..., 1:].view(np.int8)  # Pillow's 8-bit Lab keeps a, b as signed bytes
        return out

    rows, diffs = [], []
    for src, fw, fh, kw in calls:
        data = src.read_bytes()
        # --- Pillow, as prepare_photo does it
        def pil_decode():
            im = Image.open(io.BytesIO(data))
            prep._draft(im, fw, fh, kw.get("fit", "fill"), kw.get("target_ppi", 300.0), kw.get("min_ppi", 200.0))
            im.load()
            return im.convert("RGB") if im.mode != "RGB" else im
        t_dec_p, im = cpu(pil_decode, a.repeat)
        shrink = round(Image.open(io.BytesIO(data)).width / im.width)
        crop, placed, out_size, ppi = prep._geometry(im.size, fw, fh, kw.get("fit", "fill"),
                                                     kw.get("focus", (0.5, 0.5)), kw.get("target_ppi", 300.0))
        box = tuple(round(v) for v in crop)
        resize = out_size != (box[2] - box[0], box[3] - box[1])
        t_res_p, rgb = cpu(lambda: im.resize(out_size, Image.Resampling.LANCZOS, box=box) if resize else im.crop(box),
                           a.repeat)
        t_col_p, cmyk_p = cpu(lambda: ImageCms.applyTransform(rgb, to_press), a.repeat)

        def pil_encode():
            buf = io.BytesIO()
            cmyk_p.save(buf, "JPEG", quality=92, optimize=False, progressive=False, subsampling=0)
            return buf.getvalue()
        t_enc_p, _ = cpu(pil_encode, a.repeat)

        # --- libvips, the same steps
        def vips_decode():
            v = pyvips.Image.new_from_buffer(data, "", shrink=shrink, access="sequential") \
                if data[:2] == b"\xff\xd8" else pyvips.Image.new_from_buffer(data, "", access="sequential")
            if v.hasalpha():
                v = v.flatten(background=[255] * (v.bands - 1))
            return v.copy_memory()
        t_dec_v, v = cpu(vips_decode, a.repeat)

        def vips_resample():
            c = v.crop(box[0], box[1], box[2] - box[0], box[3] - box[1])
            if resize:
                c = c.resize(out_size[0] / c.width, vscale=out_size[1] / c.height, kernel="lanczos3")
            return c.copy_memory()
        t_res_v, _ = cpu(vips_resample, a.repeat)
        rgb_v = pyvips.Image.new_from_memory(np.ascontiguousarray(np.asarray(rgb)).tobytes(), rgb.width,
                                             rgb.height, 3, "uchar")
        t_col_v, cmyk_v = cpu(lambda: rgb_v.icc_transform(str(press), input_profile=str(srgb_icc),
                                                         intent="relative", black_point_compensation=True,
                                                         embedded=False).copy_memory(), a.repeat)
        t_enc_v, _ = cpu(lambda: cmyk_v.jpegsave_buffer(Q=92, subsample_mode="off", optimize_coding=False,
                                                        interlace=False, strip=True), a.repeat)

        # --- the colour engines' difference on identical RGB input
        pv = np.ndarray(buffer=cmyk_v.write_to_memory(), dtype=np.uint8, shape=(cmyk_v.height, cmyk_v.width, 4))
        pp = np.asarray(cmyk_p)
        d = np.abs(pp.astype(np.int16) - pv.astype(np.int16))
        ink_p, ink_v = prep.ink_sum(pp), prep.ink_sum(pv)
        units = 240 * 255 / 100
        de = np.sqrt(((lab(cmyk_p) - lab(Image.fromarray(pv, "CMYK"))) ** 2).sum(axis=-1))
        diffs.append(dict(mean=d.reshape(-1, 4).mean(axis=0), max=d.reshape(-1, 4).max(axis=0),
                          ink_p=float(ink_p.max()) * 100 / 255, ink_v=float(ink_v.max()) * 100 / 255,
                          over_p=int((ink_p > units).sum()), over_v=int((ink_v > units).sum()),
                          de_mean=float(de.mean()), de_p99=float(np.percentile(de, 99)), de_max=float(de.max()),
                          px=pp.shape[0] * pp.shape[1]))

        # --- today's whole prepare_photo, empty cache
        def whole():
            with tempfile.TemporaryDirectory() as c:
                return prep.prepare_photo(src, fw, fh, **{**kw, "cache_dir": Path(c)})
        t_all, _ = cpu(whole, a.repeat)
        rows.append(dict(name=src.name, src=Image.open(io.BytesIO(data)).size, out=out_size, shrink=shrink,
                         pil=(t_dec_p, t_res_p if resize else 0.0, t_col_p, t_enc_p),
                         vips=(t_dec_v, t_res_v if resize else 0.0, t_col_v, t_enc_v), whole=t_all))

    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.2f}; libvips "
          f"{pyvips.version(0)}.{pyvips.version(1)}.{pyvips.version(2)}, VIPS_CONCURRENCY="
          f"{os.environ['VIPS_CONCURRENCY']}; CPU ms per photo, best of {a.repeat}")
    steps = ("decode", "resample", "colour", "encode")
    print(f"{'photo':<10} {'source':>11} {'out':>11} " + " ".join(f"{s + ' P/V':>13}" for s in steps)
          + f" {'whole P':>8}")
    for r in rows:
        cells = " ".join(f"{p * 1e3:6.1f}/{v * 1e3:6.1f}" for p, v in zip(r["pil"], r["vips"]))
        print(f"{r['name']:<10} {'%d×%d' % r['src']:>11} {'%d×%d' % r['out']:>11} {cells} {r['whole'] * 1e3:8.1f}")
    tp = [sum(r["pil"]) for r in rows]
    tv = [sum(r["vips"]) for r in rows]
    print("sum of the four steps over %d photos: Pillow %.2f s, vips %.2f s (%.2f ×); per step P/V: %s" % (
        len(rows), sum(tp), sum(tv), sum(tp) / sum(tv),
        ", ".join(f"{s} {sum(r['pil'][i] for r in rows):.2f}/{sum(r['vips'][i] for r in rows):.2f}"
                  for i, s in enumerate(steps))))
    print(f"whole prepare_photo today: {sum(r['whole'] for r in rows):.2f} CPU s, median "
          f"{statistics.median(r['whole'] for r in rows) * 1e3:.0f} ms a photo")
    px = sum(x["px"] for x in diffs)
    mean = sum(x["mean"] * x["px"] for x in diffs) / px
    print("colour engines on identical RGB: |ΔC ΔM ΔY ΔK| mean %s levels, max %s; ΔE*ab mean %.2f, "
          "worst photo's p99 %.2f, max %.1f; max total ink Pillow %.1f %% / vips %.1f %%; pixels over 240 %% "
          "before the ink limit: Pillow %d, vips %d" % (
              " ".join(f"{v:.2f}" for v in mean), " ".join(str(int(max(x["max"][i] for x in diffs))) for i in range(4)),
              sum(x["de_mean"] * x["px"] for x in diffs) / px, max(x["de_p99"] for x in diffs),
              max(x["de_max"] for x in diffs), max(x["ink_p"] for x in diffs), max(x["ink_v"] for x in diffs),
              sum(x["over_p"] for x in diffs), sum(x["over_v"] for x in diffs)))


if __name__ == "__main__":
    main()
