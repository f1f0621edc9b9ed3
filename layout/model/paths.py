"""The one way to open a path a user named (issue files, photos, fonts, font folders, --fonts, watch).

- `resolve`: the real path, or an InputError when symbolic links loop (Path.resolve raises RuntimeError).
- `regular_file`: the real path of an existing regular file; a folder, FIFO, socket or device is an input
  error, never a read that blocks for ever.
- `read_regular`: the bytes of a regular file, checked on the open descriptor (O_NONBLOCK, so a FIFO
  swapped in after the check does not hang either), with an optional size limit.
- `walk`: os.walk following links to folders, but never into a folder it has already been in (a link to
  `.` or to a parent ends there instead of walking for ever).
Every error names the Where given: the definition file:line that named the path.
"""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Callable, Iterator

from layout.model.findings import InputError, Where
from layout.model.i18n import N_, _

LOOP_HINT = N_("a symbolic link points (directly or through others) back to itself: replace it with the file")
SPECIAL_HINT = N_("name the file itself (not a folder, pipe or device)")


def resolve(path: Path, where: Where, what: str) -> Path:
    try:
        return Path(path).resolve()
    except RuntimeError:  # "Symlink loop from …" (Python < 3.13)
        raise InputError(_("{what} '{path}' is a symbolic link loop", what=what, path=path), where, _(LOOP_HINT)) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(_("{what} '{path}' is a symbolic link loop", what=what, path=path), where, _(LOOP_HINT)) from None
        raise InputError(_("{what} '{path}' cannot be read ({reason})", what=what, path=path,
                           reason=exc.strerror or exc), where, _("check the file's permissions")) from None


def _stat(path: Path, where: Where, what: str, shown: str):
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(_("{what} '{path}' is a symbolic link loop", what=what, path=shown), where, _(LOOP_HINT)) from None
        raise InputError(_("{what} '{path}' cannot be read ({reason})", what=what, path=shown,
                           reason=exc.strerror or exc), where, _("check the file's permissions")) from None


def regular_file(path: Path, where: Where, what: str, shown: str | None = None,
                 missing_hint: str | Callable[[], str] = "") -> Path:
    """The resolved path of an existing regular file, else one InputError at `where`. The hint for a
    missing file may be a function: made only when the file is missing (it may resolve paths)."""
    shown = shown if shown is not None else str(path)
    st = _stat(Path(path), where, what, shown)
    if st is None:
        hint = missing_hint() if callable(missing_hint) else missing_hint
        raise InputError(_("{what} '{path}' not found", what=what, path=shown), where,
                         hint or _("check the name or add the file"))
    if not stat.S_ISREG(st.st_mode):  # a folder, a FIFO, a device: reading it would fail or never end
        raise InputError(_("{what} '{path}' is not a regular file", what=what, path=shown), where, _(SPECIAL_HINT))
    return resolve(Path(path), where, what)


def read_regular(path: Path, where: Where, what: str, limit: int | None = None,
                 shown: str | None = None) -> bytes:
    """The whole file; InputError at `where` for a loop, a special file, a missing file or one over limit."""
    shown = shown if shown is not None else str(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise InputError(_("{what} '{path}' not found", what=what, path=shown), where,
                         _("check the name or add the file")) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(_("{what} '{path}' is a symbolic link loop", what=what, path=shown), where, _(LOOP_HINT)) from None
        if exc.errno == errno.EISDIR:
            raise InputError(_("{what} '{path}' is not a regular file", what=what, path=shown), where, _(SPECIAL_HINT)) from None
        raise InputError(_("{what} '{path}' cannot be read ({reason})", what=what, path=shown,
                           reason=exc.strerror or exc), where, _("check the file's permissions")) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise InputError(_("{what} '{path}' is not a regular file", what=what, path=shown), where, _(SPECIAL_HINT))
        if limit is not None and st.st_size > limit:
            raise InputError(_("{what} '{path}' is {size:.1f} MB (at most {limit:.0f} MB)", what=what, path=shown,
                               size=st.st_size / (1 << 20), limit=limit / (1 << 20)), where,
                             _("check that this is the right file"))
        os.set_blocking(fd, True)
        chunks = []
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise InputError(_("{what} '{path}' cannot be read ({reason})", what=what, path=shown,
                           reason=exc.strerror or exc), where, _("check the file's permissions")) from None
    finally:
        os.close(fd)


def walk(folder: Path) -> Iterator[tuple[str, list[str], list[str]]]:
    """os.walk(folder, followlinks=True) that enters each real folder once (dirnames may be pruned)."""
    seen: set[tuple[int, int]] = set()
    for root, dirnames, filenames in os.walk(folder, followlinks=True):
        try:
            st = os.stat(root)
        except OSError:
            dirnames[:] = []
            continue
        key = (st.st_dev, st.st_ino)
        if key in seen:  # reached again through a link: its contents were listed already
            dirnames[:] = []
            continue
        seen.add(key)
        yield root, dirnames, filenames
