"""paiban check: JSON on the findings schema, JUnit, exit codes, page/story/file:line on every finding."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from PIL import Image

from layout.products.check import CODES
from layout.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "issues" / "2022-01-14"
SCHEMA = json.loads((ROOT / "docs" / "findings.schema.json").read_text(encoding="utf-8"))


def line_of(path: Path, text: str) -> int:
    """1-based number of the first line of `path` containing `text`."""
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if text in line and (not text.startswith("id: ") or line.strip() == text):
            return n
    raise AssertionError(f"{text!r} not in {path}")


def run_json(capsys, *argv) -> tuple[int, dict]:
    rc = main(["check", *map(str, argv), "--format", "json"])
    return rc, json.loads(capsys.readouterr().out)


def test_json_validates_and_junit_parses(capsys, tmp_path):
    junit = tmp_path / "check.xml"
    rc, report = run_json(capsys, SAMPLE, "--junit", junit)
    assert rc == 0
    jsonschema.Draft202012Validator(SCHEMA).validate(report)
    assert report["schema"] == "paiban-findings/1" and report["tool"] == "paiban check"
    assert [p["page"] for p in report["pages"]] == ["01", "04"]
    assert report["issue"]["date"] == "2022-01-14"
    assert sum(p["counts"]["warning"] for p in report["pages"]) <= report["summary"]["counts"]["warning"]
    # the validator really checks: a report without its summary is refused
    broken = dict(report)
    del broken["summary"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(SCHEMA).validate(broken)
    root = ET.fromstring(junit.read_text(encoding="utf-8"))
    cases = root.findall("./testsuite/testcase")
    names = {(c.get("classname"), c.get("name")) for c in cases}
    for page in ("01", "04"):
        for code in CODES:
            assert (f"issues/2022-01-14/{page}.yaml", f"page {page}: {code}") in names or \
                any(n == f"page {page}: {code}" for _, n in names)
    assert int(root.get("tests")) == len(cases) >= 2 * len(CODES)
    assert root.find("./testsuite").get("failures") == "0"


def test_text_report_grouped_by_page_worst_first(capsys):
    assert main(["check", str(SAMPLE)]) == 0
    out = capsys.readouterr().out.splitlines()
    heads = [i for i, line in enumerate(out) if line.startswith("  page ")]
    assert [out[i].split()[1] for i in heads] == ["01", "04"]
    page04 = out[heads[1] + 1:]
    findings = [line for line in page04 if line.startswith("    ") and line.split()[0] in ("error", "warning", "info")]
    assert len(findings) == len([line for line in page04 if line.strip().startswith("at ")])
    sev = [line.split()[0] for line in findings]
    assert sev == sorted(sev, key=["error", "warning", "info"].index)
    assert all("issues/2022-01-14/04.yaml:" in line for line in page04 if line.strip().startswith("at "))


def test_missing_photo_is_invalid_input_with_file_and_line(sample_copy, capsys):
    (sample_copy / "photos" / "rocket.jpg").unlink()
    assert main(["check", str(sample_copy)]) == 2
    err = capsys.readouterr().err
    line = line_of(sample_copy / "04.yaml", "file: photos/rocket.jpg")
    assert f"04.yaml:{line}:" in err and "rocket.jpg" in err and "not found" in err


@pytest.fixture
def broken(sample_copy) -> Path:
    """The sample issue broken three ways on page 04: overset story2, an RGB rule, a 72-ppi lead photo."""
    copy = sample_copy / "story2.txt"
    copy.write_text(copy.read_text(encoding="utf-8") * 4, encoding="utf-8")
    page = sample_copy / "04.yaml"
    text = page.read_text(encoding="utf-8")
    text = text.replace("    id: fold\n", "    id: fold\n    color: \"#c00000\"\n")
    text = text.replace("file: photos/hubble_deep_field.jpg", "file: photos/tiny.png")
    page.write_text(text, encoding="utf-8")
    # col 1-3 is 361 pt = 5 in wide: 361 px gives 72 ppi
    Image.new("RGB", (361, 300), (90, 120, 160)).save(sample_copy / "photos" / "tiny.png")
    return sample_copy


def test_broken_issue_findings_have_page_story_and_line(broken, capsys):
    rc, report = run_json(capsys, broken)
    assert rc == 1                      # errors fail without any option
    jsonschema.Draft202012Validator(SCHEMA).validate(report)
    page = broken / "04.yaml"
    by_code: dict[str, list[dict]] = {}
    for f in report["findings"]:
        by_code.setdefault(f["code"], []).append(f)

    [overset] = by_code["overset"]
    assert overset["severity"] == "error" and overset["page"] == "04" and overset["story"] == "story2"
    assert overset["where"]["file"].endswith("04.yaml")
    assert overset["where"]["line"] == line_of(page, "id: story2") - 1   # the "- type: story" line
    assert overset["data"]["chars"] > 100 and overset["data"]["text"]

    [rgb] = by_code["rgb-colour"]
    assert rgb["page"] == "04" and rgb["story"] == "fold"
    assert rgb["where"]["file"].endswith("04.yaml") and rgb["where"]["line"] == line_of(page, "#c00000")

    # below the publication's floor (min_ppi 150) the photo is an error ("ppi-below-floor")
    lows = [f for f in by_code.get("ppi-below-floor", []) + by_code.get("low-ppi", []) if f["story"] == "lead"]
    assert len(lows) == 1 and lows[0]["severity"] == "error" and lows[0]["page"] == "04"
    assert lows[0]["data"]["ppi"] < 80
    assert lows[0]["where"]["line"] == line_of(page, "id: lead-photo") - 1

    assert main(["check", str(broken), "--strict"]) == 1
    capsys.readouterr()
    assert main(["check", str(broken)]) == 1
    text = capsys.readouterr().out
    assert "overset [story2]" in text and "rgb-colour [fold]" in text and "ppi" in text and "[lead]" in text


def test_strict_junit_fails_the_broken_cases(broken, tmp_path, capsys):
    junit = tmp_path / "j.xml"
    assert main(["check", str(broken), "--strict", "--junit", str(junit)]) == 1
    root = ET.fromstring(junit.read_text(encoding="utf-8"))
    failed = {c.get("name") for c in root.iter("testcase") if c.find("failure") is not None}
    assert {"page 04: overset", "page 04: rgb-colour"} <= failed
    assert "page 04: ppi-below-floor" in failed or "page 04: low-ppi" in failed
    assert "page 01: overset" not in failed


def test_missing_byline_when_the_style_wants_one(sample_copy, capsys):
    pub = sample_copy.parent / "publication.yaml"
    pub.write_text(pub.read_text(encoding="utf-8").replace(
        "body:         {font: shusong, size: 新五号, leading: 14pt, align: justify}",
        "body:         {font: shusong, size: 新五号, leading: 14pt, align: justify, needs_byline: true}"),
        encoding="utf-8")
    rc, report = run_json(capsys, sample_copy)
    missing = {(f["page"], f["story"]) for f in report["findings"] if f["code"] == "missing-byline"}
    assert ("04", "story2") in missing and ("04", "story3") in missing
    assert ("04", "lead") not in missing          # the lead story has (俞 宗)
    rc, report = run_json(capsys, SAMPLE)
    assert not any(f["code"] == "missing-byline" for f in report["findings"])
