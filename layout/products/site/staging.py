"""Writing the digital edition atomically: issues are staged in a hidden folder beside the site and
swapped in together, the archive index last.

    with site_stage(out) as stage:          # OUT's lock held; leftovers of killed runs cleaned
        ... write stage.dir / "html/2022-01/14/…" ...
        stage.commit(["html/2022-01/14"])  # each folder swapped in with one rename
        stage.write_last(out / "index.html", data)

- The stage is `.NAME.site-XXXX` beside OUT (same disk, so a rename moves it; not served with the site;
  inside OUT, hidden, when OUT is a mount point).
- Each issue folder is exchanged with the old one in one step (Linux renameat2 RENAME_EXCHANGE); the old
  one lands in the stage and is removed with it. Where the exchange is not supported, the old folder is
  first moved into the stage (noted in its journal) and the next run puts it back if the kill came
  between the two renames.
- Any failure before commit (bad input in any issue, full disk, kill) leaves OUT as it was; an OSError
  becomes one OutputError naming the file.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import errno
import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from layout.build.outfiles import atomic_write, output_error, output_lock
from layout.model.i18n import N_, _

STAGE_MARK = ".site-"
JOURNAL = "swapped.json"     # in the stage: the folders moved aside, for the next run to put back
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _stage_prefix(out: Path) -> str:
    return f".{out.name}{STAGE_MARK}"


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False where the kernel or file system cannot."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def _stage_parent(out: Path) -> Path:
    """Beside OUT, or inside it when OUT is a mount point of its own (a rename cannot leave a disk)."""
    try:
        if os.stat(out.parent).st_dev != os.stat(out).st_dev:
            return out
    except OSError:
        pass
    return out.parent


def clean_leftovers(out: Path) -> list[Path]:
    """Stages of killed runs beside OUT: folders they had moved aside go back (if their place is
    empty), then the stages are removed. Call while holding OUT's lock."""
    removed = []
    entries = []
    for parent in (out.parent, out):
        try:
            entries += list(parent.iterdir())
        except OSError:
            pass
    for stage in entries:
        if not stage.name.startswith(_stage_prefix(out)) or stage.is_symlink() or not stage.is_dir():
            continue
        journal = stage / JOURNAL
        if journal.is_file():
            try:
                moved = json.loads(journal.read_text("utf-8"))
            except (OSError, ValueError):
                moved = []
            for rel in moved:
                aside, home = stage / ".old" / rel, out / rel
                if aside.is_dir() and not home.exists():
                    os.replace(aside, home)
        _remove(stage)
        removed.append(stage)
    return removed


class SiteStage:
    def __init__(self, out: Path, folder: Path):
        self.out = out
        self.dir = folder

    def commit(self, rels: list[str]) -> None:
        """Move each staged folder (relative to OUT) into OUT, replacing what was there."""
        for rel in dict.fromkeys(rels):
            src, dst = self.dir / rel, self.out / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            if not dst.exists():
                os.rename(src, dst)
            elif not _exchange(src, dst):
                self._move_aside_then_in(rel, src, dst)
        from layout.build.outfiles import _fsync_dir
        _fsync_dir(self.out)

    def _move_aside_then_in(self, rel: str, src: Path, dst: Path) -> None:
        aside = self.dir / ".old" / rel
        aside.parent.mkdir(parents=True, exist_ok=True)
        journal = self.dir / JOURNAL
        moved = json.loads(journal.read_text("utf-8")) if journal.is_file() else []
        atomic_write(journal, json.dumps(moved + [rel]).encode("utf-8"))
        os.rename(dst, aside)
        os.rename(src, dst)

    def write_last(self, target: Path, data: bytes) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, data)


@contextmanager
def site_stage(out: Path):
    """Hold OUT's lock, clean leftovers, and give a fresh stage beside OUT (removed when done)."""
    out = Path(out).absolute()
    with output_lock(out):
        clean_leftovers(out)
        try:
            folder = Path(tempfile.mkdtemp(prefix=_stage_prefix(out), dir=_stage_parent(out)))
        except OSError as exc:
            raise output_error(exc, out.parent, N_("cannot write beside the site in {path}: {reason}")) from None
        try:
            yield SiteStage(out, folder)
        except OSError as exc:
            where = Path(exc.filename) if getattr(exc, "filename", None) else out
            raise output_error(exc, where) from None
        finally:
            _remove(folder)
