"""What every loader part shares: the issue folder, findings, paths named in definitions, numbers with units.

Input: the issue folder. Output: resolved paths inside it and converted numbers, or an InputError with the
file:line of the YAML node that named them.
"""
from __future__ import annotations

import math
from pathlib import Path

from layout.load.yamlsafe import where_of
from layout.model import paths
from layout.model.findings import Finding, InputError, Where
from layout.model.units import UnitError
from layout.model.i18n import N_, _

UNITS_HINT = N_("see docs/definitions.md (Units) for lengths and type sizes")
MAX_WEIGHT_PT = 30.0      # rules and box frames


def stamp(path: Path) -> tuple:
    """What tells a file changed (LoadCache): path, modification time, size."""
    st = path.stat()
    return (str(path), st.st_mtime_ns, st.st_size)


class Reader:
    def __init__(self, folder: Path, strict: bool = False, cache=None, disk_cache: Path | None = None):
        self.folder = Path(folder)
        self.strict = strict
        self.findings: list[Finding] = []
        self.cache = cache            # LoadCache: pages parsed before, in memory (watch)
        self.disk_cache = disk_cache  # the cache folder: Word copy read before (by content)
        self.pub_stamp: tuple = ()
        self._root: Path | None = None

    def shown(self, path: Path) -> str:
        """Paths in messages relative to the current directory when possible."""
        try:
            return str(path.resolve().relative_to(Path.cwd().resolve()))
        except ValueError:
            return str(path)

    def inside(self, rel: str, where: Where, what: str) -> Path:
        """Resolve a file named in a definition; refuse anything outside the issue folder, link loops
        and anything but a regular file (layout.model.paths)."""
        root = self._root
        if root is None:  # the issue folder, resolved once per load
            root = self._root = paths.resolve(self.folder, where, _("issue folder"))
        candidate = Path(rel)
        if candidate.is_absolute() or ".." in candidate.parts:
            raise InputError(_("{what} path '{rel}' leaves the issue folder", what=what, rel=rel), where,
                             _('put the file inside the issue folder and name it relative to it'))
        full = (self.folder / candidate)
        resolved = paths.resolve(full, where, what)
        if not resolved.is_relative_to(root):
            raise InputError(_("{what} '{rel}' points outside the issue folder (symbolic link?)", what=what, rel=rel), where,
                             _('copy the file into the issue folder'))
        return paths.regular_file(resolved, where, what, shown=rel,
                                  missing_hint=lambda: _('expected it at {path}; check the name or add the file',
                                                         path=self.shown(full)))

    def inside_or_parent(self, rel: str, where: Where) -> Path:
        path = paths.resolve(self.folder / rel, where, _("publication file"))
        if not path.is_relative_to(paths.resolve(self.folder, where, _("issue folder")).parent) \
                or not path.is_file():
            raise InputError(_("publication file '{rel}' not found in the issue folder or the one above", rel=rel), where,
                             _('use publication.yaml in the issue folder or its parent'))
        return path

    def conv(self, fn, value, container, key):
        try:
            return fn(value)
        except UnitError as exc:
            raise InputError(_('{key}: {exc}', key=key, exc=exc), where_of(container, key), _(UNITS_HINT)) from None

    def bounded(self, value: float, lo: float, hi: float, container, key, what: str, unit: str = "pt",
                scale: float = 1.0) -> float:
        """value (pt) within lo..hi (in `unit`, `scale` pt each), else InputError at container[key]."""
        if not (math.isfinite(value) and lo * scale <= value <= hi * scale):
            raise InputError(_('{what} {value:g} {unit} is out of range ({lo:g}–{hi:g} {unit})', what=what, value=value / scale, unit=unit, lo=lo, hi=hi),
                             where_of(container, key), _(UNITS_HINT))
        return value
