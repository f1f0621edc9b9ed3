"""Shared pieces of the PDF preflight: the spec, a de-duplicating finding sink,
2-D matrices and colour-space classification.

Split out of preflight.py so the document, page, content and ink checks can be
read (and tested) one at a time.
"""
from __future__ import annotations

from dataclasses import dataclass, field
import pikepdf

from layout.preflight.limits import Limits
from layout.model.findings import Finding, Where

PDFX_1A = "PDF/X-1a:2001"
PDFX_4 = "PDF/X-4"
PDFX_VERSIONS = (PDFX_1A, PDFX_4)
MM_PER_PT = 25.4 / 72.0


@dataclass(frozen=True)
class PreflightSpec:
    pdfx: str = PDFX_1A                  # or "PDF/X-4"
    trim_mm: tuple[float, float] | None = None  # expected trim (w, h) in mm; None = don't check
    trim_tolerance_mm: float = 0.5
    ink_limit: float = 240.0             # percent TAC inside the trim
    min_ppi: float = 200.0               # warning below
    error_ppi: float = 150.0             # error below
    min_line_art_ppi: float = 600.0      # 1-bit images and image masks: warning below
    min_text_black_pt: float = 12.0      # rich-black / multi-ink text below this is a finding
    render_dpi: int = 50                 # ink check raster (Ghostscript tiff32nc, -dUseTrimBox)
    check_ink: bool = True               # False skips Ghostscript (structure-only preflight)
    limits: Limits = Limits()            # page count, decoded stream size, time (limits.py)

    @property
    def is_x1a(self) -> bool:
        return self.pdfx == PDFX_1A


# --- findings ---------------------------------------------------------------

@dataclass
class _Pending:
    severity: str
    code: str
    message: str
    page: int
    data: dict
    count: int = 1


@dataclass
class Sink:
    """Collects findings for one file; the same problem (page, code, subject)
    is reported once with a count, so a page with 10 000 `rg` operators
    gives one finding, not 10 000."""
    file: str
    _items: dict = field(default_factory=dict)

    def add(self, severity: str, code: str, message: str, *, page: int = 0,
            subject: str = "", **data) -> tuple:
        """Returns the finding's key (page, code, subject)."""
        key = (page, code, subject)
        if key in self._items:
            self._items[key].count += 1
            return key
        if subject:
            data.setdefault("subject", subject)
        self._items[key] = _Pending(severity, code, message, page, data)
        return key

    def again(self, key) -> None:
        """The finding `key` (page, code, subject) seen once more."""
        self._items[key].count += 1

    def findings(self) -> list[Finding]:
        out = []
        for p in self._items.values():
            data = dict(p.data)
            if p.page:
                data["page"] = p.page
            if p.count > 1:
                data["count"] = p.count
            out.append(Finding(p.severity, p.code, p.message,
                               page=str(p.page) if p.page else "",
                               where=Where(file=self.file), data=data))
        return out


# --- matrices (a b c d e f), PDF row-vector convention -----------------------

IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def mat_mul(m: tuple, n: tuple) -> tuple:
    """m then n (PDF: `cm` pre-multiplies, CTM' = m × CTM)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D,
            c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


def to_matrix(operands) -> tuple | None:
    try:
        vals = tuple(float(x) for x in operands)
    except (TypeError, ValueError):
        return None
    return vals if len(vals) == 6 else None


# --- colour spaces ------------------------------------------------------------

ALLOWED_X1A = {"DeviceCMYK", "DeviceGray", "Separation", "DeviceN", "Pattern"}
INLINE_CS = {"/G": "/DeviceGray", "/RGB": "/DeviceRGB", "/CMYK": "/DeviceCMYK", "/I": "/Indexed"}
PROCESS_NAMES = {"Cyan", "Magenta", "Yellow", "Black", "All", "None"}


@dataclass(frozen=True)
class ColourSpace:
    family: str            # DeviceGray, DeviceCMYK, DeviceRGB, CalRGB, ICCBased-RGB, ICCBased-CMYK,
                           # Lab, Indexed-RGB, Indexed-CMYK, Separation, DeviceN, Pattern, ...
    colorants: tuple = ()  # Separation / DeviceN colorant names
    n: int = 1             # components set by sc/scn
    alternate: str = ""    # Separation / DeviceN: the family of the alternate space (what a CMYK press
                           # prints a spot as, and what a process DeviceN falls back to)

    @property
    def is_rgb(self) -> bool:
        return self.family.endswith("RGB")

    @property
    def spots(self) -> tuple:
        return tuple(c for c in self.colorants if c not in PROCESS_NAMES)

    def initial(self) -> tuple:
        """Initial colour after cs/CS (PDF 8.6.8): black for device spaces, 1.0 tints."""
        if self.family == "DeviceCMYK":
            return (0.0, 0.0, 0.0, 1.0)
        if self.family in ("Separation", "DeviceN"):
            return (1.0,) * self.n
        return (0.0,) * self.n


DEVICE_GRAY = ColourSpace("DeviceGray", n=1)
DEVICE_CMYK = ColourSpace("DeviceCMYK", n=4)
DEVICE_RGB = ColourSpace("DeviceRGB", n=3)
_DEVICE = {"/DeviceGray": DEVICE_GRAY, "/DeviceCMYK": DEVICE_CMYK, "/DeviceRGB": DEVICE_RGB,
           "/Pattern": ColourSpace("Pattern", n=0)}


def resolve_cs(obj, resources=None, depth: int = 0) -> ColourSpace:
    """Classify a colour space object (name or array), looking names up in
    the resources' /ColorSpace dictionary."""
    if depth > 8 or obj is None:
        return ColourSpace("Unknown", n=0)
    if isinstance(obj, pikepdf.Name):
        name = INLINE_CS.get(str(obj), str(obj))
        if name in _DEVICE:
            return _DEVICE[name]
        named = _lookup(resources, "/ColorSpace", name)
        if named is not None:
            return resolve_cs(named, None, depth + 1)
        return ColourSpace("Unknown:" + name.lstrip("/"), n=0)
    if isinstance(obj, pikepdf.Array) and len(obj) > 0:
        return _resolve_array(obj, resources, depth)
    return ColourSpace("Unknown", n=0)


def _resolve_array(arr, resources, depth) -> ColourSpace:
    kind = str(arr[0])
    if kind in _DEVICE and len(arr) == 1:
        return _DEVICE[kind]
    if kind == "/CalRGB":
        return ColourSpace("CalRGB", n=3)
    if kind == "/CalGray":
        return ColourSpace("CalGray", n=1)
    if kind == "/Lab":
        return ColourSpace("Lab", n=3)
    if kind == "/ICCBased":
        n = int(arr[1].get("/N", 0))
        return ColourSpace({1: "ICCBased-Gray", 3: "ICCBased-RGB", 4: "ICCBased-CMYK"}.get(n, "ICCBased"), n=n)
    if kind in ("/Indexed", "/I"):
        base = resolve_cs(arr[1], resources, depth + 1)
        short = base.family.replace("Device", "").replace("ICCBased-", "ICC-")
        return ColourSpace("Indexed-" + short, base.colorants, n=1)
    if kind == "/Separation":
        alt = resolve_cs(arr[2], resources, depth + 1).family if len(arr) > 2 else ""
        return ColourSpace("Separation", (str(arr[1]).lstrip("/"),), n=1, alternate=alt)
    if kind == "/DeviceN":
        names = tuple(str(x).lstrip("/") for x in arr[1])
        alt = resolve_cs(arr[2], resources, depth + 1).family if len(arr) > 2 else ""
        return ColourSpace("DeviceN", names, n=len(names), alternate=alt)
    if kind == "/Pattern":
        return ColourSpace("Pattern", n=0)
    return ColourSpace("Unknown:" + kind.lstrip("/"), n=0)


def _lookup(resources, category: str, name: str):
    if resources is None:
        return None
    try:
        cat = resources.get(category)
        if cat is None:
            return None
        return cat.get(name)
    except (AttributeError, ValueError, pikepdf.PdfError):
        return None


def cs_problem(cs: ColourSpace, spec: PreflightSpec) -> tuple[str, str] | None:
    """(severity, code) if this colour space breaks C1 for the spec's PDF/X flavour.

    X-1a allows only device CMYK/Gray and Separation/DeviceN; X-4 allows
    calibrated spaces, but the newspaper still gets CMYK, so RGB/Lab warn."""
    fam = cs.family
    if fam in ("Separation", "DeviceN") and cs.alternate.endswith("RGB"):
        return ("error" if spec.is_x1a else "warning", "rgb-colour")   # a CMYK press prints the alternate
    if fam in ALLOWED_X1A or fam in ("Indexed-CMYK", "Indexed-Gray"):
        return None
    if fam.startswith("Unknown"):
        return ("warning", "colour-space")
    if cs.is_rgb:
        return ("error" if spec.is_x1a else "warning", "rgb-colour")
    if spec.is_x1a:
        return ("error", "colour-space")
    if fam in ("Lab", "Indexed-Lab"):
        return ("warning", "colour-space")
    return None          # ICCBased CMYK/Gray, CalGray are fine in X-4
