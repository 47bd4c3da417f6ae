"""Showing results: snippets, facets, the terminal and the web page."""
