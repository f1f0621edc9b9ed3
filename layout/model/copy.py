"""A story's copy as structured data: paragraphs of the kinds the copy markup knows, with emphasis spans.

Made by layout.load.markup (plain-text copy) and layout.load.docx (Word copy); read by compose.story.
Paragraph and span offsets index the copy's `text` (markers removed, one source line per text line), so the
composer can normalise the whole text at once, as it always did, and still find each span afterwards.
"""
from __future__ import annotations

from dataclasses import dataclass

PARA = "para"          # an ordinary paragraph (indented 2 em)
CROSSHEAD = "crosshead"  # 小标题: `## ` — its own style, keeps with the next paragraph, whole grid lines
QUOTE = "quote"        # 引语: `> ` — a pull quote across the column in its own style
TABLE = "table"        # a pipe table set on the grid with rules
BREAK = "break"        # `---`: a section break

BOLD = "bold"          # **…**
KAI = "kai"            # *…*: the 楷体 emphasis span (Word's italic)


@dataclass(frozen=True)
class Span:
    start: int         # offsets into CopyDoc.text (end exclusive)
    end: int
    emphasis: str      # BOLD | KAI


@dataclass(frozen=True)
class Cell:
    text: str                     # markers removed
    spans: tuple[Span, ...] = ()  # offsets into the cell's text


@dataclass(frozen=True)
class Paragraph:
    kind: str                      # PARA | CROSSHEAD | QUOTE | TABLE | BREAK
    start: int = 0                 # the paragraph's text: CopyDoc.text[start:end]
    end: int = 0
    spans: tuple[Span, ...] = ()   # emphasis inside it, offsets into CopyDoc.text
    rows: tuple[tuple[Cell, ...], ...] = ()  # TABLE: rows of cells
    header: bool = False           # TABLE: the first row is a header (a delimiter row followed it)
    line: int = 0                  # source line (1-based) for messages


@dataclass(frozen=True)
class CopyDoc:
    text: str                      # the copy with markup removed; source lines kept as text lines
    paragraphs: tuple[Paragraph, ...]

    @property
    def plain(self) -> bool:
        """Only ordinary paragraphs without emphasis: the copy composes exactly as plain text always did."""
        return all(p.kind == PARA and not p.spans for p in self.paragraphs)
