"""The marker that tells a folder is paiban's cache: CACHEDIR.TAG (the Cache Directory Tagging
convention, so backup tools skip it too). `paiban clean` deletes only a folder that holds it."""
from __future__ import annotations

from pathlib import Path

TAG_NAME = "CACHEDIR.TAG"
SIGNATURE = b"Signature: 8a477f597d28d172789f06886806bc55"
CONTENT = SIGNATURE + b"\n# This file marks paiban's cache (photos, font metrics); `paiban clean` empties this folder.\n"


def mark(folder: Path) -> Path:
    """Create the cache folder if need be and put the marker in it (a read-only place is left alone:
    the caches that write there report their own errors)."""
    folder = Path(folder)
    tag = folder / TAG_NAME
    try:
        if not tag.is_file():
            folder.mkdir(parents=True, exist_ok=True)
            tag.write_bytes(CONTENT)
    except OSError:
        pass
    return folder


def is_marked(folder: Path) -> bool:
    tag = Path(folder) / TAG_NAME
    try:
        if tag.is_symlink() or not tag.is_file():
            return False
        with open(tag, "rb") as fh:
            return fh.read(len(SIGNATURE)) == SIGNATURE
    except OSError:
        return False
