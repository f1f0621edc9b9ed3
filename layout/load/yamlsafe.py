"""Safe YAML reading that keeps file:line for every value.

Only plain types are built (mappings, sequences, str, int, float, bool, null, dates):
no tags that construct Python objects. Duplicate keys are errors, and alias expansion is
bounded so a "billion laughs" document is refused instead of eating the machine.
"""
from __future__ import annotations

import datetime
import math
import shlex
import stat
from pathlib import Path

import yaml

from layout.model.findings import InputError, Where
from layout.model.i18n import _

MAX_NODES = 200_000  # plain values built from one file, aliases expanded
MAX_DEPTH = 40       # nesting of lists and mappings (the definitions need fewer than 10)
MAX_BYTES = 1 << 20  # one definition file; the sample's are a few kB
MAX_DIGITS = 15      # integers beyond this are typos, and would overflow floats later


class YMap(dict):
    """A mapping that remembers where it and each key came from."""
    where: Where
    key_where: dict


class YList(list):
    where: Where
    item_where: list


def where_of(container, key) -> Where:
    """Location of container[key] (key or index), falling back to the container's own."""
    if isinstance(container, YMap):
        return container.key_where.get(key, container.where)
    if isinstance(container, YList) and isinstance(key, int) and 0 <= key < len(container.item_where):
        return container.item_where[key]
    return getattr(container, "where", Where())


def _mark(path: str, node) -> Where:
    return Where(path, node.start_mark.line + 1, node.start_mark.column + 1)


_RESOLVER = yaml.resolver.Resolver


class _Builder:
    def __init__(self, path: str):
        self.path = path
        self.count = 0
        self.scalar = yaml.constructor.SafeConstructor()

    def build(self, node, depth: int = 0):
        self.count += 1
        if self.count > MAX_NODES:
            raise InputError(
                _('the document expands to more than {MAX_NODES:,} values (aliases nested too deep?)', MAX_NODES=MAX_NODES),
                _mark(self.path, node), _('remove the repeated anchors/aliases'))
        if depth > MAX_DEPTH:
            raise InputError(_('lists and mappings are nested more than {MAX_DEPTH} levels deep', MAX_DEPTH=MAX_DEPTH),
                             _mark(self.path, node), _('check the brackets and indentation here'))
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in (
                "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
            raise InputError(_('the tag {tag} is not allowed', tag=node.tag), _mark(self.path, node),
                             _('use plain values: text, numbers, lists and mappings'))
        if isinstance(node, yaml.MappingNode):
            out = YMap()
            out.where = _mark(self.path, node)
            out.key_where = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise InputError(_('merge keys (<<) are not supported'), _mark(self.path, key_node),
                                     _('write the keys out in full'))
                key = self.build(key_node, depth + 1)
                if not isinstance(key, (str, int)) or isinstance(key, bool):
                    raise InputError(_('a key must be a plain word'), _mark(self.path, key_node),
                                     _('write the key as a word (quote it if it looks like a number or yes/no)'))
                key = str(key)
                if key in out:
                    first = out.key_where[key]
                    raise InputError(_("duplicate key '{key}' (first at line {line})", key=key, line=first.line),
                                     _mark(self.path, key_node), _('keep one of the two'))
                out[key] = self.build(value_node, depth + 1)
                out.key_where[key] = _mark(self.path, key_node)
            return out
        if isinstance(node, yaml.SequenceNode):
            out = YList()
            out.where = _mark(self.path, node)
            out.item_where = []
            for item in node.value:
                out.append(self.build(item, depth + 1))
                out.item_where.append(_mark(self.path, item))
            return out
        # scalars: only the YAML core types
        tag = node.tag
        if tag in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                   "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp"):
            try:
                value = self.scalar.construct_object(node, deep=True)
            except (ValueError, OverflowError, TypeError, yaml.constructor.ConstructorError) as exc:
                raise InputError(_("'{value}' is not a valid value ({exc})", value=node.value, exc=exc), _mark(self.path, node),
                                 _('fix the value; quote it if it is meant as text')) from None
            if isinstance(value, float) and not math.isfinite(value):
                raise InputError(_("'{value}' is not a finite number", value=node.value), _mark(self.path, node),
                                 _('give an ordinary number such as 12 or 2.5'))
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10 ** MAX_DIGITS:
                raise InputError(_('the number {value} is far too large', value=node.value), _mark(self.path, node),
                                 _('check the value (a typo?)'))
            if isinstance(value, datetime.datetime):
                value = value.date()
            if isinstance(value, datetime.date):
                return value.isoformat()
            return value
        raise InputError(_('the tag {tag} is not allowed', tag=tag), _mark(self.path, node),
                         _('use plain values: text, numbers, lists and mappings'))


def _line_col(text: str, position: int) -> tuple[int, int]:
    line = text.count("\n", 0, position) + 1
    return line, position - (text.rfind("\n", 0, position) + 1) + 1


_FAST_LOADER = getattr(yaml, "CSafeLoader", None)  # libyaml: the same node tree and marks, 10× faster


def _compose(text: str):
    """The node tree of `text`: libyaml when it parses the text; otherwise PyYAML's own composer,
    so errors (and their messages and marks, which load_yaml reports) are always PyYAML's."""
    if _FAST_LOADER is not None:
        try:
            return yaml.compose(text, Loader=_FAST_LOADER)
        except Exception:  # noqa: BLE001 — any problem: let the reference composer say what it is
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)


def decode_utf8(raw: bytes, path: Path, shown: str, message: str, hint: str) -> str:
    """UTF-8 text without its BOM; InputError at the first bad byte's line, with the iconv command
    when the bytes read as GBK/GB18030 (the usual cause in Chinese newsrooms)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        try:
            raw.decode("gb18030")
            n = shlex.quote(shown)   # the path as the user named it, so the command works from here
            hint = _("it looks like GBK/GB18030 text: convert it with {command}",
                     command=f"`iconv -f GB18030 -t UTF-8 {n} > {n}.utf8 && mv {n}.utf8 {n}`")
        except UnicodeDecodeError:
            pass
        raise InputError(message, Where(shown, line), hint) from None


def load_yaml(path: Path, display: str | None = None, mapping: bool = True):
    """Read one YAML document (a mapping unless mapping=False); InputError with file:line:column
    on any problem."""
    shown = display or str(path)
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):  # a FIFO or device would block or never end
            raise InputError(_('this is not a regular file'), Where(shown),
                             _('name a YAML file (not a folder, pipe or device)'))
        size = st.st_size
        if size > MAX_BYTES:
            raise InputError(_('the file is {size:.1f} MB; a definition file is at most {MAX_BYTES:.0f} MB', size=size / (1 << 20), MAX_BYTES=MAX_BYTES / (1 << 20)), Where(shown),
                             _('check that this is the right file (definitions are a few kB)'))
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(_('file not found'), Where(shown), _('check the file name')) from None
    except IsADirectoryError:
        raise InputError(_('this is a folder, not a file'), Where(shown), _('name the YAML file')) from None
    except OSError as exc:
        raise InputError(_('cannot read the file ({value})', value=exc.strerror or exc), Where(shown),
                         _('check that the file exists and is readable')) from None
    text = decode_utf8(raw, path, shown, _("the file is not UTF-8 text"), _("save it as UTF-8"))
    try:
        node = _compose(text)
    except yaml.reader.ReaderError as exc:  # control characters and the like, before parsing
        line, col = _line_col(text, exc.position)
        ch = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        raise InputError(_('the file holds a control character U+{ch:04X}', ch=ch), Where(shown, line, col),
                         _('remove it (it is invisible in most editors)')) from None
    except RecursionError:
        raise InputError(_('lists and mappings are nested far too deep'), Where(shown, 1),
                         _('check the brackets and indentation')) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Where(shown, mark.line + 1, mark.column + 1) if mark else Where(shown)
        problem = exc.problem or exc.context or "invalid YAML"
        raise InputError(_('YAML syntax error: {problem}', problem=problem), where,
                         _('check indentation, colons and quotes on this line and the one above')) from None
    except yaml.YAMLError as exc:
        raise InputError(_('YAML error: {exc}', exc=exc), Where(shown), _("check the file's syntax")) from None
    if node is None:
        raise InputError(_('the file is empty'), Where(shown), _('see docs/definitions.md for what belongs here'))
    if mapping and not isinstance(node, yaml.MappingNode):
        raise InputError(_('the file must be a mapping of keys (key: value lines), not {value}', value='a list' if isinstance(node, yaml.SequenceNode) else 'a single value'),
                         _mark(shown, node), _('see docs/definitions.md for what belongs here'))
    try:
        return _Builder(shown).build(node)
    except RecursionError:
        raise InputError(_('lists and mappings are nested far too deep'), Where(shown, 1),
                         _('check the brackets and indentation')) from None
