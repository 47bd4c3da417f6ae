"""From what was typed to Whoosh queries: parsing and each rewrite of the query."""
