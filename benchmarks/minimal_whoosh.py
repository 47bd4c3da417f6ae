"""The yardstick for a cold `search query`: the least a Python program must do to
open a Whoosh index, run a query over title and body and print the top 10 with
highlights. Usage: ``python benchmarks/minimal_whoosh.py INDEX_DIR "QUERY"``."""

import sys

from whoosh import index
from whoosh.qparser import MultifieldParser, OrGroup

ix = index.open_dir(sys.argv[1])
with ix.searcher() as searcher:
    query = MultifieldParser(["title", "body"], ix.schema, group=OrGroup).parse(sys.argv[2])
    for hit in searcher.search(query, limit=10):
        print(hit["title"])
        print(hit.highlights("body"))
