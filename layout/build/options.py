"""Build options and where a build finds its fonts and cache (shared by the parent and the workers).

Input: what the command line asked for. Output: BuildOptions, the cache folder, an open FontBook.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from layout.model import cachetag
from layout.model.findings import InputError, Where
from layout.model.i18n import _

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent


@dataclass
class BuildOptions:
    out: Path = Path("output")
    pages: tuple[str, ...] = ()          # only these 版次 ("04"); empty = all
    strict: bool = False
    font_paths: tuple[Path, ...] = ()
    system_fonts: bool = True
    fonts_yaml: Path | None = None
    cache_dir: Path | None = None
    marks: bool | None = None            # None: the publication decides
    write: bool = True                   # False: check only (no PDFs)
    deliver: Path | None = None          # a print shop's hot folder
    jobs: int = 0                        # worker processes for the pages; 0 = one per core
    load_cache: object = None            # a load.LoadCache kept across rebuilds (paiban watch)
    memo: object = None                  # a memo.RebuildMemo kept across rebuilds (paiban watch)
    on_render: object = None             # called (page number, PDF bytes) as each page is rendered, before
                                         # its preflight and write, in a -j 1 build (paiban watch's preview)


def cache_dir(opts: BuildOptions, marked: bool = True) -> Path:
    """The cache folder; made and marked as paiban's (CACHEDIR.TAG) unless marked=False (paiban clean)."""
    if opts.cache_dir:
        folder = Path(opts.cache_dir)
    else:
        env = os.environ.get("PAIBAN_CACHE")
        folder = Path(env) if env else PROJECT_ROOT / ".cache" / "paiban"
    return cachetag.mark(folder) if marked else folder


def fonts_yaml(opts: BuildOptions, issue_folder: Path) -> Path:
    if opts.fonts_yaml:
        return opts.fonts_yaml
    for candidate in (issue_folder / "fonts" / "fonts.yaml", issue_folder.parent.parent / "fonts" / "fonts.yaml",
                      Path.cwd() / "fonts" / "fonts.yaml", PROJECT_ROOT / "fonts" / "fonts.yaml"):
        if candidate.is_file():
            return candidate
    raise InputError(_('fonts/fonts.yaml not found'), Where(str(issue_folder)),
                     _('run paiban from the project folder, or pass --fonts FILE'))


def open_book(opts: BuildOptions, issue_folder: Path):
    from layout.fonts import FontBook, FontCache
    # font metrics are cached beside the photos, in the one folder `paiban clean` empties
    path = fonts_yaml(opts, issue_folder)
    own = not opts.fonts_yaml and path == issue_folder / "fonts" / "fonts.yaml"  # the issue's own
    return FontBook.load(path, font_paths=opts.font_paths, system_fonts=opts.system_fonts,
                         cache=FontCache(cache_dir(opts) / "fonts"), confined=own)
