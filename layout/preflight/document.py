"""Document-level preflight: PDF/X identification (V1–V4), the output intent
(O1–O3), actions and JavaScript (X1) and forbidden filters/features (X2)."""
from __future__ import annotations
from layout.model.i18n import _

import re
from datetime import datetime, timedelta, timezone

import pikepdf

from layout.preflight.base import PDFX_1A, PreflightSpec, Sink

MAX_HEADER = {PDFX_1A: (1, 3), "PDF/X-4": (1, 6)}
X1A_FORBIDDEN_FILTERS = {"/LZWDecode", "/LZW", "/JPXDecode", "/JBIG2Decode"}
X4_FORBIDDEN_FILTERS = X1A_FORBIDDEN_FILTERS - {"/JPXDecode"}


# --- V1–V4 identification -------------------------------------------------------

def check_identification(pdf: pikepdf.Pdf, spec: PreflightSpec, sink: Sink) -> None:
    _check_header(pdf, spec, sink)
    info = pdf.docinfo
    _check_version_keys(info, spec, sink)
    _check_trapped(info, sink)
    missing = [k for k in ("/Title", "/CreationDate", "/ModDate") if k not in info]
    if missing:
        sink.add("error", "info-missing",
                 _('document Info lacks {items}; set them when writing the PDF', items=', '.join(k[1:] for k in missing)),
                 missing=[k[1:] for k in missing])
    if "/ID" not in pdf.trailer:
        sink.add("error", "document-id-missing",
                 _('trailer has no /ID; rewrite the file with a document ID (e.g. qpdf or pikepdf save)'))
    if not spec.is_x1a:
        _check_xmp(pdf, sink)


def _check_header(pdf, spec, sink) -> None:
    limit = MAX_HEADER[spec.pdfx]
    try:
        version = tuple(int(x) for x in pdf.pdf_version.split(".")[:2])
    except ValueError:
        version = (9, 9)
    if version > limit:
        sink.add("error", "pdf-version",
                 _('PDF header is {pdf_version}, {pdfx} allows at most {limit}.{limit2}', pdf_version=pdf.pdf_version, pdfx=spec.pdfx, limit=limit[0], limit2=limit[1]),
                 found=pdf.pdf_version, allowed=f"{limit[0]}.{limit[1]}")


def _check_version_keys(info, spec, sink) -> None:
    version = str(info.get("/GTS_PDFXVersion", ""))
    if spec.is_x1a:
        if version != "PDF/X-1:2001":
            sink.add("error", "pdfx-version",
                     _("Info GTS_PDFXVersion is {value!r}, expected 'PDF/X-1:2001'", value=version or 'missing'),
                     found=version, expected="PDF/X-1:2001")
        conformance = str(info.get("/GTS_PDFXConformance", ""))
        if conformance != PDFX_1A:
            sink.add("error", "pdfx-conformance",
                     _('Info GTS_PDFXConformance is {value!r}, expected {PDFX_1A!r}', value=conformance or 'missing', PDFX_1A=PDFX_1A),
                     found=conformance, expected=PDFX_1A)
    elif not version.startswith("PDF/X-4"):
        sink.add("error", "pdfx-version",
                 _("Info GTS_PDFXVersion is {value!r}, expected 'PDF/X-4'", value=version or 'missing'),
                 found=version, expected="PDF/X-4")


def _check_trapped(info, sink) -> None:
    trapped = info.get("/Trapped")
    if not (isinstance(trapped, pikepdf.Name) and str(trapped) in ("/True", "/False")):
        shown = str(trapped) if trapped is not None else "missing"
        sink.add("error", "trapped",
                 _('Info Trapped is {shown}; PDF/X needs the name /True or /False', shown=shown),
                 found=shown)


# --- X-4 XMP -----------------------------------------------------------------------

def _check_xmp(pdf, sink) -> None:
    if "/Metadata" not in pdf.Root:
        sink.add("error", "xmp-missing", _('PDF/X-4 needs XMP metadata in the catalog'))
        return
    try:
        meta = pdf.open_metadata()
        values = {key: meta.get(key) for key in (
            "pdfxid:GTS_PDFXVersion", "pdf:Trapped", "xmpMM:DocumentID", "xmpMM:VersionID",
            "xmpMM:RenditionClass", "dc:title", "xmp:CreateDate", "xmp:ModifyDate")}
    except Exception as exc:  # noqa: BLE001 - any XMP parse failure is a finding
        sink.add("error", "xmp-missing", _('XMP metadata cannot be parsed: {exc}', exc=exc))
        return
    missing = [k for k, v in values.items() if not v]
    if missing:
        sink.add("error", "xmp-missing", _('XMP lacks {missing}', missing=', '.join(missing)), missing=missing)
    info = pdf.docinfo
    pairs = [("/Title", "dc:title", str), ("/CreationDate", "xmp:CreateDate", _date),
             ("/ModDate", "xmp:ModifyDate", _date), ("/Trapped", "pdf:Trapped", _trapped)]
    for ikey, xkey, norm in pairs:
        if ikey in info and values.get(xkey):
            a, b = norm(str(info[ikey])), norm(str(values[xkey]))
            if a != b:
                sink.add("error", "xmp-mismatch",
                         _('Info {ikey} ({info}) differs from XMP {xkey} ({values})', ikey=ikey[1:], info=info[ikey], xkey=xkey, values=values[xkey]),
                         subject=xkey, info=str(info[ikey]), xmp=str(values[xkey]))


def _trapped(s: str) -> str:
    return s.lstrip("/").lower()


_PDF_DATE = re.compile(r"D?:?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz+-])?(\d{2})?'?(\d{2})?")


def _date(s: str):
    """PDF date (D:YYYYMMDDHHmmSS+HH'mm') or ISO 8601 (XMP) → aware datetime."""
    try:
        d = datetime.fromisoformat(s.replace("Z", "+00:00"))
        return d if d.tzinfo else d.replace(tzinfo=timezone.utc)
    except ValueError:
        pass
    m = _PDF_DATE.match(s.strip())
    if not m:
        return s
    y, mo, d, h, mi, sec, sign, th, tm = m.groups()
    tz = timezone.utc
    if sign in ("+", "-") and th:
        off = timedelta(hours=int(th), minutes=int(tm or 0))
        tz = timezone(off if sign == "+" else -off)
    return datetime(int(y), int(mo or 1), int(d or 1), int(h or 0), int(mi or 0), int(sec or 0), tzinfo=tz)


# --- O1–O3 output intent ------------------------------------------------------------

def check_output_intent(pdf: pikepdf.Pdf, spec: PreflightSpec, sink: Sink) -> None:
    intents = [oi for oi in pdf.Root.get("/OutputIntents", []) if oi.get("/S") == "/GTS_PDFX"]
    if not intents:
        sink.add("error", "output-intent-missing",
                 _("no GTS_PDFX OutputIntent; embed the print shop's CMYK profile as the output intent"))
        return
    if len(intents) > 1:
        sink.add("error", "output-intent-multiple",
                 _('{n_intents} GTS_PDFX OutputIntents; PDF/X allows exactly one', n_intents=len(intents)), count=len(intents))
    oi = intents[0]
    missing = [k[1:] for k in ("/OutputConditionIdentifier", "/RegistryName", "/Info") if k not in oi]
    if missing:
        sink.add("error", "output-intent-incomplete",
                 _('OutputIntent lacks {missing}', missing=', '.join(missing)), missing=missing)
    _check_profile(oi, spec, sink)


def _check_profile(oi, spec, sink) -> None:
    profile = oi.get("/DestOutputProfile")
    if profile is None:
        registered = "color.org" in str(oi.get("/RegistryName", ""))
        severity = "warning" if (spec.is_x1a and registered) else "error"
        sink.add(severity, "output-profile",
                 _("OutputIntent has no DestOutputProfile; embed the CMYK press profile"))
        return
    try:
        header = profile.read_bytes()[:128]
    except pikepdf.PdfError as exc:
        sink.add("error", "output-profile", _('DestOutputProfile cannot be read: {exc}', exc=exc))
        return
    problem = icc_header_problem(header)
    if problem:
        sink.add("error", "output-profile", _('DestOutputProfile {problem}', problem=problem))


def icc_header_problem(header: bytes) -> str:
    """'' if the ICC header is a CMYK output ('prtr') profile, else what is wrong."""
    if len(header) < 128 or header[36:40] != b"acsp":
        return "is not an ICC profile (no 'acsp' signature)"
    cls, space = header[12:16], header[16:20]
    if cls != b"prtr":
        return f"is a {cls.decode('latin-1')!r} profile, PDF/X needs an output ('prtr') profile"
    if space != b"CMYK":
        return f"describes {space.decode('latin-1').strip()!r}, the press needs CMYK"
    return ""


# --- X1 actions / JavaScript, X2 filters and forbidden features --------------------------

def _runs_javascript(action, depth: int = 0) -> bool:
    """Whether an action (a direct dictionary too, which the object pass cannot see) or the actions
    chained after it (/Next) run JavaScript."""
    if depth > 8 or not isinstance(action, pikepdf.Dictionary):
        return False
    if action.get("/S") == "/JavaScript" or "/JS" in action:
        return True
    nxt = action.get("/Next")
    chain = list(nxt) if isinstance(nxt, pikepdf.Array) else [nxt]
    return any(_runs_javascript(a, depth + 1) for a in chain if a is not None)


def check_actions(pdf: pikepdf.Pdf, sink: Sink) -> None:
    root = pdf.Root
    if "/OpenAction" in root:
        if _runs_javascript(root.get("/OpenAction")):
            sink.add("error", "javascript", _('the document runs JavaScript when opened (OpenAction); remove it'),
                     subject="OpenAction JavaScript")
        sink.add("error", "action", _('document has an OpenAction; remove it'), subject="OpenAction")
    if "/AA" in root:
        aa = root.get("/AA")
        if isinstance(aa, pikepdf.Dictionary) and any(_runs_javascript(a) for _, a in aa.items()):
            sink.add("error", "javascript", _("the document's additional actions (AA) run JavaScript; remove them"),
                     subject="AA JavaScript")
        sink.add("error", "action", _('document has additional actions (AA); remove them'), subject="AA")
    names = root.get("/Names")
    if names is not None and "/JavaScript" in names:
        sink.add("error", "javascript", _('document-level JavaScript; remove it'), subject="Names")


def check_objects(pdf: pikepdf.Pdf, spec: PreflightSpec, sink: Sink) -> None:
    """One pass over every object: filters, JavaScript, transfer functions,
    PostScript XObjects and OPI are forbidden wherever they sit."""
    forbidden = X1A_FORBIDDEN_FILTERS if spec.is_x1a else X4_FORBIDDEN_FILTERS
    for obj in pdf.objects:
        if not isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            continue
        ref = f"{obj.objgen[0]} {obj.objgen[1]} R"
        if isinstance(obj, pikepdf.Stream):
            for f in _filters(obj):
                if f in forbidden:
                    sink.add("error", "forbidden-filter",
                             _('object {ref} uses {f}; re-encode with Flate or DCT', ref=ref, f=f[1:]),
                             subject=f"{ref} {f}", filter=f[1:], object=ref)
        _check_object_keys(obj, ref, sink)


def _check_object_keys(obj, ref: str, sink: Sink) -> None:
    if obj.get("/S") == "/JavaScript" or "/JS" in obj:
        sink.add("error", "javascript", _('object {ref} is a JavaScript action; remove it', ref=ref), subject=ref)
    if "/TR" in obj or "/TR2" in obj:          # only graphics states carry TR/TR2
        for key in ("/TR", "/TR2"):
            val = obj.get(key)
            if val is not None and not (key == "/TR2" and val == "/Default") and val != "/Identity":
                sink.add("error", "transfer-function",
                         _('graphics state {ref} sets a transfer function ({key}); remove it', ref=ref, key=key[1:]), subject=ref)
    if obj.get("/Subtype") == "/PS" or obj.get("/Subtype2") == "/PS":
        sink.add("error", "postscript", _('object {ref} is an embedded PostScript XObject', ref=ref), subject=ref)
    if "/OPI" in obj:
        sink.add("error", "opi", _('object {ref} carries OPI comments; replace with the high-res image', ref=ref),
                 subject=ref)


def _filters(stream) -> list[str]:
    f = stream.get("/Filter")
    if f is None:
        return []
    if isinstance(f, pikepdf.Array):
        return [str(x) for x in f]
    return [str(f)]
