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


def test_an_edit_redraws_only_the_changed_lines_with_the_same_bytes(sample_copy, tmp_path, monkeypatch):
    """After a one-paragraph edit, page 04's unchanged lines get the GlyphRun objects and text
    operators of the last rebuild; the page is byte for byte what a fresh build of the edit writes."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1642118400")
    cache = tmp_path / "cache"
    memo = RebuildMemo()
    opts = BuildOptions(out=tmp_path / "memo", jobs=1, cache_dir=cache, load_cache=LoadCache(), memo=memo)
    book = open_book(opts, sample_copy)
    build(sample_copy, opts, book)
    first = memo.drawn_for(book)["04"]
    held = [entry[0] for entry in first.values()]         # the runs drawn (alive, so their ids stay theirs)
    lead = sample_copy / "lead.txt"
    paragraphs = lead.read_text("utf-8").split("\n")
    lead.write_text("\n".join(["编辑改写了这一段：" + paragraphs[0]] + paragraphs[1:]), "utf-8")
    build(sample_copy, replace(opts, pages=("04",)), book)
    now = memo.drawn_for(book)["04"]
    reused = len(set(now) & {id(r) for r in held})
    assert len(now) > 300 and 0.6 * len(now) < reused < len(now)  # most lines again, the edited ones anew
    assert set(memo.placed_for(book)) == {"01", "04"}
    fresh = BuildOptions(out=tmp_path / "fresh", jobs=1, cache_dir=cache)
    build(sample_copy, fresh)
    assert _files(tmp_path / "memo") == _files(tmp_path / "fresh")


def test_kept_compression_is_zlib_and_remembered():
    """The press profile and kept font subsets are compressed once, into the bytes zlib gives."""
    import zlib
    from layout.render.pdf_fonts import KeptFlate
    flate = KeptFlate()
    big = bytes(range(256)) * 200
    first = flate.encode(big)
    assert first == zlib.compress(big) and flate.encode(bytes(big)) is first
    assert flate.encode(b"small") == zlib.compress(b"small") and len(flate.kept) == 1


def test_kept_compression_keeps_what_every_page_uses():
    """The least recently used result goes first: the press profile, embedded in every page, stays
    while a run of other contents (a rebuilt page's subsets and CMaps) passes through."""
    import zlib
    from layout.render.pdf_fonts import KeptFlate, to_unicode_cmap
    flate = KeptFlate()
    profile = bytes(range(256)) * 100
    kept = flate.encode(profile)
    for i in range(3 * flate.KEEP):
        flate.encode(i.to_bytes(4, "big") * 1000)
        assert flate.encode(profile) is kept           # used by every page in between
    assert len(flate.kept) == flate.KEEP and flate.encode(b"x" * 2000) == zlib.compress(b"x" * 2000)
    cmap = {3: "中", 1: "一", 2: ""}
    assert to_unicode_cmap(cmap) is to_unicode_cmap(dict(cmap)) and b"<0001> <4E00>" in to_unicode_cmap(cmap)


def test_a_photo_file_replaced_in_place_gets_its_new_name(tmp_path):
    """Photo XObjects are named after the JPEG's content, remembered by the file's stat."""
    from PIL import Image
    from layout.render.pdf_images import _checked_name
    f = tmp_path / "p.jpg"
    Image.new("CMYK", (8, 8), (0, 0, 0, 255)).save(f, "JPEG")
    one = _checked_name(f)
    assert _checked_name(f) == one
    Image.new("CMYK", (8, 8), (255, 0, 0, 0)).save(tmp_path / "q.jpg", "JPEG")
    os.replace(tmp_path / "q.jpg", f)
    assert _checked_name(f) != one


def test_a_page_written_again_byte_for_byte_is_not_preflighted_again(sample_copy, tmp_path, monkeypatch):
    """The post-write preflight is a function of the page's bytes (and its name and the spec): a watch
    rebuild that writes the same bytes again reuses the findings; other bytes are checked afresh."""
    import layout.build.gate as gate
    calls = []
    real = gate.preflight_bytes

    def spy(data, name, spec):
        calls.append(name)
        return real(data, name, spec)
    monkeypatch.setattr(gate, "preflight_bytes", spy)
    monkeypatch.setattr(gate, "_CHECKED", {}, raising=False)
    opts = BuildOptions(out=tmp_path / "out", jobs=1, cache_dir=tmp_path / "cache", pages=("04",),
                        load_cache=LoadCache(), memo=RebuildMemo())
    book = open_book(opts, sample_copy)
    first = build(sample_copy, opts, book)
    again = build(sample_copy, opts, book)                 # nothing changed: the same bytes
    assert len(calls) == 1
    assert [f.to_json() for f in again.pages[0].findings] == [f.to_json() for f in first.pages[0].findings]
    lead = sample_copy / "lead.txt"
    lead.write_text(lead.read_text("utf-8").replace("慈善", "公益", 1), "utf-8")
    build(sample_copy, opts, book)                         # an edit: new bytes, checked
    assert len(calls) == 2


def test_hyphenation_points_are_kept_in_the_cache_folder(tmp_path, monkeypatch):
    """A warm build does not open the hyphenation dictionary for words it looked up before: the points
    come from hyphens.json (poisoned here, to prove they are used), new words are added to it."""
    import json
    from layout.build import workers
    from layout.text import hyphen
    # this process's own memo starts empty: an earlier build in it may have been handed "hyphenation" from
    # a cache folder, and a word remembered is not looked up (nor saved) again
    monkeypatch.setattr(hyphen, "_cache", {})
    monkeypatch.setattr(hyphen, "_looked_up", set())
    (tmp_path / "hyphens.json").write_text(json.dumps({"key": hyphen.memo_key(),
                                                       "points": {"Zyxwvutsrqp": [4]}}), encoding="utf-8")
    memo = workers._HyphenMemo(tmp_path)
    assert hyphen.points("Zyxwvutsrqp") == (4,)            # from the file, not from the patterns
    assert hyphen.points("hyphenation") == (2, 6)           # hy·phen·ation, as Merriam-Webster divides it
    memo.save()
    kept = json.loads((tmp_path / "hyphens.json").read_text(encoding="utf-8"))
    assert kept["points"]["hyphenation"] == [2, 6] and kept["points"]["Zyxwvutsrqp"] == [4]
    # a file made for other patterns is ignored
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "hyphens.json").write_text(json.dumps({"key": "pyphen 0.0 de_DE", "points": {"Qwertzuiopx": [3]}}),
                                                      encoding="utf-8")
    workers._HyphenMemo(tmp_path / "other")
    assert hyphen.points("Qwertzuiopx") != (3,)
