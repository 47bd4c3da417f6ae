"""Building the index: Arabic analysis, reading documents, the schema and writing.

The public, stable API lives in :mod:`search`; modules here are its building blocks.
"""
