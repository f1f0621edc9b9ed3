"""`paiban diff OLD NEW`: what changed between two builds, page by page.

OLD and NEW are PDF files or folders of PDFs (a build's output/<date>/). Folders are matched by
file name; files are compared page by page. Each page is rendered with pdftoppm (default 50 dpi)
and cropped to its TrimBox; the pixels that differ form a mask whose connected components (after
closing gaps of about 2 mm) are merged into rectangles. For each changed page a PNG of the new
page with the changed regions outlined in red is written to the output folder, and the report
says how many pixels changed (percent of the page) and where (boxes in mm from the trim's
top-left corner, y down — the layout convention).

Exit status: 0 identical, 1 changed (pages differ, or a page/file was added or removed),
2 bad input (missing file, not a PDF, pdftoppm missing).
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from layout.model.findings import InputError
from layout.model.i18n import _

THRESHOLD = 24        # 0..255: a channel must differ by more than this to count
JOIN_MM = 2.0         # changed pixels closer than this belong to one region


@dataclass
class PageDiff:
    name: str                 # "CQZXB-20220114-04.pdf p1"
    file: str                 # new file (or old when removed)
    page: int                 # 1-based page in that file
    status: str               # "changed" | "added" | "removed" | "size"
    percent: float = 0.0      # of the page's pixels
    boxes_mm: list = field(default_factory=list)   # [x, y, w, h] mm from the trim's top-left
    png: str = ""


@dataclass
class DiffResult:
    pages: list[PageDiff]
    compared: int             # pages compared

    @property
    def changed(self) -> bool:
        return bool(self.pages)


# -- rendering --------------------------------------------------------------------------
def _pdfs(path: Path) -> dict[str, Path]:
    if path.is_dir():
        files = {p.name: p for p in sorted(path.glob("*.pdf"))}
        if not files:
            raise InputError(_('{path}: no PDF files in this folder', path=path), hint=_('give a build folder like output/2022-01-14'))
        return files
    if path.is_file():
        return {path.name: path}
    raise InputError(_('{path}: not found', path=path), hint=_('give two PDF files or two build folders'))


def render_pages(pdf: Path, dpi: int) -> list[np.ndarray]:
    """Every page as an RGB array cropped to its TrimBox (MediaBox when it has none)."""
    import pikepdf
    from PIL import Image
    if not shutil.which("pdftoppm"):
        raise InputError(_('pdftoppm is not installed'), hint=_('install poppler-utils: apt-get install poppler-utils (or run tools/setup.sh)'))
    try:
        with pikepdf.open(pdf) as doc:
            boxes = []
            for page in doc.pages:
                media = [float(v) for v in page.MediaBox]
                trim = [float(v) for v in page.obj.get("/TrimBox", page.MediaBox)]
                boxes.append((media, trim))
    except pikepdf.PdfError as exc:
        raise InputError(_('{pdf}: not a readable PDF ({exc})', pdf=pdf, exc=exc))
    out = []
    with tempfile.TemporaryDirectory(prefix="paiban-diff-") as tmp:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), f"{tmp}/p"], check=True, capture_output=True)
        files = sorted(Path(tmp).glob("p-*.png"), key=lambda p: int(p.stem.split("-")[-1]))
        for (media, trim), png in zip(boxes, files):
            with Image.open(png) as im:
                arr = np.asarray(im.convert("RGB"))
            s = dpi / 72.0
            left = round((trim[0] - media[0]) * s)
            top = round((media[3] - trim[3]) * s)
            right = round((trim[2] - media[0]) * s)
            bottom = round((media[3] - trim[1]) * s)
            out.append(arr[max(top, 0):bottom, max(left, 0):right].copy())
    return out


# -- regions ------------------------------------------------------------------------------
def regions(mask: np.ndarray, join_px: int) -> list[tuple[int, int, int, int]]:
    """Connected components of the changed pixels, as (x0, y0, x1, y1) pixel rectangles, overlapping
    rectangles merged. Labelled on cells of join_px × join_px pixels with 8-neighbourhood, so changes
    up to about one cell apart (the strokes of one line of text) form one component."""
    if not mask.any():
        return []
    c = max(1, join_px)
    h, w = mask.shape
    H, W = -(-h // c), -(-w // c)
    padded = np.zeros((H * c, W * c), dtype=bool)
    padded[:h, :w] = mask
    cells = padded.reshape(H, c, W, c).any(axis=(1, 3))
    labels = np.zeros((H, W), dtype=np.int32)
    rects = []
    current = 0
    for cy, cx in zip(*np.nonzero(cells)):
        if labels[cy, cx]:
            continue
        current += 1
        labels[cy, cx] = current
        stack = [(cy, cx)]
        y0, x0, y1, x1 = cy, cx, cy, cx
        while stack:
            y, x = stack.pop()
            y0, x0, y1, x1 = min(y0, y), min(x0, x), max(y1, y), max(x1, x)
            for ny in (y - 1, y, y + 1):
                for nx in (x - 1, x, x + 1):
                    if 0 <= ny < H and 0 <= nx < W and cells[ny, nx] and not labels[ny, nx]:
                        labels[ny, nx] = current
                        stack.append((ny, nx))
        # the real changed pixels of this component
        comp = np.repeat(np.repeat(labels[y0:y1 + 1, x0:x1 + 1] == current, c, 0), c, 1)
        sub = padded[y0 * c:(y1 + 1) * c, x0 * c:(x1 + 1) * c] & comp
        sy, sx = np.nonzero(sub)
        rects.append((x0 * c + int(sx.min()), y0 * c + int(sy.min()),
                      x0 * c + int(sx.max()) + 1, y0 * c + int(sy.max()) + 1))
    return merge_rects(rects)


def merge_rects(rects: list[tuple[int, int, int, int]], gap: int = 0) -> list[tuple[int, int, int, int]]:
    rects = list(rects)
    merged = True
    while merged:
        merged = False
        out: list[tuple[int, int, int, int]] = []
        for r in rects:
            for i, o in enumerate(out):
                if r[0] <= o[2] + gap and o[0] <= r[2] + gap and r[1] <= o[3] + gap and o[1] <= r[3] + gap:
                    out[i] = (min(r[0], o[0]), min(r[1], o[1]), max(r[2], o[2]), max(r[3], o[3]))
                    merged = True
                    break
            else:
                out.append(r)
        rects = out
    return sorted(rects, key=lambda r: (r[1], r[0]))


def _outline_png(new: np.ndarray, rects, target: Path, scale_mm: float) -> None:
    from PIL import Image, ImageDraw
    im = Image.fromarray(new).convert("RGB")
    # fade the unchanged page a little so the outlines stand out
    im = Image.blend(im, Image.new("RGB", im.size, (255, 255, 255)), 0.35)
    im.paste(Image.fromarray(new), (0, 0), _rect_mask(im.size, rects))
    draw = ImageDraw.Draw(im)
    for x0, y0, x1, y1 in rects:
        draw.rectangle([x0 - 3, y0 - 3, x1 + 2, y1 + 2], outline=(230, 0, 0), width=3)
    im.save(target, optimize=True)


def _rect_mask(size, rects):
    from PIL import Image, ImageDraw
    m = Image.new("L", size, 0)
    d = ImageDraw.Draw(m)
    for x0, y0, x1, y1 in rects:
        d.rectangle([x0, y0, x1 - 1, y1 - 1], fill=255)
    return m


# -- comparing ----------------------------------------------------------------------------
def diff(old: Path, new: Path, out: Path | None = None, dpi: int = 50) -> DiffResult:
    old, new = Path(old), Path(new)
    if old.is_dir() != new.is_dir():
        raise InputError(_('compare two files or two folders, not one of each'))
    a, b = _pdfs(old), _pdfs(new)
    if old.is_file():  # two files: compare them whatever their names
        a, b = {"": next(iter(a.values()))}, {"": next(iter(b.values()))}
    px_per_mm = dpi / 25.4
    join = max(1, round(JOIN_MM * px_per_mm))
    pages: list[PageDiff] = []
    compared = 0
    if out is not None:
        Path(out).mkdir(parents=True, exist_ok=True)
    for name in sorted(set(a) | set(b)):
        shown = name or b[name].name
        if name not in b:
            pages.append(PageDiff(f"{shown}", str(a[name]), 0, "removed", 100.0))
            continue
        if name not in a:
            pages.append(PageDiff(f"{shown}", str(b[name]), 0, "added", 100.0))
            continue
        ra, rb = render_pages(a[name], dpi), render_pages(b[name], dpi)
        for i in range(max(len(ra), len(rb))):
            label = f"{shown} p{i + 1}"
            if i >= len(ra) or i >= len(rb):
                pages.append(PageDiff(label, str(b[name] if i < len(rb) else a[name]), i + 1,
                                      "added" if i >= len(ra) else "removed", 100.0))
                continue
            compared += 1
            pa, pb = ra[i], rb[i]
            if pa.shape != pb.shape:
                h, w = pb.shape[:2]
                pages.append(PageDiff(label, str(b[name]), i + 1, "size", 100.0,
                                      [[0.0, 0.0, round(w / px_per_mm, 1), round(h / px_per_mm, 1)]]))
                continue
            mask = (np.abs(pa.astype(np.int16) - pb.astype(np.int16)) > THRESHOLD).any(axis=2)
            if not mask.any():
                continue
            rects = regions(mask, join)
            pd = PageDiff(label, str(b[name]), i + 1, "changed", round(100.0 * mask.mean(), 3),
                          [[round(x0 / px_per_mm, 1), round(y0 / px_per_mm, 1), round((x1 - x0) / px_per_mm, 1),
                            round((y1 - y0) / px_per_mm, 1)] for x0, y0, x1, y1 in rects])
            if out is not None:
                target = Path(out) / f"{Path(b[name]).stem}-p{i + 1}-diff.png"
                _outline_png(pb, rects, target, px_per_mm)
                pd.png = str(target)
            pages.append(pd)
    return DiffResult(pages, compared)


def report_text(result: DiffResult) -> str:
    if not result.changed:
        return _("identical: {compared} page(s) compared", compared=result.compared) + "\n"
    lines = [_("{changed} page(s) changed of {compared} compared", changed=len(result.pages),
               compared=result.compared)]
    for p in result.pages:
        if p.status != "changed":
            lines.append(f"  {p.name}: {p.status}")
            continue
        lines.append("  " + _("{name}: {percent:.2f} % of the page changed, {regions} region(s)", name=p.name,
                              percent=p.percent, regions=len(p.boxes_mm)) + (f" → {p.png}" if p.png else ""))
        for x, y, w, h in p.boxes_mm:
            lines.append("    " + _("x {x:.1f} mm, y {y:.1f} mm, {w:.1f} × {h:.1f} mm", x=x, y=y, w=w, h=h))
    return "\n".join(lines) + "\n"


def findings(result: DiffResult) -> list:
    """One finding per changed page: info when it changed or was added (what a diff is for), a warning
    when a page went missing or changed size (a person should look)."""
    from layout.model.findings import Finding, Where
    out = []
    for p in result.pages:
        if p.status == "changed":
            text = _('{name}: {percent:.2f} % of the page changed, {n} region(s)', name=p.name, percent=p.percent,
                     n=len(p.boxes_mm))
        elif p.status == "added":
            text = _('{name}: a page the old build did not have', name=p.name)
        elif p.status == "removed":
            text = _('{name}: the new build lacks this page', name=p.name)
        else:
            text = _('{name}: the page changed size', name=p.name)
        out.append(Finding("warning" if p.status in ("removed", "size") else "info", f"page-{p.status}",
                           text, page=p.name, where=Where(file=p.file),
                           data={"page": p.page, "percent": p.percent, "boxes_mm": p.boxes_mm, "png": p.png}))
    return out


def report_json(result: DiffResult) -> dict:
    """docs/findings.schema.json: one finding and one page section per changed page; `diff` says how
    many pages were compared."""
    from layout.preflight.report import report_json as findings_json
    pages = [{**asdict(p), "page": p.name, "pdf_page": p.page} for p in result.pages]
    report = findings_json(findings(result), tool="paiban diff", pages=pages)
    report["diff"] = {"compared": result.compared, "changed": result.changed}
    return report


def run(args) -> int:
    if args.dpi < 10 or args.dpi > 600:
        raise InputError(_('--dpi {dpi}: use 10–600', dpi=args.dpi), hint=_("e.g. --dpi 50 (the default)"))
    result = diff(args.old, args.new, args.out, dpi=args.dpi)
    if args.format == "json":
        sys.stdout.write(json.dumps(report_json(result), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(report_text(result))
    return 1 if result.changed else 0
