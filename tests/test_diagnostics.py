"""Diagnostics like a compiler's: the source line with a caret under the column; colour only on a terminal
and never with NO_COLOR."""
from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from layout.model.diagnostics import excerpt, format_error
from layout.model.findings import Where

ROOT = Path(__file__).resolve().parent.parent


def test_caret_under_the_column(tmp_path):
    f = tmp_path / "04.yaml"
    f.write_text("blocks:\n  - type: story\n    colr: 3\n", "utf-8")
    assert excerpt(Where(str(f), 3, 5)) == ("3 |     colr: 3\n"
                                           "  |     ^")


def test_wide_characters_take_two_cells(tmp_path):
    f = tmp_path / "01.yaml"
    f.write_text("main: 慈善事业 abc\n", "utf-8")
    # column 12 is 'a': "main: " is 6 cells, 慈善事业 8 more, the space 1 → the caret at cell 15
    assert excerpt(Where(str(f), 1, 12)) == ("1 | main: 慈善事业 abc\n"
                                            "  |                ^")
    # a caret under a wide character is two cells wide
    assert excerpt(Where(str(f), 1, 8)).splitlines()[1] == "  |         ^^"


def test_a_long_line_of_copy_is_cut_around_the_column(tmp_path):
    f = tmp_path / "story.txt"
    text = "一" * 200 + "X" + "二" * 200
    f.write_text("第一段\n" + text + "\n", "utf-8")
    line, caret = excerpt(Where(str(f), 2, 201)).splitlines()
    assert line.startswith("2 | …一") and line.endswith("二…")
    assert len(line) < 60
    # the caret stands under the X: count cells of the source line up to it
    n = line[: line.index("X")].count("一")
    assert caret.index("^") == len("2 | …") + 2 * n


def test_no_excerpt_without_a_line_or_a_readable_file(tmp_path):
    assert excerpt(Where("", 3, 1)) == ""
    assert excerpt(Where(str(tmp_path / "missing.yaml"), 3, 1)) == ""
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("慈善事业".encode("gbk"))
    assert excerpt(Where(str(gbk), 1, 1)) == ""     # no mojibake shown
    assert excerpt(Where(str(gbk), 0, 0)) == ""


def test_format_error_is_message_excerpt_hint(tmp_path):
    f = tmp_path / "a.yaml"
    f.write_text("x: 1\n", "utf-8")
    text = format_error("paiban", "bad x", Where(str(f), 1, 4), "fix it", colour=False)
    assert text == f"paiban: error: {f}:1:4: bad x\n  1 | x: 1\n    |    ^\n  hint: fix it"
    painted = format_error("paiban", "bad x", Where(str(f), 1, 4), "fix it", colour=True)
    assert "\033[1;31merror:\033[0m" in painted and "\033[" in painted.splitlines()[2]


def bad_key(sample_copy: Path) -> None:
    page = sample_copy / "04.yaml"
    page.write_text(page.read_text("utf-8").replace("  - type: story\n", "  - type: story\n    colr: 3\n", 1), "utf-8")


def run(args, cwd, env_extra=None, tty=False):
    env = {**os.environ, "PYTHONPATH": str(ROOT), **(env_extra or {})}
    env.pop("NO_COLOR", None) if "NO_COLOR" not in (env_extra or {}) else None
    if not tty:
        return subprocess.run([sys.executable, "-m", "layout", *args], cwd=cwd, env=env, capture_output=True,
                              text=True, timeout=120).stderr
    master, slave = pty.openpty()
    proc = subprocess.run([sys.executable, "-m", "layout", *args], cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                          stderr=slave, timeout=120)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert proc.returncode == 2
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def test_the_cli_shows_the_line_with_a_caret(sample_copy, tmp_path):
    bad_key(sample_copy)
    err = run(["build", "issues/2022-01-14", "--out", str(tmp_path / "out")], cwd=sample_copy.parent.parent)
    lines = err.splitlines()
    assert lines[0].startswith("paiban: error: issues/2022-01-14/04.yaml:") and "unknown key 'colr'" in lines[0]
    number = lines[0].split(":")[3]
    assert lines[1] == f"  {number} |     colr: 3"
    assert lines[2] == f"  {' ' * len(number)} |     ^"
    assert lines[3] == "  hint: did you mean 'col'?"
    assert "\033[" not in err   # piped: no colour


def test_colour_on_a_terminal_unless_no_color(sample_copy, tmp_path):
    bad_key(sample_copy)
    args = ["build", "issues/2022-01-14", "--out", str(tmp_path / "out")]
    coloured = run(args, cwd=sample_copy.parent.parent, env_extra={"TERM": "xterm"}, tty=True)
    assert "\033[1;31merror:\033[0m" in coloured and "colr: 3" in coloured
    plain = run(args, cwd=sample_copy.parent.parent, env_extra={"TERM": "xterm", "NO_COLOR": "1"}, tty=True)
    assert "\033[" not in plain and plain.startswith("paiban: error: ") and "colr: 3" in plain


def test_findings_show_their_line(sample_copy, tmp_path):
    proc = subprocess.run([sys.executable, "-m", "layout", "check", str(sample_copy)], capture_output=True,
                          text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)})
    out = proc.stdout.splitlines()
    shown = 0
    for i, line in enumerate(out):
        if not line.startswith(("    warning", "    error")) or ".yaml:" not in out[i + 1]:
            continue
        path, number, column = out[i + 1].strip().removeprefix("at ").rsplit(":", 2)
        source = Path(path).read_text("utf-8").splitlines()[int(number) - 1]
        assert out[i + 2].strip() == f"{number} | {source}".strip()
        caret = out[i + 3]
        assert caret.strip() == "|" + " " * int(column) + "^" or caret.rstrip().endswith("^")
        assert caret.index("^") - caret.index("|") - 2 == int(column) - 1   # ASCII YAML: one cell a character
        shown += 1
    assert shown >= 2, proc.stdout
