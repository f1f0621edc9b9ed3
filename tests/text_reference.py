"""Straightforward versions of the breaker's hot paths, as they were before they were made fast
(docs/performance.md, round 6): a running total per cluster, a heap of nodes, one float at a time.
tests/test_text_fast.py checks that the fast code gives exactly what these give (same floats, same
breaks). Not used by paiban itself."""
from __future__ import annotations

from bisect import bisect_right
from heapq import heappop, heappush

from layout.text import classes as C
from layout.text.model import Cluster, Line
from layout.text.prepare import (_HAN_NO_END, _HAN_NO_START, ALLOW, FORBID, HAN_LATIN, HAN_LATIN_MAX, HAN_LATIN_MIN,
                                 HLGAP, MAX_EXTRA, NORMAL, RIGID, SOFT, WORD, WORD_SPACE_MAX, Prepared, _latin_breaks,
                                 _no_end, _no_start)
from layout.text.setline import EPS, last_ink, shrink_stages
from layout.text.totalfit import LINE, LOOSE, MAX_SHORT, NO_STRETCH, SOFT_BREAK


def _clusters(text: str):  # (joining asked of every distinct character of every paragraph)
    if not any(C.joins_previous(ch) for ch in set(text)):  # the usual copy: one cluster per character
        return list(text), list(range(len(text) + 1))
    texts, offs = [], []
    for i, ch in enumerate(text):
        if texts and C.joins_previous(ch):
            texts[-1] += ch
            continue
        texts.append(ch)
        offs.append(i)
    offs.append(len(text))
    return texts, offs


def _context_kinds(texts: list[str]) -> list[str]:
    kind_of = C.kind_of
    kinds = [kind_of(t[0]) for t in texts]
    n = len(kinds)
    for i, t in enumerate(texts):
        k = kinds[i]
        if k == C.DASH_KIND and t[0] == C.DASH:
            # a lone U+2014 is a connector (第1—3页); two or more make the 2-em dash
            paired = (i > 0 and texts[i - 1][0] == C.DASH) or (i + 1 < n and texts[i + 1][0] == C.DASH)
            if not paired:
                kinds[i] = C.CONNECTOR_KIND
        elif t[0] in "\u2019'" and 0 < i < n - 1 and kinds[i - 1] in (C.LATIN, C.DIGIT) \
                and kinds[i + 1] == C.LATIN:
            kinds[i] = C.LATIN     # apostrophe inside a word (it’s)
    return kinds


def prepare_fields(text: str, advance, style: str = "quanjiao", strict: bool = False) -> dict:
    """What prepare() puts in a Prepared, computed one cluster and one boundary at a time."""
    texts, offs = _clusters(text)
    n = len(texts)
    kinds = _context_kinds(texts)
    width_of = {t: float(advance(t)) for t in set(texts)}  # each distinct cluster measured once
    adv = [width_of[t] for t in texts]

    sl = [0.0] * n
    sr = [0.0] * n
    bl = [0.0] * n
    br = [0.0] * n
    han = C.HAN
    for i, k in enumerate(kinds):
        if k == han:                     # most clusters: no blank, nothing fixed
            continue
        if k in C.BLANK_RIGHT_KINDS or k == C.OPEN:
            blank = adv[i] - 0.5 if adv[i] > 0.5 else 0.0   # proportional marks have no blank
            ch = texts[i][0]
            half = style == "banjiao" or (style == "kaiming" and ch not in C.STOP_END)
            if ch in C.QUERY_BANG and ((i > 0 and texts[i - 1][0] in C.QUERY_BANG)
                                       or (i + 1 < n and texts[i + 1][0] in C.QUERY_BANG)):
                half = True          # ？！ side by side: 1 em together (GB §5.1.2)
            if k == C.OPEN:
                sl[i], bl[i] = (blank, 0.0) if half else (0.0, blank)
            else:
                sr[i], br[i] = (blank, 0.0) if half else (0.0, blank)
        elif k in (C.INTERPUNCT_KIND, C.SOLIDUS_KIND) and adv[i] > 0.5:
            sl[i] = sr[i] = (adv[i] - 0.5) / 2   # fixed ½ em, centred

    take_r = [0.0] * (n + 1)
    take_l = [0.0] * (n + 1)
    hl = [0.0] * (n + 1)
    gk = [RIGID] * (n + 1)
    brk = [ALLOW] * (n + 1)
    inner = [0.0] * (n + 1)
    marks = (C.STOP, C.OPEN, C.CLOSE)
    latin = C.LATIN_RUN_KINDS
    hanside = C.HAN_SIDE_KINDS
    ink = 0                              # last non-space cluster before boundary i
    soft_latin, hyph = _latin_breaks(texts, kinds) if C.LPUNCT in kinds or C.LATIN in kinds else ((), ())
    for i in range(1, n):
        kp, kn = kinds[i - 1], kinds[i]
        cp, cn = texts[i - 1][0], texts[i][0]
        if kp == han and kn == han and cn not in _HAN_NO_START and cp not in _HAN_NO_END:
            ink = i - 1                  # most boundaries: two ideographs, a normal gap, free to break
            gk[i] = NORMAL
            continue
        if kp != C.SPACE:
            ink = i - 1
        # adjacent-mark compression: the blank between two marks goes (2 em -> 1.5 em)
        if kp in marks and kn in marks:
            facing = br[i - 1] + bl[i]
            if facing > 0.0:
                amt = min(0.5, facing)
                take_r[i] = min(br[i - 1], amt)
                take_l[i] = amt - take_r[i]
        if (kp in hanside and kn in latin) or (kp in latin and kn in hanside):
            hl[i] = HAN_LATIN
        inner[i] = hl[i] - take_r[i] - take_l[i]
        # how the gap may stretch
        if kn == C.SPACE or (kp == kn and kp in (C.DASH_KIND, C.ELLIPSIS_KIND)) \
                or (kp in latin and kn in latin) or cn in C.POSTFIX or cp in C.PREFIX:
            gk[i] = RIGID
        elif kp == C.SPACE:
            gk[i] = WORD
        elif hl[i]:
            gk[i] = HLGAP
        else:
            gk[i] = NORMAL
        # may a line start at i?
        if kn == C.SPACE or (kp == kn and kp in (C.DASH_KIND, C.ELLIPSIS_KIND)) \
                or (kp in latin and kn in latin) or _no_start(cn, kn) or _no_end(texts[ink][0], kinds[ink]) \
                or (strict and kn in (C.DASH_KIND, C.ELLIPSIS_KIND)):
            brk[i] = FORBID
        elif cn in C.NUMERAL_UNITS and (kp == C.DIGIT or kp == C.FULLWIDTH and cp.isdigit()):
            brk[i] = SOFT
        if i in soft_latin and not (strict and kn in (C.DASH_KIND, C.ELLIPSIS_KIND)):
            brk[i] = SOFT                # inside a URL or a hyphenated word: only when nothing else works
    S = [0.0] * (n + 1)
    s = 0.0
    for i in range(n):
        s += adv[i] - sl[i] - sr[i] + inner[i]
        S[i + 1] = s
    endcut = [0.0, *br]                  # a line ending at k loses cluster k-1's right blank …
    for j, k in enumerate(kinds):
        if k == C.SPACE:                 # … or, after spaces, the spaces and what the one before lost
            endcut[j + 1] = adv[j] - sl[j] - sr[j] + (endcut[j] if j > 0 else 0.0)
    hy = [0.0] * (n + 1)                 # … or gains a hyphen, broken inside a word (Kuber-|netes)
    if hyph:
        h = float(advance("-"))
        for k in hyph:
            hy[k] = h
            endcut[k] = -h
    # what counts as a character for 孤字: not stops, brackets or spaces; —— and …… fill 2 em
    charlike = [k not in C.PUNCT_KINDS or k in (C.DASH_KIND, C.ELLIPSIS_KIND) for k in kinds]
    return dict(text=text, texts=texts, offs=offs, kinds=kinds, adv=adv, sl=sl, sr=sr, bl=bl, br=br, take_r=take_r,
                take_l=take_l, hl=hl, gk=gk, brk=brk, S=S, inner=inner, endcut=endcut, charlike=charlike, hy=hy)


def fit(P: Prepared, a: int, avail: float, st: bool) -> int:
    """Largest b with clusters a..b-1 fitting at natural width (a+1 if even one does not)."""
    n = P.n
    b = a + 1
    while b < n and P.width(a, b + 1, st) <= avail + EPS:
        b += 1
    return b


class Tables:
    """Prefix sums over a Prepared paragraph: a line's shrink and stretch capacity in O(1)."""

    __slots__ = ("lastink", "cap", "capl", "capg", "wcap", "hcnt", "ecnt", "cc")

    def __init__(self, P: Prepared):
        n = P.n
        kinds = P.kinds
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


def total_fit(P: Prepared, measure: float, opts) -> list[tuple[int, int]] | None:
    """Line spans (a, b) of the cheapest breaking, or None if there is none within the rules."""
    n = P.n
    if n == 0:
        return []
    T = Tables(P)
    st = opts.trim_opening_at_line_start
    threshold = opts.loose_threshold
    brk, S, inner, endcut = P.brk, P.S, P.inner, P.endcut
    lastink, cap, capl, capg = T.lastink, T.cap, T.capl, T.capg
    wcap, hcnt, ecnt, cc = T.wcap, T.hcnt, T.ecnt, T.cc
    okb = [k == ALLOW or k == SOFT for k in brk]
    okb[n] = True
    hl_stretch = HAN_LATIN_MAX - HAN_LATIN
    INF = float("inf")
    best = {0: 0.0}                      # node -> cheapest cost of reaching it
    back: dict[int, int] = {}
    frontier = [0]                       # a heap: nodes are expanded in text order, so every line
    while frontier:                      # into a node is known before the node is expanded
        a = heappop(frontier)
        if a == n:
            break
        base = best[a]
        avail = measure - (opts.indent if a == 0 else 0.0)
        s0 = S[a] + inner[a] + (P.bl[a] if st and P.kinds[a] == C.OPEN else 0.0)
        # the first b whose width reaches avail - MAX_SHORT (widths grow with b, up to end trims)
        b = max(a + 1, bisect_right(S, s0 + avail - MAX_SHORT, a + 1, n + 1) - 1)
        while b > a + 1 and not okb[b]:  # and the last legal break before that window: after a long
            b -= 1                       # URL or word it may be the only end there is
        cap_a = cap[a] + capl[a] + capg[a]
        while b <= n:
            if not okb[b]:
                b += 1
                continue
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
                cost = 0.0
            elif need < -EPS:
                short = -need
                used = min(short, wcap[q] - wcap[a])
                short -= used
                cost = 5.0 * used * used
                h = hcnt[q] - hcnt[a]
                if short > EPS:
                    used = min(short, h * hl_stretch)
                    short -= used
                    cost += 20.0 * used * used
                if short > EPS:
                    gaps = ecnt[q] - ecnt[a]     # the Han–Latin spaces stay within their range
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
            if last and cc[n] - cc[a] < 2 and a > 0:
                b += 1                   # 孤字: a last line of one character is no line
                continue
            total = base + cost + LINE + (SOFT_BREAK if b < n and brk[b] == SOFT else 0.0)
            old = best.get(b, INF)
            if total < old - 1e-12:
                if old == INF:
                    heappush(frontier, b)
                best[b] = total
                back[b] = a
            b += 1
    if n not in best:
        return None
    spans = []
    b = n
    while b:
        a = back[b]
        spans.append((a, b))
        b = a
    return spans[::-1]


def set_line(P: Prepared, a: int, b: int, *, x0: float, avail: float, first: bool, last: bool,
             opts, resolved: str = "", hang: bool = False, hyphen: float = 0.0) -> Line:
    """Place clusters a..b-1. x0: where the line's set text starts (the indent);
    avail: em from x0 to the column's right edge. hang: cluster b-1 hangs past the edge.
    hyphen: advance of a hyphen added after the last cluster (0: none)."""
    kinds, adv = P.kinds, P.adv
    start_trim = opts.trim_opening_at_line_start
    cb = b - 1 if hang else b            # clusters inside the measure
    q = last_ink(P, a, cb)
    sl, sr, take_l, take_r = P.sl, P.sr, P.take_l, P.take_r
    # trims (fixed + what adjacent-mark compression took), fresh lists indexed j - a
    tl = [sl[a]] + [sl[j] + take_l[j] for j in range(a + 1, b)]
    tr = [sr[j] + take_r[j + 1] for j in range(a, b - 1)] + [sr[b - 1]]
    gap = [0.0] + P.hl[a + 1:b]          # gap[j-a]: space before cluster j
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
    width = sum([adv[j] - tl[j - a] - tr[j - a] for j in range(a, cb)]) + sum(gap[1:cb - a]) + hyphen
    need = width - avail
    extra = 0.0
    justified = False
    loose = False
    expandable = [j for j in range(a + 1, q + 1) if P.gk[j] != RIGID]
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
        for stage in ("word", "hl"):
            items = [j for j in expandable if (P.gk[j] == WORD if stage == "word" else P.gk[j] == HLGAP)]
            caps = [(max(0.0, WORD_SPACE_MAX - adv[j - 1]) if stage == "word" else HAN_LATIN_MAX - HAN_LATIN)
                    for j in items]
            total = sum(caps)
            if total > EPS and short > EPS:
                f = min(1.0, short / total)
                for j, cap in zip(items, caps):
                    gap[j - a] += cap * f
                short -= total * f
        if short > EPS:
            # the equal stage leaves the Han–Latin space at its maximum (clreq §3.2.2: in principle no
            # more than ¼ em; 0.3 em is its range): a line whose other gaps then open wider than
            # loose_threshold is reported loose (2021年12月23日下: one Han gap among five Han–Latin
            # ones), not spread around the Latin — the whole-paragraph breaker avoids such lines
            equal = [j for j in expandable if P.gk[j] != HLGAP]
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
    out = []
    texts = P.texts
    for j in range(a, b):
        i = j - a
        if i:
            pen += gap[i]
        out.append(Cluster(texts[j], pen - tl[i], adv[j], kinds[j], tl[i], tr[i]))
        pen += adv[j] - tl[i] - tr[i]
    if hyphen:
        out.append(Cluster("", pen, hyphen, "hyphen"))
        pen += hyphen
    return Line(tuple(out), pen, justified, last, first, extra, resolved, loose,
                P.offs[a], P.offs[b])
