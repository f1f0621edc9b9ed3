"""Set one line: trims, push-in shrinking, justification, glyph positions.

Order (clreq §3.8, JIS X 4051): a line that is too long shrinks the blank halves of punctuation first
  A brackets' outer blanks, B 、，；：, C 。？！, then D the Han–Latin space (to 0.2 em) —
items of one class together and equally; a line that is too short expands
  1 Latin word spaces (to ½ em), 2 Han–Latin space (to 0.3 em), 3 every other gap equally
(the Han–Latin space keeps its range, 0.2–0.3 em: it looks the same in every line),
never inside ——/…… or a Latin word and never after the last glyph.
Ideographs are never scaled; only blanks and gaps change.
"""
from __future__ import annotations

from layout.text import classes as C
from layout.text.model import Cluster, Line
from layout.text.prepare import (HAN_LATIN, HAN_LATIN_MAX, HAN_LATIN_MIN, HLGAP, MAX_EXTRA, NORMAL, WORD,
                                 WORD_SPACE_MAX, Prepared)

EPS = 1e-9


def last_ink(P: Prepared, a: int, b: int) -> int:
    """Index of the line's last non-space cluster (trailing spaces collapse)."""
    q = b - 1
    while q > a and P.kinds[q] == C.SPACE:
        q -= 1
    return q


def shrink_stages(P: Prepared, a: int, q: int, start_trim: bool):
    """Compressible items of a line whose last inked cluster is q, in clreq order.

    Each stage is a list of (where, index, capacity): where "L"/"R" is a cluster's
    left/right blank, "G" the Han–Latin gap before cluster index.
    """
    brackets, stops_in, gaps, stops_end = [], [], [], []
    kinds, texts = P.kinds, P.texts
    for j in range(a, q):
        k = kinds[j]
        if k == C.OPEN:
            cap = P.bl[j]
            # at the line start the left blank goes only by the trim option (already applied
            # when on); a compressed pair keeps its last half-em blank
            if j == a or P.take_r[j] + P.take_l[j] > 0.0:
                cap = 0.0
            if cap > EPS:
                brackets.append(("L", j, cap))
        elif k in C.BLANK_RIGHT_KINDS:
            cap = P.br[j] - P.take_r[j + 1]
            if cap > EPS:
                if k == C.CLOSE:
                    brackets.append(("R", j, cap))
                elif texts[j][0] in C.STOP_IN:
                    stops_in.append(("R", j, cap))
                else:
                    stops_end.append(("R", j, cap))
        if j > a and P.hl[j]:
            gaps.append(("G", j, HAN_LATIN - HAN_LATIN_MIN))
    if q > a and P.hl[q]:
        gaps.append(("G", q, HAN_LATIN - HAN_LATIN_MIN))
    return [s for s in (brackets, stops_in, stops_end, gaps) if s]


def shrink_capacity(P: Prepared, a: int, b: int, start_trim: bool) -> float:
    q = last_ink(P, a, b)
    return sum(cap for stage in shrink_stages(P, a, q, start_trim) for _, _, cap in stage)


def set_line(P: Prepared, a: int, b: int, *, x0: float, avail: float, first: bool, last: bool,
             opts, resolved: str = "", hang: bool = False, hyphen: float = 0.0) -> Line:
    """Place clusters a..b-1. x0: where the line's set text starts (the indent);
    avail: em from x0 to the column's right edge. hang: cluster b-1 hangs past the edge.
    hyphen: advance of a hyphen added after the last cluster (0: none)."""
    # a page sets ~500 lines: per-line work is slices of the paragraph's tables (C loops), Python loops
    # only where a line differs from mid-paragraph setting; the arithmetic (and so every float) is the
    # one the straightforward per-cluster version does
    kinds, adv = P.kinds, P.adv
    start_trim = opts.trim_opening_at_line_start
    cb = b - 1 if hang else b            # clusters inside the measure
    q = last_ink(P, a, cb)
    # trims (fixed + what adjacent-mark compression took), fresh lists indexed j - a; at the line's
    # start and end no compression with a neighbour on another line
    tl = P.tl[a:b]
    tl[0] = P.sl[a]
    tr = P.tr[a:b]
    tr[-1] = P.sr[b - 1]
    gap = P.hl[a:b]                      # gap[j-a]: space before cluster j
    gap[0] = 0.0
    if start_trim and kinds[a] == C.OPEN:
        tl[0] += P.bl[a]
    for j in range(q + 1, cb):           # trailing spaces collapse
        tr[j - a] = adv[j] - tl[j - a]
    tr[q - a] = P.sr[q] + P.br[q]        # GB §5.1.10: a line-end mark loses its blank
    if hang:
        h = b - 1 - a
        tr[h] = P.sr[b - 1] + P.br[b - 1]
        tl[h] = P.sl[b - 1]
        gap[h] = 0.0
    width = sum([w - l - r for w, l, r in zip(adv[a:cb], tl, tr)]) + sum(gap[1:cb - a]) + hyphen
    need = width - avail
    extra = 0.0
    justified = False
    loose = False
    if need > EPS:                       # push-in: shrink in clreq order
        for stage in shrink_stages(P, a, q, start_trim):
            total = sum(c for _, _, c in stage)
            f = min(1.0, need / total)
            for where, j, cap in stage:
                d = cap * f
                if where == "L":
                    tl[j - a] += d
                elif where == "R":
                    tr[j - a] += d
                else:
                    gap[j - a] -= d
            need -= total * f
            if need <= EPS:
                break
        justified = need <= 1e-6         # else overfull: the breaker reports it
    elif need < -EPS and not ((opts.justify and not last) or (last and opts.align_last == "justify")):
        justified = False                # ragged / paragraph's last line: natural width
    elif need < -EPS:
        short = -need
        seg = P.gk[a + 1:q + 1]          # how each gap of the line may stretch
        if WORD in seg or HLGAP in seg:
            gk = P.gk
            for stage in (WORD, HLGAP):
                items = [j for j in range(a + 1, q + 1) if gk[j] == stage]
                caps = [(max(0.0, WORD_SPACE_MAX - adv[j - 1]) if stage == WORD else HAN_LATIN_MAX - HAN_LATIN)
                        for j in items]
                total = sum(caps)
                if total > EPS and short > EPS:
                    f = min(1.0, short / total)
                    for j, cap in zip(items, caps):
                        gap[j - a] += cap * f
                    short -= total * f
            equal = [j for j in range(a + 1, q + 1) if gk[j] == NORMAL or gk[j] == WORD]
        else:                            # Chinese only: every gap is NORMAL or RIGID
            equal = [j for j, k in enumerate(seg, a + 1) if k]
        if short > EPS:
            # the equal stage leaves the Han–Latin space at its maximum (clreq §3.2.2: in principle no
            # more than ¼ em; 0.3 em is its range): a line whose other gaps then open wider than
            # loose_threshold is reported loose (2021年12月23日下: one Han gap among five Han–Latin
            # ones), not spread around the Latin — the whole-paragraph breaker avoids such lines
            if equal and short / len(equal) <= MAX_EXTRA + EPS:
                extra = short / len(equal)
                for j in equal:
                    gap[j - a] += extra
                justified = True
            else:
                loose = True             # nothing may stretch, or only into holes: left flush, reported loose
        else:
            justified = True
        loose = loose or extra > opts.loose_threshold + EPS
    else:
        justified = True                 # already flush on both edges

    # positions: the pen runs over set boxes; an origin sits trim_left before its ink
    shift = 0.0
    if last and not justified and need < -EPS:
        if opts.align_last == "right":
            shift = -need
        elif opts.align_last == "center":
            shift = -need / 2
    pen = x0 + shift
    cells = zip(P.texts[a:b], adv[a:b], kinds[a:b], tl, tr, gap)
    t, w, k, l, r, _ = next(cells)
    out = [Cluster(t, pen - l, w, k, l, r)]
    pen += w - l - r
    append = out.append
    for t, w, k, l, r, g in cells:
        pen += g
        append(Cluster(t, pen - l, w, k, l, r))
        pen += w - l - r
    if hyphen:
        out.append(Cluster("", pen, hyphen, "hyphen"))
        pen += hyphen
    return Line(tuple(out), pen, justified, last, first, extra, resolved, loose,
                P.offs[a], P.offs[b])
