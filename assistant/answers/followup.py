"""Follow-up questions in a conversation: the previous question informs retrieval.

"and what did the force do about it?" says nothing of which force or what "it" was; the
question before it does. A short question that leans on the conversation (it opens with
"and", "what about"..., or is short and refers back with "it", "they", "that"...) is
searched together with the previous question. The answer still shows the question as typed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_OPENERS = ("and ", "and?", "what about", "how about", "also ", "but ", "so ", "what if", "then ")
_BACK_REFERENCES = {
    "it", "its", "they", "them", "their", "that", "this", "those", "these", "he", "she", "him",
    "her", "there", "same", "else",
}
_SHORT = 10


def is_follow_up(question: str) -> bool:
    text = question.strip().lower()
    words = re.findall(r"[a-z']+", text)
    if not words:
        return False
    if text.startswith(_OPENERS):
        return True
    return len(words) <= _SHORT and any(w in _BACK_REFERENCES for w in words)


def contextual_query(question: str, history: Sequence[str]) -> str:
    """The text to search for: the question, preceded by the previous one if it follows on."""
    if history and is_follow_up(question):
        return f"{history[-1]} {question}"
    return question
