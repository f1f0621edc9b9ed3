"""Reference character sets for coverage reports: GB 2312 level-1/level-2 hanzi (decoded from the
code ranges with Python's gb2312 codec) and 通用规范汉字表 (from Unihan's kTGH field, when a Unihan
file is on the machine — Debian's `unicode-data` ships /usr/share/unicode/Unihan.zip).
"""
from __future__ import annotations

import zipfile
from pathlib import Path

UNIHAN_PATHS = (Path("/usr/share/unicode/Unihan.zip"), Path("/usr/share/unicode/Unihan_OtherMappings.txt"))


def _gb2312_rows(first: int, last: int) -> frozenset[str]:
    out = set()
    for row in range(first, last + 1):
        for cell in range(0xA1, 0xFF):
            try:
                out.add(bytes([row + 0xA0, cell]).decode("gb2312"))
            except UnicodeDecodeError:  # unassigned cells (e.g. the end of row 55)
                pass
    return frozenset(out)


def gb2312_level1() -> frozenset[str]:
    """一级汉字: rows 16–55, 3755 characters."""
    return _gb2312_rows(16, 55)


def gb2312_level2() -> frozenset[str]:
    """二级汉字: rows 56–87, 3008 characters."""
    return _gb2312_rows(56, 87)


def tongyong_guifan(paths=UNIHAN_PATHS) -> dict[int, frozenset[str]] | None:
    """通用规范汉字表 (2013) by level (1: 3500, 2: 3000, 3: 1605) from Unihan kTGH, or None when no
    Unihan data is installed."""
    for p in paths:
        p = Path(p)
        if not p.is_file():
            continue
        if p.suffix == ".zip":
            with zipfile.ZipFile(p) as z:
                name = next((n for n in z.namelist() if n.endswith("OtherMappings.txt")), None)
                if name is None:
                    continue
                text = z.read(name).decode("utf-8")
        else:
            text = p.read_text(encoding="utf-8")
        levels: dict[int, set[str]] = {1: set(), 2: set(), 3: set()}
        for line in text.splitlines():
            if "\tkTGH\t" not in line:
                continue
            cp, _, value = line.split("\t")
            for entry in value.split():  # "2013:1234"
                num = int(entry.split(":")[1])
                level = 1 if num <= 3500 else 2 if num <= 6500 else 3
                levels[level].add(chr(int(cp[2:], 16)))
        if any(levels.values()):
            return {k: frozenset(v) for k, v in levels.items()}
    return None
