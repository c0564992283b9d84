"""How a passage is cut into what an answer may quote.

A passage is split into sentences, each a verbatim slice of it. A sentence that refers to what
came before it ("It…", "These…", "Second,…", "Because the Standard…", "…those two
characteristics…") is quotable only together with the sentences it depends on, and an
enumeration ("…when two conditions are both met. First, … Second, …") only whole. A sentence
about the knowledge base itself ("…was not confirmed for this knowledge base", "Check the IOPC
website for…", a bracketed aside) is a note for its source's card, never an answer.
"""

from __future__ import annotations

import re

# A sentence ends at ".", "!" or "?" (perhaps inside quotes or brackets) before a capital or
# a digit, but not at the dots of an initialism or an abbreviation: "(S.I. 2020/4)", "(No. 2)",
# "para. 7.4" and "e.g. Section 3" are one sentence's words.
_SENTENCE_BREAK = re.compile(
    r"(?:(?<=[.!?])|(?<=[.!?][\"\u201d\u2019)]))"
    r"(?<![A-Z]\.[A-Z]\.)(?<!\bNo\.)(?<!\bno\.)(?<!\bs\.)(?<!\bss\.)(?<!\bpara\.)(?<!\breg\.)"
    r"(?<!\be\.g\.)(?<!\bi\.e\.)"
    r"\s+(?=[\"\u201c\u2018(]?[A-Z0-9])"
)
_MIN_WORDS = 5
# Words that, opening a sentence or its opening clause ("Because the Standard applies…",
# "As the College describes it, …"), point back to the sentence before it.
_POINTS_BACK = re.compile(
    r"""^[\"\u201c\u2018(*]*(?:
        (?:it|its|this|that|these|those|they|them|their|such|he|she|his|her|both|also|however|
           moreover|furthermore|further|additionally|instead|otherwise|then|thus|therefore|hence|
           likewise|similarly|accordingly|nevertheless|nonetheless|meanwhile|here|but|and|or|nor|
           so|yet)\b
      | (?:first|firstly|second|secondly|third|thirdly|fourth|fifth|finally|lastly|next)\s*,
      | for\s+(?:example|instance)\b | examples?\s+(?:are|is|include)\b
      | all\s+(?:two|three|four|five|six|seven|eight|nine|ten)\b
      | the\s+(?:other|rest|remaining)\b
      | the\s+(?:same|former|latter|above|standard|section|subsection|paragraph|provision)\b(?!\s+of\b)
      | (?:in|on|of|for|by|from|with|among|like|unlike|after|before|during|at|under|later|until)\b[^,;:.]{0,40}?
          (?:,\s*|\s)(?:it|they|he|she)\s
      | (?:because|as|since|if|when|where|while|whilst|although|though|unless|once)\b[^,;:.]{0,40}?
          (?:,\s*)?\b(?:it(?!\s+(?:appears|seems|comes\s+to|(?:is|was)\s+(?:not\s+)?(?:found|alleged|practicable|
                 reasonabl[ey]|necessary|possible|clear|likely|unlikely|known|thought|believed))\b)
             |they|he|she|these|those|the\s+(?:same|former|latter|above|standard|section|subsection|
             paragraph|provision)(?!\s+(?:of\b|\d)))\b
    )""",
    re.I | re.X,
)
# "those two characteristics", "these nine": a counted set named before, wherever it falls.
# Not one that announces a list ("these three rules: honesty, …").
_COUNTED_BACK = re.compile(
    r"\b(?:these|those)\s+(?:two|three|four|five|six|seven|eight|nine|ten)\b(?!\s+\w+\s*:)", re.I
)
# "The IOPC paraphrased this wording…", "How these rules apply…": "this" or "these" in a
# sentence's first clause names something said before, unless it names the source itself or
# the section the card's label already names ("this knowledge base", "this Standard").
_DEMONSTRATIVE_BACK = re.compile(
    r"^[^,;:]{0,60}?\b(?:this|these)\s+(?![^,;:.]*:)(?!(?:knowledge|digest|file|summary|standards?|sections?|code|act|"
    r"regulations?|guidelines|guidance|page|copy|recommendations?|paragraphs?|part|schedule|order|"
    r"chapter)\b)[a-z]",
    re.I,
)
# "It is unlawful for…", "It was misconduct to…": an "it" that points forward.
_DUMMY_IT = re.compile(
    r"^[\"\u201c\u2018(*]*It\s+(?:is|was)\s+(?:not\s+)?(?:an?\s+|the\s+)?"
    r"(?:unlawful|lawful|misconduct|offence|criminal|possible|impossible|important|necessary|"
    r"required|expected|clear|unclear|unacceptable|acceptable|likely|unlikely|enough|duty|"
    r"right|wrong|open|essential|vital)\b",
    re.I,
)
# A sentence on what the knowledge base holds or checked, rather than on its subject. A
# digest's copy of a page is the knowledge base's too: "…was not visible in the copy used for
# this digest" says what it lacks, while "When the copy used for this digest was taken, both
# recommendations were shown as awaiting a response" (or "…the force had not yet responded")
# answers a question.
_DIGEST = r"(?:this\s+digest|the\s+copy\s+used)"
_NOT_CAPTURED = (
    r"(?:\b(?:not|only)\b[^.;]*?\b(?:visible|captured|reproduced|shown|seen)\b|\bcut\s+off\b)"
)
_ABOUT_KNOWLEDGE_BASE = re.compile(
    r"(?:knowledge\s+base|at\s+the\s+(?:official\s+)?url)[^.]*?"
    r"\b(?:not|only|check|checked|prevails|read)\b"
    r"|\b(?:not|check|prevails|read)\b[^.]*?(?:knowledge\s+base|at\s+the\s+(?:official\s+)?url)"
    rf"|{_NOT_CAPTURED}[^.;]*?{_DIGEST}|{_DIGEST}[^.;]*?{_NOT_CAPTURED}",
    re.I,
)
# A whole sentence in brackets is an aside on the source ("(Paragraph number from a secondary
# copy; check against the Code.)"): a note for its card, not an answer.
_ASIDE = re.compile(r"^\([^()]*\)\.?$")
# So is a sentence telling the reader where to check the source ("Check them at
# legislation.gov.uk before…", "Before quoting a Standard…, check the current text…"), but not
# advice that happens to start with the same verb ("Check your privacy settings…").
_CHECK_SOURCE = re.compile(
    r"^(?:(?:before|when|until|if)\b[^.]{0,120}?,\s*)?(?:check|consult|verify|see)\b"
    r"(?=[^.]*(?:\bwebsite\b|\burl\b|https?://|legislation\.gov\.uk|\bofficial\b|\bcurrent\s+text\b))",
    re.I,
)
# A section whose heading speaks of the knowledge base ("What this knowledge base holds on…")
# is about the knowledge base throughout: none of it is quoted as an answer.
_KNOWLEDGE_BASE_SECTION = re.compile(r"\bknowledge\s+base\b", re.I)
# A sentence that is an item of an enumeration ("First, …", "Second, …"). An enumeration is
# quoted whole, from the sentence announcing it ("…when two conditions are both met.") to its
# last item, or not at all.
_ENUMERATION = re.compile(
    r"^[\"\u201c\u2018(*]*(?:first|firstly|second|secondly|third|thirdly|fourth|fifth|finally|lastly)\s*,", re.I
)
# How many sentences back a pointing-back sentence may reach for the one it depends on.
_MAX_CHAIN = 3


def split_sentences(text: str) -> list[str]:
    """Sentences of a passage, each a verbatim slice of it."""
    sentences: list[str] = []
    for line in text.split("\n"):
        sentences.extend(s.strip() for s in _SENTENCE_BREAK.split(line) if s.strip())
    return sentences


def usable(sentence: str) -> bool:
    """A statement worth quoting: not a label ("Accepted action:"), an answer ("Yes") or a question."""
    return len(sentence.split()) >= _MIN_WORDS and not sentence.endswith(("?", ":"))


def points_back(sentence: str) -> bool:
    """Whether a sentence refers to what came before it: by its opening ("It", "These",
    "Second,"), by a counted set ("…related to those two characteristics…") or by "this" or
    "these" in its first clause ("The IOPC paraphrased this wording…")."""
    opens_back = bool(_POINTS_BACK.match(sentence)) and not _DUMMY_IT.match(sentence)
    return opens_back or bool(_COUNTED_BACK.search(sentence) or _DEMONSTRATIVE_BACK.match(sentence))


def about_knowledge_base(sentence: str) -> bool:
    """Whether a sentence speaks of what the knowledge base holds or checked, not of its
    subject, is an aside in brackets, or tells the reader where to check the source."""
    return bool(
        _ABOUT_KNOWLEDGE_BASE.search(sentence) or _ASIDE.match(sentence) or _CHECK_SOURCE.match(sentence)
    )


def units(text: str) -> list[tuple[int, tuple[str, ...]]]:
    """The quotable units of a passage: (position, sentences), each a sentence that does not
    point back, or one that does with the sentences before it that it depends on. A sentence
    whose dependency is missing, unusable or about the knowledge base gives no unit, and so
    does a part of an enumeration without the rest."""
    sentences = split_sentences(text)
    items = [bool(_ENUMERATION.match(s)) for s in sentences]
    last_item = max((k for k, item in enumerate(items) if item), default=-1)
    found: list[tuple[int, tuple[str, ...]]] = []
    for i, sentence in enumerate(sentences):
        if not usable(sentence) or about_knowledge_base(sentence):
            continue
        start = i
        while (
            points_back(sentences[start])
            and start > 0
            and (i - start < _MAX_CHAIN or items[start])
        ):
            before = sentences[start - 1]
            if not usable(before) or about_knowledge_base(before):
                break
            start -= 1
        # Inside an enumeration (it holds an item, or the next sentence is one), a unit ends
        # only at the last item.
        enumeration_goes_on = any(items[start : i + 2]) and i < last_item
        if points_back(sentences[start]) or enumeration_goes_on:
            continue
        found.append((start, tuple(sentences[start : i + 1])))
    return found


def quoted_for(sentences: tuple[str, ...]) -> str:
    """What a unit is quoted for: its last sentence, or the whole of an enumeration (two items
    or more; a lone "Finally, …" is just a sentence that points back)."""
    if sum(bool(_ENUMERATION.match(s)) for s in sentences) >= 2:
        return " ".join(sentences)
    return sentences[-1]


def knowledge_base_notes(text: str, heading: str = "") -> tuple[str, ...]:
    """The sentences of a passage about the knowledge base itself, for its card: all of them
    in a section whose heading speaks of the knowledge base."""
    whole = about_knowledge_base_section(heading)
    return tuple(s for s in split_sentences(text) if about_knowledge_base(s) or (whole and usable(s)))


def about_knowledge_base_section(heading: str) -> bool:
    """Whether a section's heading speaks of the knowledge base ("What this knowledge base
    holds on…"): then the whole section is about the knowledge base, and none of it is quoted."""
    return bool(_KNOWLEDGE_BASE_SECTION.search(heading))
