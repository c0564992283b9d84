"""Evaluation: retrieval and answer metrics on question sets, and the tutorial baseline."""
