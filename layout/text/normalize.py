"""Copy as it arrives (typesetting.md §10): 标点全角化, quotes, stray spaces.

Returns the cleaned text and every change, with offsets into the ORIGINAL text,
so the report can point an editor at the copy file (which is never rewritten).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from layout.text import classes as C


@dataclass(frozen=True)
class Change:
    offset: int      # index into the original text
    before: str
    after: str       # "" when the character was dropped
    reason: str


FULLWIDTH = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "!": "！", "?": "？"}
ODD_SPACES = "\u00a0\t\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\f\v"
INVISIBLE = "\u200b\u2060\ufeff"


def _is_han(ch: str) -> bool:
    return C.kind_of(ch) in C.HAN_SIDE_KINDS


def _is_cjk_punct(ch: str) -> bool:
    return C.is_chinese(ch) and not _is_han(ch)


def _is_latin(ch: str) -> bool:
    return C.kind_of(ch) in (C.LATIN, C.DIGIT)


class _Tokens:
    """The text as mutable one-character slots that remember their original offset."""

    def __init__(self, text: str):
        self.orig = text
        self.cur = list(text)
        self.why = [""] * len(text)
        self.touched: set[int] = set()   # slots set() changed

    def set(self, i: int, s: str, reason: str) -> None:
        if self.cur[i] != s:
            self.cur[i] = s
            self.why[i] = self.why[i] + ("; " if self.why[i] else "") + reason
            self.touched.add(i)

    def at(self, chars: re.Pattern) -> list[int]:
        """The slots whose character is one of `chars` (a one-character class), in order: each pass
        below visits only these instead of every character of the copy (it changes no other slot
        while it runs, so the list cannot go stale)."""
        text = "".join(c or "\x00" for c in self.cur) if self.touched else self.orig
        return [m.start() for m in chars.finditer(text)]

    def prev(self, i: int, skip_space: bool = True) -> tuple[int, str]:
        j = i - 1
        while j >= 0 and (self.cur[j] == "" or (skip_space and self.cur[j] == " ")):
            j -= 1
        return (j, self.cur[j]) if j >= 0 else (-1, "")

    def next(self, i: int, skip_space: bool = True) -> tuple[int, str]:
        j = i + 1
        n = len(self.cur)
        while j < n and (self.cur[j] == "" or (skip_space and self.cur[j] == " ")):
            j += 1
        return (j, self.cur[j]) if j < n else (n, "")


_ODD = re.compile("[" + re.escape(ODD_SPACES + INVISIBLE) + "]")
_STOP = re.compile(r"[,:;!?]")
_STRAIGHT = re.compile("[\"']")


def _whitespace(t: _Tokens) -> None:
    for i in t.at(_ODD):
        ch = t.cur[i]
        if ch and ch in ODD_SPACES:
            t.set(i, " ", "whitespace: no-break space/tab set as a space")
        elif ch and ch in INVISIBLE:
            t.set(i, "", "invisible: zero-width character dropped")


def _brackets(t: _Tokens) -> None:
    """( ) pairs: full-width when either side or the content is Chinese."""
    stack: list[int] = []
    pairs = []
    if "(" not in t.cur:
        return
    for i, ch in enumerate(t.cur):
        if ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            pairs.append((stack.pop(), i))
    for o, c in pairs:
        inside = "".join(t.cur[o + 1:c])
        outer = t.prev(o)[1] + t.next(c)[1]
        if any(C.is_chinese(ch) for ch in inside + outer):
            t.set(o, "（", "fullwidth: ( in Chinese text")
            t.set(c, "）", "fullwidth: ) in Chinese text")


def _stops(t: _Tokens) -> None:
    """, : ; ! ? after or before Chinese become full-width; inside numbers and Latin they stay."""
    for i in t.at(_STOP):
        ch = t.cur[i]
        p, n = t.prev(i)[1], t.next(i)[1]
        if p and n and _is_latin(p) and _is_latin(n) and t.cur[i + 1:i + 2] != [" "]:
            continue                      # 1,000  12:30  a;b
        if (p and C.is_chinese(p)) or (n and C.is_chinese(n) and not (p and _is_latin(p) and ch in ":;")):
            t.set(i, FULLWIDTH[ch], f"fullwidth: {ch} in Chinese text")


def _quotes(t: _Tokens) -> None:
    """Straight quotes become “ ” ‘ ’: by the spaces around them, else alternating."""
    is_open = {'"': False, "'": False}
    forms = {'"': ("“", "”"), "'": ("‘", "’")}
    for i in t.at(_STRAIGHT):
        ch = t.cur[i]
        p = t.prev(i, skip_space=False)[1]
        n = t.next(i, skip_space=False)[1]
        if ch == "'" and p and n and _is_latin(p) and _is_latin(n):
            t.set(i, "’", "quote: apostrophe")
            continue
        if not p or p in " \n" or p in C.OPENING or p in "([{":
            opening = True
        elif not n or n in " \n" or n in C.CLOSING or n in C.STOPS or n in ",.;:!?)]}":
            opening = False
        else:
            opening = not is_open[ch]
        is_open[ch] = opening
        t.set(i, forms[ch][0 if opening else 1], "quote: straight quote set by context")


_BYLINE = re.compile(r"[（(]\s*(\S)[ \u3000]+(\S)\s*[)）]")


QUOTES = "“”‘’"


def _through_quotes(t: _Tokens, i: int, step: int) -> str:
    """The neighbour of position i in direction step, looking through curly quotes
    (they are Chinese or Latin by their own neighbours)."""
    find = t.prev if step < 0 else t.next
    j, ch = find(i, skip_space=False)
    first = ch
    while ch and ch in QUOTES:
        j, ch = find(j, skip_space=False)
    if first in QUOTES and ch in ("", " ", "\n"):
        return first
    return ch if ch != " " else first if first != " " else ch


def _spaces(t: _Tokens) -> None:
    text = "".join(c if c else "\x00" for c in t.cur)   # keep indices aligned
    byline = set()
    for m in _BYLINE.finditer(text):
        if _is_han(m.group(1)) and _is_han(m.group(2)):
            for j in range(m.start(1) + 1, m.start(2)):
                byline.add(j)
    n = len(t.cur)
    i = 0
    for start in [m.start() for m in re.finditer(" ", text)]:   # (a run changes only its own slots)
        if start < i:
            continue                      # inside the run just handled
        i = start
        j = i
        while j < n and t.cur[j] in (" ", ""):
            j += 1
        run = [k for k in range(i, j) if t.cur[k] == " "]
        p = _through_quotes(t, i, -1)
        q = _through_quotes(t, j - 1, +1)
        if run[0] in byline:
            t.set(run[0], "\u3000", "byline: two-character name spaced with a full-width space")
            for k in run[1:]:
                t.set(k, "", "space: extra space dropped")
        elif not p or not q or p == "\n" or q == "\n":
            for k in run:
                t.set(k, "", "space: leading/trailing space dropped")
        elif C.is_chinese(p) or C.is_chinese(q):
            if C.is_chinese(p) and C.is_chinese(q):
                why = "space: stray space between Chinese characters dropped"
            elif (_is_han(p) and _is_latin(q)) or (_is_latin(p) and _is_han(q)):
                why = "space: space between Chinese and Latin dropped (the composer sets ¼ em)"
            else:
                why = "space: space next to Chinese punctuation dropped"
            for k in run:
                t.set(k, "", why)
        else:
            for k in run[1:]:
                t.set(k, "", "space: repeated space collapsed")
        i = j


def _leading_ideographic_spaces(t: _Tokens) -> None:
    """Web copy indents paragraphs with 　　; the composer indents by itself."""
    if "\u3000" not in t.cur:
        return
    at_start = True
    for i, ch in enumerate(t.cur):
        if ch == "\n":
            at_start = True
        elif at_start and ch == "\u3000":
            t.set(i, "", "indent: full-width indent spaces dropped (the composer indents 2 em)")
        elif ch not in ("", " "):
            at_start = False


def normalize_copy(text: str) -> tuple[str, list[Change]]:
    """Clean editors' copy for setting; report every change (offsets into `text`). A pure function
    of the text: the last results are kept (a watch rebuild sets the page's unchanged stories again)."""
    cleaned, changes = _normalized(text)
    return cleaned, list(changes)


@lru_cache(maxsize=256)
def _normalized(text: str) -> tuple[str, tuple[Change, ...]]:
    cleaned, changes = _normalize(text)
    return cleaned, tuple(changes)


def _normalize(text: str) -> tuple[str, list[Change]]:
    t = _Tokens(text)
    _whitespace(t)
    _leading_ideographic_spaces(t)
    _brackets(t)
    _stops(t)
    _quotes(t)
    _spaces(t)
    changes = [Change(i, text[i], t.cur[i], t.why[i])
               for i in sorted(t.touched) if t.cur[i] != text[i]]
    return "".join(t.cur), changes
