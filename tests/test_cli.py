"""The command line explains itself and never shows a traceback for a usage mistake."""
from __future__ import annotations

import pytest

from layout.cli import main, parser

COMMANDS = ["build", "check", "proof", "diff", "site", "watch", "preflight", "schema", "clean", "fonts"]


def test_every_command_has_help(capsys):
    text = parser().format_help()
    for command in COMMANDS:
        assert command in text
        with pytest.raises(SystemExit) as exit_info:
            main([command, "--help"])
        assert exit_info.value.code == 0
        out = capsys.readouterr().out
        assert f"paiban {command}" in out and len(out.splitlines()) > 3


@pytest.mark.parametrize("argv", [[], ["fonts"]])
def test_missing_action_is_a_usage_error(argv, capsys):
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out


def test_clean_deletes_only_a_marked_cache(tmp_path, capsys):
    """`paiban clean --cache DIR` refuses a folder without paiban's CACHEDIR.TAG (it deleted any folder)."""
    from layout.build.options import BuildOptions, cache_dir
    precious = tmp_path / "thesis"
    precious.mkdir()
    (precious / "chapter1.tex").write_text("不能删", encoding="utf-8")
    assert main(["clean", "--cache", str(precious)]) == 2
    assert "not a paiban cache" in capsys.readouterr().err
    assert (precious / "chapter1.tex").is_file()
    cache = cache_dir(BuildOptions(cache_dir=tmp_path / "cache"))  # what a build makes
    (cache / "x.jpg").write_bytes(b"jpeg")
    assert main(["clean", "--cache", str(cache)]) == 0
    assert not cache.exists()


def test_a_reader_that_stops_reading_does_not_fail_the_build(sample_copy, tmp_path):
    # `paiban build … | head -1`: the reader closes the pipe after the first page's line; the build goes on,
    # writes every page and exits 0 (before: "error: Broken pipe", exit 2, as if the input were bad)
    import subprocess
    import sys
    from conftest import ROOT
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "layout", "build", str(sample_copy), "--out", str(out), "-j", "1"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = proc.stdout.readline()
    proc.stdout.close()              # page 04 is still being composed: its line meets a closed pipe
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0, err
    assert first.startswith(b"page 01") and "Broken pipe" not in err, (first, err)
    assert sorted(p.name for p in (out / "2022-01-14").iterdir()) == [
        "CQZXB-20220114-01.pdf", "CQZXB-20220114-04.pdf", "manifest.json"]


def test_the_process_ends_without_teardown_but_runs_exit_handlers_and_flushes(tmp_path):
    """`entry` ends the process with os._exit once the command is done (the interpreter's teardown cost
    ≈ 0.1 s a run): what the command printed to a pipe arrives whole, its exit status is kept, and the
    exit handlers registered meanwhile run exactly once."""
    import os
    import subprocess
    import sys
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent
    marker = tmp_path / "handler.txt"
    code = ("import atexit, sys\n"
            "from layout import cli\n"
            f"atexit.register(lambda: open({str(marker)!r}, 'a').write('ran\\n'))\n"
            "print('x' * 100000)\n"  # more than a pipe's buffer: only arrives whole if flushed
            "sys.argv = ['paiban', 'build', '/nonexistent-issue-folder']\n"
            "cli.entry()\n")
    env = dict(os.environ, PYTHONPATH=str(root) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    env.pop("PYTHONUNBUFFERED", None)  # stdout block-buffered, as for a user's pipe
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2, proc.stderr  # bad input
    assert proc.stdout == "x" * 100000 + "\n"
    assert "nonexistent-issue-folder" in proc.stderr and "Traceback" not in proc.stderr
    assert marker.read_text() == "ran\n"
