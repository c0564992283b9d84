"""The shipped knowledge base and evaluation set, installed as package data."""

from pathlib import Path

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
DEV_SET = Path(__file__).resolve().parent / "eval" / "dev.jsonl"
