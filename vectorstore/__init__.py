"""Passage storage and search: Chroma for vectors, BM25 for words."""
