"""Precedents: the IOPC recommendations as rows to search, filter and compare."""
