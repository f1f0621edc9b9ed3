"""FontBook: roles (书宋, 标宋, 黑体, 楷体, 仿宋 …) resolved to Faces and fallback chains.

Input: fonts.yaml (see fonts/README.md), extra font folders, an optional FontCache.
Output: a FontBook the composer and the renderer query; it opens no font file it does not need
beyond reading each face's cached FaceInfo at load time, so a missing font fails the build early.
"""
from __future__ import annotations

import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

from layout.model.paths import resolve
from layout.model.findings import InputError
from layout.model.i18n import _
from layout.fonts.cache import CacheStats, FontCache, default_cache_dir, file_identity
from layout.fonts.face import Face
from layout.fonts.info import FaceInfo, collection_index, read_face_info
from layout.fonts.locate import FontLocator, search_dirs
from layout.fonts.spec import FaceSpec, FontsSpec, load_spec

# which Debian package ships a font file, for the "missing font" hint
PACKAGES = (("NotoSerifCJK", "fonts-noto-cjk"), ("NotoSansCJK", "fonts-noto-cjk"),
            ("LXGWWenKai", "fonts-lxgw-wenkai"), ("HanaMin", "fonts-hanazono"),
            ("BabelStone", "fonts-babelstone-han"), ("Nimbus", "fonts-urw-base35"))

JOINERS = {0x200C, 0x200D}  # ZWNJ/ZWJ stay with the character before them


@dataclass
class BookStats:
    load_seconds: float = 0.0   # FontBook.load wall time
    faces: int = 0              # distinct faces loaded
    cache: CacheStats = field(default_factory=CacheStats)


def is_latin(ch: str) -> bool:
    """Characters a role's Latin face sets (ASCII and Latin-1/Extended letters; not the 间隔号 ·)."""
    cp = ord(ch)
    return (0x20 <= cp < 0x7F or 0xA0 <= cp < 0x250) and cp != 0xB7


def _attaches(ch: str) -> bool:
    """Marks, variation selectors and joiners belong to the run of the character before them."""
    cp = ord(ch)
    return (0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF or cp in JOINERS
            or unicodedata.category(ch) in ("Mn", "Me"))


def _hint(names: Sequence[str]) -> str:
    pkgs = sorted({pkg for n in names for pre, pkg in PACKAGES if n.startswith(pre)})
    where = _("put the file into the project's fonts/ folder, or name its folder with --font-path DIR or "
              "PAIBAN_FONT_PATH")
    return _("apt-get install {packages}, or {where}", packages=" ".join(pkgs), where=where) if pkgs else where


class FontBook:
    def __init__(self, spec: FontsSpec, faces: dict[str, Face], cache: FontCache,
                 searched: list[Path], stats: BookStats):
        self.spec = spec
        self.faces = faces              # FaceSpec id -> Face
        self.cache = cache
        self.searched = searched        # the folders looked in, in order
        self.stats = stats
        self._chains = {r: [faces[f] for f in spec.chain_ids(r)] for r in spec.roles}

    @classmethod
    def load(cls, fonts_yaml: Path, font_paths: Sequence[Path] = (), system_fonts: bool = True,
             cache: FontCache | None = None, env: Mapping[str, str] | None = None,
             confined: bool = False) -> "FontBook":
        """Read fonts.yaml, find every face's file, read (or recall) its FaceInfo.
        Raises InputError for bad definitions and missing fonts. `confined`: fonts.yaml belongs to an
        issue, so its file names may not leave its folder (no absolute path, no `..`, no link out)."""
        t0 = time.perf_counter()
        fonts_yaml = Path(fonts_yaml)
        spec = load_spec(fonts_yaml)
        project_fonts = fonts_yaml.parent
        if cache is None:
            cache = FontCache(default_cache_dir(project_fonts.parent, env))
        dirs = search_dirs(project_fonts, font_paths, system_fonts, env)
        locator = FontLocator(dirs)
        faces: dict[str, Face] = {}
        by_file: dict[tuple[str, int], Face] = {}
        keys: set[str] = set()
        for fid, fs in spec.faces.items():
            if confined:
                _stay_inside(fs, project_fonts)
            path = cls._find(fs, locator, dirs)
            if confined and project_fonts.absolute() in path.absolute().parents:
                _stay_inside(fs, project_fonts, path)
            info = cls._info(fs, path, cache)
            face = by_file.get((info.path, info.index))
            if face is None:
                key = info.postscript_name
                if key in keys:  # the same PostScript name from another file: keep keys unique
                    key = f"{key}~{fid}"
                keys.add(key)
                face = by_file[(info.path, info.index)] = Face(info, key)
            faces[fid] = face
        stats = BookStats(time.perf_counter() - t0, len(by_file), cache.stats)
        return cls(spec, faces, cache, dirs, stats)

    @staticmethod
    def _find(fs: FaceSpec, locator: FontLocator, dirs: list[Path]) -> Path:
        for name in fs.files:
            p = locator.find(name)
            if p is not None:
                return p
        looked = "\n    ".join(str(d) for d in dirs) or "(no folders)"
        raise InputError(_('font for face {id!r} not found: {files}; looked in:\n    {looked}', id=fs.id, files=', '.join(fs.files), looked=looked),
                         fs.where, hint=_hint(fs.files))

    @staticmethod
    def _info(fs: FaceSpec, path: Path, cache: FontCache) -> FaceInfo:
        ident = file_identity(path, -1) + "|" + fs.name  # -1: the face index is what we look up
        hit = cache.get(ident)
        if hit is not None:
            return FaceInfo.from_json(hit)
        try:
            info = read_face_info(path, collection_index(path, fs.name, fs.where))
        except InputError:
            raise
        except Exception as e:  # a broken or unsupported file is bad input, not a crash
            raise InputError(_('cannot read font {path}: {e}', path=path, e=e), fs.where,
                             _('the file is damaged or not a font: install it again (TrueType/OpenType/.ttc)')) from None
        cache.put(ident, info.to_json())
        return info

    # --- queries -------------------------------------------------------------------------
    @property
    def roles(self) -> list[str]:
        return list(self.spec.roles)

    def _role(self, role: str) -> list[Face]:
        try:
            return self._chains[role]
        except KeyError:
            raise InputError(_('unknown font role {role!r}; roles: {roles}', role=role, roles=', '.join(self.roles))) from None

    def chain(self, role: str) -> list[Face]:
        """The role's own face, then its fallbacks, then the global fallbacks (no repeats)."""
        return list(self._role(role))

    def face(self, role: str) -> Face:
        return self._role(role)[0]

    def latin(self, role: str) -> Face:
        """The face the role sets Latin text in (its own face unless fonts.yaml names one)."""
        own = self.face(role)  # also validates the role name
        fid = self.spec.roles[role].latin
        return self.faces[fid] if fid else own

    def face_for(self, role: str, ch: str) -> Face | None:
        for f in self._role(role):
            if f.has(ch):
                return f
        return None

    def resolve(self, role: str, text: str, use_latin: bool = False) -> list[tuple[Face | None, str]]:
        """Split text into runs by the first face of the chain that has each character (缺字
        fallback). None: no face has it (the composer draws 〓 from the role face and reports it).
        With use_latin, Latin characters the role's Latin face has go to that face first."""
        chain = self._role(role)
        latin = self.latin(role) if use_latin else None
        runs: list[tuple[Face | None, str]] = []
        for ch in text:
            if runs and _attaches(ch):
                face = runs[-1][0]
            elif latin is not None and is_latin(ch) and latin.has(ch):
                face = latin
            else:
                face = next((f for f in chain if f.has(ch)), None)
            if runs and runs[-1][0] is face:
                runs[-1] = (face, runs[-1][1] + ch)
            else:
                runs.append((face, ch))
        return runs


def _stay_inside(fs: FaceSpec, folder: Path, found: Path | None = None) -> None:
    """An issue's fonts.yaml names files inside its fonts folder (or, by bare name, installed fonts)."""
    for name in fs.files:
        p = Path(name)
        if p.is_absolute() or ".." in p.parts or name.startswith("~"):
            raise InputError(_("face {face!r}: font file '{name}' leaves the issue's fonts folder", face=fs.id,
                               name=name), fs.where,
                             _("copy the font into the issue's fonts/ folder and name it there, or use --fonts"))
    if found is not None:
        real = resolve(found, fs.where, _("font file"))
        if not real.is_relative_to(resolve(folder, fs.where, _("fonts folder"))):
            raise InputError(_("face {face!r}: font file '{name}' links outside the issue's fonts folder",
                               face=fs.id, name=found.name), fs.where, _("copy the font file itself into the folder"))
