"""Headline breaking (标题分行) and fitting.

A headline is broken where its author meant: explicit newlines first, then the
author's spaces (ASCII or U+3000), then — only if a phrase is still too long —
at legal 避头尾 breaks between words (layout/text/words.py: jieba's segmentation),
balancing the line lengths; inside a word only when no fitting keeps the words
whole. A line never holds a single stranded character.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from layout.text import classes as C
from layout.text.prepare import ALLOW, Prepared, prepare
from layout.text.words import word_ends

EPS = 1e-9
AUTHOR_SPACES = " \u3000"


def _width(P: Prepared, a: int, b: int) -> float:
    return P.width(a, b) if b > a else 0.0


def _seg_lines(P: Prepared, a: int, b: int, measure: float, k: int, cands: list[int], wf, cc):
    """Best split of clusters a..b-1 into k lines at candidate boundaries (DP, minimises the
    longest line, then the spread). None if impossible."""
    pts = [a] + [c for c in cands if a < c < b] + [b]
    m = len(pts)
    INF = (float("inf"), float("inf"))
    # best[j][i]: (max width, sum of squares) splitting pts[0]..pts[i] into j lines
    best = [[INF] * m for _ in range(k + 1)]
    back = [[-1] * m for _ in range(k + 1)]
    best[0][0] = (0.0, 0.0)
    for j in range(1, k + 1):
        for i in range(1, m):
            for h in range(i - 1, -1, -1):  # lines widen as h moves left: stop once far past the measure
                s, e = _strip(P, pts[h], pts[i])
                w = wf(s, e) if e > s else 0.0
                if w > measure + 1.0:    # (1 em of slack: start-of-line trims are not monotonic)
                    break
                if best[j - 1][h] == INF:
                    continue
                if e <= s or cc[e] - cc[s] < 2 and cc[b] - cc[a] >= 2:
                    continue             # no empty lines, no stranded single character
                if w > measure + EPS:
                    continue
                prev = best[j - 1][h]
                cand = (max(prev[0], w), prev[1] + w * w)
                if cand <= best[j][i]:   # ties: the smallest h wins (visited last)
                    best[j][i] = cand
                    back[j][i] = h
    if best[k][m - 1] == INF:
        return None
    out, i = [], m - 1
    for j in range(k, 0, -1):
        h = back[j][i]
        out.append((pts[h], pts[i]))
        i = h
    return out[::-1]


def _strip(P: Prepared, s: int, e: int) -> tuple[int, int]:
    """A line never starts or ends with the author's space it was broken at."""
    while s < e and P.texts[s] in AUTHOR_SPACES:
        s += 1
    while e > s and P.texts[e - 1] in AUTHOR_SPACES:
        e -= 1
    return s, e


def _between_words(P: Prepared):
    """Is cluster boundary i between two words? Segmented on first use: the editor's breaks need none."""
    ends = None

    def test(i: int) -> bool:
        nonlocal ends
        if ends is None:
            ends = word_ends(P.text)
        return P.offs[i] in ends
    return test


def _break_block(P: Prepared, a: int, b: int, measure: float, max_lines: int, wf, cc, fallback: bool = True,
                 words=None):
    """words: None, or a test of cluster boundaries: then only breaks between words (and the author's
    spaces) are tried."""
    spaces = [i for i in range(a + 1, b) if P.texts[i - 1] in AUTHOR_SPACES and P.texts[i] not in AUTHOR_SPACES]
    legal = spaces
    for stage in (0, 1):
        if stage == 0:
            cands = spaces
        elif max_lines > 1:              # (one line needs no candidates: asked of the segmenter only for more)
            cands = [i for i in range(a + 1, b) if P.brk[i] == ALLOW and (words is None or words(i)) or i in spaces]
            legal = cands
        else:
            break
        for k in range(1 + stage, max_lines + 1):
            lines = _seg_lines(P, a, b, measure, k, cands, wf, cc)
            if lines:
                return lines
    if not fallback:  # a fitting attempt only needs to know that it failed
        return None
    # does not fit in max_lines: fewest overfull lines, balanced on legal breaks
    if words is not None or max_lines < 2:     # the overset fallback may break anywhere legal
        legal = [i for i in range(a + 1, b) if P.brk[i] == ALLOW or i in spaces]
    k = max(1, min(max_lines, int(wf(a, b) / measure) + 1))
    return _seg_lines(P, a, b, float("inf"), k, legal, wf, cc) or [(a, b)]


def _blocks(P: Prepared):
    start = 0
    for i, t in enumerate(P.texts):
        if t == "\n":
            yield start, i
            start = i + 1
    yield start, P.n


def _break(P: Prepared, measure: float, max_lines: int, tracking: float = 0.0,
           fallback: bool = True, words=None) -> list[tuple[int, int]] | None:
    cc = [0]
    for c in P.charlike:
        cc.append(cc[-1] + c)

    # gaps that tracking widens, as prefix counts: a line's width is then O(1)
    gap_at = [0, 0] + [1 if P.kinds[i] != C.SPACE and P.kinds[i - 1] != C.SPACE else 0 for i in range(1, P.n)]
    pre = [0]
    for g in gap_at[1:]:
        pre.append(pre[-1] + g)

    def wf(s: int, e: int) -> float:
        gaps = pre[e] - pre[s + 1] if e > s + 1 else 0
        return _width(P, s, e) + tracking * gaps
    out = []
    blocks = [blk for blk in _blocks(P) if blk[1] > blk[0]]
    for i, (a, b) in enumerate(blocks):
        room = max(1, max_lines - len(out) - (len(blocks) - i - 1))
        lines = _break_block(P, a, b, measure, room, wf, cc, fallback, words)
        if lines is None:
            return None
        for s, e in lines:
            s, e = _strip(P, s, e)
            out.append((s, e))
    return out


def break_headline(text: str, measure: float, advance: Callable[[str], float],
                   max_lines: int = 3) -> list[tuple[int, int]]:
    """Balanced line breaks as (start, end) character offsets into `text`.

    Breaks at newlines and the author's spaces first (the space itself is left out
    of both lines), then at legal breaks between words, then at any legal break. If
    the text cannot fit in max_lines the lines may exceed the measure: use
    fit_headline to scale or track it."""
    if not text:
        return []
    P = prepare(text, advance)
    lines = _break(P, measure, max_lines, fallback=False, words=_between_words(P)) or _break(P, measure, max_lines)
    return [(P.offs[s], P.offs[e]) for s, e in lines]


@dataclass(frozen=True)
class HeadlineFit:
    lines: tuple[tuple[int, int], ...]   # character offsets, as break_headline
    scale: float          # multiply the font size by this (1.0: as specified)
    tracking: float       # em (of the scaled size) added between characters; negative tightens
    widths: tuple[float, ...]   # em of the scaled size, tracking included
    fits: bool
    findings: tuple[str, ...]


def _tracked(P: Prepared, s: int, e: int, tracking: float) -> float:
    gaps = sum(1 for i in range(s + 1, e) if P.kinds[i] not in (C.SPACE,) and P.kinds[i - 1] != C.SPACE)
    return _width(P, s, e) + tracking * gaps


def fit_headline(text: str, measure: float, advance: Callable[[str], float], max_lines: int = 3,
                 min_tracking: float = -0.05, min_scale: float = 0.8) -> HeadlineFit:
    """Fit a headline into `max_lines` lines of `measure` em (em of the specified size).

    For one line, then two, … up to max_lines: as set; tighter tracking down to min_tracking; a
    smaller size down to min_scale (with min_tracking) — so a headline shrinks within its limits
    before it takes another line. Automatic breaks fall between words; one inside a word only when
    no number of lines, tracking or size keeps the words whole.
    Reports "headline-overset" when no number of lines works."""
    if not text:
        return HeadlineFit((), 1.0, 0.0, (), True, ())
    P = prepare(text, advance)
    blocks = sum(1 for a, b in _blocks(P) if b > a)   # the editor's lines: never fewer than these
    steps = int(round(-min_tracking / 0.01))
    for words in (_between_words(P), None):
        for k in range(max(1, min(blocks, max_lines)), max_lines + 1):
            ok, lines, ws = _attempt(P, measure, k, 0.0, words=words)
            if ok:
                return _result(P, lines, 1.0, 0.0, ws, True, ())
            for i in range(1, steps + 1):     # tighter tracking, in steps of 0.01 em down to the limit
                ok, lines, ws = _attempt(P, measure, k, -0.01 * i, words=words)
                if ok:
                    return _result(P, lines, 1.0, -0.01 * i, ws, True, ())
            ok, lines, ws = _attempt(P, measure / min_scale, k, min_tracking, words=words)
            if not ok:
                continue
            lo, hi = min_scale, 1.0
            for _ in range(16):               # the largest size that fits
                mid = (lo + hi) / 2
                if _attempt(P, measure / mid, k, min_tracking, words=words)[0]:
                    lo = mid
                else:
                    hi = mid
            scale = int(lo * 1000) / 1000     # round down: never overshoot the measure
            ok, lines, ws = _attempt(P, measure / scale, k, min_tracking, fallback=True, words=words)
            return _result(P, lines, scale, min_tracking, ws, ok, ())
    ok, lines, ws = _attempt(P, measure / min_scale, max_lines, min_tracking, fallback=True)
    msg = (f"headline-overset: {text[:12]!r} does not fit {max_lines} line(s) of {measure:g} em "
           f"even at {min_scale:.0%} size and {min_tracking:+g} em tracking")
    return _result(P, lines, min_scale, min_tracking, ws, False, (msg,))


def _attempt(P: Prepared, room: float, max_lines: int, tracking: float, fallback: bool = False, words=None):
    lines = _break(P, room, max_lines, tracking, fallback, words)
    if lines is None:
        return False, [], ()
    ws = tuple(_tracked(P, s, e, tracking) for s, e in lines)
    return len(lines) <= max_lines and all(w <= room + EPS for w in ws), lines, ws


def _result(P, lines, scale, tracking, ws, fits, findings) -> HeadlineFit:
    return HeadlineFit(tuple((P.offs[s], P.offs[e]) for s, e in lines), scale, tracking,
                       tuple(ws), fits, findings)
