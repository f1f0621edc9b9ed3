"""The copy markup: plain text an editor can type anywhere → CopyDoc (layout.model.copy).

One paragraph a line, as before; a line may also be
  ## 小标题            a crosshead (小标题)
  > 引语               a pull quote
  | a | b |            a row of a pipe table (an optional |---|---| row under the first makes it a header)
  ---                  a section break
and inside any text **bold** and *楷体 emphasis*; a backslash sets the next * # > | - \\ literally.
Anything that looks like markup but is not valid is an InputError at file:line:column, never set as text.
"""
from __future__ import annotations

import re

from layout.model.copy import BOLD, BREAK, CROSSHEAD, KAI, PARA, QUOTE, TABLE, Cell, CopyDoc, Paragraph, Span
from layout.model.findings import InputError, Where
from layout.model.i18n import _

ESCAPABLE = set("*#>|-\\")
_LEAD = " \t\u3000"                       # indentation editors type before a line's text
_BREAK = re.compile(r"^-{3,}\s*$")
_DELIM_CELL = re.compile(r"^\s*:?-{1,}:?\s*$")
_MAX_TABLE_COLUMNS = 12


def parse_copy(text: str, shown: str) -> CopyDoc:
    """The copy's paragraphs; `shown` names the file in messages."""
    out_lines: list[str] = []
    paras: list[Paragraph] = []
    offset = 0
    table: list = []          # rows of the table being read: (lineno, [Cell]) / ("delim", lineno)
    table_start = (0, 0)      # (offset, line) of the table's first row

    def close_table():
        if not table:
            return
        header = any(r[0] == "delim" for r in table)
        rows = tuple(tuple(r[1]) for r in table if r[0] != "delim")
        paras.append(Paragraph(TABLE, table_start[0], table_start[0], rows=rows, header=header,
                               line=table_start[1]))
        table.clear()

    for lineno, raw in enumerate(text.split("\n"), 1):
        body = raw.lstrip(_LEAD)
        lead = len(raw) - len(body)
        col = lead + 1                       # 1-based column of the line's first character
        if body.startswith("|"):
            if not table:
                table_start = (offset, lineno)
            row = _table_row(body, shown, lineno, col)
            if row is None:                  # the delimiter row
                if len(table) != 1:
                    raise InputError(_("a table's |---| row belongs under its first row only"), Where(shown, lineno, col),
                                     _('move it under the header row, or drop it'))
                table.append(("delim", lineno, len(_split_cells(body.strip()))))
            else:
                if table and len(row) != _width(table):
                    raise InputError(_("this table row has {cells} cells, the table's first row has {width}", cells=len(row), width=_width(table)), Where(shown, lineno, col),
                                     _('give every row the same number of | cells (an empty cell is | |)'))
                table.append((lineno, row))
            out_lines.append("")
            offset += 1
            continue
        close_table()
        kind, content, ccol = PARA, raw, 1
        if _BREAK.match(body):
            kind, content = BREAK, ""
        elif body.startswith("#"):
            hashes = len(body) - len(body.lstrip("#"))
            rest = body[hashes:]
            if hashes == 2 and rest.startswith(" ") and rest.strip():
                kind, content, ccol = CROSSHEAD, rest.lstrip(" "), col + 2 + len(rest) - len(rest.lstrip(" "))
            elif hashes == 2 and not rest.strip():
                raise InputError(_('an empty 小标题 (## with no text)'), Where(shown, lineno, col),
                                 _("write the crosshead after '## ', or delete the line"))
            elif hashes == 2:
                raise InputError(_('a 小标题 needs a space after ##'), Where(shown, lineno, col + 2),
                                 _("write '## 小标题', or '\\##' for a literal ##"))
            elif hashes != 1 or rest.startswith(" "):
                raise InputError(_("'{hashes}' is not copy markup: only '## ' (小标题) is a heading", hashes='#' * hashes),
                                 Where(shown, lineno, col),
                                 _("use '## ' for a 小标题, or write '\\#' for a literal #"))
        elif body.startswith(">"):
            rest = body[1:]
            if not rest.startswith(" ") or not rest.strip():
                raise InputError(_("a pull quote (引语) is '> ' followed by its text"), Where(shown, lineno, col),
                                 _("write '> 引语', or '\\>' for a literal >"))
            kind, content, ccol = QUOTE, rest.lstrip(" "), col + 1 + len(rest) - len(rest.lstrip(" "))
        elif body.startswith("***") and not body.strip("*").strip():
            raise InputError(_("'***' is not a section break"), Where(shown, lineno, col), _("write '---' for a section break"))
        clean, spans = parse_inline(content, shown, lineno, ccol)
        out_lines.append(clean)
        if kind == BREAK:
            paras.append(Paragraph(BREAK, offset, offset, line=lineno))
        elif clean.strip():
            paras.append(Paragraph(kind, offset, offset + len(clean),
                                   tuple(Span(offset + a, offset + b, e) for a, b, e in spans), line=lineno))
        offset += len(clean) + 1
    close_table()
    return CopyDoc("\n".join(out_lines), tuple(paras))


def _width(table) -> int:
    first = table[0]
    return len(first[1]) if first[0] != "delim" else first[2]


def _split_cells(row: str) -> list[tuple[int, str]]:
    """(column offset in row, raw cell) between unescaped pipes of '| a | b |'."""
    cells, start, i = [], 1, 1
    while i < len(row):
        ch = row[i]
        if ch == "\\" and i + 1 < len(row):
            i += 2
            continue
        if ch == "|":
            cells.append((start, row[start:i]))
            start = i + 1
        i += 1
    return cells


def _table_row(body: str, shown: str, lineno: int, col: int):
    """The cells of one table row, or None for the |---|---| delimiter row."""
    row = body.rstrip()
    if len(row) < 2 or not row.endswith("|") or row.endswith("\\|"):
        raise InputError(_('a table row must end with |'), Where(shown, lineno, col + len(row)),
                         _("close the row with |, or write '\\|' for a literal | at the start of a line"))
    cells = _split_cells(row)
    if len(cells) > _MAX_TABLE_COLUMNS:
        raise InputError(_('a table of {columns} columns does not fit a newspaper column', columns=len(cells)),
                         Where(shown, lineno, col), _('use at most {most} columns', most=_MAX_TABLE_COLUMNS))
    if all(_DELIM_CELL.match(c) for _, c in cells):
        return None
    out = []
    for at, raw in cells:
        stripped = raw.strip()
        text, spans = parse_inline(stripped, shown, lineno, col + at + len(raw) - len(raw.lstrip()))
        out.append(Cell(text, tuple(Span(a, b, e) for a, b, e in spans)))
    return out


def parse_inline(s: str, shown: str, lineno: int, col: int) -> tuple[str, list[tuple[int, int, str]]]:
    """**bold** and *楷体* in one line of text (starting at source column `col`): the text without markers
    and its emphasis spans (start, end, kind), inner spans splitting outer ones."""
    if "*" not in s and "\\" not in s:
        return s, []
    out: list[str] = []
    marks: list[str] = []                  # per output character: "" | BOLD | KAI
    open_at: dict[str, tuple[int, int]] = {}  # kind → (source column, output offset) of its opening marker
    stack: list[str] = []
    i = 0
    while i < len(s):
        ch = s[i]
        if ch == "\\" and i + 1 < len(s) and s[i + 1] in ESCAPABLE:
            out.append(s[i + 1])
            marks.append(stack[-1] if stack else "")
            i += 2
            continue
        if ch == "*":
            kind, width = (BOLD, 2) if s.startswith("**", i) else (KAI, 1)
            if s.startswith("***", i):
                raise InputError(_("'***' is ambiguous copy markup"), Where(shown, lineno, col + i),
                                 _("write **bold** and *楷体* separately, or '\\*' for a literal *"))
            if kind in open_at:
                if stack[-1] != kind:
                    inner = stack[-1]
                    raise InputError(_('{name} closes while {name2} opened inside it is still open', name=_name(kind), name2=_name(inner)),
                                     Where(shown, lineno, col + i),
                                     _('close {name} first (spans nest, they do not cross)', name=_name(inner)))
                start_col, start_out = open_at.pop(kind)
                if start_out == len(out):
                    raise InputError(_('an empty {name} span', name=_name(kind)), Where(shown, lineno, start_col),
                                     _("put text between the markers, or write '\\*' for a literal *"))
                stack.pop()
            else:
                open_at[kind] = (col + i, len(out))
                stack.append(kind)
            i += width
            continue
        out.append(ch)
        marks.append(stack[-1] if stack else "")
        i += 1
    if open_at:
        kind, (at, _out) = min(open_at.items(), key=lambda kv: kv[1][0])
        raise InputError(_('{name} opened here is never closed', name=_name(kind)), Where(shown, lineno, at),
                         _("close it on the same line ({marker}), or write '\\*' for a literal *", marker='**' if kind == BOLD else '*'))
    spans, start = [], 0
    for k in range(1, len(marks) + 1):
        if k == len(marks) or marks[k] != marks[start]:
            if marks[start]:
                spans.append((start, k, marks[start]))
            start = k
    return "".join(out), spans


def _name(kind: str) -> str:
    return "**bold**" if kind == BOLD else "*楷体*"
