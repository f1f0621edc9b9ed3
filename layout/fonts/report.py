"""Data for `paiban fonts list` / `paiban fonts check`: plain dicts, plus text formatters.

fonts_list(book) -> one dict per role: the resolved file, face index, PostScript name, glyph count and
coverage of GB 2312 level 1/2 (and 通用规范汉字表 when Unihan data is installed).
fonts_check(book, [(role, text, where)]) -> one dict per character the role's own face lacks.
"""
from __future__ import annotations

from typing import Iterable

from layout.fonts.book import FontBook
from layout.fonts.charsets import gb2312_level1, gb2312_level2, tongyong_guifan


def _coverage(cmap: set[int], chars: frozenset[str]) -> dict:
    have = sum(1 for c in chars if ord(c) in cmap)
    return {"have": have, "total": len(chars), "missing": sorted(c for c in chars if ord(c) not in cmap)}


def fonts_list(book: FontBook, unihan_paths=None) -> list[dict]:
    sets = {"gb2312-1": gb2312_level1(), "gb2312-2": gb2312_level2()}
    tg = tongyong_guifan() if unihan_paths is None else tongyong_guifan(unihan_paths)
    if tg:
        sets.update({f"tongyong-{k}": v for k, v in tg.items()})
    rows = []
    cmaps: dict[str, set[int]] = {}
    for role in book.roles:
        face = book.face(role)
        cmap = cmaps.setdefault(face.key, face.coverage())
        rows.append({
            "role": role,
            "file": str(face.path),
            "index": face.index,
            "postscript_name": face.postscript_name,
            "glyphs": face.num_glyphs,
            "format": "CFF" if face.is_cff else "TrueType",
            "fallback": [f.postscript_name for f in book.chain(role)[1:]],
            "latin": book.latin(role).postscript_name,
            "coverage": {name: _coverage(cmap, chars) for name, chars in sets.items()},
            "tongyong": "available" if tg else
                        "not computed: no Unihan data (apt-get install unicode-data)",
        })
    return rows


def format_fonts_list(rows: list[dict]) -> str:
    out = []
    for r in rows:
        cov = "  ".join(f"{k} {v['have']}/{v['total']}" for k, v in r["coverage"].items())
        out.append(f"{r['role']:<10} {r['postscript_name']}  ({r['format']}, {r['glyphs']} glyphs)\n"
                   f"{'':<10} {r['file']}#{r['index']}\n"
                   f"{'':<10} {cov}\n"
                   f"{'':<10} latin: {r['latin']}  fallback: {' → '.join(r['fallback']) or '-'}")
        if not r["tongyong"] == "available":
            out.append(f"{'':<10} 通用规范汉字表: {r['tongyong']}")
    return "\n".join(out)


def fonts_check(book: FontBook, role_texts: Iterable[tuple[str, str, str]]) -> list[dict]:
    """Every character a role's own face lacks, with the fallback that will draw it (None: none
    will — it becomes 〓) and where it occurs. One row per (role, character, where)."""
    rows = []
    seen = set()
    for role, text, where in role_texts:
        own = book.face(role)
        for ch in text:
            if ch.isspace() or own.has(ch) or (role, ch, where) in seen:
                continue
            seen.add((role, ch, where))
            fb = book.face_for(role, ch)
            rows.append({"role": role, "char": ch, "codepoint": f"U+{ord(ch):04X}", "where": where,
                         "fallback": fb.postscript_name if fb else None})
    return rows


def format_fonts_check(rows: list[dict]) -> str:
    if not rows:
        return "every character is in its role's font"
    return "\n".join(f"{r['where']}: {r['role']}: {r['char']} {r['codepoint']} → "
                     f"{r['fallback'] or 'MISSING (drawn as 〓)'}" for r in rows)
