"""The chat server's API: `ask`, `precedents`, `precedent` and `brief`, each returning, as JSON
text, exactly what the matching CLI command prints with `--json`.

The same four functions are the HTTP endpoints (`/ask`, ... for gradio_client) and, with
`conduct-assistant serve --mcp`, the MCP tools Gradio's MCP server offers to LLM clients: Gradio
names a tool after its function, describes it by the docstring (the `Args:` lines describe the
parameters) and types it by the annotations. JSON text rather than a dict, because an MCP
tool's result is text. A bad argument fails the call with the assistant's one-line reason
("empty question: ...").

Off loopback the chat requires a login; so does every MCP request, as HTTP Basic credentials
for one of the same logins (`McpLogin`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import secrets
from collections.abc import Callable, Sequence

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from assistant.api.inputs import criteria
from assistant.briefs.export import brief_json
from assistant.questions import QuestionError
from assistant.service import ConductAssistant

MCP_PATH = "/gradio_api/mcp"


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False)


class ApiTools:
    """The four functions, over one assistant. Method names are the tool names."""

    def __init__(self, assistant: ConductAssistant):
        self.assistant = assistant

    def functions(self) -> list[Callable[..., str]]:
        return [self.ask, self.precedents, self.precedent, self.brief]

    def ask(
        self,
        question: str,
        kinds: list[str] | None = None,
        forces: list[str] | None = None,
        themes: list[str] | None = None,
        year_from: int | None = None,
        year_to: int | None = None,
        history: list[str] | None = None,
    ) -> str:
        """Answer a question on UK police officers' conduct duties (Standards of Professional Behaviour, Code of Ethics, Equality Act 2010 s26 harassment, social media guidance, IOPC recommendations) from an offline knowledge base. Every answer sentence cites a passage: quoted verbatim (mode "extractive"), or written by the configured language model and checked against the passage it cites (mode "generated"); when the knowledge base does not hold the answer, outcome is "decline" and the nearest sources are listed. The law and guidance texts are plain-English summaries written for the knowledge base: cite the official link in each citation's url.

        Args:
            question: The question, in plain words, e.g. "Can I be disciplined for a post in a private WhatsApp group?"
            kinds: Only cite these kinds of source: "legislation", "guidance", "recommendation".
            forces: Only cite IOPC recommendations to these police forces (any part of a name, e.g. "northumbria").
            themes: Only cite IOPC recommendations on these themes (e.g. "social media", "body-worn video").
            year_from: Only cite sources from this year on.
            year_to: Only cite sources up to this year.
            history: The conversation's earlier questions, oldest first, so that a follow-up ("and if it was off duty?") is read in context.

        Returns:
            JSON text as `conduct-assistant ask --json` prints it: outcome (answer, caveat or decline), lead (the first line), sections (labelled sources with quoted sentences), answer (with [n] markers), citations (quote, title, section, url, warnings) and hits.
        """
        filters = criteria(self.assistant, kinds=kinds, forces=forces, themes=themes, year_from=year_from, year_to=year_to)
        return _json(self.assistant.ask(question, filters, history or ()).to_json())

    def precedents(
        self,
        query: str = "",
        forces: list[str] | None = None,
        themes: list[str] | None = None,
        accepted: list[str] | None = None,
        relies_on: list[str] | None = None,
        year_from: int | None = None,
        year_to: int | None = None,
        similar_to: str = "",
        limit: int = 20,
    ) -> str:
        """Search the IOPC's learning recommendations to police forces in England and Wales as precedents: one row per recommendation with the force, month, what was recommended, whether the force accepted it and what it did. Ranked by relevance to the query; with no query, all are listed newest first.

        Args:
            query: What to look for, e.g. "body-worn video" or "WhatsApp groups"; empty to list all.
            forces: Only recommendations to these forces (any part of a name).
            themes: Only recommendations on these themes.
            accepted: Only these responses: "yes", "no", "partially", "awaiting", "unknown".
            relies_on: Only recommendations naming this law or guidance (any part of its name, e.g. "equality").
            year_from: Only recommendations from this year on.
            year_to: Only recommendations up to this year.
            similar_to: Instead of a query, list the recommendations closest to this one (its key, DOC_ID#N).
            limit: The most rows to return (1 to 1000).

        Returns:
            JSON text as `conduct-assistant precedents --json` prints it: rows with key (DOC_ID#N), force, month, gist, accepted, response, url.
        """
        filters = criteria(self.assistant, forces=forces, themes=themes, accepted=accepted, relies_on=relies_on,
                           year_from=year_from, year_to=year_to)
        if not 1 <= limit <= 1000:
            raise QuestionError(f"limit {limit} is not between 1 and 1000")
        if similar_to:
            return _json(self.assistant.similar_precedents(similar_to, filters, limit).to_json())
        return _json(self.assistant.precedents(query, filters, limit).to_json())

    def precedent(self, key: str) -> str:
        """The full record of one IOPC recommendation: the finding behind it, the recommendation, the force's response and acceptance, and the source link.

        Args:
            key: The recommendation's key, DOC_ID#N, as the precedents tool lists it.

        Returns:
            JSON text as `conduct-assistant precedents --record KEY --json` prints it.
        """
        return _json(self.assistant.precedent(key).to_json())

    def brief(self, topic: str, audience: str = "") -> str:
        """A cited training brief for a session on a conduct topic: learning objectives, the law and guidance that apply (each summary quoted from its source and cited), IOPC case studies and discussion questions. When the knowledge base cannot support a brief, supported is false and the nearest sources are listed.

        Args:
            topic: What the session is about, e.g. "challenging and reporting colleagues in group chats".
            audience: Who the session is for, e.g. "student officers".

        Returns:
            JSON text as `conduct-assistant brief --json` prints it, with the brief as Markdown in markdown.
        """
        return _json(brief_json(self.assistant.brief(topic, audience)))


class McpLogin:
    """ASGI middleware: MCP requests must carry HTTP Basic credentials for one of `logins`.

    Gradio's login protects the page and its API but not the MCP endpoint, so this does; the
    rest of the app passes through untouched.
    """

    def __init__(self, app: ASGIApp, logins: Sequence[tuple[str, str]]):
        self.app = app
        self.logins = list(logins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Anywhere in the path: under a root path (GRADIO_ROOT_PATH) the router strips a
        # prefix before it matches, so a test on the path's start could be walked around.
        if scope["type"] == "http" and MCP_PATH in scope["path"] and not self._allowed(scope):
            response = PlainTextResponse(
                "login required: send the chat's user:password as HTTP Basic credentials",
                status_code=401,
                headers={"WWW-Authenticate": 'Basic realm="conduct-assistant MCP"'},
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _allowed(self, scope: Scope) -> bool:
        header = dict(scope.get("headers") or []).get(b"authorization", b"").decode("latin-1")
        scheme, _, encoded = header.partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            user, _, password = base64.b64decode(encoded, validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return False
        # Every login compared, as digests in constant time: how long a refusal takes tells
        # neither a password nor its length.
        given = _digest(user, password)
        return any([secrets.compare_digest(given, _digest(u, p)) for u, p in self.logins])


def _digest(user: str, password: str) -> bytes:
    return hashlib.sha256(user.encode() + b"\0" + password.encode()).digest()
