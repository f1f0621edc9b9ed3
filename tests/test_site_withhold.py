"""`paiban site` refuses to publish a page whose build has an error ([gate]), through the real CLI and
real files: a copy of the sample issue whose lead story is overset on page 04 (its copy doubled).

- by default page 04 is withheld: its page view, images, PDF, story pages and search entries are not
  written, nothing links to it, the command names it and exits 1; page 01 is published;
- an earlier published version of the page stays as it was until a run without errors replaces it;
- `--publish-errors` publishes it anyway, marked, and still exits 1;
- warnings never withhold a page; `--strict` only turns them into exit 1.
"""
from __future__ import annotations

import json
import shutil

import pytest

from conftest import SAMPLE
from layout.cli import main
from test_site import crawl_links

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) not installed")

DAY = "html/2022-01/14"
PAGE04_STORIES = ("lead", "story2", "story3", "story4")     # the stories whose head is on page 04
PAGE04_FILES = ("node_04.htm", "pdf/CQZXB-20220114-04.pdf", "images/page_04_800.jpg", "images/page_04_1600.jpg",
                "images/page_04_2800.jpg", "images/page_04_s.jpg", "images/lead-1.jpg", "images/story4-1.jpg") \
    + tuple(f"content_{k}.htm" for k in PAGE04_STORIES)
PAGE01_FILES = ("index.html", "node_01.htm", "content_front1.htm", "pdf/CQZXB-20220114-01.pdf",
                "images/page_01_800.jpg", "images/page_01_s.jpg", "issue.json")


@pytest.fixture
def english(monkeypatch):
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


def overset(issue):
    """Double the lead story's copy: page 04 gets an overset error (page 01 stays clean)."""
    lead = issue / "lead.txt"
    good = lead.read_text(encoding="utf-8")
    lead.write_text(good * 2, encoding="utf-8")
    return good


def site_files(out):
    return sorted(p.relative_to(out).as_posix() for p in (out / DAY).rglob("*") if p.is_file())


def no_page_04_anywhere(out):
    """Nothing in the site names page 04's files or stories: not the issue index, the other page's
    版面导航, the archive or the search index."""
    for page in list(out.rglob("*.htm")) + list(out.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        assert "node_04.htm" not in text and "page_04_" not in text, page
        for key in PAGE04_STORIES:
            assert f"content_{key}.htm" not in text, (page, key)
    data = json.loads((out / DAY / "issue.json").read_text(encoding="utf-8"))
    assert [p["page"] for p in data["pages"]] == ["01"]
    assert data["withheld"] == ["04"]
    assert "第04版" not in (out / DAY / "index.html").read_text(encoding="utf-8")
    # the search index holds only the published stories (Pagefind writes one fragment per page indexed)
    fragments = list((out / "pagefind" / "fragment").glob("*.pf_fragment"))
    assert len(fragments) == 3, fragments     # front1, front2, front3 (page 01)


def test_page_with_an_error_is_withheld(sample_copy, tmp_path, capsys, english):
    overset(sample_copy)
    out = tmp_path / "site"
    assert main(["site", str(sample_copy), "--out", str(out)]) == 1
    text = capsys.readouterr().out
    assert "error page 04 story lead:" in text and "[overset]" in text
    assert "withheld (an error; not published): page 04" in text
    for rel in PAGE04_FILES:
        assert not (out / DAY / rel).exists(), rel
    for rel in PAGE01_FILES:
        assert (out / DAY / rel).is_file(), rel
    no_page_04_anywhere(out)
    assert crawl_links(out) == ([], [])
    # the issue is in the archive with its one published page
    assert 'href="html/2022-01/14/node_01.htm"' in (out / "index.html").read_text(encoding="utf-8")


def test_withheld_message_in_chinese(sample_copy, tmp_path, capsys, monkeypatch):
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    overset(sample_copy)
    assert main(["site", str(sample_copy), "--out", str(tmp_path / "site")]) == 1
    text = capsys.readouterr().out
    assert "未发布（有错误）：第 04 版" in text, text


def test_fixed_copy_publishes_the_page(sample_copy, tmp_path, capsys, english):
    good = overset(sample_copy)
    out = tmp_path / "site"
    assert main(["site", str(sample_copy), "--out", str(out)]) == 1
    assert "withheld" in capsys.readouterr().out
    (sample_copy / "lead.txt").write_text(good, encoding="utf-8")
    assert main(["site", str(sample_copy), "--out", str(out)]) == 0
    assert "withheld" not in capsys.readouterr().out
    for rel in PAGE04_FILES + PAGE01_FILES:
        assert (out / DAY / rel).is_file(), rel
    assert "node_04.htm" in (out / DAY / "index.html").read_text(encoding="utf-8")
    assert json.loads((out / DAY / "issue.json").read_text(encoding="utf-8"))["withheld"] == []
    assert len(list((out / "pagefind" / "fragment").glob("*.pf_fragment"))) == 7
    assert crawl_links(out) == ([], [])


def test_earlier_published_version_stays(sample_copy, tmp_path, capsys, english):
    """A correction that breaks page 04 leaves readers the page 04 published before, file for file."""
    out = tmp_path / "site"
    assert main(["site", str(sample_copy), "--out", str(out)]) == 0
    before = {rel: (out / DAY / rel).read_bytes() for rel in PAGE04_FILES}
    overset(sample_copy)
    front2 = sample_copy / "front2.txt"       # and a correction on page 01, which is published
    front2.write_text(front2.read_text(encoding="utf-8").replace("仅供排版演示", "仅作排版演示"), encoding="utf-8")
    capsys.readouterr()
    assert main(["site", str(sample_copy), "--out", str(out)]) == 1
    text = capsys.readouterr().out
    assert "withheld (an error; not published): page 04" in text
    assert "the version published earlier stays: page 04" in text
    for rel, data in before.items():
        assert (out / DAY / rel).read_bytes() == data, rel
    assert "仅作排版演示" in (out / DAY / "content_front2.htm").read_text(encoding="utf-8")
    index = (out / DAY / "index.html").read_text(encoding="utf-8")
    assert 'href="node_04.htm"' in index and 'href="content_lead.htm"' in index
    data = json.loads((out / DAY / "issue.json").read_text(encoding="utf-8"))
    assert [p["page"] for p in data["pages"]] == ["01", "04"] and data["withheld"] == ["04"]
    assert len(list((out / "pagefind" / "fragment").glob("*.pf_fragment"))) == 7
    assert crawl_links(out) == ([], [])


def test_publish_errors_publishes_marked(sample_copy, tmp_path, capsys, english):
    overset(sample_copy)
    out = tmp_path / "site"
    assert main(["site", str(sample_copy), "--out", str(out), "--publish-errors"]) == 1
    text = capsys.readouterr().out
    assert "published with errors (--publish-errors): page 04" in text and "withheld" not in text
    for rel in PAGE04_FILES + PAGE01_FILES:
        assert (out / DAY / rel).is_file(), rel
    node = (out / DAY / "node_04.htm").read_text(encoding="utf-8")
    assert 'class="errata"' in node and '<meta name="robots" content="noindex">' in node
    assert 'class="errata"' not in (out / DAY / "node_01.htm").read_text(encoding="utf-8")
    pages = json.loads((out / DAY / "issue.json").read_text(encoding="utf-8"))["pages"]
    assert [(p["page"], p["status"], p.get("errors")) for p in pages] == [("01", "ok", None),
                                                                          ("04", "errors", ["overset"])]
    assert crawl_links(out) == ([], [])


def test_warnings_never_withhold(tmp_path, capsys, english):
    """The sample has low-ppi warnings (photos under 200 ppi): every page is published, exit 0; under
    --strict the exit is 1 and still every page is published."""
    for strict, rc in ((False, 0), (True, 1)):
        out = tmp_path / f"site{int(strict)}"
        assert main(["site", str(SAMPLE), "--out", str(out)] + (["--strict"] if strict else [])) == rc
        text = capsys.readouterr().out
        assert "[low-ppi]" in text and "withheld" not in text
        for rel in PAGE04_FILES + PAGE01_FILES:
            assert (out / DAY / rel).is_file(), (strict, rel)


def test_earlier_version_not_kept_when_its_links_would_break(sample_copy, tmp_path, capsys, english):
    """Page 01's last story renamed (front3 → front3b) while page 04 fails: the page 04 published before
    links to content_front3.htm (上一篇 of its first story), which the issue no longer has, so it is not kept."""
    out = tmp_path / "site"
    assert main(["site", str(sample_copy), "--out", str(out)]) == 0
    page1 = sample_copy / "01.yaml"
    page1.write_text(page1.read_text(encoding="utf-8").replace("story: front3\n", "story: front3b\n")
                     .replace("id: front3\n", "id: front3b\n"), encoding="utf-8")
    overset(sample_copy)
    capsys.readouterr()
    assert main(["site", str(sample_copy), "--out", str(out)]) == 1
    text = capsys.readouterr().out
    assert "withheld (an error; not published): page 04" in text and "published earlier stays" not in text
    assert not (out / DAY / "content_front3.htm").exists() and (out / DAY / "content_front3b.htm").is_file()
    for rel in PAGE04_FILES:
        assert not (out / DAY / rel).exists(), rel
    no_page_04_anywhere(out)
    assert crawl_links(out) == ([], [])
