"""The gate to the press: one severity model, exit statuses, what a failing page may claim and where it goes.

error = this page must not go to press (exit 1 without options); warning = a person should look (exit 1
only with --strict); info = done for you. Invalid input stays exit 2.
"""
from __future__ import annotations

from conftest import SAMPLE
from layout.cli import main
from layout.model.findings import Finding
from test_ads import make_ad


def test_exit_status_model():
    from layout.model.findings import exit_status
    err, warn, info = (Finding(s, "x", "m") for s in ("error", "warning", "info"))
    assert [exit_status(f) for f in ([], [info], [warn], [err], [info, warn, err])] == [0, 0, 0, 1, 1]
    assert [exit_status(f, strict=True) for f in ([], [info], [warn], [err])] == [0, 0, 1, 1]


def test_preflight_fails_on_an_error_without_strict(tmp_path, capsys):
    good = make_ad(tmp_path / "good.pdf")
    bad = make_ad(tmp_path / "rgb.pdf", rgb=True)
    assert main(["preflight", str(good)]) == 0
    assert main(["preflight", str(bad)]) == 1
    assert "rgb-colour" in capsys.readouterr().out


def test_build_warnings_pass_unless_strict(tmp_path, capsys):
    """Page 01 of the sample has two low-ppi warnings (stand-in photos) and no error."""
    out = tmp_path / "o"
    assert main(["build", str(SAMPLE), "--out", str(out), "--page", "01", "-j", "1"]) == 0
    assert "warning" in capsys.readouterr().out
    assert main(["build", str(SAMPLE), "--out", str(out), "--page", "01", "-j", "1", "--strict"]) == 1
