"""Answers: compose a cited answer from retrieved passages (extractive, or generated and checked)."""
