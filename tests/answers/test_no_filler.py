"""An answer quotes only what bears on the question, never a sentence to give a section a place."""

CROSSINGS = """---
id: crossings-regulations
title: Pedestrian Crossings Regulations (summary)
kind: legislation
publisher: UK Parliament
year: 1997
url: https://www.legislation.gov.uk/uksi/1997/2400/contents/made
status: in force
note: Summary written for a test.
---
# Pedestrian crossings

## reg 25 — Precedence of pedestrians at zebra crossings
url: https://www.legislation.gov.uk/uksi/1997/2400/regulation/25/made

Every pedestrian on the carriageway within the limits of a zebra crossing has precedence over any
vehicle. A driver approaching a zebra crossing must give way to a pedestrian who is on the
crossing. Police officers driving on duty must give way at zebra crossings like any other driver
unless an exemption applies.

## History — When the Regulations came into force
url: https://www.legislation.gov.uk/uksi/1997/2400/contents/made

Those Regulations came into force on 1 April 2004 after a consultation. They replaced earlier
regulations from 1971 and were later consolidated in 2016.
"""


def test_an_answer_on_zebra_crossings_quotes_the_rule_and_not_the_history(fresh_assistant):
    (fresh_assistant.settings.corpus_dir / "crossings-regulations.md").write_text(CROSSINGS, "utf-8")
    answer = fresh_assistant.ask("what must officers do at zebra crossings?")
    assert answer.answered and answer.outcome == "answer"
    assert "give way at zebra crossings" in answer.lead[0].text
    assert {c.section for c in answer.citations} == {"reg 25"}
    assert not any("came into force" in s.text or "1971" in s.text for s in answer.sentences)
    # The document is wrapped at 100 columns: each quoted sentence is whole, not a line of it.
    assert all(s.text[0].isupper() and s.text.endswith(".") for s in answer.sentences)
