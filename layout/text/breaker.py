"""Paragraph line breaking with 避头尾 (clreq §3.2), push-in / push-out, 孤字.

Greedy filling, one line at a time, with a local decision at each forbidden
break — what clreq describes. Linear in the paragraph length.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Callable

from layout.text import classes as C
from layout.text.model import BreakOptions, Cluster, Line, ParagraphResult
from layout.text.prepare import ALLOW, SOFT, Prepared, prepare
from layout.text.setline import EPS, set_line, shrink_capacity
from layout.text.totalfit import first_uneven, total_fit

__all__ = ["BreakOptions", "Cluster", "Line", "ParagraphResult", "break_paragraph", "natural_width"]

PUSH_IN_LOOKAHEAD = 8     # clusters past the natural end a push-in may pull up


@dataclass
class _Spec:
    a: int
    b: int
    resolved: str = ""
    hang: bool = False
    hyphen: float = 0.0


def _fit(P: Prepared, a: int, avail: float, st: bool) -> int:
    """Largest b with clusters a..b-1 fitting at natural width (a+1 if even one does not)."""
    n = P.n
    b = a + 1
    if P.fit_floor is not None and avail >= 0.0:   # (a negative room: not even an empty line fits)
        # every end whose S is below this fits whatever its end cut (a margin far above rounding): start
        # the walk at the last of them instead of at the line's first character
        sure = P.S[a] + P.inner[a] + avail + P.fit_floor - 1e-6
        b = max(b, min(n, bisect_right(P.S, sure, a + 1) - 2))
    width = P.width
    while b < n and width(a, b + 1, st) <= avail + EPS:
        b += 1
    return b


def _push_in(P: Prepared, a: int, b: int, avail: float, st: bool, allowed) -> tuple[int, float] | None:
    """Pull the next legal break up onto this line by compressing its punctuation."""
    n = P.n
    for b2 in range(b + 1, min(n, b + PUSH_IN_LOOKAHEAD) + 1):
        if b2 == n or P.brk[b2] in allowed:
            need = P.width(a, b2, st) - avail
            if need <= shrink_capacity(P, a, b2, st) + EPS:
                return b2, need
            return None
    return None


def _push_out(P: Prepared, a: int, b: int, avail: float, st: bool, allowed) -> tuple[int, float] | None:
    """Move characters down to the previous legal break; the line then expands."""
    for b2 in range(b - 1, a, -1):
        if P.brk[b2] in allowed:
            return b2, avail - P.width(a, b2, st)
    return None


def _forced(P: Prepared, a: int, b: int, avail: float, st: bool, advance, findings, lineno) -> _Spec:
    latin = C.LATIN_RUN_KINDS
    if b < P.n and P.kinds[b - 1] in latin and P.kinds[b] in latin:
        for j in range(b, a + 1, -1):    # an existing hyphen or slash is a better break
            if P.texts[j - 1] in "-/":
                findings.append(f"latin-broken: line {lineno}: word broken after {P.texts[j - 1]!r}")
                return _Spec(a, j, "forced")
        hy = float(advance("-"))
        while b > a + 1 and P.width(a, b, st) + hy > avail + EPS:
            b -= 1
        s = P.offs[a]
        word = P.text[s:P.offs[min(P.n, b + 12)]]
        findings.append(f"latin-broken: line {lineno}: {word!r}… is longer than the line, hyphenated")
        return _Spec(a, b, "forced", hyphen=hy)
    findings.append(f"forced-break: line {lineno}: no legal break near {P.text[P.offs[a]:P.offs[b]][-6:]!r}")
    return _Spec(a, b, "forced")


def _next_line(P: Prepared, a: int, avail: float, opts: BreakOptions, advance, findings, lineno) -> _Spec:
    st = opts.trim_opening_at_line_start
    n = P.n
    b = _fit(P, a, avail, st)
    fits = P.width(a, b, st) <= avail + EPS
    if not fits:
        return _forced(P, a, b, avail, st, advance, findings, lineno)
    if b == n or P.brk[b] == ALLOW:
        return _Spec(a, b)
    if (opts.hanging and P.texts[b] in C.HANGABLE
            and (b + 1 == n or P.brk[b + 1] == ALLOW)):
        return _Spec(a, b + 1, "hang", hang=True)
    for allowed in ((ALLOW,), (ALLOW, SOFT)):
        if P.brk[b] in allowed:
            return _Spec(a, b)           # a soft break, now that nothing else works
        pin = _push_in(P, a, b, avail, st, allowed)
        pout = _push_out(P, a, b, avail, st, allowed)
        if pin and (not pout or pin[1] <= pout[1] + EPS):
            return _Spec(a, pin[0], "push-in")
        if pout:
            return _Spec(a, pout[0], "push-out")
    return _forced(P, a, b, avail, st, advance, findings, lineno)


def _fix_orphan(P: Prepared, specs: list[_Spec], measure: float, opts: BreakOptions, findings) -> None:
    """孤字: the last line must hold at least two characters (clreq §3.6 / typesetting.md §6)."""
    if len(specs) < 2:
        return
    n = P.n
    last, prev = specs[-1], specs[-2]
    if sum(P.charlike[last.a:n]) >= 2:
        return
    if prev.resolved == "forced":            # the line before was already broken by force
        findings.append(f"orphan-unfixable: last line {P.text[P.offs[last.a]:]!r} holds one character")
        return
    st = opts.trim_opening_at_line_start
    avail_prev = measure - (opts.indent if len(specs) == 2 else 0.0)
    pull = None
    for b2 in range(last.a - 1, prev.a, -1):     # pull characters down
        if P.brk[b2] != ALLOW:
            continue
        if P.width(b2, n, st) > measure + EPS:
            break
        if sum(P.charlike[b2:n]) >= 2:
            pull = (b2, avail_prev - P.width(prev.a, b2, st))
            break
    push = None
    need = P.width(prev.a, n, st) - avail_prev    # or push the orphan up into the line before
    if need <= shrink_capacity(P, prev.a, n, st) + EPS:
        push = need
    if push is not None and (pull is None or push <= pull[1] + EPS):
        specs[-2:] = [_Spec(prev.a, n, "push-in")]
    elif pull is not None:
        specs[-2:] = [_Spec(prev.a, pull[0], "push-out"), _Spec(pull[0], n)]
    else:
        findings.append(f"orphan-unfixable: last line {P.text[P.offs[last.a]:]!r} holds one character")


def _how(P: Prepared, a: int, b: int, avail: float, opts: BreakOptions) -> str:
    """What a whole-paragraph line did, in the greedy breaker's words (page statistics, tests):
    "push-in" when it holds more than fits at natural width, "push-out" when the next character
    would still have fit (the line ends early, at a break before a forbidden one or for evenness)."""
    st = opts.trim_opening_at_line_start
    w = P.width(a, b, st)
    if w > avail + EPS:
        return "push-in"
    if b < P.n and w < avail - EPS and P.width(a, b + 1, st) <= avail + EPS:
        return "push-out"
    return ""


def break_paragraph(text: str, measure: float, advance: Callable[[str], float],
                    opts: BreakOptions = BreakOptions()) -> ParagraphResult:
    """Break one paragraph into justified lines of `measure` em."""
    if not text:
        return ParagraphResult((), ())
    P = prepare(text, advance, opts.punctuation, opts.strict)
    findings: list[str] = []
    specs: list[_Spec] = []
    a = 0
    while a < P.n:       # line by line first: cheap; a paragraph that comes out even is kept
        x0 = opts.indent if not specs else 0.0
        spec = _next_line(P, a, measure - x0, opts, advance, findings, len(specs) + 1)
        specs.append(spec)
        a = spec.b
    _fix_orphan(P, specs, measure, opts, findings)
    if opts.justify and not opts.hanging:
        k = 0 if findings else first_uneven(P, [(s.a, s.b) for s in specs], measure, opts)
        if k >= 0:
            # a line spread, or forced: break the whole paragraph at once (None: no way within the
            # rules, e.g. a word longer than the line; then the line-by-line result stands)
            spans = total_fit(P, measure, opts)
            if spans is not None:
                findings = []
                specs = [_Spec(a, b, _how(P, a, b, measure - (opts.indent if a == 0 else 0.0), opts))
                         for a, b in spans]
    for s in specs:                      # a line ending at a hyphenation point gets its hyphen
        if not s.hyphen and not s.hang and P.hy[s.b]:
            s.hyphen = P.hy[s.b]
    lines = []
    for i, s in enumerate(specs):
        x0 = opts.indent if i == 0 else 0.0
        line = set_line(P, s.a, s.b, x0=x0, avail=measure - x0, first=i == 0,
                        last=i == len(specs) - 1, opts=opts, resolved=s.resolved,
                        hang=s.hang, hyphen=s.hyphen)
        if not s.hang and line.width > measure + 1e-6:
            findings.append(f"overfull: line {i + 1} is {line.width - measure:.3f} em wider than the measure")
        lines.append(line)
    return ParagraphResult(tuple(lines), tuple(findings))


def natural_width(text: str, advance: Callable[[str], float], punctuation: str = "quanjiao") -> float:
    """Width of `text` set mid-line (compression applied, no line-end trim), in em."""
    if not text:
        return 0.0
    P = prepare(text, advance, punctuation)
    return P.S[P.n]
