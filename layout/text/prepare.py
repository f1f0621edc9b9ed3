"""Turn a paragraph into per-cluster and per-boundary tables the breaker works on.

Everything here is decided once per paragraph in one left-to-right pass, so the
breaker's line filling is a prefix-sum lookup (no quadratic work).

Boundary i sits between cluster i-1 and cluster i (1 <= i < n).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import re
from itertools import accumulate

from layout.text import classes as C
from layout.text.hyphen import MIN_WORD, points

ALLOW, SOFT, FORBID = 0, 1, 2          # may a line start at cluster i?
RIGID, NORMAL, HLGAP, WORD = 0, 1, 2, 3  # how the gap before cluster i may stretch

HAN_LATIN = 0.25      # clreq §3.3: ¼ em between Han and Latin/digits …
HAN_LATIN_MIN = 0.2   # … with a small range, so it looks the same in every line
HAN_LATIN_MAX = 0.3
WORD_SPACE_MAX = 0.5
MAX_EXTRA = 0.5       # em added per gap at most (half a character): a line that needs more is left short
                      # (flush left) and reported loose rather than opened into holes; a word space
                      # (½ em at most before this stage) then stays within 1 em


@dataclass
class Prepared:
    text: str
    texts: list[str]     # cluster texts
    offs: list[int]      # offset of each cluster in text (len n+1, last = len(text))
    kinds: list[str]
    adv: list[float]     # natural advances
    sl: list[float]      # fixed left trim (style, centring)
    sr: list[float]      # fixed right trim
    bl: list[float]      # compressible left blank left after the style
    br: list[float]      # compressible right blank left after the style
    take_r: list[float]  # boundary i: adjacent-mark compression taken from cluster i-1's right blank
    take_l: list[float]  # boundary i: ... taken from cluster i's left blank
    hl: list[float]      # boundary i: Han–Latin space
    gk: list[int]        # boundary i: RIGID / NORMAL / HLGAP / WORD
    brk: list[int]       # boundary i: ALLOW / SOFT / FORBID (brk[n] = ALLOW)
    S: list[float]       # prefix sums of mid-line widths
    inner: list[float]   # boundary i: hl - compression
    endcut: list[float]  # a line ending at k (exclusive) loses this much at its end
    charlike: list[bool]
    hy: list[float]      # boundary i: a hyphen's advance where a line ending there gets one (else 0)
    tl: list[float]      # cluster i's left trim mid-line: sl + take_l (set_line slices these per line)
    tr: list[float]      # cluster i's right trim mid-line: sr + take_r of the boundary after it
    fit_floor: float | None  # min(endcut) when S never falls (else None: no search in S)

    @property
    def n(self) -> int:
        return len(self.texts)

    def width(self, a: int, b: int, start_trim: bool = False) -> float:
        """Natural width of clusters a..b-1 set as one line (line-end trim included)."""
        w = self.S[b] - self.S[a] - self.inner[a] - self.endcut[b]
        if start_trim and self.kinds[a] == C.OPEN:
            w -= self.bl[a]
        return w if w > 0.0 else 0.0


_PLAIN: set[str] = set()   # characters seen before that do not join the one before them


def _clusters(text: str, chars: set[str]):
    new = chars - _PLAIN                 # each character asked once per process, not once per paragraph
    if new:
        _PLAIN.update(ch for ch in new if not C.joins_previous(ch))
    if chars <= _PLAIN:                  # the usual copy: one cluster per character
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


def _context_kinds(text: str, texts: list[str], distinct: set[str]) -> list[str]:
    if len(texts) == len(text):          # one character a cluster (distinct: the characters)
        kinds = C.kinds_of(texts, distinct)
    else:
        firsts = [t[0] for t in texts]
        kinds = C.kinds_of(firsts, set(firsts))
    if C.DASH not in text and "\u2019" not in text and "'" not in text:
        return kinds                     # nothing below to decide in context
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


def _no_start(ch: str, kind: str) -> bool:
    if kind in (C.STOP, C.CLOSE, C.CONNECTOR_KIND, C.INTERPUNCT_KIND):
        return True
    return ch in C.LATIN_NO_START or ch in C.POSTFIX or ch in C.NO_START_EXTRA


def _no_end(ch: str, kind: str) -> bool:
    return kind in (C.OPEN, C.SOLIDUS_KIND) or ch in C.LATIN_NO_END or ch in C.PREFIX


# the only characters of kind HAN that _no_start / _no_end / the gap rules treat specially (small kana,
# 々, and whatever the Latin, postfix and prefix lists share with it): everything else takes the fast path
_HAN_NO_START = frozenset(C.NO_START_EXTRA + C.LATIN_NO_START + C.POSTFIX)
_HAN_NO_END = frozenset(C.LATIN_NO_END + C.PREFIX)
_HAN_SPECIAL = _HAN_NO_START | _HAN_NO_END


_URLISH = ("/", "@", "www.")
_WORD = re.compile(r"[A-Za-z]{%d,}" % MIN_WORD)


def _latin_breaks(texts: list[str], kinds: list[str]) -> tuple[set[int], set[int]]:
    """Boundaries inside a Latin run where a line may break when nothing else works (SOFT): in a URL,
    path or address after / . - _ @ = & and before ? # (never between the two slashes of //, never
    inside a number such as 3.12 or 2024-01-14); in any word after a hyphen between letters; and, with a
    hyphen added, at the hyphenation points of a long word (hyphen.py). Returns (soft, hyphenated)."""
    out: set[int] = set()
    hyph: set[int] = set()
    latin = C.LATIN_RUN_KINDS
    n = len(texts)
    i = 0
    while i < n:
        if kinds[i] not in latin:
            i += 1
            continue
        j = i
        while j < n and kinds[j] in latin:
            j += 1
        if j - i >= MIN_WORD:
            run = "".join(texts[i:j])
            urlish = any(m in run for m in _URLISH)
            if not urlish:
                for m in _WORD.finditer(run):    # letters only: never inside a number or a code
                    if len(m.group()) == j - i or not (run[m.start() - 1:m.start()].isdigit()
                                                       or run[m.end():m.end() + 1].isdigit()):
                        for pt in points(m.group()):
                            hyph.add(i + m.start() + pt)
            for k in range(i + 1, j - 1):      # boundary k: between texts[k-1] and texts[k]
                p, c = texts[k - 1], texts[k]
                if urlish and (p in "/.-_@=&" and c not in "/.-_@=&:?#" or c in "?#" and p != "/"):
                    if not (p == "." and (c.isdigit() or texts[k - 2].isdigit())):
                        out.add(k)
                elif p == "-" and texts[k - 2].isalpha() and c.isalpha():
                    out.add(k)
        i = j
    return out | hyph, hyph


def prepare(text: str, advance: Callable[[str], float], style: str = "quanjiao",
            strict: bool = False) -> Prepared:
    chars = set(text)                    # (iterating a Chinese str makes a new object per character:
    texts, offs = _clusters(text, chars)  # done once, for texts; the rest reads texts or these sets)
    n = len(texts)
    distinct = chars if n == len(text) else set(texts)
    kinds = _context_kinds(text, texts, distinct)
    width_of = {t: float(advance(t)) for t in distinct}  # each distinct cluster measured once
    adv = list(map(width_of.__getitem__, texts))

    sl = [0.0] * n
    sr = [0.0] * n
    bl = [0.0] * n
    br = [0.0] * n
    han = C.HAN
    # clusters other than ideographs (and the few ideographs with a break rule of their own): the
    # loops below visit only these; an ideograph has no blank, nothing fixed, no rule
    if n == len(text) and _HAN_SPECIAL.isdisjoint(distinct):
        others = [j for j, k in enumerate(kinds) if k != han]
    else:
        others = [j for j, k in enumerate(kinds) if k != han or texts[j][0] in _HAN_SPECIAL]
    for i in others:
        k = kinds[i]
        if k == han:
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
    gk = [NORMAL] * (n + 1)              # between two ideographs: a normal gap, free to break …
    gk[0] = gk[n] = RIGID
    brk = [ALLOW] * (n + 1)
    inner = [0.0] * (n + 1)
    marks = (C.STOP, C.OPEN, C.CLOSE)
    latin = C.LATIN_RUN_KINDS
    hanside = C.HAN_SIDE_KINDS
    soft_latin, hyph = _latin_breaks(texts, kinds) if C.LPUNCT in kinds or C.LATIN in kinds else ((), ())
    # … so only the boundaries next to anything else are looked at (a quarter of them in news copy)
    bounds = sorted({i for j in others for i in (j, j + 1) if 0 < i < n})
    for i in bounds:
        kp, kn = kinds[i - 1], kinds[i]
        cp, cn = texts[i - 1][0], texts[i][0]
        ink = i - 1                      # last non-space cluster before boundary i
        while ink > 0 and kinds[ink] == C.SPACE:
            ink -= 1
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
    widths = [w - l - r + m for w, l, r, m in zip(adv, sl, sr, inner)]
    S = list(accumulate(widths, initial=0.0))
    endcut = [0.0, *br]                  # a line ending at k loses cluster k-1's right blank …
    for j in others:
        if kinds[j] == C.SPACE:          # … or, after spaces, the spaces and what the one before lost
            endcut[j + 1] = adv[j] - sl[j] - sr[j] + (endcut[j] if j > 0 else 0.0)
    hy = [0.0] * (n + 1)                 # … or gains a hyphen, broken inside a word (Kuber-|netes)
    if hyph:
        h = float(advance("-"))
        for k in hyph:
            hy[k] = h
            endcut[k] = -h
    # what counts as a character for 孤字: not stops, brackets or spaces; —— and …… fill 2 em
    charlike_of = {k: k not in C.PUNCT_KINDS or k in (C.DASH_KIND, C.ELLIPSIS_KIND) for k in set(kinds)}
    charlike = list(map(charlike_of.__getitem__, kinds))
    tl = [x + y for x, y in zip(sl, take_l)]
    tr = [x + y for x, y in zip(sr, take_r[1:])]
    # S never falls (no cluster narrower than what compression takes from it: always so with real
    # advances) → the greedy breaker may search for a line's end in S (fit_floor: the least end cut)
    fit_floor = min(endcut) if not widths or min(widths) >= 0.0 else None
    return Prepared(text, texts, offs, kinds, adv, sl, sr, bl, br, take_r, take_l, hl, gk,
                    brk, S, inner, endcut, charlike, hy, tl, tr, fit_floor)
