"""Retrieval: hybrid search (dense, BM25, named references) and the scope checks behind declines."""
