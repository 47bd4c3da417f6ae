"""Arabic analysis: normalization, stop words, light stems and roots, as Whoosh analyzers
and as the plain per-word calls the bulk writer uses."""
