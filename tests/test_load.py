"""Loading and validation: every bad definition gives one message with file:line and a hint."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from layout.model.findings import InputError
from layout.load import load_issue
from layout.model.units import PT_PER_MM, UnitError, font_size, length
from layout.load.yamlsafe import load_yaml

from conftest import SAMPLE


def test_sample_issue_loads():
    issue = load_issue(SAMPLE)
    assert issue.date == "2022-01-14"
    assert [p.number for p in issue.pages] == ["01", "04"]
    pub = issue.publication
    assert pub.code == "CQZXB" and pub.cn == "CN50-0064"
    assert pub.trim_w == pytest.approx(390 * PT_PER_MM) and pub.trim_h == pytest.approx(540 * PT_PER_MM)
    assert pub.bleed == pytest.approx(3 * PT_PER_MM)
    page4 = issue.pages[1]
    assert page4.section == "慈善"
    lead = next(b for b in page4.blocks if b.id == "lead")
    assert "葛燄" in lead.text
    assert len(lead.regions) == 2


@pytest.mark.parametrize("value,pt", [("25mm", 25 * 72 / 25.4), (9.5, 9.5), ("9.5pt", 9.5), ("1in", 72.0),
                                      ("2cm", 20 * 72 / 25.4)])
def test_lengths(value, pt):
    assert length(value) == pytest.approx(pt)


@pytest.mark.parametrize("name,pt", [("小五", 9.0), ("五号", 10.5), ("小初", 36.0), ("初号", 42.0),
                                     ("新五号", 9.5), ("六号", 7.5), (12, 12.0)])
def test_zihao(name, pt):
    assert font_size(name) == pt


@pytest.mark.parametrize("bad", ["9.5px", "big", True, "小七"])
def test_bad_sizes(bad):
    with pytest.raises(UnitError):
        font_size(bad)


def test_grid_geometry():
    g = load_issue(SAMPLE).publication.grid
    assert g.column_width == pytest.approx(12 * 9.5)        # 12 characters of 新五号
    assert g.width == pytest.approx((8 * 12 + 7) * 9.5)     # 103 characters wide
    assert g.height == pytest.approx(98 * 14)
    assert g.col_x(2) - g.col_x(1) == pytest.approx(13 * 9.5)
    assert g.line_y(11) - g.line_y(1) == pytest.approx(140)
    # centred on the 390 mm page
    assert g.x == pytest.approx((390 * PT_PER_MM - g.width) / 2)


def _error(folder: Path) -> InputError:
    with pytest.raises(InputError) as info:
        load_issue(folder)
    return info.value


def test_yaml_syntax_error_has_line(sample_copy):
    page = sample_copy / "04.yaml"
    text = page.read_text(encoding="utf-8").replace("    id: lead-photo\n", "    id: [lead-photo\n", 1)
    page.write_text(text, encoding="utf-8")
    err = _error(sample_copy)
    assert err.where.file.endswith("04.yaml")
    assert "YAML syntax error" in err.message
    lineno = next(i for i, l in enumerate(text.splitlines(), 1) if "[lead-photo" in l)
    assert lineno <= err.where.line <= lineno + 2


def test_unknown_key_suggests(sample_copy):
    page = sample_copy / "04.yaml"
    text = page.read_text(encoding="utf-8").replace("    caption: 调研组", "    captoin: 调研组", 1)
    page.write_text(text, encoding="utf-8")
    err = _error(sample_copy)
    lineno = next(i for i, l in enumerate(text.splitlines(), 1) if "captoin" in l)
    assert err.where.line == lineno
    assert "captoin" in err.message and "caption" in err.hint


def test_missing_photo(sample_copy):
    (sample_copy / "photos" / "rocket.jpg").unlink()
    err = _error(sample_copy)
    assert "rocket.jpg" in err.message and "not found" in err.message
    text = (sample_copy / "04.yaml").read_text(encoding="utf-8")
    lineno = next(i for i, l in enumerate(text.splitlines(), 1) if "rocket.jpg" in l)
    assert err.where.file.endswith("04.yaml") and err.where.line == lineno


def test_duplicate_key(tmp_path):
    f = tmp_path / "x.yaml"
    f.write_text("a: 1\nb: 2\na: 3\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_yaml(f)
    assert "duplicate key 'a'" in info.value.message and info.value.where.line == 3


def test_python_tags_refused(tmp_path):
    f = tmp_path / "x.yaml"
    f.write_text("a: !!python/object/apply:os.system ['echo hi']\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_yaml(f)
    assert "not allowed" in info.value.message or "YAML" in info.value.message


def test_billion_laughs_refused(tmp_path):
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 10):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 9)}]")
    f = tmp_path / "bomb.yaml"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_yaml(f)
    assert "expands to more than" in info.value.message


def test_path_escape_refused(sample_copy):
    page = sample_copy / "04.yaml"
    page.write_text(page.read_text(encoding="utf-8").replace("copy: lead.txt", "copy: ../../lead.txt"),
                    encoding="utf-8")
    err = _error(sample_copy)
    assert "leaves the issue folder" in err.message


def test_overlapping_blocks(sample_copy):
    page = sample_copy / "04.yaml"
    page.write_text(page.read_text(encoding="utf-8").replace("    col: 6-8\n    line: 11-61", "    col: 5-8\n    line: 11-61"),
                    encoding="utf-8")
    err = _error(sample_copy)
    assert "overlaps" in err.message and err.where.file.endswith("04.yaml")


def test_block_outside_grid(sample_copy):
    page = sample_copy / "04.yaml"
    page.write_text(page.read_text(encoding="utf-8").replace("col: 1-8\n    line: 62", "col: 1-9\n    line: 62"),
                    encoding="utf-8")
    err = _error(sample_copy)
    assert "column 9" in err.message and "1–8" in err.hint


def test_gbk_copy_refused_with_iconv_hint(sample_copy):
    lead = sample_copy / "lead.txt"
    lead.write_bytes(lead.read_text(encoding="utf-8").encode("gb18030"))
    err = _error(sample_copy)
    assert "not UTF-8" in err.message and "iconv" in err.hint


def test_published_schemas_are_current():
    """schema/*.schema.json must match the loader's own schema (regenerate with `paiban schema`)."""
    import json
    from conftest import ROOT
    from layout.load.schema import SCHEMAS, published
    for kind in SCHEMAS:
        on_disk = json.loads((ROOT / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8"))
        assert on_disk == published(kind), f"schema/{kind}.schema.json is stale: run `paiban schema`"


def test_sample_files_validate_against_published_schemas():
    import jsonschema
    import json
    import yaml
    from conftest import ROOT
    for kind, path in (("publication", ROOT / "issues" / "publication.yaml"), ("issue", SAMPLE / "issue.yaml"),
                       ("page", SAMPLE / "04.yaml"), ("page", SAMPLE / "01.yaml")):
        schema = json.loads((ROOT / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8"))
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        if kind == "issue":
            doc["date"] = str(doc["date"])
        jsonschema.validate(doc, schema)


def test_docs_example_page_validates():
    import json
    import re
    import jsonschema
    import yaml
    from conftest import ROOT
    text = (ROOT / "docs" / "definitions.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```yaml\n(.*?)```", text, re.S) if b.startswith("template:"))
    schema = json.loads((ROOT / "schema" / "page.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(yaml.safe_load(block), schema)
    bad = yaml.safe_load(block)
    bad["blocks"][0]["colour"] = "red"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_load_cache_reuses_unchanged_pages(sample_copy):
    """paiban watch keeps a LoadCache: unchanged pages come back as the same object; a changed copy
    file, page file or publication makes the page load again."""
    import os
    import time
    from layout.load import LoadCache
    cache = LoadCache()
    first = load_issue(sample_copy, cache=cache)
    again = load_issue(sample_copy, cache=cache)
    assert again.pages[0] is first.pages[0] and again.pages[1] is first.pages[1]
    story = sample_copy / "story2.txt"
    story.write_text(story.read_text(encoding="utf-8") + "新的一段。\n", encoding="utf-8")
    later = time.time() + 5
    os.utime(story, (later, later))
    import layout.load.pages as pages_mod
    parsed = []
    real_load_yaml = pages_mod.load_yaml
    pages_mod.load_yaml = lambda path, shown: parsed.append(path) or real_load_yaml(path, shown)
    try:
        third = load_issue(sample_copy, cache=cache)
    finally:
        pages_mod.load_yaml = real_load_yaml
    assert third.pages[0] is first.pages[0]            # page 01 untouched
    assert third.pages[1] is not first.pages[1]        # page 04 names story2.txt
    assert parsed == []                                # … but its YAML did not change: not parsed again
    assert "新的一段。" in next(b for b in third.pages[1].blocks if b.id == "story2").text
    pub = sample_copy.parent / "publication.yaml"
    os.utime(pub, (later + 5, later + 5))
    fourth = load_issue(sample_copy, cache=cache)
    assert fourth.pages[0] is not first.pages[0]


def test_load_cache_keeps_issue_yaml_and_the_publication_while_unchanged(sample_copy):
    """A rebuild does not parse and validate issue.yaml and publication.yaml again when neither (nor the
    publication's profile) changed — the same objects, the same findings each time — and does when one did."""
    import os
    import time
    from layout.load import LoadCache
    pub_file = sample_copy.parent / "publication.yaml"
    text = pub_file.read_text(encoding="utf-8")
    pub_file.write_text(text.replace("报红: cmyk(0,100,100,0)", '报红: "#c00000"', 1), encoding="utf-8")
    cache = LoadCache()
    first = load_issue(sample_copy, cache=cache)
    again = load_issue(sample_copy, cache=cache)
    assert again.publication is first.publication
    assert [f.code for f in again.findings] == [f.code for f in first.findings] and \
        "rgb-colour" in [f.code for f in first.findings]   # the publication's warning, every time
    later = time.time() + 5
    pub_file.write_text(pub_file.read_text(encoding="utf-8").replace("min_ppi: 150", "min_ppi: 170"), encoding="utf-8")
    os.utime(pub_file, (later, later))
    third = load_issue(sample_copy, cache=cache)
    assert third.publication is not first.publication and third.publication.min_ppi == 170
    issue_file = sample_copy / "issue.yaml"
    issue_file.write_text(issue_file.read_text(encoding="utf-8").replace("2022-01-14", "2022-01-15"), encoding="utf-8")
    os.utime(issue_file, (later + 5, later + 5))
    assert load_issue(sample_copy, cache=cache).date == "2022-01-15"


def test_schema_patterns_refuse_a_trailing_newline():
    """The published schemas and the loader's validator agree: no pattern ends in `$` (which lets a final
    newline through in Python), and page "04\\n" is refused by both."""
    import json
    import jsonschema
    from conftest import ROOT
    from layout.load import schema
    from layout.model.findings import InputError

    def patterns(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "pattern":
                    yield v
                else:
                    yield from patterns(v)
        elif isinstance(node, list):
            for v in node:
                yield from patterns(v)
    for kind in ("publication", "issue", "page"):
        on_disk = json.loads((ROOT / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8"))
        assert all(not p.endswith("$") for p in patterns(on_disk)), kind
    on_disk = json.loads((ROOT / "schema" / "issue.schema.json").read_text(encoding="utf-8"))
    doc = {"date": "2022-01-14", "pages": [{"page": "04\n", "file": "04.yaml"}]}
    assert list(jsonschema.Draft202012Validator(on_disk).iter_errors(doc))
    doc["pages"][0]["page"] = "04"
    assert not list(jsonschema.Draft202012Validator(on_disk).iter_errors(doc))
    from layout.load.yamlsafe import load_yaml
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "issue.yaml"
        f.write_text('date: 2022-01-14\npages:\n  - page: "04\\n"\n    file: 04.yaml\n', encoding="utf-8")
        with pytest.raises(InputError) as e:
            schema.validate(load_yaml(f), "issue")
        assert e.value.where.line == 3
