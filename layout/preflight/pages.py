"""Per-page structure checks: boxes (B1), annotations (X1), and a walk of every
resource a page can reach — fonts (F1), colour spaces (C1), transparency (T1).

The walk covers form XObjects, Type3 glyph resources, tiling patterns and
annotation appearances, because a font or an RGB image nested three forms deep
prints just the same."""
from __future__ import annotations
from layout.model.i18n import N_, _

from collections.abc import Iterator

import pikepdf

from layout.preflight.limits import box_problem
from layout.preflight.base import MM_PER_PT, PreflightSpec, Sink, cs_problem, resolve_cs

EPS_PT = 0.01
BLEND_OK = {"/Normal", "/Compatible"}


# --- B1 boxes ------------------------------------------------------------------------

def rect(obj) -> tuple[float, float, float, float] | None:
    try:
        x0, y0, x1, y1 = (float(v) for v in obj)
    except (TypeError, ValueError):
        return None
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def contains(outer, inner) -> bool:
    return (inner[0] >= outer[0] - EPS_PT and inner[1] >= outer[1] - EPS_PT
            and inner[2] <= outer[2] + EPS_PT and inner[3] <= outer[3] + EPS_PT)


def intersects(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def page_boxes(page: pikepdf.Page) -> dict:
    """Media (inherited), crop, bleed, trim as rects; absent boxes fall back as
    PDF says (CropBox → MediaBox, BleedBox/TrimBox → CropBox)."""
    media = rect(page.mediabox)
    crop = rect(page.obj["/CropBox"]) if "/CropBox" in page.obj else media
    bleed = rect(page.obj["/BleedBox"]) if "/BleedBox" in page.obj else crop
    trim = rect(page.obj["/TrimBox"]) if "/TrimBox" in page.obj else None
    return {"media": media, "crop": crop, "bleed": bleed, "trim": trim}


def check_boxes(page: pikepdf.Page, pno: int, spec: PreflightSpec, sink: Sink) -> dict:
    boxes = page_boxes(page)
    media, bleed, trim = boxes["media"], boxes["bleed"], boxes["trim"]
    for name, box in boxes.items():
        problem = box_problem(box)
        if problem:
            sink.add("error", "box-degenerate", _("the {box}Box {problem}", box=name.capitalize(), problem=problem),
                     page=pno,
                     subject=name, box=[round(v, 3) for v in box])
            return {}
    if trim is None:
        sink.add("error", "trimbox-missing", _('page has no TrimBox; set it to the trimmed page size'),
                 page=pno)
    elif not contains(bleed, trim):
        sink.add("error", "box-nesting", _('TrimBox is not inside the BleedBox'), page=pno,
                 subject="trim-bleed", trim=list(trim), bleed=list(bleed))
    if media and bleed and not contains(media, bleed):
        sink.add("error", "box-nesting", _('BleedBox is not inside the MediaBox'), page=pno,
                 subject="bleed-media", bleed=list(bleed), media=list(media))
    if trim is not None and spec.trim_mm is not None:
        _check_trim_size(page, pno, trim, spec, sink)
    return boxes


def _check_trim_size(page, pno, trim, spec, sink) -> None:
    w, h = (trim[2] - trim[0]) * MM_PER_PT, (trim[3] - trim[1]) * MM_PER_PT
    if int(page.obj.get("/Rotate", 0)) % 180 == 90:
        w, h = h, w                       # compare what the reader sees
    ew, eh = spec.trim_mm
    tol = spec.trim_tolerance_mm
    if abs(w - ew) > tol or abs(h - eh) > tol:
        sink.add("error", "trim-size",
                 _('trim is {w:.1f} × {h:.1f} mm, expected {ew:g} × {eh:g} mm (±{tol:g})', w=w, h=h, ew=ew, eh=eh, tol=tol),
                 page=pno, found_mm=[round(w, 2), round(h, 2)], expected_mm=[ew, eh])


# --- X1 annotations and page actions ----------------------------------------------------

def check_annotations(page: pikepdf.Page, pno: int, boxes: dict, sink: Sink) -> list:
    """Annotations inside the BleedBox and any actions; returns the annotations'
    normal appearance streams for the resource walk."""
    if "/AA" in page.obj:
        sink.add("error", "action", _('page has additional actions (AA); remove them'), page=pno,
                 subject="page-AA")
    appearances = []
    area = boxes["bleed"] or boxes["media"]
    for annot in page.obj.get("/Annots", []):
        subtype = str(annot.get("/Subtype", "/Unknown"))[1:]
        if "/A" in annot or "/AA" in annot:
            sink.add("error", "action", _('{subtype} annotation carries an action; remove it', subtype=subtype),
                     page=pno, subject=f"annot-{subtype}")
        r = rect(annot.get("/Rect", []))
        if subtype != "TrapNet" and r and area and intersects(r, area):
            sink.add("error", "annotation",
                     _('{subtype} annotation inside the BleedBox; flatten or delete it', subtype=subtype),
                     page=pno, subject=subtype,    # one finding per kind, with a count
                     annotation=subtype, rect=[round(v, 2) for v in r])
        ap = annot.get("/AP")
        normal = ap.get("/N") if ap is not None else None
        if isinstance(normal, pikepdf.Stream):
            appearances.append(normal)
    return appearances


# --- resource walk: F1, C1, T1 -------------------------------------------------------------

def iter_resources(resources, seen: set, depth: int = 0) -> Iterator[tuple[str, str, object, object]]:
    """(category, name, object, owning resources) for everything reachable."""
    if resources is None or depth > 20 or not isinstance(resources, pikepdf.Dictionary):
        return
    for category in ("/Font", "/XObject", "/ExtGState", "/ColorSpace", "/Shading", "/Pattern"):
        table = resources.get(category)
        if not isinstance(table, pikepdf.Dictionary):
            continue
        for name, obj in table.items():
            key = _key(obj)
            if key is not None:
                if key in seen:
                    continue
                seen.add(key)
            yield category, name, obj, resources
            yield from iter_resources(_child_resources(category, obj), seen, depth + 1)


def _key(obj):
    return obj.objgen if obj.is_indirect else None


def _child_resources(category, obj):
    """Resources nested in forms, Type3 fonts and tiling patterns."""
    if not isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
        return None
    if category == "/XObject" and obj.get("/Subtype") == "/Form":
        return obj.get("/Resources")
    if category == "/Font" and obj.get("/Subtype") == "/Type3":
        return obj.get("/Resources")
    if category == "/Pattern" and obj.get("/PatternType") == 1:
        return obj.get("/Resources")
    return None


def check_resources(page: pikepdf.Page, pno: int, extra_forms: list, spec: PreflightSpec,
                    sink: Sink) -> None:
    seen: set = set()
    roots = [page.obj.get("/Resources")] + [f.get("/Resources") for f in extra_forms]
    if spec.is_x1a:
        _check_group(page.obj, pno, "page", sink)
        for form in extra_forms:
            _check_group(form, pno, "annotation appearance", sink)
    for res in roots:
        for category, name, obj, owner in iter_resources(res, seen):
            _check_one(category, str(name), obj, owner, pno, spec, sink)


def _check_one(category, name, obj, owner, pno, spec, sink) -> None:
    if category == "/Font":
        check_font(obj, pno, sink)
    elif category == "/XObject" and obj.get("/Subtype") == "/Image":
        check_image_dict(obj, name, pno, spec, sink)
    elif category == "/XObject" and obj.get("/Subtype") == "/Form" and spec.is_x1a:
        _check_group(obj, pno, f"form {name}", sink)
    elif category == "/ExtGState":
        check_transfer(obj, name, pno, sink)
        if spec.is_x1a:
            check_extgstate(obj, name, pno, sink)
    elif category == "/ColorSpace":
        report_cs(resolve_cs(obj, owner), f"colour space {name}", pno, spec, sink)
    elif category == "/Shading":
        report_cs(resolve_cs(obj.get("/ColorSpace"), owner), f"shading {name}", pno, spec, sink)
    elif category == "/Pattern" and obj.get("/PatternType") == 2:
        shading = obj.get("/Shading")
        if shading is not None:
            report_cs(resolve_cs(shading.get("/ColorSpace"), owner), f"pattern {name}", pno, spec, sink)
        if spec.is_x1a and obj.get("/ExtGState") is not None:
            check_extgstate(obj.get("/ExtGState"), f"pattern {name}", pno, sink)


# what a colour space belongs to, as report_cs's callers name it ("image Im0"): shown in the reader's language
_CONTEXT_KINDS = {"colour operator": N_("colour operator"), "colour space": N_("colour space"),
                  "inline image": N_("inline image"), "shading": N_("shading"), "pattern": N_("pattern"),
                  "image": N_("image")}


def _context_text(context: str) -> str:
    for kind, text in _CONTEXT_KINDS.items():
        if context == kind or context.startswith(kind + " "):
            return _(text) + context[len(kind):]
    return context


def report_cs(cs, context: str, pno: int, spec: PreflightSpec, sink: Sink) -> None:
    problem = cs_problem(cs, spec)
    if problem:
        severity, code = problem
        rgb_alt = cs.alternate.endswith("RGB")
        shown = cs.family + (f" with a {cs.alternate} alternate" if rgb_alt else "")   # the subject: one language
        told = cs.family + (_(" with a {alternate} alternate", alternate=cs.alternate) if rgb_alt else "")
        sink.add(severity, code, _("{context} is {shown}; convert to CMYK for the press", context=_context_text(context), shown=told),
                 page=pno, subject=f"{context}:{shown}", colour_space=cs.family, context=context)
    for spot in cs.spots:
        sink.add("warning", "spot-colour",
                 _('{context} uses spot colour {spot!r}; the newspaper prints CMYK only', context=context, spot=spot),
                 page=pno, subject=spot, colorant=spot)


def check_font(font, pno: int, sink: Sink) -> None:
    subtype = str(font.get("/Subtype", ""))[1:]
    if subtype == "Type3":
        return                    # glyphs are content streams; their resources are walked
    desc_font = font
    if subtype == "Type0":
        kids = font.get("/DescendantFonts")
        desc_font = kids[0] if kids is not None and len(kids) else None
    descriptor = desc_font.get("/FontDescriptor") if desc_font is not None else None
    embedded = descriptor is not None and any(
        k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    if not embedded:
        base = str(font.get("/BaseFont", "/?"))[1:]
        sink.add("error", "font-not-embedded",
                 _('font {base} ({subtype}) is not embedded; embed it (even if no glyph is visible)', base=base, subtype=subtype),
                 page=pno, subject=base, font=base, font_type=subtype)


def check_image_dict(img, name: str, pno: int, spec: PreflightSpec, sink: Sink) -> None:
    if not img.get("/ImageMask", False):
        report_cs(resolve_cs(img.get("/ColorSpace")), f"image {name}", pno, spec, sink)
    if not spec.is_x1a:
        return
    if "/SMask" in img:
        sink.add("error", "transparency", _('image {name} has a soft mask (SMask); flatten it', name=name),
                 page=pno, subject=f"image {name} SMask", feature="SMask")
    if int(img.get("/SMaskInData", 0)):
        sink.add("error", "transparency", _('image {name} has alpha in its JPX data; flatten it', name=name),
                 page=pno, subject=f"image {name} SMaskInData", feature="SMaskInData")


def check_transfer(gs, name: str, pno: int, sink: Sink) -> None:
    """X2: no transfer functions — also in a graphics state written straight into the resources, which
    the pass over numbered objects does not see."""
    if not isinstance(gs, pikepdf.Dictionary) or gs.is_indirect:
        return                    # numbered objects: check_objects has looked at them
    for key in ("/TR", "/TR2"):
        val = gs.get(key)
        if val is not None and val != "/Identity" and not (key == "/TR2" and val == "/Default"):
            sink.add("error", "transfer-function",
                     _('graphics state {name} sets a transfer function ({key}); remove it', name=name, key=key[1:]),
                     page=pno, subject=f"{name.lstrip('/')} {key}")


def check_extgstate(gs, name: str, pno: int, sink: Sink) -> None:
    """T1 for PDF/X-1a: soft masks, constant alpha < 1, blend modes."""
    problems = []
    smask = gs.get("/SMask")
    if smask is not None and smask != "/None":
        problems.append("SMask")
    for key in ("/ca", "/CA"):
        if key in gs and float(gs[key]) < 1.0:
            problems.append(f"{key[1:]}={float(gs[key]):g}")
    bm = gs.get("/BM")
    modes = [str(m) for m in bm] if isinstance(bm, pikepdf.Array) else ([str(bm)] if bm is not None else [])
    if modes and modes[0] not in BLEND_OK:
        problems.append(f"BM={modes[0][1:]}")
    for p in problems:
        sink.add("error", "transparency", _('graphics state {name} uses {p}; PDF/X-1a forbids transparency', name=name, p=p),
                 page=pno, subject=f"gs {name} {p}", feature=p.split("=")[0])


def _check_group(obj, pno, what, sink) -> None:
    group = obj.get("/Group")
    if group is not None and group.get("/S") == "/Transparency":
        sink.add("error", "transparency", _('{what} is a transparency group; flatten it', what=what),
                 page=pno, subject=f"group {what}", feature="Group")
