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
