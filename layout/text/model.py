"""Plain data the breaker returns (re-exported by layout.text.breaker)."""
from __future__ import annotations

from dataclasses import dataclass

STYLES = ("quanjiao", "kaiming", "banjiao")   # 全角式 / 开明式 / 半角式 (ctex names)
ALIGN_LAST = ("left", "right", "center", "justify")


@dataclass(frozen=True)
class BreakOptions:
    punctuation: str = "quanjiao"     # "quanjiao" | "kaiming" | "banjiao"
    strict: bool = False              # clreq strict: ——/…… never at a line start
    indent: float = 2.0               # em, first line of each paragraph
    trim_opening_at_line_start: bool = False
    hanging: bool = False             # 行末悬挂 of 、，。 only when a style turns it on
    loose_threshold: float = 0.14     # em per gap: lines spread more are reported loose (稀行: the
                                      # goal is none over 0.15 em, so a line reaching it is reported)
    justify: bool = True              # False: ragged (flush left)
    align_last: str = "left"          # "left" | "right" | "center" | "justify"

    def __post_init__(self):
        if self.punctuation not in STYLES:
            raise ValueError(f"punctuation style {self.punctuation!r}: use one of {', '.join(STYLES)}")
        if self.align_last not in ALIGN_LAST:
            raise ValueError(f"align_last {self.align_last!r}: use one of {', '.join(ALIGN_LAST)}")


@dataclass(frozen=True, init=False)
class Cluster:
    text: str        # source character(s) this glyph draws; "" for an added hyphen
    x: float         # em: glyph origin from the line's left edge
    advance: float   # em: natural advance (what advance() returned), never changed
    kind: str        # class name from classes.py, or "hyphen" for an added hyphen
    trim_left: float = 0.0   # em of blank removed on the left: ink box starts at x + trim_left
    trim_right: float = 0.0  # em of blank removed on the right: ink box ends at x + advance - trim_right

    def __init__(self, text: str, x: float, advance: float, kind: str, trim_left: float = 0.0,
                 trim_right: float = 0.0):
        # still frozen (setting an attribute raises); filled through __dict__ because the generated
        # frozen __init__ costs a call per field, and a page makes ~7,000 clusters (2.4 × faster)
        d = self.__dict__
        d["text"], d["x"], d["advance"], d["kind"] = text, x, advance, kind
        d["trim_left"], d["trim_right"] = trim_left, trim_right

    @property
    def ink_left(self) -> float:
        return self.x + self.trim_left

    @property
    def ink_right(self) -> float:
        return self.x + self.advance - self.trim_right


@dataclass(frozen=True, init=False)
class Line:
    clusters: tuple[Cluster, ...]
    width: float          # em: right edge of the last glyph's set box
    justified: bool
    last: bool            # paragraph's last line
    first: bool           # paragraph's first line (indented)
    extra_per_gap: float  # em added per inter-character gap in the final, equal stage
    resolved: str         # "" | "push-in" | "push-out" | "hang" | "forced"
    loose: bool
    start: int            # character offsets into the paragraph text (end exclusive)
    end: int

    def __init__(self, clusters: tuple[Cluster, ...], width: float, justified: bool, last: bool, first: bool,
                 extra_per_gap: float, resolved: str, loose: bool, start: int, end: int):
        # frozen, filled through __dict__ as Cluster is (the generated one: 2.4 µs, ~500 lines a page)
        d = self.__dict__
        d["clusters"], d["width"], d["justified"], d["last"], d["first"] = clusters, width, justified, last, first
        d["extra_per_gap"], d["resolved"], d["loose"], d["start"], d["end"] = (extra_per_gap, resolved, loose,
                                                                              start, end)

    @property
    def text(self) -> str:
        return "".join(c.text for c in self.clusters)


@dataclass(frozen=True)
class ParagraphResult:
    lines: tuple[Line, ...]
    findings: tuple[str, ...]   # "code: short text"
