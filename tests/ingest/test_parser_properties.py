"""The parsers never crash on arbitrary text: they parse it or refuse it with IngestError."""

from hypothesis import example, given, settings
from hypothesis import strategies as st

from ingest.iopc_page import parse_iopc_page
from ingest.markdown_doc import parse_markdown
from ingest.models import IngestError

PAGE_LINES = st.sampled_from(
    [
        "Recommendations - Midshire Police, May 2024",
        "Recommendation \u2013 Fenland Police, January 2019",
        "IOPC reference",
        "2024/000001 and 2024/000002",
        "Recommendations",
        "The IOPC recommends that the force reviews its policy.",
        "This follows an IOPC investigation.",
        "Do you accept the recommendation?",
        "Yes",
        "No",
        "Partially",
        "",
        "Accepted action:",
        "Reason for not accepting:",
        "Accepted",
        "The force has updated its guidance.",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(PAGE_LINES, st.text(max_size=80)), max_size=40))
def test_page_parser_never_raises_anything_but_ingest_error(lines):
    try:
        page = parse_iopc_page("\n".join(lines))
    except IngestError:
        return
    assert page.recommendations
    for rec in page.recommendations:
        assert rec.accepted in {"yes", "no", "partially", "unknown"}
        assert rec.text.lower().startswith("the iopc recommends")


FRONT_MATTER_DOCS = st.builds(
    lambda meta, body: f"---\n{meta}\n---\n# Title\n\n## s1 \u2014 Heading\n{body}",
    st.text(max_size=200),
    st.text(max_size=300),
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=600), FRONT_MATTER_DOCS))
@example("---\n?\n---")  # a null key, found by this test in CI
def test_markdown_parser_never_raises_anything_but_ingest_error(text):
    try:
        parse_markdown(text)
    except IngestError:
        pass
