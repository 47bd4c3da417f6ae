"""The only package that touches Whoosh's private attributes: our segment writer and its
parallel form, posting blocks, the posting sidecar and its codec, the postings the
array scorer reads, and memory-mapped segment files.

See README.md here for the pinned Whoosh version, what each module relies on, and the
tests that guard this code.
"""
