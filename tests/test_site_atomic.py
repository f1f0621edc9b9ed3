"""`paiban site` is atomic: a bad issue, a full disk or a kill leaves the previous site byte-for-byte as it
was, no stage folder stays behind after the next run, and no worker outlives a killed run."""
from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import random
import shutil
import signal
import time
from pathlib import Path

import pytest

from badcases import ROOT, run_cli, snapshot
from test_faults import alive, popen

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) not installed")

GOOD = "issues/2022-01-14"


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> dict:
    return {"PAIBAN_CACHE": str(tmp_path_factory.mktemp("cache"))}


@pytest.fixture(scope="module")
def root(tmp_path_factory, env) -> Path:
    """A scratch copy of the sample issue and its publication, with a site built once."""
    r = tmp_path_factory.mktemp("site")
    shutil.copytree(ROOT / GOOD, r / GOOD)
    shutil.copy(ROOT / "issues" / "publication.yaml", r / "issues" / "publication.yaml")
    proc = run_cli("site", GOOD, "--out", "site", cwd=r, env=env)
    assert proc.returncode == 0, proc.stderr
    return r


def digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(root: Path) -> list[str]:
    """Stage folders beside or inside the site, and temporaries of the old implementation."""
    return sorted(p.name for p in [*root.iterdir(), *(root / "site").iterdir()] if ".site-" in p.name
                  or p.name.endswith(".part"))


def session_processes(sid: int) -> list[int]:
    """Live processes of a session (the killed run's workers or helpers, if any survived)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[3]) == sid and fields[0] != "Z":
                found.append(int(stat.parent.name))
    return found


def test_bad_second_issue_leaves_the_site_unchanged(root, env):
    bad = root / "issues" / "2022-01-15"
    shutil.rmtree(bad, ignore_errors=True)
    shutil.copytree(root / GOOD, bad)
    (bad / "04.yaml").write_text("page: '04'\nblocks: [\n", encoding="utf-8")
    before = snapshot(root / "site")
    proc = run_cli("site", GOOD, "issues/2022-01-15", "--out", "site", cwd=root, env=env)
    assert proc.returncode == 2, proc.stderr
    assert "04.yaml" in proc.stderr and "Traceback" not in proc.stderr
    assert snapshot(root / "site") == before
    assert leftovers(root) == []


def test_full_disk_leaves_the_site_unchanged(root, env, monkeypatch, capsys):
    from layout import cli
    from layout.products.site import images
    before = snapshot(root / "site")

    def full(pdf, folder, number, *a, **k):      # the first page image written fills the disk
        raise OSError(errno.ENOSPC, "No space left on device", str(folder / images.page_image_name(number, 800)))
    monkeypatch.setattr(images, "page_images", full)
    monkeypatch.chdir(root)
    monkeypatch.setenv("PAIBAN_CACHE", env["PAIBAN_CACHE"])
    assert cli.main(["site", GOOD, "--out", "site"]) == 2
    err = capsys.readouterr().err
    assert "page_01_800.jpg" in err and "No space left" in err and "free some space" in err, err
    assert snapshot(root / "site") == before
    assert leftovers(root) == []


def test_killed_site_runs_leave_the_previous_site(root, env):
    """SIGKILL `paiban site` (the whole run, or only its parent) at random moments: the site stays the
    previous complete one (same input, same bytes), the next run completes within 60 s, cleans every
    stage and leaves no process behind."""
    reference = digests(root / "site")
    t0 = time.perf_counter()
    proc = run_cli("site", GOOD, "--out", "site", cwd=root, env=env)
    measured = time.perf_counter() - t0
    assert proc.returncode == 0, proc.stderr
    rng = random.Random(15)
    killed = 0
    for i in range(6):
        p = popen(("site", GOOD, "--out", "site"), root, env)
        time.sleep(rng.uniform(0.0, measured))
        with contextlib.suppress(ProcessLookupError):
            os.kill(p.pid, signal.SIGKILL)  # the parent only: its workers must go by themselves
        p.wait(timeout=60)
        p.stderr.close()
        killed += p.returncode == -signal.SIGKILL
        deadline = time.monotonic() + 10
        while session_processes(p.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        orphans = session_processes(p.pid)
        for k in orphans:
            with contextlib.suppress(ProcessLookupError):
                os.kill(k, signal.SIGKILL)
        assert orphans == [], f"run {i}: processes outlived the killed site run"
        assert digests(root / "site") == reference, f"run {i}: the site changed"
    assert killed >= 3
    proc = run_cli("site", GOOD, "--out", "site", cwd=root, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert digests(root / "site") == reference
    assert leftovers(root) == []
