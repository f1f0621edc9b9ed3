"""Parallel builds (-j N) write exactly what a -j 1 build writes, and report per-stage timings."""
from __future__ import annotations

from pathlib import Path

from layout.build import BuildOptions, build


def _files(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_parallel_build_is_byte_identical(sample_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1642118400")
    cache = tmp_path / "cache"
    one = build(sample_copy, BuildOptions(out=tmp_path / "j1", jobs=1, cache_dir=cache))
    two = build(sample_copy, BuildOptions(out=tmp_path / "j2", jobs=2, cache_dir=cache))
    a, b = _files(tmp_path / "j1"), _files(tmp_path / "j2")
    assert set(a) == set(b) and len(a) == len(one.pages) + 1  # the PDFs and manifest.json
    for name in a:
        assert a[name] == b[name], name
    assert [p.number for p in one.pages] == [p.number for p in two.pages]
    assert [[f.code for f in p.findings] for p in one.pages] == [[f.code for f in p.findings] for p in two.pages]
    assert two.stages["jobs"] == 2
    for key in ("load", "compose", "images", "subset", "render", "write", "total"):
        assert two.stages[key] >= 0.0
    for p in two.pages:
        assert {"compose_s", "images_s", "subset_s", "render_s"} <= set(p.stats)


def test_parallel_input_error_names_the_file(sample_copy, tmp_path):
    import pytest
    from layout.model.findings import InputError
    (sample_copy / "photos" / "rocket.jpg").write_bytes(b"<html>not a photo</html>")
    with pytest.raises(InputError) as e:
        build(sample_copy, BuildOptions(out=tmp_path / "out", jobs=2, cache_dir=tmp_path / "cache"))
    assert "rocket.jpg" in str(e.value)
    assert not (tmp_path / "out").exists()  # nothing written


def test_a_page_failing_after_others_were_staged_leaves_the_old_pages(sample_copy, tmp_path, monkeypatch):
    """Pages are staged on disk as they finish; when a later page fails (here page 04, by a fault injected
    into the page builder, which forked workers inherit), the staged pages are removed and the previous
    build's files stay exactly as they were — also the hidden ones: no .part is left behind."""
    import pytest
    from layout.build import workers
    from layout.model.findings import InputError, Where
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1642118400")
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(sample_copy, BuildOptions(out=out, jobs=1, cache_dir=cache))
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert len(before) == 3  # two pages and the manifest
    real = workers.build_page
    staged = []

    def failing(issue, page, *args):
        if page.number == "04":
            staged.extend(p.name for p in (out / issue.date).iterdir() if p.name.endswith(".part"))
            raise InputError("injected fault", Where("04.yaml", 1, 1))
        return real(issue, page, *args)
    monkeypatch.setattr(workers, "build_page", failing)
    for jobs in (1, 2):
        with pytest.raises(InputError, match="injected fault"):
            build(sample_copy, BuildOptions(out=out, jobs=jobs, cache_dir=cache))
        after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
        assert after == before
    assert staged and all(n.startswith(".CQZXB-20220114-01.pdf.") for n in staged)  # -j 1: page 01 was on disk
