"""Whole-paragraph (total-fit) line breaking for justified body text.

In the spirit of Knuth–Plass, with Chinese adjustment opportunities (clreq §3.8, JIS X 4051 §4):
every legal break of the paragraph is a node; a line from node a to node b costs what setting it would
cost, and the cheapest path through the paragraph wins. What a line costs follows the order in which
set_line adjusts it:

- too long: shrink punctuation blanks (brackets' outer blanks, 、，；：, then 。？！) and the Han–Latin
  space down to its minimum: cheap, growing with the amount (a line at natural width costs nothing);
- too short: Latin word spaces to ½ em, the Han–Latin space to its maximum, then the same amount added
  to every other gap — cost rising with the cube of that amount, and a line over `loose_threshold`
  costs far more than any other choice, so it is chosen only when nothing else exists.

Hard constraints stay hard: 避头尾 (only ALLOW and SOFT breaks are nodes, a SOFT one is penalised),
push-in limited to the compressible capacity, and 孤字 (a last line of fewer than two characters is
not a node). The paragraph's last line is free to be short.

Bounded: from each node only lines within [avail − MAX_SHORT, avail + shrink capacity] are tried
(a handful of breaks) and the last legal break before that window (after a long URL the only end
there may be); a node is expanded once, from its best predecessor, so the work is linear in the
paragraph's length. Returns None when no path exists (a word longer than the line, hanging, ragged
text): the greedy breaker then handles the paragraph with its local rules.
"""
from __future__ import annotations

from bisect import bisect_right

from layout.text import classes as C
from layout.text.prepare import (ALLOW, HAN_LATIN, HAN_LATIN_MAX, HAN_LATIN_MIN, HLGAP, MAX_EXTRA, RIGID,
                                 SOFT, WORD, WORD_SPACE_MAX, Prepared)

EPS = 1e-9
MAX_SHORT = 1.6          # em: a line this much short is loose anyway (0.15 em × 11 gaps)
GOOD = 0.05             # em per gap: a greedy line spread no more than this is as good as any
LINE = 10.0              # every line costs this (fewer lines when all else is equal)
SOFT_BREAK = 400.0       # a break between a number and its unit (15万 | 元)
LOOSE = 1e5              # a line spread more than loose_threshold per gap
NO_STRETCH = 1e6         # a short line with nothing that may stretch, or only past MAX_EXTRA: left flush


class _Tables:
    """Prefix sums over a Prepared paragraph: a line's shrink and stretch capacity in O(1)."""

    __slots__ = ("lastink", "cap", "capl", "capg", "wcap", "hcnt", "ecnt", "cc")

    def __init__(self, P: Prepared):
        n = P.n
        kinds, texts = P.kinds, P.texts
        lastink = [0] * (n + 1)             # lastink[b]: last non-space cluster before b
        li = 0
        for j in range(n):
            if kinds[j] != C.SPACE:
                li = j
            lastink[j + 1] = li
        cap = [0.0] * (n + 1)               # prefix: compressible blanks of clusters < j (as mid-line)
        capl = [0.0] * n                    # an opening mark's own left-blank share (0 at a line start)
        capg = [0.0] * (n + 1)              # prefix: Han–Latin shrink of boundaries <= j
        wcap = [0.0] * (n + 1)              # prefix: word-space stretch of boundaries <= j
        hcnt = [0] * (n + 1)                # prefix: Han–Latin gaps of boundaries <= j
        ecnt = [0] * (n + 1)                # prefix: gaps taking the equal stage, boundaries <= j
        cc = [0] * (n + 1)                  # prefix: characters that count for 孤字
        c = g = w = 0.0
        h = e = k = 0
        hl_shrink = HAN_LATIN - HAN_LATIN_MIN
        for j in range(n):
            kd = kinds[j]
            if kd == C.OPEN:
                v = P.bl[j] if P.take_r[j] + P.take_l[j] <= 0.0 else 0.0
                capl[j] = v
                c += v
            elif kd in C.BLANK_RIGHT_KINDS:
                v = P.br[j] - P.take_r[j + 1]
                if v > EPS:
                    c += v
            cap[j + 1] = c
            if j > 0:
                gk = P.gk[j]
                if P.hl[j]:
                    g += hl_shrink
                if gk == HLGAP:
                    h += 1
                elif gk == WORD:
                    w += max(0.0, WORD_SPACE_MAX - P.adv[j - 1])
                    e += 1
                elif gk != RIGID:
                    e += 1
            capg[j] = g
            wcap[j] = w
            hcnt[j] = h
            ecnt[j] = e
            k += P.charlike[j]
            cc[j + 1] = k
        capg[n] = g
        wcap[n], hcnt[n], ecnt[n] = w, h, e
        self.lastink, self.cap, self.capl, self.capg = lastink, cap, capl, capg
        self.wcap, self.hcnt, self.ecnt, self.cc = wcap, hcnt, ecnt, cc


def first_uneven(P: Prepared, spans, measure: float, opts, tolerance: float = GOOD) -> int:
    """Index of the first line but the last of `spans` that needs more than `tolerance` em added per
    gap, or -1 (the line-by-line result is then as even as a whole-paragraph one can be: it is kept).
    Counted per short line (most lines are full), so a paragraph that is kept costs no tables."""
    indent = opts.indent
    gk, adv, kinds = P.gk, P.adv, P.kinds
    hl_stretch = HAN_LATIN_MAX - HAN_LATIN
    for i, (a, b) in enumerate(spans[:-1]):
        short = measure - (indent if a == 0 else 0.0) - P.width(a, b, opts.trim_opening_at_line_start)
        if short <= EPS:
            continue
        q = b - 1
        while q > a and kinds[q] == C.SPACE:
            q -= 1
        gaps = 0
        for j in range(a + 1, q + 1):
            k = gk[j]
            if k == HLGAP:
                short -= hl_stretch
            elif k == WORD:
                short -= max(0.0, WORD_SPACE_MAX - adv[j - 1])
                gaps += 1
            elif k != RIGID:
                gaps += 1
        if short > EPS and (not gaps or short / gaps > tolerance):
            return i
    return -1


def total_fit(P: Prepared, measure: float, opts) -> list[tuple[int, int]] | None:
    """Line spans (a, b) of the cheapest breaking, or None if there is none within the rules."""
    n = P.n
    if n == 0:
        return []
    T = _Tables(P)
    st = opts.trim_opening_at_line_start
    threshold = opts.loose_threshold
    indent = opts.indent
    brk, S, inner, endcut, bl, kinds = P.brk, P.S, P.inner, P.endcut, P.bl, P.kinds
    lastink, cap, capl, capg = T.lastink, T.cap, T.capl, T.capg
    wcap, hcnt, ecnt, cc = T.wcap, T.hcnt, T.ecnt, T.cc
    nodes = [b for b in range(1, n) if brk[b] == ALLOW or brk[b] == SOFT]   # the legal line ends,
    nodes.append(n)                                                         # in text order
    soft = [SOFT_BREAK if k == SOFT else 0.0 for k in brk]   # a SOFT break's penalty (brk[n] is ALLOW)
    hl_stretch = HAN_LATIN_MAX - HAN_LATIN
    INF = float("inf")
    best = [INF] * (n + 1)               # node -> cheapest cost of reaching it
    best[0] = 0.0
    back = [0] * (n + 1)
    orphan_cc = cc[n] - 2                # a last line from a holds fewer than two characters if cc[a] > this
    # nodes expanded in text order (every line into a node is known before the node is expanded);
    # only nodes some line reaches
    for a in (0, *nodes):
        base = best[a]
        if base == INF:
            continue
        if a == n:
            break
        avail = measure - (indent if a == 0 else 0.0)
        s0 = S[a] + inner[a] + (bl[a] if st and kinds[a] == C.OPEN else 0.0)
        # the first b whose width reaches avail - MAX_SHORT (widths grow with b, up to end trims)
        b = max(a + 1, bisect_right(S, s0 + avail - MAX_SHORT, a + 1, n + 1) - 1)
        k = bisect_right(nodes, b) - 1   # and the last legal break before that window: after a long
        if k < 0 or nodes[k] <= a:       # URL or word it may be the only end there is
            k += 1
        cap_a = cap[a] + capl[a] + capg[a]
        e_a = ecnt[a]
        base_line = base + LINE
        while True:
            b = nodes[k]
            need = S[b] - s0 - endcut[b] - avail        # the line's natural width minus the room
            q = lastink[b]
            if q < a:
                q = a
            last = b == n
            if need > EPS:
                shrink = cap[q] + capg[q] - cap_a
                if need > shrink + 1e-9:         # need - shrink never falls as b grows (a cluster adds
                    break                        # at least the blank it could give): nothing further fits
                cost = 20.0 * need * need
            elif last:
                if a and cc[a] > orphan_cc:
                    break                # 孤字: a last line of one character is no line
                cost = 0.0
            elif need < -EPS and base_line + soft[b] >= best[b] - 1e-12:
                k += 1                   # a short line, and b is reached as cheaply already: whatever
                continue                 # this line costs (>= 0), it cannot be the better way to b
            elif need < -EPS:
                short = -need
                w = wcap[q] - wcap[a]
                if w:                    # word spaces first, up to ½ em (min() as before: short, or w if less)
                    used = w if w < short else short
                    short -= used
                    cost = 5.0 * used * used
                else:                    # (no word space: nothing used, nothing added)
                    cost = 0.0
                if short > EPS:
                    h = hcnt[q] - hcnt[a]
                    if h:                # then the Han–Latin spaces, up to their maximum
                        hs = h * hl_stretch
                        used = hs if hs < short else short
                        short -= used
                        cost += 20.0 * used * used
                if short > EPS:
                    gaps = ecnt[q] - e_a         # the Han–Latin spaces stay within their range
                    if gaps and short / gaps <= MAX_EXTRA + EPS:
                        extra = short / gaps
                        r = extra / 0.05
                        cost += 10.0 * r * r * r
                        if extra > threshold + EPS:
                            cost += LOOSE
                    else:                # left short: the shorter the better
                        cost += NO_STRETCH * (1.0 + short / avail)
            else:
                cost = 0.0
            if last and a and cc[a] > orphan_cc:
                break                    # 孤字 (as above, for a last line that had to shrink)
            total = base + cost + LINE + soft[b]
            if total < best[b] - 1e-12:
                best[b] = total
                back[b] = a
            if last:
                break
            k += 1
    if best[n] == INF:
        return None
    spans = []
    b = n
    while b:
        a = back[b]
        spans.append((a, b))
        b = a
    return spans[::-1]
