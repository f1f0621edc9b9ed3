"""Composition quality of body text, measured from any engine's PDF (paiban, Typst, XeLaTeX, a browser).

    python3 bench/quality.py PDF… [--json OUT] [--worst N] [--label NAME] [--reported BUILD.json]

Reads every character's box with pdfplumber (no knowledge of the engine). Body text is the most common
font size; its characters are grouped into lines (one baseline) and the lines into columns (the
frequent left edges of lines, each column as wide as its most common line). Per page and in total:

  off-edge     lines that are not a paragraph's last but whose ink does not reach both column edges
               (± 0.05 em), and any line whose ink passes the column's right edge
  孤字         a paragraph's last line holding fewer than two characters (stops, brackets and spaces do
               not count; —— and …… do)
  cjk-gap      space added between two ideographs: the largest, and how many lines have more than 0.15 em
  han-latin    the space between an ideograph and a Latin letter or digit: min / median / max, and how
               many are outside 0.2–0.3 em
  max-gap      the largest space between two consecutive visible characters of one line (holes)
  bad-start    lines starting with a mark that may not start one (、，。 closing marks …; ——/…… may, and
               so may ?/# before a letter: the query of a URL broken before it)
  bad-end      lines ending with a mark that may not end one (opening marks, ／ …)
  overlap      lines where characters sit on one another (an engine's clipped overset copy): left out
  grid         share of body lines whose baseline sits on the page's common grid (pitch and phase are
               the most common ones)
  reported     with --reported BUILD.json (paiban's `build --format json`): lines inside the boxes of the
               composer's loose-line findings; loose lines and the largest CJK gap are also counted
               outside them (an engine that reports nothing has every line outside)

A paragraph's last line is recognised by the line after it in the column starting indented (2 em), or by
being the column's last line without reaching the right edge. Ink of a full-width stop or closing mark is
its left half, of an opening mark its right half (a narrower glyph: its whole box), so engines that trim
line-end blanks by positioning and those that use half-width glyphs are measured alike.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from layout.text import classes as C  # noqa: E402  (character classes only; no composition code)

TOL = 0.05          # em: a line edge within this is flush
LOOSE = 0.15        # em added between two ideographs: a loose (稀) line
HL_RANGE = (0.2, 0.3)
NO_START = set(C.STOPS + C.CLOSING + C.LATIN_NO_START + C.POSTFIX + C.NO_START_EXTRA + C.INTERPUNCT
               + "\u2013\uff5e")
NO_END = set(C.OPENING + C.LATIN_NO_END + C.PREFIX + C.SOLIDUS)
RIGHT_INK = set(C.STOPS + C.CLOSING + ",.;:!?")   # ink in the left half of a full-width cell
LEFT_INK = set(C.OPENING)                         # ink in the right half


def kind(ch: str) -> str:
    return C.kind_of(ch[0])


def is_han(ch: str) -> bool:
    return kind(ch) == C.HAN


def is_latin(ch: str) -> bool:
    return kind(ch) in (C.LATIN, C.DIGIT)


def charlike(ch: str) -> bool:
    k = kind(ch)
    return (k not in C.PUNCT_KINDS and k != C.LPUNCT) or k in (C.DASH_KIND, C.ELLIPSIS_KIND)


class Ch:
    __slots__ = ("t", "x0", "x1", "size", "base")

    def __init__(self, c):
        self.t, self.x0, self.x1, self.size = c["text"], c["x0"], c["x1"], c["size"]
        self.base = round(c["bottom"], 1)

    @property
    def ink_left(self) -> float:
        if self.t in LEFT_INK and self.x1 - self.x0 > 0.9 * self.size:
            return self.x1 - 0.5 * self.size
        return self.x0

    @property
    def ink_right(self) -> float:
        if self.t in RIGHT_INK and self.x1 - self.x0 > 0.9 * self.size:
            return self.x0 + 0.5 * self.size
        return self.x1


def _segments(chars: list[Ch], em: float) -> list[list[Ch]]:
    """Characters of one baseline split where a gap is wider than ¾ em (for finding the columns only)."""
    chars.sort(key=lambda c: c.x0)
    out, cur = [], [chars[0]]
    for c in chars[1:]:
        if c.x0 - cur[-1].x1 > 0.75 * em:
            out.append(cur)
            cur = []
        cur.append(c)
    out.append(cur)
    return out


def _columns(segs: list[list[Ch]], em: float) -> list[tuple[float, float]]:
    lefts = Counter(round(s[0].ink_left, 0) for s in segs)
    frequent = sorted(x for x, n in lefts.items() if n >= 3)
    cols = []
    for x in frequent:
        if any(abs(x - 2 * em - y) <= 1.0 for y in frequent):   # an indent, not a column
            continue
        widths = Counter(round(s[-1].ink_right - s[0].ink_left, 0) for s in segs
                         if abs(round(s[0].ink_left, 0) - x) <= 1.0)
        w = widths.most_common(1)[0][0]
        left = statistics.median(s[0].ink_left for s in segs if abs(round(s[0].ink_left, 0) - x) <= 1.0)
        if cols and left < cols[-1][1] - 0.5 * em:    # overlaps the previous column: keep the stronger
            continue
        cols.append((left, left + w))
    # the right edge: the most common ink right of lines as wide as the column
    out = []
    for left, right in cols:
        rights = [s[-1].ink_right for s in segs if abs(s[0].ink_left - left) < 0.5 and
                  abs(s[-1].ink_right - right) <= 1.0]
        out.append((left, statistics.median(rights) if rights else right))
    return out


def reported_boxes(build_json: Path) -> dict[str, list]:
    """Page number → [x, top, w, h] pt of each line paiban reported as loose-line."""
    out: dict[str, list] = defaultdict(list)
    for f in json.loads(Path(build_json).read_text("utf-8")).get("findings", []):
        if f.get("code") == "loose-line":
            out[str(f.get("page"))].extend((f.get("data") or {}).get("boxes", []))
    return out


def measure_page(page, em_size: float | None = None, boxes=()) -> dict:
    chars = [Ch(c) for c in page.chars if c["text"].strip() and c.get("upright", True)]
    if not chars:
        return {}
    size = em_size or Counter(round(c.size, 2) for c in chars).most_common(1)[0][0]
    body = [c for c in chars if abs(c.size - size) < 0.05]
    em = size
    rows = defaultdict(list)
    for c in body:
        rows[c.base].append(c)
    segs = [s for b in sorted(rows) for s in _segments(rows[b], em)]
    cols = _columns(segs, em)
    # lines: body characters of one baseline inside one column
    in_col: dict[int, list[Ch]] = defaultdict(list)
    for c in body:
        mid = (c.x0 + c.x1) / 2
        for i, (l, r) in enumerate(cols):
            if l - 0.3 * em <= mid <= r + 0.6 * em:
                in_col[i].append(c)
                break
    by_col: dict[int, dict[float, list[Ch]]] = defaultdict(lambda: defaultdict(list))
    for i, cs in in_col.items():   # one line: baselines within 0.3 em (a fallback face may sit lower)
        cs.sort(key=lambda c: c.base)
        base = None
        for c in cs:
            if base is None or c.base - base > 0.3 * em:
                base = c.base
            by_col[i][base].append(c)
    m = dict(lines=0, overlap=0, off_edge=0, orphans=0, loose=0, max_cjk_gap=0.0, hl=[], max_gap=0.0,
             bad_start=0, bad_end=0, baselines=[], worst=[], samples=[], reported=0, loose_unreported=0,
             max_cjk_gap_unreported=0.0)
    pitch_votes = Counter()
    for i, rowmap in by_col.items():
        left, right = cols[i]
        bases = sorted(rowmap)
        for a, b in zip(bases, bases[1:]):
            pitch_votes[round(b - a, 1)] += 1
        lines = [sorted(rowmap[b], key=lambda c: c.x0) for b in bases]
        for k, line in enumerate(lines):
            if any(q.ink_left < p.ink_right - 0.3 * em for p, q in zip(line, line[1:])):
                m["overlap"] += 1        # two texts on one another (copy an engine clipped): not measured
                continue
            m["lines"] += 1
            m["baselines"].append(bases[k])
            text = "".join(c.t for c in line)
            l_ink, r_ink = line[0].ink_left, line[-1].ink_right
            nxt = lines[k + 1] if k + 1 < len(lines) and bases[k + 1] - bases[k] < 2.5 * em else None
            flush_r = abs(r_ink - right) <= TOL * em
            indented = abs(l_ink - left - 2 * em) <= 0.3 * em
            next_indented = nxt is not None and nxt[0].ink_left - left > 1.0 * em
            para_last = next_indented or (nxt is None and not flush_r) or (r_ink < right - TOL * em and
                                                                           nxt is not None and next_indented)
            # an opening mark may keep its blank at the line start (its box at the edge) or lose it
            flush_l = min(abs(l_ink - left), abs(line[0].x0 - left)) <= TOL * em or indented \
                or abs(line[0].x0 - left - 2 * em) <= TOL * em
            if l_ink - left > 2.5 * em:     # set right or centred (a byline): only overfull counts
                para_last = flush_l = True
            if (not para_last and not (flush_l and flush_r)) or r_ink > right + TOL * em:
                m["off_edge"] += 1
                m["samples"].append(("off-edge", round((r_ink - right) / em, 3), text))
            if para_last and k > 0 and not indented and sum(charlike(c.t) for c in line) < 2:
                m["orphans"] += 1
                m["samples"].append(("孤字", 0, text))
            url_piece = line[0].t in "?#" and len(text) > 1 and text[1].isalnum()   # ?date=… of a broken URL
            if line[0].t in NO_START and not text.startswith(("——", "……", "⸺")) and not url_piece:
                m["bad_start"] += 1
                m["samples"].append(("bad-start", 0, text))
            if line[-1].t in NO_END:
                m["bad_end"] += 1
                m["samples"].append(("bad-end", 0, text))
            worst = 0.0
            for p, q in zip(line, line[1:]):
                gap = (q.x0 - p.x1) / em
                if gap > m["max_gap"]:
                    m["max_gap"] = gap
                if is_han(p.t) and is_han(q.t):
                    worst = max(worst, gap)
                elif (is_han(p.t) and is_latin(q.t)) or (is_latin(p.t) and is_han(q.t)):
                    m["hl"].append(gap)
                    if not HL_RANGE[0] - 1e-3 <= gap <= HL_RANGE[1] + 1e-3:
                        m["samples"].append(("han-latin", round(gap, 3), text))
            if worst > LOOSE + 1e-3:
                m["loose"] += 1
            m["max_cjk_gap"] = max(m["max_cjk_gap"], worst)
            mid = (line[0].x0 + line[-1].x1) / 2
            if any(bx <= mid <= bx + bw and by <= bases[k] <= by + bh + 0.5 * em for bx, by, bw, bh in boxes):
                m["reported"] += 1
            else:
                m["loose_unreported"] += worst > LOOSE + 1e-3
                m["max_cjk_gap_unreported"] = max(m["max_cjk_gap_unreported"], worst)
            m["worst"].append((round(worst, 3), text, round(line[0].x0, 1), round(line[0].base, 1),
                               round(line[-1].x1, 1), em))
    # grid: the common pitch and phase of the page's body baselines
    grid = 1.0
    if pitch_votes and m["baselines"]:
        pitch = pitch_votes.most_common(1)[0][0]
        phase = Counter(round(b % pitch, 0) for b in m["baselines"]).most_common(1)[0][0]
        on = sum(1 for b in m["baselines"] if min((b - phase) % pitch, pitch - (b - phase) % pitch) <= 0.6)
        grid = on / len(m["baselines"])
    m["grid"] = grid
    m["columns"] = len(cols)
    m["worst"].sort(key=lambda w: -w[0])
    m["worst"] = [w for w in m["worst"] if w[0] > LOOSE + 1e-3] or m["worst"][:1]
    del m["baselines"]
    return m


def measure(pdf_path: Path, reported: dict | None = None) -> list[dict]:
    import pdfplumber
    out = []
    number = pdf_path.stem.rsplit("-", 1)[-1]     # paiban's files end in -NN.pdf
    with pdfplumber.open(pdf_path) as pdf:
        for n, page in enumerate(pdf.pages, 1):
            boxes = (reported or {}).get(number, ())
            if boxes:                    # paiban's boxes are in trim-box space (from its top left)
                tx, ty = page.trimbox[0], page.trimbox[1]
                boxes = [(x + tx, y + ty, w, h) for x, y, w, h in boxes]
            m = measure_page(page, boxes=boxes)
            if m:
                m["page"] = f"{pdf_path.name}:{n}"
                out.append(m)
            page.flush_cache()
    return out


def summary(pages: list[dict]) -> dict:
    hl = [g for p in pages for g in p["hl"]]
    return {
        "pages": len(pages),
        "lines": sum(p["lines"] for p in pages),
        "overlap": sum(p["overlap"] for p in pages),
        "off_edge": sum(p["off_edge"] for p in pages),
        "orphans": sum(p["orphans"] for p in pages),
        "loose_lines": sum(p["loose"] for p in pages),
        "max_cjk_gap": max((p["max_cjk_gap"] for p in pages), default=0.0),
        "reported": sum(p["reported"] for p in pages),
        "loose_unreported": sum(p["loose_unreported"] for p in pages),
        "max_cjk_gap_unreported": max((p["max_cjk_gap_unreported"] for p in pages), default=0.0),
        "hl_n": len(hl),
        "hl_min": min(hl, default=0.0), "hl_median": statistics.median(hl) if hl else 0.0,
        "hl_max": max(hl, default=0.0),
        "hl_outside": sum(1 for g in hl if not HL_RANGE[0] - 1e-3 <= g <= HL_RANGE[1] + 1e-3),
        "max_gap": max((p["max_gap"] for p in pages), default=0.0),
        "bad_start": sum(p["bad_start"] for p in pages),
        "bad_end": sum(p["bad_end"] for p in pages),
        "grid": min((p["grid"] for p in pages), default=1.0),
    }


ROWS = [("lines", "body lines", "{:d}"), ("overlap", "lines overprinted by other text (not measured)", "{:d}"),
        ("off_edge", "lines off the column edge", "{:d}"),
        ("orphans", "孤字", "{:d}"), ("loose_lines", "lines > 0.15 em between ideographs", "{:d}"),
        ("max_cjk_gap", "largest added CJK gap (em)", "{:.3f}"),
        ("reported", "lines reported loose-line by the engine", "{:d}"),
        ("loose_unreported", "lines > 0.15 em outside reported lines", "{:d}"),
        ("max_cjk_gap_unreported", "largest added CJK gap outside reported lines (em)", "{:.3f}"),
        ("hl_range", "Chinese–Latin gap min / median / max (em)", "{}"),
        ("hl_outside", "Chinese–Latin gaps outside 0.2–0.3 em", "{:d}"),
        ("max_gap", "largest gap in a body line (em)", "{:.2f}"),
        ("bad_start", "prohibited line starts", "{:d}"), ("bad_end", "prohibited line ends", "{:d}"),
        ("grid", "baseline grid agreement (worst page)", "{:.2f}")]


def table(results: dict[str, dict]) -> str:
    names = list(results)
    out = ["| measure | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for key, label, fmt in ROWS:
        cells = []
        for n in names:
            s = results[n]
            if key == "hl_range":
                cells.append(f"{s['hl_min']:.2f} / {s['hl_median']:.2f} / {s['hl_max']:.2f} ({s['hl_n']})"
                             if s["hl_n"] else "—")
            else:
                cells.append(fmt.format(s[key]))
        out.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pdf", nargs="+", type=Path, help="PDF files or folders of PDFs")
    ap.add_argument("--label", action="append", help="a name per PDF/folder (default: the file name)")
    ap.add_argument("--json", type=Path, help="write per-page figures as JSON")
    ap.add_argument("--worst", type=int, default=0, help="print the N worst lines and the defects found")
    ap.add_argument("--reported", type=Path, action="append",
                    help="paiban's `build --format json` output for a PDF/folder (in order): its loose-line boxes")
    a = ap.parse_args()
    results, detail = {}, {}
    for i, p in enumerate(a.pdf):
        files = sorted(p.glob("*.pdf")) if p.is_dir() else [p]
        rep = reported_boxes(a.reported[i]) if a.reported and i < len(a.reported) else None
        pages = [m for f in files for m in measure(f, rep)]
        name = a.label[i] if a.label and i < len(a.label) else p.name
        results[name] = summary(pages)
        detail[name] = pages
        if a.worst:
            worst = sorted((w + (pg["page"],) for pg in pages for w in pg["worst"]), key=lambda w: -w[0])
            print(f"{name}: worst lines (added CJK gap em, text, x0, baseline, x1, size, page)")
            for w in worst[:a.worst]:
                print("  ", w)
            defects = [(pg["page"],) + s for pg in pages for s in pg["samples"]]
            for d in defects[:a.worst * 3]:
                print("  ", d)
    print(table(results))
    if a.json:
        a.json.write_text(json.dumps({"summary": results, "pages": detail}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
