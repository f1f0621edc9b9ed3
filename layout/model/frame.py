"""PageFrame: the plain-data result of composition, the renderer's only input.

Composition produces one PageFrame per page: a size and a list of items placed
in page coordinates. Renderers (PDF, PNG proofs, text dumps) loop over the
items; they never break lines or measure text.

Coordinates: points, origin at the top-left corner of the trimmed page, y grows
downwards (the way layout staff measure). The renderer flips to PDF space.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union


@dataclass(frozen=True)
class Color:
    """A process colour as CMYK fractions 0..1 (K-only black is (0,0,0,1))."""
    c: float = 0.0
    m: float = 0.0
    y: float = 0.0
    k: float = 1.0

    @property
    def is_black(self) -> bool:
        return self.c == 0 and self.m == 0 and self.y == 0 and self.k >= 1.0

    @property
    def is_white(self) -> bool:
        return self.c == 0 and self.m == 0 and self.y == 0 and self.k == 0


BLACK = Color()
WHITE = Color(0, 0, 0, 0)


@dataclass(frozen=True, init=False)
class Glyph:
    gid: int          # glyph id in the face (after any OpenType substitution)
    x: float          # pt, glyph origin relative to the run origin (along the line)
    text: str         # the source characters this glyph stands for (ToUnicode)
    advance: float    # em, the face's own advance for gid (what the PDF W array says)

    def __init__(self, gid: int, x: float, text: str, advance: float):
        # frozen all the same; filled through __dict__, as text.model.Cluster (~7,000 a page)
        d = self.__dict__
        d["gid"], d["x"], d["text"], d["advance"] = gid, x, text, advance


@dataclass(frozen=True)
class GlyphRun:
    """Glyphs of one face at one size on one baseline (or one vertical column)."""
    x: float                 # pt, run origin (baseline start; top centre for vertical)
    y: float                 # pt, baseline (horizontal) or top of the first cell (vertical)
    face: object             # a layout.fonts Face (hashable, has .key)
    size: float              # pt
    glyphs: tuple[Glyph, ...]
    color: Color = BLACK
    vertical: bool = False   # glyph x is then the offset downwards from y
    scale: float = 1.0       # horizontal scale of a fallback glyph aligned to the em box
    bold_stroke: float = 0.0  # pt; >0 draws fill+stroke (artificial bold)
    overprint: bool | None = None  # None: renderer decides (black text overprints)
    role: str = "body"       # style name, for reports and proofs


@dataclass(frozen=True)
class Rule:
    x1: float  # pt
    y1: float
    x2: float
    y2: float
    width: float = 0.5  # pt
    color: Color = BLACK
    dash: tuple[float, ...] = ()


@dataclass(frozen=True)
class Box:
    x: float       # pt, top-left
    y: float
    w: float
    h: float
    stroke: Color | None = BLACK
    fill: Color | None = None
    line_width: float = 0.5  # pt


@dataclass(frozen=True)
class Image:
    x: float       # pt, top-left of the visible frame
    y: float
    w: float
    h: float
    path: str      # prepared (press-ready) image file, CMYK or gray JPEG
    pixel_w: int
    pixel_h: int
    crop: tuple[float, float, float, float] = (0.0, 0.0, 1.0, 1.0)  # visible part, fractions l,t,r,b
    ppi: float = 0.0  # effective resolution at placed size


@dataclass(frozen=True)
class PdfPage:
    """Page 1 of a supplied PDF (an advertisement), drawn as a form XObject clipped to its trim."""
    x: float       # pt, top-left of the placed trim box
    y: float
    w: float       # pt, placed size (trim × scale)
    h: float
    path: str      # the supplied PDF
    trim: tuple[float, float, float, float]  # its page's TrimBox (or MediaBox), PDF units
    scale: float = 1.0
    clip: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # pt, x y w h: the grid space


@dataclass(frozen=True)
class Area:
    """Where a story sits on the page (for the digital edition's hotspots and checks)."""
    story: str
    polygon: tuple[tuple[float, float], ...]  # pt, page coordinates


@dataclass(frozen=True)
class Circle:
    x: float  # pt, centre
    y: float
    r: float
    width: float = 0.25
    color: Color = BLACK


Item = Union[GlyphRun, Rule, Box, Image, Circle, PdfPage]


@dataclass
class PageFrame:
    width: float   # pt, trimmed page
    height: float  # pt
    bleed: float   # pt
    items: list[Item] = field(default_factory=list)
    areas: list[Area] = field(default_factory=list)
    number: str = ""     # 版次, "04"
