"""Find font files by name: the project's fonts/ folder, then font_paths / PAIBAN_FONT_PATH, then the
system font folders (searched recursively). Input: folder lists; output: a Path or None.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

from layout.model.paths import walk

SYSTEM_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.fonts", "~/.local/share/fonts")
FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")


def search_dirs(project_fonts: Path | None, font_paths: Sequence[Path] = (), system_fonts: bool = True,
                env: Mapping[str, str] | None = None) -> list[Path]:
    """The folders to look in, in lookup order."""
    env = os.environ if env is None else env
    dirs: list[Path] = []
    if project_fonts is not None:
        dirs.append(Path(project_fonts))
    dirs += [Path(p) for p in font_paths]
    dirs += [Path(p) for p in env.get("PAIBAN_FONT_PATH", "").split(os.pathsep) if p]
    if system_fonts:
        dirs += [Path(p).expanduser() for p in SYSTEM_FONT_DIRS]
    out: list[Path] = []
    for d in dirs:
        if d not in out:
            out.append(d)
    return out


@dataclass
class FontLocator:
    """Looks a file name up in folders (recursively); walks each folder at most once."""
    dirs: list[Path]
    _index: dict[Path, dict[str, Path]] = field(default_factory=dict)

    def _files(self, d: Path) -> dict[str, Path]:
        if d not in self._index:
            found: dict[str, Path] = {}
            for root, subdirs, files in walk(d):  # links followed, loops not
                subdirs.sort()  # deterministic: the first match in sorted order wins
                for f in sorted(files):
                    if f.lower().endswith(FONT_SUFFIXES):
                        found.setdefault(f, Path(root) / f)
            self._index[d] = found
        return self._index[d]

    def find(self, name: str) -> Path | None:
        p = Path(name).expanduser()
        if p.is_absolute():
            return p if p.is_file() else None
        for d in self.dirs:
            if "/" in name:  # a relative path inside a folder, not a bare file name
                if (d / p).is_file():
                    return d / p
                continue
            hit = self._files(d).get(name)
            if hit is not None:
                return hit
        return None
