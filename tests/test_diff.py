"""paiban diff: two builds that differ in one headline report exactly that page and region."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from layout.cli import main
from layout.products.diff import merge_rects, regions
from layout.load import load_issue

ROOT = Path(__file__).resolve().parent.parent
MM = 72 / 25.4


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    base = tmp_path_factory.mktemp("diff")
    for name in ("old", "new"):
        shutil.copytree(ROOT / "issues" / "2022-01-14", base / name / "issues" / "2022-01-14")
        shutil.copy(ROOT / "issues" / "publication.yaml", base / name / "issues" / "publication.yaml")
    page = base / "new" / "issues" / "2022-01-14" / "04.yaml"
    page.write_text(page.read_text(encoding="utf-8").replace("main: 履职于行 躬身慈善", "main: 履职尽责 情系公益"),
                    encoding="utf-8")
    for name in ("old", "new"):
        assert main(["build", str(base / name / "issues" / "2022-01-14"), "--out", str(base / name / "out")]) == 0
    return base


def test_one_headline_changed(builds, capsys):
    capsys.readouterr()
    out = builds / "report"
    rc = main(["diff", str(builds / "old" / "out" / "2022-01-14"), str(builds / "new" / "out" / "2022-01-14"),
               "--out", str(out), "--format", "json"])
    assert rc == 1
    report = json.loads(capsys.readouterr().out)
    from test_gate import _schema_validate
    _schema_validate(report)                    # the one findings shape (docs/findings.schema.json)
    assert report["diff"]["compared"] == 2
    # page 04's headline changed; page 01 changed too, because its 导读 quotes that headline
    pages = {p["name"][:len("CQZXB-20220114-04.pdf")]: p for p in report["pages"]}
    assert sorted(pages) == ["CQZXB-20220114-01.pdf", "CQZXB-20220114-04.pdf"], list(pages)
    assert pages["CQZXB-20220114-01.pdf"]["status"] == "changed"
    page = pages["CQZXB-20220114-04.pdf"]
    assert page["status"] == "changed"
    assert 0 < page["percent"] < 2
    # the headline block's rectangle, in mm from the trim's top-left
    issue = load_issue(builds / "new" / "issues" / "2022-01-14")
    block = next(b for b in next(p for p in issue.pages if p.number == "04").blocks if b.id == "story3-head")
    hx, hy, hw, hh = (v / MM for v in (block.rect.x, block.rect.y, block.rect.w, block.rect.h))
    assert page["boxes_mm"]
    for x, y, w, h in page["boxes_mm"]:
        assert x < hx + hw and hx < x + w and y < hy + hh and hy < y + h, (x, y, w, h, (hx, hy, hw, hh))
        assert hx - 2 <= x and x + w <= hx + hw + 2 and hy - 2 <= y and y + h <= hy + hh + 2
    png = Path(page["png"])
    assert png.is_file() and png.parent == out
    with Image.open(png) as im:
        arr = np.asarray(im.convert("RGB")).astype(int)
    red = (arr[..., 0] > 200) & (arr[..., 1] < 40) & (arr[..., 2] < 40)
    assert red.sum() > 100                      # the outline is drawn


def test_identical_builds_and_single_files(builds, capsys):
    old = builds / "old" / "out" / "2022-01-14"
    assert main(["diff", str(old), str(old), "--out", str(builds / "same")]) == 0
    assert "identical: 2 page(s)" in capsys.readouterr().out
    a, b = old / "CQZXB-20220114-04.pdf", builds / "new" / "out" / "2022-01-14" / "CQZXB-20220114-04.pdf"
    assert main(["diff", str(a), str(b), "--out", str(builds / "files")]) == 1
    assert main(["diff", str(a), str(builds / "missing.pdf")]) == 2


def test_regions_join_near_changes_and_keep_far_ones_apart():
    mask = np.zeros((200, 300), dtype=bool)
    mask[10:20, 10:20] = True
    mask[10:20, 22:30] = True          # 2 px away: same region
    mask[150:160, 250:280] = True      # far away: its own region
    assert regions(mask, 4) == [(10, 10, 30, 20), (250, 150, 280, 160)]
    assert regions(np.zeros((5, 5), dtype=bool), 4) == []
    assert merge_rects([(0, 0, 10, 10), (5, 5, 20, 20), (30, 30, 40, 40)]) == [(0, 0, 20, 20), (30, 30, 40, 40)]
