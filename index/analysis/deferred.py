"""Deferring the import of modules a dependency loads but our code path never reads.

``tashaphyne.stemming`` imports, at start-up, a table of verb patterns (built with
thousands of regex substitutions) and a large stop-word dictionary; light stemming reads
neither (they serve root extraction and verb checks). Loading both would be a large
share of what every ``search query`` process adds to Python's start
(benchmarks/README.md). :func:`defer` puts a stand-in in ``sys.modules`` that imports the
real module on its first attribute access, so nothing is lost if it is ever used.
"""

from __future__ import annotations

import importlib
import sys
import types


class _Deferred(types.ModuleType):
    """A module that becomes the real one when an attribute is first asked of it."""

    def __getattr__(self, attr: str):
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        real = importlib.import_module(self.__name__)
        self.__dict__.update(real.__dict__)
        return getattr(real, attr)


def defer(*names: str) -> None:
    """Stand in for each module of ``names`` that is not imported yet."""
    for name in names:
        if name not in sys.modules:
            sys.modules[name] = _Deferred(name)
