"""Shared fixtures: the project root, the sample issue, and a scratch copy of it."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# Messages in English whatever the tester's locale (tests that want Chinese set LANG themselves); the
# CLI subprocesses the tests start inherit this.
for _var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
    os.environ.pop(_var, None)
os.environ["LANG"] = "C.UTF-8"

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "issues" / "2022-01-14"


@pytest.fixture
def sample_copy(tmp_path) -> Path:
    """A writable copy of the sample issue (with publication.yaml beside it)."""
    dest = tmp_path / "issues" / "2022-01-14"
    shutil.copytree(SAMPLE, dest)
    shutil.copy(ROOT / "issues" / "publication.yaml", tmp_path / "issues" / "publication.yaml")
    return dest
