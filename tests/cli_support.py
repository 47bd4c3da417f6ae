"""Running the console script in-process, as a user would, for the CLI tests of every folder."""

from __future__ import annotations

import sys

import pytest

import cli


def run_main(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    """Run ``cli.main`` with ``args`` and return (exit code, stdout, stderr).

    typer's CliRunner calls the app, not ``main``, so it would not show what ``main``
    does with errors (one line and an exit code); this runs ``main`` itself.
    """
    monkeypatch.setattr(sys, "argv", ["search", *args])
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err
