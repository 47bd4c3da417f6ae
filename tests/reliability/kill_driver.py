"""Run the ``search`` CLI and SIGKILL it at a chosen point: deterministic crash points
for the fault tests, with no hook in the product code.

Usage::

    python tests/reliability/kill_driver.py MODULE:QUALNAME:before|after:N[:SIGNAL]  [search args...]

The function ``QUALNAME`` of ``MODULE`` (e.g. ``whoosh.index:TOC.write``) is wrapped so
that the process sends itself SIGNAL (default KILL; INT is Ctrl-C) just before, or just
after, its N-th call. SIGKILL
cannot be caught: no ``finally`` block, no ``atexit`` and no buffered write runs, exactly
as when the machine's OOM killer or ``kill -9`` strikes.
"""

from __future__ import annotations

import functools
import importlib
import os
import signal
import sys
from pathlib import Path


def arm(spec: str) -> None:
    """Install the kill described by ``spec`` (see the module docstring)."""
    module_name, qualname, when, nth, *name = spec.split(":")
    signum = getattr(signal, "SIG" + (name[0] if name else "KILL"))
    if signum == signal.SIGINT:
        # A process started in the background by a non-interactive shell (as some CI
        # runners do) inherits SIGINT ignored, and Python then installs no Ctrl-C handler;
        # a foreground process in a terminal has it: restore what the user's Ctrl-C meets.
        signal.signal(signal.SIGINT, signal.default_int_handler)
    owner = importlib.import_module(module_name)
    *parents, attr = qualname.split(".")
    for name in parents:
        owner = getattr(owner, name)
    original = getattr(owner, attr)
    calls = 0

    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        nonlocal calls
        calls += 1
        if when == "before" and calls == int(nth):
            os.kill(os.getpid(), signum)
        result = original(*args, **kwargs)
        if when == "after" and calls == int(nth):
            os.kill(os.getpid(), signum)
        return result

    setattr(owner, attr, wrapper)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    arm(sys.argv[1])
    sys.argv = ["search", *sys.argv[2:]]
    from cli import main

    main()
