"""The shipped knowledge base and evaluation set, installed as package data."""

from pathlib import Path

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
EXPANSIONS_DIR = Path(__file__).resolve().parent / "expansions"
EVAL_DIR = Path(__file__).resolve().parent / "eval"
DEV_SET = EVAL_DIR / "dev.jsonl"
TUNE_SET = EVAL_DIR / "bank" / "tune.jsonl"
TEST_SET = EVAL_DIR / "bank" / "test.jsonl"
