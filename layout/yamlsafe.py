"""Safe YAML reading that keeps file:line for every value.

Only plain types are built (mappings, sequences, str, int, float, bool, null, dates):
no tags that construct Python objects. Duplicate keys are errors, and alias expansion is
bounded so a "billion laughs" document is refused instead of eating the machine.
"""
from __future__ import annotations

import datetime
from pathlib import Path

import yaml

from .findings import InputError, Where

MAX_NODES = 200_000  # plain values built from one file, aliases expanded


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

    def build(self, node):
        self.count += 1
        if self.count > MAX_NODES:
            raise InputError(
                f"the document expands to more than {MAX_NODES:,} values (aliases nested too deep?)",
                _mark(self.path, node), "remove the repeated anchors/aliases")
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in (
                "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
            raise InputError(f"the tag {node.tag} is not allowed", _mark(self.path, node),
                             "use plain values: text, numbers, lists and mappings")
        if isinstance(node, yaml.MappingNode):
            out = YMap()
            out.where = _mark(self.path, node)
            out.key_where = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise InputError("merge keys (<<) are not supported", _mark(self.path, key_node),
                                     "write the keys out in full")
                key = self.build(key_node)
                if not isinstance(key, (str, int)):
                    raise InputError("a key must be a plain word", _mark(self.path, key_node))
                key = str(key)
                if key in out:
                    first = out.key_where[key]
                    raise InputError(f"duplicate key '{key}' (first at line {first.line})",
                                     _mark(self.path, key_node), "keep one of the two")
                out[key] = self.build(value_node)
                out.key_where[key] = _mark(self.path, key_node)
            return out
        if isinstance(node, yaml.SequenceNode):
            out = YList()
            out.where = _mark(self.path, node)
            out.item_where = []
            for item in node.value:
                out.append(self.build(item))
                out.item_where.append(_mark(self.path, item))
            return out
        # scalars: only the YAML core types
        tag = node.tag
        if tag in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                   "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp"):
            value = self.scalar.construct_object(node, deep=True)
            if isinstance(value, datetime.datetime):
                value = value.date()
            if isinstance(value, datetime.date):
                return value.isoformat()
            return value
        raise InputError(f"the tag {tag} is not allowed", _mark(self.path, node),
                         "use plain values: text, numbers, lists and mappings")


def load_yaml(path: Path, display: str | None = None):
    """Read one YAML document; InputError with file:line:column on any problem."""
    shown = display or str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", Where(shown), "check the file name")
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", Where(shown))
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError("the file is not UTF-8 text", Where(shown, line),
                         "save it as UTF-8 (without GBK/GB18030 encoding)")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Where(shown, mark.line + 1, mark.column + 1) if mark else Where(shown)
        problem = exc.problem or exc.context or "invalid YAML"
        raise InputError(f"YAML syntax error: {problem}", where,
                         "check indentation, colons and quotes on this line and the one above")
    except yaml.YAMLError as exc:
        raise InputError(f"YAML error: {exc}", Where(shown))
    if node is None:
        raise InputError("the file is empty", Where(shown), "see docs/definitions.md for what belongs here")
    return _Builder(shown).build(node)
