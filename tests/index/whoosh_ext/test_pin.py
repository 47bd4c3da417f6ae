"""index/whoosh_ext reads Whoosh's private attributes, so it is written against one
release: the installed Whoosh must be the one pyproject.toml pins."""

from __future__ import annotations

import importlib.metadata
import re
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[3] / "pyproject.toml"


def test_the_installed_whoosh_is_the_pinned_one():
    pins = re.findall(r'"whoosh-reloaded==([^"]+)"', PYPROJECT.read_text(encoding="utf-8"))
    assert len(pins) == 1, "pyproject.toml must pin whoosh-reloaded to one version"
    assert importlib.metadata.version("whoosh-reloaded") == pins[0]
