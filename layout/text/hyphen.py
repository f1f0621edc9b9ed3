"""Hyphenation points of long Latin words in Chinese copy (Kuber-|netes), for narrow columns.

pyphen applies Liang's patterns from the hyphenation dictionaries LibreOffice ships (hyph_en_US, the
patterns TeX uses for US English): better than anything hand-written, pure Python, and opened (0.09 s)
only when a paragraph holds a word long enough to need it. Words of at least MIN_WORD letters, not all
capitals (acronyms), at least 2 letters before a break and 3 after it. URLs, paths and numbers are never
hyphenated (prepare.py breaks those at / . - without adding a hyphen).
"""
from __future__ import annotations

MIN_WORD = 6

_dic = None
_cache: dict[str, tuple[int, ...]] = {}


def points(word: str) -> tuple[int, ...]:
    """Offsets inside `word` (ASCII letters) where a line may end with a hyphen."""
    got = _cache.get(word)
    if got is None:
        got = ()
        if len(word) >= MIN_WORD and not word.isupper():
            global _dic
            if _dic is None:
                import pyphen
                _dic = pyphen.Pyphen(lang="en_US", left=2, right=3)
            got = tuple(int(p) for p in _dic.positions(word))
        _cache[word] = got
    return got
