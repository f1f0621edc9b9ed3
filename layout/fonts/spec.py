"""fonts.yaml → FontsSpec: the declared faces, roles and fallback chains, with file:line for errors.

Input: the path of a fonts.yaml. Output: FontsSpec (plain data). No font file is opened here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from layout.model.paths import read_regular
from layout.model.findings import InputError, Where
from layout.model.i18n import _


@dataclass(frozen=True)
class FaceSpec:
    id: str                    # the name roles refer to ("song")
    files: tuple[str, ...]     # file names (or paths) to try in order; the first found wins
    name: str = ""             # pick the collection member whose family/full/PostScript name is this
    where: Where = field(default_factory=Where)


@dataclass(frozen=True)
class RoleSpec:
    name: str                  # "shusong"
    face: str                  # FaceSpec id of the role's own face
    fallback: tuple[str, ...]  # FaceSpec ids tried before the global fallback
    latin: str = ""            # FaceSpec id of a Latin face the role sets Latin text in ("" = its own)
    where: Where = field(default_factory=Where)


@dataclass(frozen=True)
class FontsSpec:
    faces: dict[str, FaceSpec]
    roles: dict[str, RoleSpec]
    fallback: tuple[str, ...]  # appended to every role's chain
    file: str = ""

    def chain_ids(self, role: str) -> list[str]:
        r = self.roles[role]
        out: list[str] = []
        for fid in (r.face, *r.fallback, *self.fallback):
            if fid not in out:
                out.append(fid)
        return out


def _where(file: str, node) -> Where:
    return Where(file, node.start_mark.line + 1, node.start_mark.column + 1)


def _mapping(node, file: str, what: str) -> dict:
    if not isinstance(node, yaml.MappingNode):
        raise InputError(_('{what} must be a mapping', what=what), _where(file, node))
    return {k.value: v for k, v in node.value}


def _strings(node, file: str, what: str) -> tuple[str, ...]:
    if isinstance(node, yaml.ScalarNode):
        return (str(node.value),)
    if isinstance(node, yaml.SequenceNode) and all(isinstance(n, yaml.ScalarNode) for n in node.value):
        return tuple(str(n.value) for n in node.value)
    raise InputError(_('{what} must be a name or a list of names', what=what), _where(file, node))


def load_spec(path: Path) -> FontsSpec:
    file = str(path)
    raw = read_regular(Path(path), Where(file), _("font definitions"), limit=4 << 20)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(_("font definitions are not UTF-8 text ({reason} at byte {start})", reason=e.reason,
                           start=e.start), Where(file), _("save fonts.yaml as UTF-8")) from None
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        w = Where(file, mark.line + 1, mark.column + 1) if mark else Where(file)
        raise InputError(_('font definitions are not valid YAML: {value}', value=getattr(e, 'problem', e)), w) from None
    if root is None:
        raise InputError(_('font definitions are empty'), Where(file))
    top = _mapping(root, file, "fonts.yaml")
    for key in top:
        if key not in ("faces", "roles", "fallback"):
            raise InputError(_('unknown key {key!r} (expected faces, roles, fallback)', key=key), Where(file))
    if "faces" not in top or "roles" not in top:
        raise InputError(_("fonts.yaml needs 'faces' and 'roles'"), _where(file, root))

    _mapping(top["faces"], file, "faces")
    faces: dict[str, FaceSpec] = {}
    for knode, node in top["faces"].value:
        fid = knode.value
        fm = _mapping(node, file, f"face {fid!r}")
        bad = set(fm) - {"file", "name"}
        if bad or "file" not in fm:
            raise InputError(_("face {fid!r} needs 'file' (and optionally 'name'), got {fm}", fid=fid, fm=sorted(fm)),
                             _where(file, node))
        name = fm["name"].value if "name" in fm else ""
        faces[fid] = FaceSpec(fid, _strings(fm["file"], file, f"face {fid!r} file"), str(name),
                              _where(file, knode))

    def check_ids(ids: tuple[str, ...], node) -> tuple[str, ...]:
        for fid in ids:
            if fid not in faces:
                raise InputError(_('unknown face {fid!r}; defined faces: {faces}', fid=fid, faces=', '.join(sorted(faces))),
                                 _where(file, node))
        return ids

    fallback = check_ids(_strings(top["fallback"], file, "fallback"), top["fallback"]) \
        if "fallback" in top else ()

    _mapping(top["roles"], file, "roles")
    roles: dict[str, RoleSpec] = {}
    for knode, node in top["roles"].value:
        rname = knode.value
        if isinstance(node, yaml.ScalarNode):  # shorthand "kai: kai"
            rm = {"face": node}
        else:
            rm = _mapping(node, file, f"role {rname!r}")
        bad = set(rm) - {"face", "fallback", "latin"}
        if bad or "face" not in rm:
            raise InputError(_("role {rname!r} needs 'face' (optional: fallback, latin), got {rm}", rname=rname, rm=sorted(rm)),
                             _where(file, node))
        face = check_ids((rm["face"].value,), rm["face"])[0]
        fb = check_ids(_strings(rm["fallback"], file, "fallback"), rm["fallback"]) if "fallback" in rm else ()
        latin = check_ids((rm["latin"].value,), rm["latin"])[0] if "latin" in rm else ""
        roles[rname] = RoleSpec(rname, face, fb, latin, _where(file, knode))
    return FontsSpec(faces, roles, fallback, file)
