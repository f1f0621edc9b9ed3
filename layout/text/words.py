"""Word boundaries for headline breaking (标题按词分行): jieba's segmenter with a small dictionary.

jieba (MIT, https://github.com/fxsjy/jieba) segments headlines as an editor would (共同|参与, 履职|于行),
but opening its own dictionary builds a Python dict of half a million entries: 0.7–1.0 s a process,
more than a cold build may spend. layout/data/headline-words.txt (made by tools/headline_words.py from
jieba's dict.txt) keeps its words of 1–4 characters, one line per first character; a line is parsed
only when a headline holds that character, into the prefix dictionary jieba's Tokenizer reads (word →
frequency, each shorter prefix of a word → 0), so opening it costs a file read. HMM off: for words
not in the dictionary jieba's HMM guesses, and guesses wrong (参与履|职于); without it an unknown word
comes out as single characters (履职|于|行), so a run of single characters is kept together here (no
break between two one-character pieces: 履职|于行) — what the HMM would join, without guessing where.
Loaded on the first headline that needs an automatic break (the editor's `\\n` and spaces need none);
results cached per text.
"""
from __future__ import annotations

import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data" / "headline-words.txt"

_tokenizer = None
_cache: dict[str, frozenset[int]] = {}


class _PrefixDict:
    """jieba's FREQ (word → frequency, prefixes → 0), one first character's line at a time."""

    __slots__ = ("lines", "parsed")

    def __init__(self, lines: dict[str, str]):
        self.lines = lines
        self.parsed: dict[str, dict[str, int]] = {}

    def _group(self, word: str) -> dict[str, int]:
        ch = word[:1]
        g = self.parsed.get(ch)
        if g is None:
            g = {}
            items = self.lines.get(ch, "").split(" ")
            for w, f in zip(items[0::2], items[1::2]):
                g[w] = int(f)
            for w in list(g):
                for k in range(1, len(w)):
                    g.setdefault(w[:k], 0)
            self.parsed[ch] = g
        return g

    def __contains__(self, word: str) -> bool:
        return word in self._group(word)

    def __getitem__(self, word: str) -> int:
        return self._group(word)[word]

    def get(self, word: str, default=None):
        return self._group(word).get(word, default)


def _open():
    global _tokenizer
    if _tokenizer is None:
        blocked = "pkg_resources" not in sys.modules
        if blocked:      # jieba imports pkg_resources only to open its own files (0.1 s), which we never use
            sys.modules["pkg_resources"] = None  # type: ignore[assignment]
        try:
            import jieba
        finally:
            if blocked:
                del sys.modules["pkg_resources"]
        text = DATA.read_text("utf-8")
        header, _, body = text.partition("\n")
        lines = {line[:1]: line for line in body.split("\n") if line}
        tk = jieba.Tokenizer(str(DATA))
        tk.FREQ = _PrefixDict(lines)
        tk.total = int(header.split()[2])      # the full dictionary's total: jieba's own probabilities
        tk.initialized = True                  # (so jieba never builds its own dictionary or cache)
        _tokenizer = tk
    return _tokenizer


def word_ends(text: str) -> frozenset[int]:
    """Offsets in `text` (0 < i < len) where a word ends and the next begins: jieba's boundaries,
    except those between two one-character pieces."""
    got = _cache.get(text)
    if got is None:
        pieces = list(_open().cut(text, HMM=False))
        ends, i = set(), 0
        for w, nxt in zip(pieces, pieces[1:]):
            i += len(w)
            if len(w) > 1 or len(nxt) > 1:
                ends.add(i)
        got = _cache[text] = frozenset(ends)
    return got
