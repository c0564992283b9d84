"""Precedent search over the recommendations: ranking, filters, similar, records, exports."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest

from assistant.criteria import CriteriaError
from assistant.precedents.table import PrecedentError, rows_csv, rows_json
from tests.conftest import BODY_WORN_VIDEO, FIXTURES, WHATSAPP, json_lines, run_cli

NORTHUMBRIA = "recommendations-northumbria-police-march-2021"


def test_body_worn_video_precedents_come_first_with_their_facts(assistant):
    result = assistant.precedents("body-worn video", limit=10)
    top = result.rows[: len(BODY_WORN_VIDEO)]
    assert {row.doc_id for row in top} == BODY_WORN_VIDEO
    for row in top:
        assert "body-worn video" in row.themes
        assert row.force and row.month[:4].isdigit() and row.accepted in {"yes", "unknown"}
        assert row.gist and row.url.startswith("https://")
    merseyside = next(r for r in top if r.doc_id.startswith("recommendation-merseyside"))
    assert (merseyside.force, merseyside.month, merseyside.accepted) == ("Merseyside Police", "2021-03", "yes")
    scores = [row.score for row in result.rows]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("query", ["WhatsApp", "banter in the team's whatsapp group chat"])
def test_whatsapp_group_precedents_come_first(assistant, query):
    rows = assistant.precedents(query, limit=5).rows
    assert {row.doc_id for row in rows[:2]} == WHATSAPP


def test_filters_narrow_the_rows_and_fail_closed(assistant):
    sussex = assistant.precedents("", assistant.criteria(forces=["sussex"]), limit=50)
    assert sussex.rows and {row.force for row in sussex.rows} == {"Sussex Police"}
    assert len(sussex.rows) == 4  # September 2020, March 2023 and two of August 2025

    years = assistant.criteria(year_from=2025, year_to=2026)
    assert {row.year for row in assistant.precedents("custody", years).rows} <= {2025, 2026}

    awaiting = assistant.precedents("", assistant.criteria(accepted=["awaiting"]))
    assert {row.accepted for row in awaiting.rows} == {"awaiting"} and len(awaiting.rows) == 4

    custody = assistant.precedents("", assistant.criteria(themes=["Custody"]), limit=50)
    assert custody.rows and all("custody" in row.themes for row in custody.rows)

    equality = assistant.precedents("harassment", assistant.criteria(relies_on=["equality"]))
    assert [row.key for row in equality.rows] == [f"{NORTHUMBRIA}#3"]
    assert equality.rows[0].relies_on == ("Equality Act 2010", "Social media guidelines")

    nowhere = assistant.precedents("custody", assistant.criteria(forces=["Atlantis"]))
    assert nowhere.rows == () and nowhere.notice.startswith("No recommendation matches")
    assert "force: Atlantis" in nowhere.notice


def test_bad_filter_values_are_refused_in_one_line(assistant):
    with pytest.raises(CriteriaError, match="accepted: 'maybe' is not one of yes, no"):
        assistant.criteria(accepted=["maybe"])
    with pytest.raises(CriteriaError, match="year range: 2024 is after 2020"):
        assistant.criteria(year_from=2024, year_to=2020)
    with pytest.raises(CriteriaError, match="kind: 'banana' is not one of legislation, guidance"):
        assistant.criteria(kinds=["banana"])


def test_a_query_nothing_matches_says_so_over_its_nearest_rows(assistant):
    result = assistant.precedents("pension rules for part-time staff")
    assert result.rows and "Nothing in the recommendations closely matches" in result.notice


def test_accepted_no_returns_only_the_refused_recommendation(fresh_assistant):
    corpus = fresh_assistant.settings.corpus_dir
    for name in ("multi-mixed.txt", "single-yes.txt", "no-response-yet.txt"):
        shutil.copy(FIXTURES / "pages" / name, corpus)
    fresh_assistant.ensure_index()
    refused = fresh_assistant.precedents("", fresh_assistant.criteria(accepted=["no"]))
    assert [row.key for row in refused.rows] == ["multi-mixed#2"]
    assert refused.rows[0].response_gist.startswith("The central custody suite is scheduled to close")
    ranked = fresh_assistant.precedents("CCTV blind spot", fresh_assistant.criteria(accepted=["no"]))
    assert [row.key for row in ranked.rows] == ["multi-mixed#2"]


def test_similar_recommendations_come_from_other_pages(assistant):
    result = assistant.similar_precedents(f"{NORTHUMBRIA}#1", limit=5)
    assert result.rows and all(row.doc_id != NORTHUMBRIA for row in result.rows)
    assert "recommendations-greater-manchester-police-december-2020#1" in [r.key for r in result.rows[:3]]
    scores = [row.score for row in result.rows]
    assert scores == sorted(scores, reverse=True) and all(0 < s <= 1 for s in scores)
    with pytest.raises(PrecedentError, match="is not a recommendation id"):
        assistant.similar_precedents("no-hash-here")


def test_record_holds_finding_acceptance_response_and_its_siblings(assistant):
    record = assistant.precedent(f"{NORTHUMBRIA}#2")
    assert record.recommendation.startswith("The IOPC recommends that Northumbria Police take steps")
    assert "posted inappropriate content on Facebook" in record.finding
    assert record.row.accepted == "yes"
    assert record.response.startswith("This incident was highlighted by officers")
    assert record.response.count("\n") >= 3
    assert record.row.url == "https://policeconduct.gov.uk/node/4024"
    assert [r.number for r in record.others] == [1, 3]
    with pytest.raises(PrecedentError, match="has no recommendation 9 \\(it has 1, 2, 3\\)"):
        assistant.precedent(f"{NORTHUMBRIA}#9")


def test_csv_and_json_exports_hold_the_same_rows(assistant):
    rows = assistant.precedents("body-worn video", limit=5).rows
    table = list(csv.DictReader(io.StringIO(rows_csv(rows))))
    as_json = json.loads(rows_json(rows))
    assert [r["id"] for r in table] == [r["id"] for r in as_json] == [row.key for row in rows]
    assert table[0]["force"] == rows[0].force and table[0]["accepted"] == rows[0].accepted
    assert table[0]["themes"] == "; ".join(rows[0].themes)


def test_cli_precedents_table_csv_json_similar_and_record(assistant, shipped_home, tmp_path):
    out = tmp_path / "bwv.csv"
    result = run_cli(
        "precedents", "body-worn video", "--limit", "5", "--csv", str(out),
        home=shipped_home, extra_env={"COLUMNS": "160"},
    )
    assert result.returncode == 0, result.stderr
    assert "Merseyside Police" in result.stdout and "accepted: yes" in result.stdout
    assert {row["id"].split("#")[0] for row in csv.DictReader(out.open())} == BODY_WORN_VIDEO

    listed = run_cli("precedents", "--accepted", "awaiting", "--json", home=shipped_home)
    (payload,) = json_lines(listed.stdout)
    assert {row["accepted"] for row in payload["rows"]} == {"awaiting"}

    similar = run_cli("precedents", "--similar-to", f"{NORTHUMBRIA}#1", "--json", home=shipped_home)
    (payload,) = json_lines(similar.stdout)
    assert payload["rows"] and all(not r["id"].startswith(NORTHUMBRIA) for r in payload["rows"])

    record = run_cli("precedents", "--record", f"{NORTHUMBRIA}#3", home=shipped_home)
    assert "relies on: Equality Act 2010, Social media guidelines" in record.stdout
    assert "Other recommendations of this page:" in record.stdout

    bad = run_cli("precedents", "--record", "nonsense", home=shipped_home)
    assert bad.returncode == 2 and bad.stderr.strip().count("\n") == 0
    assert bad.stderr.startswith("error: 'nonsense' is not a recommendation id")
    nothing = run_cli("precedents", "custody", "--force", "Atlantis", home=shipped_home)
    assert nothing.returncode == 1 and "No recommendation matches" in nothing.stdout
