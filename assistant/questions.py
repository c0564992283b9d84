"""What the assistant takes as a question, a topic or a query, and the error that says why not."""

from __future__ import annotations


class QuestionError(ValueError):
    """A question the assistant cannot take; the message says why in one line."""


def checked(text: str | None, limit: int, what: str = "question") -> str:
    """`text` stripped, or QuestionError when it is empty, has no words or is over `limit`."""
    text = (text or "").strip()
    if not text:
        raise QuestionError(f"empty {what}: type a {what} about police conduct")
    if not any(ch.isalnum() for ch in text):
        raise QuestionError(f"not a {what}: type some words about police conduct")
    if len(text) > limit:
        raise QuestionError(f"{what} too long ({len(text):,} characters; the limit is {limit:,})")
    return text
