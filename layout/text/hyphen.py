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
_looked_up: set[str] = set()  # words this process asked the dictionary about (see known())


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
            _looked_up.add(word)
        _cache[word] = got
    return got


def memo_key() -> str:
    """What the points depend on: the patterns (pyphen's version), the language and the limits."""
    import pyphen  # the module only (≈ 3 ms); the dictionary is what costs
    return f"pyphen {getattr(pyphen, '__version__', '?')} en_US left=2 right=3 min={MIN_WORD}"


def known() -> dict[str, tuple[int, ...]]:
    """Points this process got from the dictionary, for the caller to keep (the build's cache folder):
    opening the dictionary costs ~0.07 s a process, more than the rest of a warm page build's text work."""
    return {w: _cache[w] for w in _looked_up}


def remember(points_of: dict) -> None:
    """Points kept from an earlier run (same memo_key()); a word found here never opens the dictionary."""
    for word, pts in points_of.items():
        if isinstance(word, str) and isinstance(pts, (list, tuple)) and all(isinstance(i, int) for i in pts):
            _cache.setdefault(word, tuple(pts))
