"""ConductRetriever: LangChain's own standard retriever tests, then its metadata, filters and use
in a chain with a real (local) chat model."""

import pytest
from langchain_core.documents import Document
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import RunnablePassthrough
from langchain_tests.integration_tests import RetrieversIntegrationTests

from assistant.integrations.langchain import ConductRetriever

# The standard suite's async test runs under anyio; the sync ones ignore the mark.
pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(autouse=True)
def _shipped_index(request, assistant):
    # The suite builds the retriever from class properties, so the session's index is handed
    # over through the class.
    if request.cls is not None:
        request.cls.built = assistant


class TestConductRetrieverStandard(RetrieversIntegrationTests):
    built = None

    @property
    def retriever_constructor(self) -> type[ConductRetriever]:
        return ConductRetriever

    @property
    def retriever_constructor_params(self) -> dict:
        return {"assistant": self.built, "k": 2}

    @property
    def retriever_query_example(self) -> str:
        return "Can I be disciplined for what I post in a private group chat?"


def test_documents_carry_the_citation(assistant):
    retriever = ConductRetriever(assistant=assistant, k=5)
    documents = retriever.invoke("Which protected characteristics does s26 harassment cover?")
    assert len(documents) == 5 and all(isinstance(d, Document) for d in documents)
    first = documents[0].metadata
    assert set(first) >= {
        "doc_id", "section_id", "heading", "title", "kind", "status", "warnings", "url",
        "force", "month", "accepted", "score",
    }
    hit = assistant.search("Which protected characteristics does s26 harassment cover?", k=5)[0]
    assert documents[0].page_content == hit.text and first["section_id"] == hit.section
    assert first["doc_id"] == "equality-act-2010" and first["url"].startswith("https://www.legislation.gov.uk/")
    assert [d.metadata["score"] for d in documents] == sorted((d.metadata["score"] for d in documents), reverse=True)


def test_superseded_sources_carry_their_warning(assistant):
    retriever = ConductRetriever(assistant=assistant, k=8, kinds=["guidance"], year_to=2014)
    documents = retriever.invoke("What did the 2014 Code of Ethics say about integrity?")
    assert documents and {d.metadata["doc_id"] for d in documents} == {"code-of-ethics-2014"}
    assert all(d.metadata["status"].startswith("superseded") for d in documents)
    assert all(any("superseded" in w.lower() for w in d.metadata["warnings"]) for d in documents)


def test_filters_select_precedents_by_force_and_year(assistant):
    retriever = ConductRetriever(assistant=assistant, k=10, kinds=["precedent"], forces=["northumbria"])
    documents = retriever.invoke("social media training for officers", k=3)
    assert len(documents) == 3
    assert {d.metadata["force"] for d in documents} == {"Northumbria Police"}
    assert {d.metadata["month"] for d in documents} == {"2021-03"}
    # A recommendation carries the force's acceptance; the page's summary carries none.
    assert {d.metadata["accepted"] for d in documents if d.metadata["section_id"].startswith("Recommendation")} == {"yes"}

    none = ConductRetriever(assistant=assistant, kinds=["precedent"], forces=["northumbria"], year_from=2024)
    assert none.invoke("social media training for officers") == []


def test_a_theme_filter_keeps_the_precedents_on_that_theme(assistant):
    retriever = ConductRetriever(assistant=assistant, k=6, themes=["body-worn video"])
    documents = retriever.invoke("what went wrong with the footage?")
    assert documents and all("body-worn video" in d.metadata["themes"] for d in documents)
    assert {d.metadata["kind"] for d in documents} == {"precedent"}


async def test_async_invoke_matches_sync(assistant):
    retriever = ConductRetriever(assistant=assistant, k=4, kinds=["legislation"])
    question = "Does harassment have to be intended?"
    synced, awaited = retriever.invoke(question), await retriever.ainvoke(question)
    assert [d.id for d in awaited] == [d.id for d in synced]
    assert {d.metadata["kind"] for d in synced} == {"legislation"}


def test_an_lcel_chain_answers_from_the_retrieved_passages(assistant, local_chat_model):
    retriever = ConductRetriever(assistant=assistant, k=3, kinds=["legislation"])
    prompt = ChatPromptTemplate.from_messages(
        [("system", "Answer from these sources only:\n{context}"), ("human", "{question}")]
    )
    seen: list[str] = []

    def sources(documents: list[Document]) -> str:
        seen.extend(d.metadata["section_id"] for d in documents)
        return "\n\n".join(f"[{d.metadata['section_id']}] {d.page_content}" for d in documents)

    chain = {"context": retriever | sources, "question": RunnablePassthrough()} | prompt | local_chat_model | StrOutputParser()
    reply = chain.invoke("Which characteristics are protected from harassment?")
    assert isinstance(reply, str) and reply.strip()
    assert len(seen) == 3 and "s26(5)" in seen
