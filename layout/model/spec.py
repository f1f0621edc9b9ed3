"""Definitions as frozen dataclasses, in points. Produced by layout.load.issue, read by grid and compose.

Every node keeps `where` (file:line) so later stages can point at the definition.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from layout.model.copy import CopyDoc
from layout.model.findings import Where
from layout.model.frame import BLACK, Color


@dataclass(frozen=True)
class Style:
    name: str
    font: str              # font role (fonts/fonts.yaml)
    size: float            # pt
    leading: float         # pt, line pitch
    align: str = "left"    # left | center | right | justify
    tracking: float = 0.0  # em
    color: Color = BLACK
    bold: float = 0.0      # em, artificial bold stroke
    scale_min: float = 0.8 # headline fit: smallest size factor
    hanging: bool = False  # 行末悬挂 of 、，。
    trim_opening: bool = False  # opening bracket at a line start loses its left blank
    needs_byline: bool = False  # stories in this style want a byline (paiban check warns)
    where: Where = field(default_factory=Where, compare=False)


@dataclass(frozen=True)
class Grid:
    """The 背景格: columns of whole body characters and lines of the body pitch."""
    columns: int
    column_chars: int
    gutter_chars: float
    lines: int
    char: float    # pt, body character size (one em of body text)
    pitch: float   # pt, body line pitch
    x: float       # pt, type area left (from trim left)
    y: float       # pt, type area top (from trim top)

    @property
    def column_width(self) -> float:
        return self.column_chars * self.char

    @property
    def gutter(self) -> float:
        return self.gutter_chars * self.char

    @property
    def width(self) -> float:
        return self.columns * self.column_width + (self.columns - 1) * self.gutter

    @property
    def height(self) -> float:
        return self.lines * self.pitch

    def col_x(self, col: int) -> float:
        """Left edge of column `col` (1-based)."""
        return self.x + (col - 1) * (self.column_width + self.gutter)

    def span_width(self, span: int) -> float:
        return span * self.column_width + (span - 1) * self.gutter

    def line_y(self, line: int) -> float:
        """Top of grid line `line` (1-based)."""
        return self.y + (line - 1) * self.pitch


@dataclass(frozen=True)
class RunningHead:  # 报眉
    left: str = ""
    center: str = ""
    right: str = ""
    style: str = "running_head"
    rule: float = 0.75   # pt, rule (眉线) below; 0 = none


@dataclass(frozen=True)
class Template:
    name: str
    running_head: RunningHead | None = None
    column_rules: bool = False  # 栏线
    imprint: bool = False
    folio: bool = False
    grid: "Grid | None" = None   # a section's own grid (e.g. a 理论 page in 6 columns); None: the publication's
    styles: dict = field(default_factory=dict, compare=False)  # the section's styles over the publication's


@dataclass(frozen=True)
class Publication:
    name: str
    code: str
    cn: str                  # 国内统一刊号
    publisher: str
    imprint: tuple[str, ...]
    trim_w: float            # pt
    trim_h: float            # pt
    bleed: float             # pt
    grid: Grid
    styles: dict             # name -> Style
    templates: dict          # name -> Template
    punctuation: str = "quanjiao"
    line_breaking: str = "basic"  # or "strict" (clreq): ——/…… never start a line
    pdfx: str = "PDF/X-1a:2001"
    ink_limit: float = 240.0
    min_ppi: float = 150.0       # photo resolution floor (under 200 ppi is always a warning)
    profile: Path | None = None
    palette: dict = field(default_factory=dict)
    marks: bool = True
    ads_scale: bool = False      # advertisements may be scaled to their space
    wechat: str = ""             # 微信公众平台 (digital edition)
    icp: str = ""                # 备案号 (digital edition footer)
    where: Where = field(default_factory=Where, compare=False)


@dataclass(frozen=True)
class Rect:
    x: float  # pt, from trim top-left
    y: float
    w: float
    h: float
    col: int = 0    # grid position when given in 栏/行 (0 = placed in mm)
    span: int = 0
    line: int = 0
    depth: int = 0

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def overlaps(self, other: "Rect", tol: float = 0.01) -> bool:
        return (self.x < other.right - tol and other.x < self.right - tol
                and self.y < other.bottom - tol and other.y < self.bottom - tol)


@dataclass(frozen=True)
class Block:
    id: str
    rect: Rect
    where: Where = field(default_factory=Where, compare=False)


@dataclass(frozen=True)
class HeadlineBlock(Block):
    kicker: str = ""    # 引题
    main: str = ""      # 主题
    subhead: str = ""   # 副题
    story: str = ""
    align: str = "center"
    size: float = 0.0       # pt, main line size; 0 = the headline style's
    vertical: bool = False  # 竖排


@dataclass(frozen=True)
class StoryBlock(Block):
    copy: Path | None = None     # None for a continued story (转版) that has no copy of its own
    text: str = ""               # the copy as read (UTF-8, one paragraph per line), markup removed
    doc: CopyDoc | None = None   # its paragraphs (小标题, 引语, tables …) and emphasis spans
    byline: str = ""
    regions: tuple[Rect, ...] = ()
    style: str = "body"
    continues_page: str = ""     # 转版: overflow continues on that page
    continues_story: str = ""
    continued_page: str = ""     # 转版: this story carries on that page's story
    continued_story: str = ""


@dataclass(frozen=True)
class PhotoBlock(Block):
    file: Path = Path()
    caption: str = ""
    credit: str = ""
    fit: str = "fill"
    focus: tuple[float, float] = (0.5, 0.5)
    story: str = ""


@dataclass(frozen=True)
class RuleBlock(Block):
    weight: float = 0.5   # pt
    color: Color = BLACK
    direction: str = "horizontal"


@dataclass(frozen=True)
class BoxBlock(Block):
    weight: float = 0.5
    color: Color = BLACK
    fill: Color | None = None
    frame: str = "single"        # single | double | thick-thin (文武线) | dotted | none
    padding_chars: float = 0.0   # inner margin left and right, in body characters (the loader insets blocks inside)
    padding_lines: int = 0       # inner margin top and bottom, in whole grid lines
    ornament: str = ""           # 花边 drawn inside the frame (compose.boxes.ORNAMENTS)


@dataclass(frozen=True)
class AdBlock(Block):  # 广告: page 1 of an advertiser's PDF
    file: Path = Path()
    advertiser: str = ""
    label: str = "广告"   # set at the space's top-right corner; "" when the artwork carries it


@dataclass(frozen=True)
class MastheadBlock(Block):  # 报头
    title: str = ""
    logo: Path | None = None   # the paper's logo artwork (vector PDF or image) instead of the typeset title


@dataclass(frozen=True)
class IndexItem:  # one 导读 entry: a story on another page
    story: str
    page: str = ""       # 版次, filled from the issue when the loader finds the story
    title: str = ""      # default: the main line of the story's headline
    summary: str = ""    # 提要, optional
    where: Where = field(default_factory=Where, compare=False)


@dataclass(frozen=True)
class IndexBlock(Block):  # 导读
    title: str = "导读"
    items: tuple[IndexItem, ...] = ()


@dataclass(frozen=True)
class PageSpec:
    number: str           # 版次 "04"
    file: Path
    section: str          # 版名
    editors: dict         # responsible / art / proof / entry (录入)
    mono: bool            # 黑白版
    template: Template
    blocks: tuple[Block, ...]
    where: Where = field(default_factory=Where, compare=False)
    publication: "Publication | None" = None   # the publication as this page's section template changes it


@dataclass(frozen=True)
class IssueSpec:
    folder: Path
    date: str             # ISO date
    number: int           # 期号
    serial: int           # 总期号
    publication: Publication
    pages: tuple[PageSpec, ...]
    findings: tuple = ()  # what loading noticed (copy normalisation, RGB colours …)
