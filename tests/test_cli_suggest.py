"""The command line helps a user who mistypes: suggestions, help with defaults, versions, hints that point
the right way. In-process through layout.cli.main (argparse exits with SystemExit(2) on a usage error)."""
from __future__ import annotations

import argparse
import errno
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from layout.cli import main, os_error_hint, parser

ROOT = Path(__file__).resolve().parent.parent


def usage_error(argv, capsys) -> str:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err


@pytest.mark.parametrize("argv, wrong, near", [
    (["buidl", "issues/2022-01-14"], "invalid choice: 'buidl'", "did you mean 'build'?"),
    (["prof", "x"], "invalid choice: 'prof'", "did you mean 'proof'?"),
    (["fonts", "lsit"], "invalid choice: 'lsit'", "did you mean 'list'?"),
    (["build", "x", "--format", "jsno"], "invalid choice: 'jsno'", "did you mean 'json'?"),
    (["preflight", "a.pdf", "--pdfx", "PDF/X-1a"], "invalid choice: 'PDF/X-1a'", "did you mean 'PDF/X-1a:2001'?"),
    (["build", "x", "--stirct"], "unrecognized arguments: --stirct", "did you mean '--strict'?"),
    (["check", "x", "--pgae=04"], "unrecognized arguments: --pgae=04", "did you mean '--page'?"),
    (["build", "x", "--nomarks"], "unrecognized arguments: --nomarks", "did you mean '--no-marks'?"),
    (["build", "x", "--format", "JSON"], "invalid choice: 'JSON'", "did you mean 'json'?"),
])
def test_a_misspelt_name_gets_the_nearest_one(argv, wrong, near, capsys):
    err = usage_error(argv, capsys)
    assert wrong in err and f"hint: {near}" in err, err


def test_an_option_of_another_command_names_the_commands_that_have_it(capsys):
    err = usage_error(["proof", "x", "--strict"], capsys)
    assert "unrecognized arguments: --strict" in err
    assert "hint: --strict is an option of: paiban build, paiban check, paiban preflight" in err, err
    assert err.startswith("usage: paiban proof"), err   # the usage of the command that was given


def test_nothing_near_means_no_suggestion(capsys):
    err = usage_error(["build", "x", "--zzzzzz"], capsys)
    assert "unrecognized arguments: --zzzzzz" in err and "hint" not in err, err
    err = usage_error(["qqqqq"], capsys)
    assert "invalid choice: 'qqqqq'" in err and "did you mean" not in err, err


def all_parsers(p: argparse.ArgumentParser, name: str = "paiban"):
    yield name, p
    for action in p._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub_name, sub in action.choices.items():
                yield from all_parsers(sub, f"{name} {sub_name}")


def test_every_option_has_help_with_its_default():
    checked = 0
    for name, p in all_parsers(parser()):
        help_text = p.format_help()
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                continue   # the list of commands: each has its own help
            assert action.help, f"{name} {action.option_strings or action.dest}: no help text"
            if action.option_strings and action.default not in (None, False, [], argparse.SUPPRESS):
                formatted = p.formatter_class("x")._get_help_string(action) % {"default": action.default}
                assert "default" in formatted and str(action.default) in formatted, (name, action.option_strings)
                checked += 1
        assert "%(default)" not in help_text
    assert checked >= 12
    build_help = dict(all_parsers(parser()))["paiban build"].format_help()
    assert "(default: output)" in build_help and "(default: text)" in build_help
    proof_help = dict(all_parsers(parser()))["paiban proof"].format_help()
    assert "(default: 150)" in proof_help


def test_version_names_the_libraries_and_tools_in_use(capsys):
    import PIL
    import reportlab
    import uharfbuzz
    from PIL import features
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    rows = dict(line.split(None, 1) for line in out.splitlines())
    assert rows["paiban"].strip() == __import__("layout").__version__
    assert rows["reportlab"].strip() == reportlab.Version
    assert rows["HarfBuzz"].startswith(uharfbuzz.version_string())
    assert rows["Pillow"].strip() == PIL.__version__
    assert rows["LittleCMS"].strip() == features.version("littlecms2")
    gs = subprocess.run(["gs", "--version"], capture_output=True, text=True).stdout.strip()
    assert rows["Ghostscript"].strip() == gs


def test_a_port_in_use_says_so(sample_copy, tmp_path):
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    port = busy.getsockname()[1]
    try:
        proc = subprocess.run([sys.executable, "-m", "layout", "watch", str(sample_copy), "--port", str(port),
                               "--out", str(tmp_path / "out")], capture_output=True, text=True, timeout=60,
                              env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})
    finally:
        busy.close()
    assert proc.returncode == 2, proc.stderr
    assert f"port {port} is already in use" in proc.stderr
    assert f"--port {port + 1}" in proc.stderr and "file or folder" not in proc.stderr, proc.stderr


@pytest.mark.parametrize("code, words", [(errno.ENOENT, "does not exist"), (errno.EACCES, "permissions"),
                                         (errno.ENOSPC, "disk is full"), (errno.EADDRINUSE, "--port")])
def test_os_error_hints_follow_the_error(code, words):
    assert words in os_error_hint(OSError(code, "x"))
