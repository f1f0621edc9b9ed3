"""Entries of the cache folder as JSON files: read when present and whole, written atomically.

Every cache of paiban (font data, parsed Word copy, a logo's preflight, hyphenation points) follows the
same rules: parallel builds may write the same entry, so it is written beside and renamed over; a file that
cannot be read or written only costs time, never a build. JSON, not pickle: a cache folder is not trusted
with code.
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path


def read_entry(path: Path):
    """The entry's JSON value, or None when it is missing or unreadable."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_entry(path: Path, value) -> bool:
    """Write value as JSON, atomically (a temporary beside it, renamed over). False when it could not."""
    path = Path(path)
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(value, fh, ensure_ascii=False, sort_keys=True)
        os.replace(tmp, path)
        return True
    except (OSError, TypeError, ValueError):
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        return False
