"""The command line as a user runs it: `python -m assistant ...`, JSON and text."""

import json

import pytest

from tests.conftest import json_lines, run_cli


def test_ask_json_answers_the_first_question_with_citations(assistant, shipped_home):
    result = run_cli("ask", "what are my duties on social media?", "--json", home=shipped_home)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["answered"] and answer["question"] == "what are my duties on social media?"
    assert {c["doc_id"] for c in answer["citations"]} & {"police-conduct-regulations-2020", "code-of-ethics-2014"}
    assert all(c["quote"] and c["url"] for c in answer["citations"])


def test_ask_text_shows_answer_sources_and_quotes(assistant, shipped_home):
    result = run_cli("ask", "Which protected characteristics does s26 harassment cover?", home=shipped_home)
    assert result.returncode == 0, result.stderr
    assert "[1]" in result.stdout and "Sources that apply:" in result.stdout and "Passages:" in result.stdout
    assert "Equality Act 2010 (summary of selected provisions) \u00b7 s26(5)" in result.stdout
    assert "https://www.legislation.gov.uk/ukpga/2010/15/section/26" in result.stdout


def test_batch_questions_carry_their_ids_and_bad_lines_are_named(assistant, shipped_home, tmp_path):
    questions = tmp_path / "questions.jsonl"
    questions.write_text(
        '{"id": "q1", "question": "How long does a force have to respond to an IOPC recommendation?"}\n'
        '{"id": "q2", "question": "How is my police pension calculated?"}\n'
        '{"id": "q3", "question": ""}\n',
        "utf-8",
    )
    result = run_cli("ask", "--questions", str(questions), "--json", home=shipped_home)
    assert result.returncode == 1
    answers = json_lines(result.stdout)
    assert [a["id"] for a in answers] == ["q1", "q2", "q3"]
    assert answers[0]["answered"] and any(c["section"] == "para 28B(2)" for c in answers[0]["citations"])
    assert not answers[1]["answered"] and answers[1]["hits"]
    assert answers[2]["error"].startswith("empty question")
    assert f"error: {questions}: question q3: empty question" in result.stderr
    assert "Traceback" not in result.stderr


def test_search_and_records_json(assistant, shipped_home):
    result = run_cli("search", "body-worn video", "--kind", "recommendation", "--k", "5", "--json", home=shipped_home)
    hits = json.loads(result.stdout)
    assert result.returncode == 0 and len(hits) == 5
    assert {h["kind"] for h in hits} == {"precedent"} and hits[0]["rank"] == 1

    result = run_cli("records", "--doc", "recommendations-northumbria-police-march-2021", "--json", home=shipped_home)
    (record,) = json_lines(result.stdout)
    assert set(record) >= {"doc_id", "title", "force", "month", "iopc_references", "url", "recommendations"}
    assert record["force"] == "Northumbria Police" and record["month"] == "2021-03"
    assert [r["accepted"] for r in record["recommendations"]] == ["yes", "yes", "yes"]
    assert set(record["recommendations"][0]) >= {"number", "section", "text", "finding", "accepted", "response"}


def test_empty_and_absurdly_long_questions_get_one_line(assistant, shipped_home):
    for question in ("  ", "why " * 2000):
        result = run_cli("ask", question, home=shipped_home)
        assert result.returncode == 2
        assert result.stderr.strip().startswith("error: ") and len(result.stderr.strip().splitlines()) == 1


# The whole question bank through the CLI, twice over: about 20 seconds.
@pytest.mark.slow
def test_eval_prints_one_table_with_every_measure(assistant, shipped_home):
    result = run_cli("eval", home=shipped_home)
    assert result.returncode == 0, result.stderr
    for needle in ("Recall@5", "Recall@10", "MRR@10", "nDCG@10", "hybrid", "dense", "bm25",
                   "cites gold", "leads with gold", "caveated", "pointing back", "verbatim", "words"):
        assert needle in result.stdout


def test_chat_answers_typed_questions_until_exit(assistant, shipped_home):
    result = run_cli("chat", home=shipped_home, stdin="Is a force obliged to accept an IOPC recommendation?\nexit\n")
    assert result.returncode == 0, result.stderr
    assert "para 28B(1)" in result.stdout and "[1]" in result.stdout
