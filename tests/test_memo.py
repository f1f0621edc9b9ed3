"""RebuildMemo (what paiban watch keeps between rebuilds): same pages as without it, paragraphs not
broken again, manifest digests that match the files."""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import replace

from layout.build import BuildOptions, build, open_book
from layout.load import LoadCache
from layout.build.memo import RebuildMemo


def _files(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.rglob("*.pdf"))}


def test_rebuilds_with_the_memo_write_the_same_pages_and_a_true_manifest(sample_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1642118400")
    cache = tmp_path / "cache"
    plain = BuildOptions(out=tmp_path / "plain", jobs=1, cache_dir=cache)
    build(sample_copy, plain)
    memo = RebuildMemo()
    opts = BuildOptions(out=tmp_path / "memo", jobs=1, cache_dir=cache, load_cache=LoadCache(), memo=memo)
    book = open_book(opts, sample_copy)
    build(sample_copy, opts, book)                      # as watch's first build: every page
    breaks = memo.breaks_for(book)
    filled = len(breaks)
    assert filled > 20                                  # every paragraph and caption of both pages
    again = replace(opts, pages=("04",))
    build(sample_copy, again, book)                     # a save: page 04 again, from the memo
    assert len(breaks) == filled                        # nothing had to be broken anew
    assert _files(tmp_path / "memo") == _files(tmp_path / "plain")
    # the manifest took page 01's digest from the memo (its file is unchanged): still the file's own
    manifest = json.loads(next((tmp_path / "memo").rglob("manifest.json")).read_text("utf-8"))
    for entry in manifest["files"]:
        data = next((tmp_path / "memo").rglob(entry["file"])).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest() and entry["bytes"] == len(data)
    assert memo.hits >= 1


def test_an_edited_paragraph_is_broken_again_and_the_rest_reused(sample_copy, tmp_path):
    memo = RebuildMemo()
    opts = BuildOptions(out=tmp_path / "out", jobs=1, cache_dir=tmp_path / "cache", pages=("04",), memo=memo)
    book = open_book(opts, sample_copy)
    build(sample_copy, opts, book)
    before = set(memo.breaks_for(book))
    lead = sample_copy / "lead.txt"
    text = lead.read_text("utf-8")
    lead.write_text(text.replace("慈善", "公益", 1), "utf-8")  # one word of the first paragraph it has
    build(sample_copy, opts, book)
    after = set(memo.breaks_for(book))
    new = after - before
    assert len(new) == 1 and "公益" in next(iter(new))[1]    # just that paragraph was broken again
    assert memo.breaks_for(object()) == {}                 # another FontBook: nothing carried over


def test_file_digest_follows_the_file(tmp_path):
    memo = RebuildMemo()
    f = tmp_path / "page.pdf"
    f.write_bytes(b"%PDF-1.3 one")
    assert memo.digest(f) == (12, hashlib.sha256(b"%PDF-1.3 one").hexdigest())
    assert memo.digest(f)[1] == hashlib.sha256(b"%PDF-1.3 one").hexdigest() and memo.hits == 1
    f.write_bytes(b"%PDF-1.3 two")                        # same size, new content
    os.utime(f, ns=(1, 2))                                # and a different mtime, as any write gives
    assert memo.digest(f)[1] == hashlib.sha256(b"%PDF-1.3 two").hexdigest()
