"""Matching and scoring: BM25F over posting arrays, tiers, proximity rerank."""
