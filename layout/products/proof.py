"""`paiban proof`: proofs for editors (校样) — an RGB PDF, one PNG per page and a contact sheet.

compose_issue → for each page, highlight marks from the findings and the frame → the proof
renderer (layout.render.proof_pdf) → one multi-page PDF, PNGs with pdftoppm, a contact sheet of
all pages with Pillow. Nothing here is a print file: no PDF/X, RGB, photos at 100 ppi.

Highlights (colours in LEGEND):
  overset      the story's last region outlined; in the margin the count and the text that did not fit
  missing      characters no font has (drawn as 〓), boxed; fallback: characters from a fallback font
  loose        loose lines (稀行), from the composer's loose-line findings
  block        photos below the resolution floor, RGB colours, headline overset, missing byline …:
               the block outlined with a label and a margin note
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from layout.products.check import block_at, byline_findings
from layout.model.findings import InputError
from layout.model.i18n import N_, _
from layout.model.frame import GlyphRun

RED = (0.85, 0.0, 0.0)
ORANGE = (0.95, 0.45, 0.0)
BLUE = (0.0, 0.35, 0.9)
MAGENTA = (0.7, 0.0, 0.7)
LEGEND = ((N_("overset"), RED), (N_("missing glyph"), RED), (N_("fallback glyph"), ORANGE),
          (N_("loose line"), BLUE), (N_("photo, colour, headline"), MAGENTA))
GETA = "\u3013"
BLOCK_LABELS = {
    "low-ppi": N_("low resolution"), "ppi-below-floor": N_("resolution too low"), "ink-limit": N_("ink limit"),
    "untagged-rgb": N_("RGB photo"), "rgb-colour": N_("RGB colour"), "headline-overset": N_("headline overset"),
    "headline-too-wide": N_("headline too wide"), "missing-byline": N_("no byline"), "photo-too-small": N_("photo too small"),
}
OVERSET_BOX_LINES = 6
CROP_DPI = 300          # story crops: 10.5 pt body text ~44 px high
MM = 72 / 25.4


def shaper(book, role: str = "hei"):
    """text → [(face, gid, ch, advance em)] through the role's fallback chain (〓 when nobody has it)."""
    first = book.face(role)
    cache: dict[str, tuple] = {}

    def shape(text: str) -> list:
        out = []
        for ch in text:
            hit = cache.get(ch)
            if hit is None:
                face = book.face_for(role, ch) or first
                gid = face.glyph(ch if face.has(ch) else GETA)
                hit = cache[ch] = (face, gid, ch, face.advance(gid))
            out.append(hit)
        return out
    return shape


def _run_box(run: GlyphRun, glyphs) -> tuple[float, float, float, float]:
    x0 = run.x + glyphs[0].x
    x1 = run.x + glyphs[-1].x + glyphs[-1].advance * run.size
    return x0, run.y - run.size * 0.88, max(x1 - x0, run.size * 0.5), run.size * 1.0


def glyph_marks(frame, pub, book) -> list:
    """Boxes around glyphs drawn from a fallback font, and 〓 for characters no font has."""
    from layout.render.proof_pdf import Mark
    marks = []
    for run in frame.items:
        if not isinstance(run, GlyphRun) or run.vertical or not run.glyphs:
            continue
        style = pub.styles.get(run.role)
        if style is None:
            continue
        try:
            first = book.face(style.font)
        except Exception:  # an unknown role is the composer's business, not the proof's
            continue
        if run.face.key != first.key:
            x, y, w, h = _run_box(run, run.glyphs)
            marks.append(Mark("fallback", x, y, w, h, ORANGE, fill=0.25))
            continue
        geta = first.glyph(GETA) if first.has(GETA) else None
        for g in run.glyphs:
            if geta is not None and g.gid == geta and g.text != GETA:
                x, y, w, h = _run_box(run, (g,))
                marks.append(Mark("missing", x, y, w, h, RED, label=_("missing glyph"), fill=0.3,
                                  note=_("missing glyph {char} U+{code:04X}: no font has it", char=g.text,
                                         code=ord(g.text[0]))))
    return marks


def finding_marks(issue, page, findings) -> list:
    from layout.render.proof_pdf import Mark
    from layout.model.spec import StoryBlock
    g = issue.publication.grid
    marks = []
    for f in findings:
        if f.code == "loose-line":
            for x, y, w, h in f.data.get("boxes", ()):
                marks.append(Mark("loose", x, y, w, h, BLUE, fill=0.15))
        elif f.code == "overset":
            block = next((b for b in page.blocks if b.id == f.story and isinstance(b, StoryBlock)), None)
            if block is None:
                continue
            last = block.regions[-1]
            chars, lines = f.data.get("chars", 0), f.data.get("lines", 0)
            marks.append(Mark("overset", last.x, last.y, last.w, last.h, RED, fill=0.0,
                              label=_("overset {chars} chars, {lines} lines", chars=chars, lines=lines),
                              note=_("{story}: {chars} characters ({lines} lines) did not fit", story=f.story,
                                     chars=chars, lines=lines)))
            marks[-1] = replace(marks[-1], text_lines=overset_lines(f.data.get("text", ""), g.column_chars, lines))
        elif f.code in BLOCK_LABELS and f.severity != "info" or f.code in ("untagged-rgb", "rgb-colour"):
            block = block_at(page, f.where)
            if block is None:
                continue
            r = block.rect
            label = _(BLOCK_LABELS[f.code]) if f.code in BLOCK_LABELS else f.code
            marks.append(Mark("block", r.x, r.y, r.w, r.h, MAGENTA, label=label, fill=0.06,
                              note=_("{block}: {label} — {message}", block=block.id, label=label, message=f.message)))
    return marks


def overset_lines(text: str, per_line: int, lines: int) -> tuple[str, ...]:
    """The text that did not fit, in column-wide pieces, at most OVERSET_BOX_LINES, '…' when cut."""
    per = max(1, per_line)
    pieces = [text[i:i + per] for i in range(0, len(text), per)][:OVERSET_BOX_LINES] or ["…"]
    if lines > len(pieces) or len(text) > per * OVERSET_BOX_LINES:
        pieces[-1] = pieces[-1][:-1] + "…"
    return tuple(pieces)


def story_crops(page, marks) -> list:
    """The stories (and photos) of the page that carry a labelled mark, top to bottom."""
    from layout.model.spec import PhotoBlock, StoryBlock
    hit = []
    for block in page.blocks:
        if not isinstance(block, (StoryBlock, PhotoBlock)):
            continue
        r = block.rect
        if any((m.label or m.note) and r.x - 1 <= m.x <= r.right + 1 and r.y - 1 <= m.y <= r.bottom + 1
               for m in marks):
            hit.append(block)
    return sorted(hit, key=lambda b: (b.rect.y, b.rect.x))


def _pdftoppm(pdf: Path, target_stem: Path, dpi: int, crop: tuple | None = None) -> Path:
    if not shutil.which("pdftoppm"):
        raise InputError(_('pdftoppm is not installed'), hint=_('install poppler-utils: apt-get install poppler-utils (or run tools/setup.sh)'))
    area = []
    if crop:  # (x0, y0, x1, y1) in pt from the media box's top-left → pdftoppm's pixel window
        x0, y0, x1, y1 = (round(v * dpi / 72) for v in crop)
        area = ["-x", str(max(0, x0)), "-y", str(max(0, y0)), "-W", str(x1 - max(0, x0)), "-H", str(y1 - max(0, y0))]
    subprocess.run(["pdftoppm", "-r", str(dpi), *area, "-png", "-singlefile", str(pdf), str(target_stem)],
                   check=True, capture_output=True)
    return target_stem.with_suffix(".png")


def contact_sheet(pngs: list[tuple[str, str, Path]], target: Path, height: int = 700, font_path=None) -> Path:
    """All pages side by side (page number and section below each), one PNG."""
    from PIL import Image, ImageDraw, ImageFont
    thumbs = []
    for number, section, path in pngs:
        with Image.open(path) as im:
            im = im.convert("RGB")
            w = max(1, round(im.width * height / im.height))
            thumbs.append((number, section, im.resize((w, height), Image.LANCZOS)))
    gap, label_h = 24, 48
    width = gap + sum(t.width + gap for _, _, t in thumbs)
    sheet = Image.new("RGB", (width, height + label_h + 2 * gap), (235, 235, 235))
    draw = ImageDraw.Draw(sheet)
    try:
        font = ImageFont.truetype(str(font_path[0]), 28, index=font_path[1]) if font_path \
            else ImageFont.load_default(size=28)
    except (OSError, TypeError):
        font = ImageFont.load_default()
    x = gap
    for number, section, thumb in thumbs:
        sheet.paste(thumb, (x, gap))
        draw.rectangle([x - 1, gap - 1, x + thumb.width, gap + height], outline=(120, 120, 120))
        label = _("page {page} {section}", page=number, section=section).strip()
        draw.text((x + thumb.width // 2, gap + height + 10), label, fill=(0, 0, 0), font=font, anchor="mt")
        x += thumb.width + gap
    sheet.save(target, optimize=True)
    return target


def make_proof(folder: Path, opts, out: Path | None = None, dpi: int = 150, book=None,
               crop_dpi: int = CROP_DPI) -> dict:
    """Compose the issue and write the proof files; returns {pdf, pngs, crops, contact, pages: [...]}.
    Besides the page PNG at `dpi`, every story with a labelled mark gets a crop at `crop_dpi`: the story
    and its margin notes, legible at a size where a whole broadsheet page would be too large an image."""
    import pikepdf
    from layout.build.issue import compose_issue
    from layout.build.options import open_book
    from layout.render.proof_pdf import ProofSettings, proof_origin, render_proof
    folder = Path(folder)
    opts = replace(opts, marks=False, write=False)   # no crop marks or slug on a proof
    book = book or open_book(opts, folder)
    issue, results = compose_issue(folder, opts, book)
    pub = issue.publication
    out = Path(out) if out else Path(getattr(opts, "out", "output")) / issue.date / "proof"
    out.mkdir(parents=True, exist_ok=True)
    shape = shaper(book)
    stem = f"{pub.code}-{issue.date.replace('-', '')}"
    pages_out, pngs, pdf_pages, crops = [], [], [], []
    with tempfile.TemporaryDirectory(prefix="paiban-proof-") as tmp:
        for report, result in results:
            page = next(p for p in issue.pages if p.number == report.number)
            findings = list(result.findings) + byline_findings(issue, page) + \
                [f for f in issue.findings if f.where.file == page.where.file]
            marks = finding_marks(issue, page, findings) + glyph_marks(result.frame, pub, book)
            errors = sum(f.severity == "error" for f in findings)
            warnings = sum(f.severity == "warning" for f in findings)
            header = _("校样 PROOF — not for print — {name} {date} page {page} {section} — {errors} error(s), "
                       "{warnings} warning(s)", name=pub.name, date=issue.date, page=page.number,
                       section=page.section, errors=errors, warnings=warnings)
            settings = ProofSettings(
                title=_("proof {name} {date} page {page}", name=pub.name, date=issue.date, page=page.number),
                date=issue.date, shape=shape, header=header, marks=marks,
                legend=tuple((_(label), rgb) for label, rgb in LEGEND))
            data = render_proof(result.frame, settings)
            page_pdf = Path(tmp) / f"{page.number}.pdf"
            page_pdf.write_bytes(data)
            png = _pdftoppm(page_pdf, out / f"{stem}-{page.number}-proof", dpi)
            left, top, media_w = proof_origin(result.frame, settings)
            for block in story_crops(page, marks):
                r = block.rect
                box = (left + r.x - 4 * MM, top + r.y - 8 * MM, media_w, top + r.bottom + 30 * MM)
                crops.append(_pdftoppm(page_pdf, out / f"{stem}-{page.number}-{block.id}-proof", crop_dpi,
                                       crop=box))
            pngs.append((page.number, page.section, png))
            pdf_pages.append(page_pdf)
            pages_out.append({"page": page.number, "png": str(png), "marks": len(marks),
                              "errors": errors, "warnings": warnings})
        target = out / f"{stem}-proof.pdf"
        merged = pikepdf.new()
        sources = [pikepdf.open(p) for p in pdf_pages]
        for src in sources:
            merged.pages.extend(src.pages)
        merged.docinfo["/Title"] = _("proof {name} {date}", name=pub.name, date=issue.date)
        merged.save(target, deterministic_id=True)
        for src in sources:
            src.close()
    contact = contact_sheet(pngs, out / f"{stem}-contact.png", font_path=_label_font(book))
    return {"pdf": target, "pngs": [p for _, _, p in pngs], "crops": crops, "contact": contact,
            "pages": pages_out}


def _label_font(book):
    try:
        face = book.face("hei")
        return (face.path, face.index)
    except Exception:
        return None


def run(args, opts) -> int:
    result = make_proof(args.issue, opts, args.out, dpi=args.dpi)
    for p in result["pages"]:
        print(_("page {page}: {marks} highlight(s), {errors} error(s), {warnings} warning(s) → {png}", **p))
    for crop in result["crops"]:
        print(_("crop   {file}", file=crop))
    print(_("proof  {file}", file=result["pdf"]))
    print(_("sheet  {file}", file=result["contact"]))
    sys.stdout.flush()
    return 0
