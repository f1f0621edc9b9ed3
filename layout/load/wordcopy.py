"""Word copy (.docx) → CopyDoc (layout.model.copy), read with python-docx.

Headings become 小标题, paragraphs in a quote style become 引语, bold runs **bold**, italic runs the 楷体
span, tables tables. Refused with a clear message: tracked changes (修订) and comments (批注) — the copy is not
final until someone has accepted or rejected them — and files that are not .docx. Pictures, text boxes and
footnotes are not set (photos are placed by the page definition): each is reported, never dropped silently.
"""
from __future__ import annotations

import unicodedata
import zipfile
from pathlib import Path

from layout.model.copy import BOLD, CROSSHEAD, KAI, PARA, QUOTE, TABLE, Cell, CopyDoc, Paragraph, Span
from layout.model.findings import Finding, InputError, Where
from layout.model.i18n import _

MAX_DOCX_BYTES = 50 << 20
MAX_PARTS_BYTES = 200 << 20   # uncompressed: a zip bomb is refused before python-docx parses it
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
REVISIONS = {"ins": "insertion", "del": "deletion", "moveFrom": "move", "moveTo": "move",
             "rPrChange": "formatting change", "pPrChange": "formatting change"}
QUOTE_STYLES = ("quote", "intense quote", "引用", "明显引用", "引语")
HEADING_STYLES = ("heading", "标题", "title", "subtitle")
SKIPPED = {W + "drawing": "picture", W + "pict": "picture", W + "object": "embedded object",
           "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent": "picture"}


def read_docx(path: Path, shown: str, where: Where, findings: list | None = None) -> CopyDoc:
    """The paragraphs of a Word file; `shown` names it in messages, `where` is the page's copy: key."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    _check_package(path, shown, where)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise InputError(_("'{shown}' is not a Word .docx file ({exc})", shown=shown, exc=exc), where,
                         _('open it in Word or WPS and save it as .docx (Word 2007 or later)')) from None
    body = document.element.body
    _refuse_revisions(body, document, shown, where)
    lines: list[str] = []
    paras: list[Paragraph] = []
    skipped: dict[str, int] = {}
    offset = 0
    for child in body.iterchildren():
        if child.tag == W + "p":
            kind = _kind(child, document)
            for text, spans in _split(_runs(child, skipped)):
                if text.strip():
                    paras.append(Paragraph(kind, offset, offset + len(text),
                                           tuple(Span(offset + a, offset + b, e) for a, b, e in spans),
                                           line=len(lines) + 1))
                lines.append(text)
                offset += len(text) + 1
        elif child.tag == W + "tbl":
            rows, header = _table(child, skipped)
            if rows:
                paras.append(Paragraph(TABLE, offset, offset, rows=rows, header=header, line=len(lines) + 1))
            lines.append("")
            offset += 1
    notes = [n for n in ("footnotes", "endnotes") if _has_notes(document, n)]
    for what, n in sorted(skipped.items()):
        _report(findings, "docx-skipped", _("{n} {what}(s) in '{shown}' are not set: photos and graphics are placed by the page definition", n=n, what=what, shown=shown), where, {"what": what, "count": n})
    for n in notes:
        _report(findings, "docx-notes", _("the {n} of '{shown}' are not set; put them into the copy if they belong in print", n=n, shown=shown), where, {"what": n})
    text = unicodedata.normalize("NFC", "\n".join(lines))
    if len(text) != len("\n".join(lines)):  # NFC changed lengths: fall back to the offsets of the text as is
        text = "\n".join(lines)
    return CopyDoc(text, tuple(paras))


def _report(findings, code, message, where, data):
    if findings is not None:
        findings.append(Finding("warning", code, message, where=where, data=data))


def _check_package(path: Path, shown: str, where: Where) -> None:
    size = path.stat().st_size
    if size > MAX_DOCX_BYTES:
        raise InputError(_("'{shown}' is {value} MB, more than a story's Word file can be", shown=shown, value=size >> 20), where,
                         _('save the copy without embedded pictures'))
    if not zipfile.is_zipfile(path):
        raise InputError(_("'{shown}' is not a Word .docx file (an old .doc, or a renamed file?)", shown=shown), where,
                         _('open it in Word or WPS and save it as .docx (Word 2007 or later)'))
    with zipfile.ZipFile(path) as z:
        if sum(i.file_size for i in z.infolist()) > MAX_PARTS_BYTES:
            raise InputError(_("'{shown}' unpacks to more than {value} MB", shown=shown, value=MAX_PARTS_BYTES >> 20), where,
                             _('a damaged or malicious file: save the copy again from Word'))


def _refuse_revisions(body, document, shown, where):
    found: dict[str, int] = {}
    for tag, what in REVISIONS.items():
        n = sum(1 for _ in body.iter(W + tag))
        if n:
            found[what] = found.get(what, 0) + n
    if found:
        listed = ", ".join(f"{n} {what}{'s' if n > 1 else ''}" for what, n in found.items())
        raise InputError(_("'{shown}' has tracked changes (修订: {listed})", shown=shown, listed=listed), where,
                         _('accept or reject them in Word (审阅 → 接受/拒绝所有修订), save, and build again'))
    comments = sum(1 for _ in body.iter(W + "commentReference"))
    part = any(str(p.partname).endswith("/comments.xml") for p in document.part.package.iter_parts())
    if comments or part:
        raise InputError(_("'{shown}' has comments (批注{count})", shown=shown, count=f': {comments}' if comments else ''), where,
                         _('resolve and delete the comments in Word (审阅 → 删除所有批注), save, and build again'))


def _has_notes(document, kind: str) -> bool:
    tag = "footnoteReference" if kind == "footnotes" else "endnoteReference"
    return any(True for _ in document.element.body.iter(W + tag))


def _kind(p, document) -> str:
    style = _style_name(p, document).lower()
    if any(style.startswith(h) for h in HEADING_STYLES) or p.find(f"{W}pPr/{W}outlineLvl") is not None:
        return CROSSHEAD
    if any(style.startswith(q) for q in QUOTE_STYLES):
        return QUOTE
    return PARA


def _style_name(p, document) -> str:
    node = p.find(f"{W}pPr/{W}pStyle")
    if node is None:
        return ""
    sid = node.get(W + "val")
    try:
        for style in document.styles:
            if style.style_id == sid:
                return style.name or sid
    except (KeyError, ValueError):
        pass
    return sid or ""


def _on(rpr, tag: str) -> bool:
    if rpr is None:
        return False
    node = rpr.find(W + tag)
    return node is not None and node.get(W + "val", "true") not in ("0", "false", "off")


def _runs(p, skipped: dict) -> list[tuple[str, str]]:
    """(text, emphasis) of every run in the paragraph, hyperlinks and fields included, in order."""
    out = []
    for r in p.iter(W + "r"):
        if any(anc.tag in SKIPPED for anc in r.iterancestors()):
            continue  # text inside a drawing's text box: counted with the drawing
        rpr = r.find(W + "rPr")
        style = rpr.find(W + "rStyle").get(W + "val", "").lower() if rpr is not None and rpr.find(W + "rStyle") is not None else ""
        emphasis = BOLD if _on(rpr, "b") or style == "strong" else KAI if _on(rpr, "i") or style == "emphasis" else ""
        for node in r:
            if node.tag == W + "t":
                out.append((node.text or "", emphasis))
            elif node.tag == W + "tab":
                out.append(("\t", emphasis))
            elif node.tag in (W + "br", W + "cr"):
                out.append(("\n", ""))
            elif node.tag == W + "noBreakHyphen":
                out.append(("\u2011", emphasis))
            elif node.tag in SKIPPED:
                what = SKIPPED[node.tag]
                skipped[what] = skipped.get(what, 0) + 1
    return out


def _split(runs) -> list[tuple[str, list]]:
    """Runs → lines (a manual line break starts a new paragraph), each with its emphasis spans."""
    lines, text, spans = [], "", []
    for chunk, emphasis in runs:
        for k, part in enumerate(chunk.split("\n")):
            if k:
                lines.append((text, spans))
                text, spans = "", []
            if part and emphasis:
                if spans and spans[-1][1] == len(text) and spans[-1][2] == emphasis:
                    spans[-1] = (spans[-1][0], len(text) + len(part), emphasis)
                else:
                    spans.append((len(text), len(text) + len(part), emphasis))
            text += part
    lines.append((text, spans))
    return lines


def _table(tbl, skipped: dict) -> tuple[tuple, bool]:
    rows = []
    header = False
    for i, tr in enumerate(tbl.iterchildren(W + "tr")):
        if i == 0 and tr.find(f"{W}trPr/{W}tblHeader") is not None:
            header = True
        cells = []
        for tc in tr.iterchildren(W + "tc"):
            runs = []
            for k, p in enumerate(tc.iterchildren(W + "p")):
                runs += ([("", "")] if k else []) + _runs(p, skipped)
            (text, spans), = _split([(t.replace("\n", ""), e) for t, e in runs])
            lead = len(text) - len(text.lstrip())
            body = text.strip()
            cells.append(Cell(body, tuple(Span(max(a - lead, 0), min(b - lead, len(body)), e)
                                          for a, b, e in spans if min(b - lead, len(body)) > max(a - lead, 0))))
        rows.append(tuple(cells))
    if rows and not header:  # a first row set all in bold reads as a header
        first = rows[0]
        header = all(c.text and c.spans and (c.spans[0].start, c.spans[0].end, c.spans[0].emphasis)
                     == (0, len(c.text), BOLD) for c in first)
    width = max((len(r) for r in rows), default=0)
    rows = [r + (Cell(""),) * (width - len(r)) for r in rows]   # merged cells: pad short rows
    return tuple(rows), header


# --- a Word file read before --------------------------------------------------------------------------
# Reading a .docx costs ~0.1 s (python-docx and its lxml classes load, then the XML is walked); the same
# file read on every build of the front page is kept in the cache folder by its bytes, as the logo's
# preflight and the photos are. JSON, not pickle: a cache folder is not trusted to hold code.

DOCX_CACHE_SCHEMA = 1  # bump when CopyDoc, Paragraph or the findings change shape


def read_docx_cached(path: Path, shown: str, where: Where, findings: list | None, cache_dir: Path | None) -> CopyDoc:
    """read_docx, through the cache folder when there is one. Refusals (InputError) are never kept."""
    if cache_dir is None:
        return read_docx(path, shown, where, findings)
    import hashlib
    from layout.model.cachefile import read_entry, write_entry
    from layout.model.i18n import language
    key = hashlib.sha256(path.read_bytes() + repr((shown, language(), DOCX_CACHE_SCHEMA)).encode()).hexdigest()[:32]
    entry = Path(cache_dir) / "docx" / f"{key}.json"
    try:
        doc, found = _from_json(read_entry(entry))
    except (KeyError, TypeError, ValueError):  # missing (None), or not what _to_json wrote
        pass
    else:
        for code, message, extra in found:
            _report(findings, code, message, where, extra)
        return doc
    mine: list = []
    doc = read_docx(path, shown, where, mine)
    if findings is not None:
        findings.extend(mine)
    write_entry(entry, _to_json(doc, mine))
    return doc


def _to_json(doc: CopyDoc, found: list) -> dict:
    spans = lambda ss: [[s.start, s.end, s.emphasis] for s in ss]  # noqa: E731
    return {"text": doc.text,
            "paragraphs": [{"kind": p.kind, "start": p.start, "end": p.end, "spans": spans(p.spans),
                            "rows": [[[c.text, spans(c.spans)] for c in row] for row in p.rows],
                            "header": p.header, "line": p.line} for p in doc.paragraphs],
            "findings": [[f.code, f.message, dict(f.data)] for f in found]}


def _from_json(d: dict) -> tuple[CopyDoc, list]:
    spans = lambda ss: tuple(Span(int(a), int(b), str(e)) for a, b, e in ss)  # noqa: E731
    paras = tuple(Paragraph(str(p["kind"]), int(p["start"]), int(p["end"]), spans(p["spans"]),
                            tuple(tuple(Cell(str(t), spans(s)) for t, s in row) for row in p["rows"]),
                            bool(p["header"]), int(p["line"])) for p in d["paragraphs"])
    return CopyDoc(str(d["text"]), paras), [(str(c), str(m), dict(x)) for c, m, x in d["findings"]]
