"""The bad-input corpus (tests/bad/*.yaml) through the real CLI: one clear message, exit 2, nothing written.

For every case: `python3 -m layout build CASE --out OUT` in a subprocess, where OUT already holds a
good build of the sample issue. The case must exit with its expected status (2 for bad input), print
exactly one `paiban: error:` message with the expected fragments (file:line) and a hint (what to do),
no traceback, and leave OUT untouched: same files, same bytes, same times — no new files, not even
hidden temporary ones.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from badcases import BAD, built_sample, cases, load_case, make_issue, run_cli, snapshot

@pytest.fixture(scope="session")
def env(tmp_path_factory) -> dict:
    """A cache shared by the cases (the sample photos are prepared once)."""
    return {"PAIBAN_CACHE": str(tmp_path_factory.mktemp("cache"))}


@pytest.fixture(scope="session")
def good_out(tmp_path_factory, env) -> Path:
    """A complete good build of the sample issue, copied into each case's output folder."""
    return built_sample(tmp_path_factory.mktemp("good"), env, "out") / "out"


def test_corpus_is_large_enough():
    assert len(cases()) >= 60


@pytest.mark.parametrize("case_file", cases(), ids=lambda p: p.stem)
def test_bad_input(case_file: Path, tmp_path, good_out, env):
    case = load_case(case_file)
    issue = make_issue(case, tmp_path)
    out = tmp_path / "out"
    shutil.copytree(good_out, out)
    before = snapshot(out)
    marker = tmp_path / "PWNED"

    expect = case["expect"]
    # hostile input (bombs, pipes, huge files) must be refused, not hang: a hard deadline, not a speed test
    proc = run_cli("build", issue.relative_to(tmp_path), "--out", "out", *case.get("args", []),
                   cwd=tmp_path, env=env, timeout=expect.get("seconds", 120))
    stderr = proc.stderr

    assert proc.returncode == expect["exit"], f"exit {proc.returncode}\n{stderr}{proc.stdout}"
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    assert not marker.exists(), "input was executed"
    if expect["exit"] in (0, 1):  # accepted input (e.g. copy with a BOM): a normal build; 1: with an error finding
        assert "paiban: error" not in stderr
        for fragment in expect.get("stdout", []):
            assert fragment in proc.stdout, f"{fragment!r} not in:\n{proc.stdout}"
        return
    assert stderr.startswith("paiban: error: "), stderr
    assert stderr.count("paiban: error") == 1, stderr
    assert len(stderr.splitlines()) <= 12, stderr
    assert "\n  hint: " in stderr, f"no hint saying what to do:\n{stderr}"
    for fragment in expect.get("stderr", []):
        assert fragment in stderr, f"{fragment!r} not in:\n{stderr}"
    assert snapshot(out) == before, "the output folder changed"


def test_no_partial_output_folder_for_bad_input(tmp_path, env):
    """A bad build into a fresh --out creates nothing at all (not even the folder)."""
    case = load_case(BAD / "copy-gbk.yaml")
    issue = make_issue(case, tmp_path)
    proc = run_cli("build", issue, "--out", tmp_path / "fresh", cwd=tmp_path, env=env)
    assert proc.returncode == 2, proc.stderr
    assert not (tmp_path / "fresh").exists()


def test_page_cap_comes_before_any_other_work(tmp_path, monkeypatch):
    """A 1,000-page issue is refused from issue.yaml alone: no schema pass, no publication, no page file."""
    from badcases import GENERATORS
    from layout import load
    from layout.model.findings import InputError
    issue = make_issue({}, tmp_path)
    (issue / "issue.yaml").write_bytes(GENERATORS["issue-1000-pages"]())

    def untouched(*a, **k):
        raise AssertionError("heavy work before the page cap")
    monkeypatch.setattr(load.schema, "validate", untouched)
    monkeypatch.setattr(load.Loader, "publication", untouched)
    monkeypatch.setattr(load.Loader, "page", untouched)
    with pytest.raises(InputError, match="1000 pages: more than 200") as info:
        load.load_issue(issue)
    assert info.value.where.line == 3 and info.value.hint
