"""The knowledge base as a LangChain retriever, to plug into a user's own chains.

    from assistant.integrations.langchain import ConductRetriever

    retriever = ConductRetriever(k=4, kinds=["legislation", "guidance"])
    documents = retriever.invoke("Can I be disciplined for what I post in a private group chat?")

Each Document holds one passage, verbatim, with its citation in the metadata. The search is the
assistant's own hybrid retrieval, on the index under CONDUCT_ASSISTANT_HOME (built from the
shipped knowledge base on first use), so a chain sees what the chat would cite.
"""

from __future__ import annotations

import asyncio
from typing import Any

from langchain_core.callbacks import (
    AsyncCallbackManagerForRetrieverRun,
    CallbackManagerForRetrieverRun,
)
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, Field

from assistant.models import Hit
from assistant.service import ConductAssistant


class ConductRetriever(BaseRetriever):
    """Passages of the conduct knowledge base for a question, best first."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    # The assistant whose index is searched; by default one configured from the environment.
    assistant: ConductAssistant = Field(default_factory=ConductAssistant, exclude=True)
    # Passages returned; `invoke(query, k=...)` overrides it for one call.
    k: int = Field(default=8, ge=1, le=100)
    # Filters, as in the chat and `conduct-assistant search`: "legislation", "guidance",
    # "precedent"; force names match by part ("kent"); themes as the precedents list them;
    # years of the source (a precedent's month, an instrument's year).
    kinds: list[str] = Field(default_factory=list)
    forces: list[str] = Field(default_factory=list)
    themes: list[str] = Field(default_factory=list)
    year_from: int | None = None
    year_to: int | None = None

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, k: int | None = None, **kwargs: Any
    ) -> list[Document]:
        return self._search(query, k)

    async def _aget_relevant_documents(
        self,
        query: str,
        *,
        run_manager: AsyncCallbackManagerForRetrieverRun,
        k: int | None = None,
        **kwargs: Any,
    ) -> list[Document]:
        # The search is CPU-bound and synchronous: run it off the event loop.
        return await asyncio.to_thread(self._search, query, k)

    def _search(self, query: str, k: int | None) -> list[Document]:
        criteria = self.assistant.criteria(
            kinds=self.kinds,
            forces=self.forces,
            themes=self.themes,
            year_from=self.year_from,
            year_to=self.year_to,
        )
        hits = self.assistant.search(query, k=k or self.k, criteria=criteria)
        return [self._document(hit) for hit in hits]

    def _document(self, hit: Hit) -> Document:
        meta = hit.metadata
        return Document(
            id=hit.passage_id,
            page_content=hit.text,
            metadata={
                "doc_id": hit.doc_id,
                "section_id": hit.section,
                "heading": hit.heading,
                "title": hit.title,
                "kind": hit.kind,
                "status": meta.get("status", ""),
                "warnings": list(self.assistant.source_warnings(hit)),
                "url": hit.url,
                "force": meta.get("force", ""),
                "month": meta.get("month", ""),
                "accepted": meta.get("accepted", ""),
                "themes": list(meta.get("themes") or ()),
                "year": meta.get("year"),
                "rank": hit.rank,
                "score": hit.score,
            },
        )
