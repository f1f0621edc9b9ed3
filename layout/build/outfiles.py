"""Writing output files safely: atomic replacement, one writer per folder, clear errors.

- atomic_write / atomic_write_many: each file is written to a hidden temporary `.NAME.XXXX.part`
  beside it, flushed to disk (fsync), then renamed over the target. A reader — or the print shop's
  hot folder — sees the previous complete file or the new complete file, never a partial one.
  atomic_write_many (and StagedFiles, which takes the files one by one as a build finishes its pages)
  writes every temporary first and renames only when all are complete, so a full disk or a bad page
  leaves the whole previous set in place.
- output_lock: an exclusive lock (flock on the output folder itself: no lock file is left behind)
  while files are written, so two builds into the same folder take turns instead of interleaving.
  Holding it, any `.*.part` left in the folder belongs to a build that was killed: it is removed.
  The kernel releases the lock when its holder dies, even by SIGKILL. Only the process that took the
  lock holds it: a forked child (a -j N worker) closes its copy of the descriptor at once (a flock
  belongs to the open file, so a child keeping the copy would hold the lock after its parent died).
- Every OS error (full disk, read-only folder, a file where the folder should be) becomes an
  OutputError naming the file and what to do: exit 2 with one message, like bad input.
"""
from __future__ import annotations

import errno
import fcntl
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from layout.model.findings import InputError, Where
from layout.model.i18n import N_, _

PART_SUFFIX = ".part"

# descriptors of the output locks this process holds; closed in every forked child
_HELD_LOCKS: set[int] = set()


def _drop_inherited_locks() -> None:
    for fd in list(_HELD_LOCKS):
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD_LOCKS.clear()


os.register_at_fork(after_in_child=_drop_inherited_locks)


class OutputError(InputError):
    """The output cannot be written (not the input's fault, but the user's to fix): exit 2."""


def _hint(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return _("free some space on that disk (or choose another --out) and build again")
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return _("choose an output folder you may write to (--out DIR)")
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        return _("a file is in the way where the output folder should be: move it, or choose another --out")
    return _("check the output folder (--out) and the disk")


WRITE = N_("cannot write {path}: {reason}")
CREATE = N_("cannot create the output folder {path}: {reason}")
WRITE_INTO = N_("cannot write into {path}: {reason}")


def output_error(exc: OSError, path: Path, what: str = WRITE) -> OutputError:
    return OutputError(_(what, path=path, reason=exc.strerror or exc), Where(), _hint(exc))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_temp(target: Path, data: bytes, mode: int) -> str:
    """The data in a fsynced hidden temporary beside target; its path. OutputError on failure."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=PART_SUFFIX, dir=target.parent)
    except OSError as exc:
        raise output_error(exc, target) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
            os.fchmod(fh.fileno(), mode)  # mkstemp makes 0600; output is as readable as any new file
    except BaseException as exc:
        _unlink(tmp)
        if isinstance(exc, OSError):
            raise output_error(exc, target) from None
        raise
    return tmp


def _unlink(path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


class StagedFiles:
    """Files staged as hidden fsynced temporaries as their data arrives (add), renamed over their targets
    together (commit). Leaving the with-block without commit removes the temporaries: the targets are
    either all replaced or all untouched."""

    def __init__(self):
        self.mode = 0o666 & ~_umask()
        self._temps: list[tuple[str, Path]] = []
        self._folders: set[Path] = set()

    def __enter__(self) -> "StagedFiles":
        return self

    def add(self, target: Path, data: bytes) -> None:
        target = Path(target)
        self._temps.append((_write_temp(target, data, self.mode), target))
        self._folders.add(target.parent)

    def commit(self) -> None:
        while self._temps:
            tmp, target = self._temps[0]
            try:
                os.replace(tmp, target)
            except OSError as exc:
                raise output_error(exc, target) from None
            self._temps.pop(0)
        for folder in self._folders:
            _fsync_dir(folder)

    def __exit__(self, *exc) -> None:
        for tmp, _target in self._temps:
            _unlink(tmp)
        self._temps.clear()


def atomic_write_many(items: list[tuple[Path, bytes]]) -> None:
    """Write every (target, data); all temporaries complete before the first rename."""
    with StagedFiles() as staged:
        for target, data in items:
            staged.add(target, data)
        staged.commit()


def atomic_write(target: Path, data: bytes) -> None:
    """Write to a temporary file beside the target, flush to disk, then rename over it."""
    atomic_write_many([(Path(target), data)])


def clean_stale_parts(folder: Path) -> list[Path]:
    """Remove `.NAME.*.part` temporaries of killed builds (call only while holding output_lock)."""
    removed = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for p in entries:
        if p.name.startswith(".") and p.name.endswith(PART_SUFFIX) and p.is_file() and not p.is_symlink():
            _unlink(p)
            removed.append(p)
    return removed


@contextmanager
def output_lock(folder: Path):
    """Create `folder` if need be and hold its exclusive build lock; stale temporaries are cleaned.
    When the block fails, the folders this call created are removed again if they are still empty."""
    folder = Path(folder)
    created = [d for d in (folder, *folder.parents) if not d.exists()]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except FileExistsError as exc:
        exc.errno = errno.ENOTDIR
        raise output_error(exc, folder, CREATE) from None
    except OSError as exc:
        raise output_error(exc, folder, CREATE if not folder.is_dir() else WRITE_INTO) from None
    _HELD_LOCKS.add(fd)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # another build into this folder: wait for it to finish writing
        clean_stale_parts(folder)
        yield folder
    except BaseException:
        for d in created:  # deepest first; a folder someone else wrote into stays
            try:
                d.rmdir()
            except OSError:
                break
        raise
    finally:
        _HELD_LOCKS.discard(fd)
        os.close(fd)  # releases the lock
