"""RebuildMemo: what a long-lived process (`paiban watch`) keeps between builds of one issue, beside
the parsed pages (load.LoadCache).

- Line breaks per paragraph, keyed by (font role, text, measure, break options): a save re-breaks only
  the paragraphs that changed. Breaking is a pure function of that key and the fonts, so the memo is
  bound to one FontBook and starts empty when it is used with another (fonts.yaml changed).
- Per page, the glyph runs of the lines it placed and their PDF text operators: a line that comes
  from the break memo and lands where it did, in the same style, gets the same GlyphRun objects
  and operators again; only the edited lines are typeset and written anew. Only the last
  composition's and render's are kept, so memory follows the pages, not the rebuilds.
- SHA-256 of output files by their stat (path, size, mtime, inode): the manifest of a one-page
  rebuild re-hashes only the page just written, not every other page of the issue.
A one-off `paiban build` has no memo: everything is computed, as before.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

MAX_PARAGRAPHS = 50_000  # a bound on memory (≈ 60 issues of 16 pages); dropped whole when reached


def file_digest(path: Path) -> tuple[int, str]:
    """(size, SHA-256) of a file."""
    data = Path(path).read_bytes()
    return len(data), hashlib.sha256(data).hexdigest()


class RebuildMemo:
    def __init__(self):
        self._book = None
        self._breaks: dict = {}
        self._placed: dict = {}  # page -> glyph runs of its placed lines; only the last composition's
        self._drawn: dict = {}   # page -> text operators of its glyph runs; only the last render's
        self._digests: dict[str, tuple[tuple, str]] = {}  # path -> (stat key, sha256)
        self.hits = 0
        self.misses = 0

    def breaks_for(self, book) -> dict:
        """The paragraph memo (a dict the Typesetter reads and fills) for breaks made with `book`."""
        if book is not self._book:
            self._book, self._breaks, self._placed, self._drawn = book, {}, {}, {}
        if len(self._breaks) > MAX_PARAGRAPHS:
            self._breaks.clear()
        return self._breaks

    def placed_for(self, book) -> dict:
        """Page number -> the glyph runs of the lines its last composition placed (compose.Typesetter)."""
        self.breaks_for(book)
        return self._placed

    def drawn_for(self, book) -> dict:
        """Page number -> the operators of the glyph runs its last render drew (render.PageRenderer)."""
        self.breaks_for(book)
        return self._drawn

    @staticmethod
    def _stat_key(path: Path) -> tuple:
        st = os.stat(path)
        return st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev

    def digest(self, path: Path) -> tuple[int, str]:
        """(size, SHA-256) of a file, hashed again only when its stat changed."""
        key = self._stat_key(path)
        hit = self._digests.get(str(path))
        if hit and hit[0] == key:
            self.hits += 1
            return key[0], hit[1]
        self.misses += 1
        size, sha = file_digest(path)
        if self._stat_key(path) == key:  # not changed while it was read: the digest may be kept
            self._digests[str(path)] = (key, sha)
        return size, sha

    def remember(self, path: Path, sha256: str) -> None:
        """Record the digest of a file just written (its stat as it is now)."""
        self._digests[str(path)] = (self._stat_key(path), sha256)
