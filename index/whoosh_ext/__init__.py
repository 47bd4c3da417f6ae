"""The only package that touches Whoosh's private attributes: our segment writer, posting
blocks, the posting sidecar and its codec, and memory-mapped segment files.

See README.md here for the pinned Whoosh version and the tests that guard this code.
"""
