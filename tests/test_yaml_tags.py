"""Nothing from input is executed or imported: only plain YAML types are built (layout.load.yamlsafe)."""
from __future__ import annotations

import re

import pytest

from layout.model.findings import InputError
from layout.load.yamlsafe import MAX_DEPTH, YList, YMap, load_yaml

HOSTILE = {
    "python/object/apply": 'x: !!python/object/apply:os.system ["touch {marker}"]\n',
    "python/object/new": "x: !!python/object/new:subprocess.Popen\n  args: [[touch, '{marker}']]\n",
    "python/object": "x: !!python/object:pathlib.Path {{}}\n",
    "python/name": "x: !!python/name:os.system\n",
    "python/module": "x: !!python/module:os\n",
    "python/tuple": "x: !!python/tuple [1, 2]\n",
    "python/bytes": "x: !!python/bytes aGVsbG8=\n",
    "binary": "x: !!binary aGVsbG8=\n",
    "set": "x: !!set {{a, b}}\n",
    "omap": "x: !!omap [a: 1, b: 2]\n",
    "pairs": "x: !!pairs [a: 1, a: 2]\n",
    "custom !include": "x: !include other.yaml\n",
    "custom !env": "x: !env HOME\n",
    "verbatim": "x: !<tag:example.com,2000:app/thing> 1\n",
    "tagged key": "? !!python/name:os.system\n: 1\n",
    "tagged mapping": "x: !!python/object:os.Foo\n  a: 1\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_tags_are_refused_and_nothing_runs(name, tmp_path):
    marker = tmp_path / "PWNED"
    path = tmp_path / "page.yaml"
    path.write_text(HOSTILE[name].format(marker=marker), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_yaml(path, "page.yaml")
    err = info.value
    assert err.where.file == "page.yaml" and err.where.line >= 1
    assert "tag" in err.message and err.hint
    assert not marker.exists()


def test_merge_keys_are_refused(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("base: &b {type: rule}\nblock:\n  <<: *b\n  id: x\n", encoding="utf-8")
    with pytest.raises(InputError, match="merge keys") as info:
        load_yaml(path, "p.yaml")
    assert info.value.where.line == 3


def test_only_plain_types_are_built(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("a: 1\nb: 2.5\nc: text\nd: true\ne: null\nf: 2022-01-14\ng: 2022-01-14 10:00:00\n"
                    "h: [1, {x: y}]\ni: !!str 12\nj: !!int '7'\nk: &anchor [1]\nl: *anchor\n", encoding="utf-8")
    doc = load_yaml(path)
    assert doc == {"a": 1, "b": 2.5, "c": "text", "d": True, "e": None, "f": "2022-01-14", "g": "2022-01-14",
                   "h": [1, {"x": "y"}], "i": "12", "j": 7, "k": [1], "l": [1]}

    def walk(v):
        assert type(v) in (YMap, YList, str, int, float, bool, type(None)), type(v)
        if isinstance(v, dict):
            for k, x in v.items():
                assert type(k) is str
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)
    walk(doc)


@pytest.mark.parametrize("text,fragment", [
    ("a: .nan\n", "finite"), ("a: -.inf\n", "finite"), ("a: 2022-02-30\n", "not a valid value"),
    ("a: 1" + "0" * 30 + "\n", "far too large"), ("1.5: x\n", "plain word"), ("a: 1\na: 2\n", "duplicate key"),
    ("- 1\n", "mapping"), ("just text\n", "mapping"), ("a: [1,\n", "YAML syntax error"),
    ("a: b\x00\n", "control character U+0000"), ("a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5), "nested"),
])
def test_odd_values_are_refused(text, fragment, tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(fragment)) as info:
        load_yaml(path, "p.yaml")
    assert info.value.where.file == "p.yaml" and info.value.hint


def test_alias_bomb_is_refused(tmp_path):
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 12):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="aliases"):
        load_yaml(path, "bomb.yaml")
