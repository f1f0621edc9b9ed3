"""Total area coverage (TAC) inside the trim, from a Ghostscript CMYK raster.

tiff32nc renders without anti-aliasing by default, so the per-pixel sum of the
four channels is the true maximum of the separations at that resolution; a
thin rule narrower than one pixel can be missed, which is why the render
resolution is a setting."""
from __future__ import annotations
from layout.model.i18n import _

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from layout.preflight.base import PreflightSpec, Sink

GS_TIMEOUT_S = 600


@dataclass(frozen=True)
class InkMax:
    page: int
    percent: float       # max TAC, 0..400
    x_mm: float          # where, from the trim's top-left corner, y down
    y_mm: float
    over_mm2: float      # area above the limit

    def to_json(self) -> dict:
        return {"page": self.page, "percent": self.percent, "x_mm": self.x_mm,
                "y_mm": self.y_mm, "over_mm2": self.over_mm2}


def render_cmyk(path: Path, dpi: int, outdir: Path, last_page: int = 0) -> list[Path]:
    """One tiff32nc file per page (up to last_page when given), cropped to the TrimBox."""
    gs = shutil.which("gs")
    if gs is None:
        raise RuntimeError("Ghostscript (gs) is not installed")
    pattern = outdir / "p%05d.tif"
    cmd = [gs, "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=tiff32nc", f"-r{dpi}",
           "-dUseTrimBox", *([f"-dLastPage={last_page}"] if last_page else []),
           f"-sOutputFile={pattern}", "-f", str(Path(path).resolve())]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=GS_TIMEOUT_S)
    pages = sorted(outdir.glob("p*.tif"))
    if proc.returncode != 0 or not pages:
        msg = (proc.stderr or proc.stdout).strip().splitlines()
        raise RuntimeError(msg[-1] if msg else f"gs exit status {proc.returncode}")
    return pages


def ink_max(tif: Path, page: int, dpi: int, limit: float) -> InkMax:
    import numpy as np  # here, not at the top: it costs ~0.13 s a process, and most builds render no ink
    with Image.open(tif) as im:
        a = np.asarray(im.convert("CMYK"), dtype=np.uint16)
    total = a.sum(axis=2)                      # 0..1020
    idx = int(np.argmax(total))
    row, col = divmod(idx, total.shape[1])
    px_mm = 25.4 / dpi
    over = int(np.count_nonzero(total * 100 > limit * 255))
    return InkMax(page, round(float(total[row, col]) * 100 / 255, 1),
                  round((col + 0.5) * px_mm, 1), round((row + 0.5) * px_mm, 1),
                  round(over * px_mm * px_mm, 1))


def check_ink(path: Path, spec: PreflightSpec, sink: Sink, last_page: int = 0) -> list[InkMax]:
    with tempfile.TemporaryDirectory(prefix="paiban-ink-") as tmp:
        try:
            tifs = render_cmyk(path, spec.render_dpi, Path(tmp), last_page)
        except (RuntimeError, subprocess.TimeoutExpired, OSError) as exc:
            sink.add("warning", "ink-check-failed",
                     _('ink coverage not checked: Ghostscript failed ({exc})', exc=exc), reason=str(exc))
            return []
        results = [ink_max(t, i, spec.render_dpi, spec.ink_limit) for i, t in enumerate(tifs, 1)]
    for r in results:
        if r.percent > spec.ink_limit:
            sink.add("error", "ink-limit",
                     _("total ink reaches {percent:.0f} % at {x_mm:g}, {y_mm:g} mm from the trim's top-left (limit {ink_limit:g} %, {over_mm2:g} mm² over)", percent=r.percent, x_mm=r.x_mm, y_mm=r.y_mm, ink_limit=spec.ink_limit, over_mm2=r.over_mm2),
                     page=r.page, limit=spec.ink_limit, dpi=spec.render_dpi, percent=r.percent,
                     x_mm=r.x_mm, y_mm=r.y_mm, over_mm2=r.over_mm2)
    return results
