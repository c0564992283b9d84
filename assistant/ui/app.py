"""The browser chat: a thin Gradio layer over ConductAssistant (no retrieval logic here).

Started by `conduct-assistant serve`. It listens on 127.0.0.1 unless told otherwise, requires a
login when it listens anywhere else, never makes share links, and sends no analytics.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path

# Before gradio is imported: it reads these once.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import gradio as gr  # noqa: E402
from starlette.middleware import Middleware  # noqa: E402

from assistant.api.inputs import criteria  # noqa: E402
from assistant.api.tools import MCP_PATH, ApiTools, McpLogin  # noqa: E402
from assistant.questions import QuestionError  # noqa: E402
from assistant.service import ConductAssistant  # noqa: E402
from assistant.ui.brief_tab import BriefTab  # noqa: E402
from assistant.ui.download_store import DownloadStore  # noqa: E402
from assistant.ui.html_view import (  # noqa: E402
    answer_html,
    catalogue_html,
    error_html,
    question_html,
    searching_html,
)
from assistant.ui.precedents_tab import PrecedentsTab  # noqa: E402
from assistant.ui.transcript import Turn, conversation_markdown  # noqa: E402
from vectorstore.chroma_store import StoreError  # noqa: E402

KIND_CHOICES = [
    ("Law", "legislation"),
    ("Guidance", "guidance"),
    ("IOPC recommendations", "recommendation"),
]
EXAMPLES = [
    "What are my duties on social media?",
    "Is banter in a WhatsApp group chat harassment?",
    "What has the IOPC recommended about body-worn video?",
]
# System fonts only: Gradio's default theme would fetch its fonts from Google.
THEME_FONTS = {
    "font": ["ui-sans-serif", "system-ui", "Segoe UI", "Roboto", "sans-serif"],
    "font_mono": ["ui-monospace", "Consolas", "monospace"],
}


class LaunchError(ValueError):
    """The UI cannot start as configured; the message says why in one line."""


@dataclass(frozen=True)
class LaunchOptions:
    host: str
    port: int
    auth: list[tuple[str, str]] | None


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def read_logins(auth: str, auth_file: str) -> list[tuple[str, str]]:
    """Logins from "user:password" and from a file of such lines (blank lines and # skipped)."""
    entries: list[tuple[str, str]] = []
    if auth:
        entries.append((auth, "CONDUCT_ASSISTANT_AUTH"))
    if auth_file:
        try:
            text = Path(auth_file).expanduser().read_text("utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise LaunchError(f"{auth_file}: cannot read the login file ({err})") from None
        entries += [
            (line.strip(), f"{auth_file}:{number}")
            for number, line in enumerate(text.splitlines(), start=1)
            if line.strip() and not line.strip().startswith("#")
        ]
    logins = []
    for entry, where in entries:
        user, sep, password = entry.partition(":")
        if not sep or not user.strip() or not password:
            raise LaunchError(f"{where}: expected user:password")
        logins.append((user.strip(), password))
    return logins


def launch_options(host: str, port: int, auth: str = "", auth_file: str = "") -> LaunchOptions:
    """Where to listen and who may log in; refuses to expose the UI beyond loopback without a login."""
    if not 0 < port < 65536:
        raise LaunchError(f"port {port} is not a valid port (1-65535)")
    logins = read_logins(auth, auth_file)
    if not is_loopback(host) and not logins:
        raise LaunchError(
            f"listening on {host} would open the assistant to the network: set "
            "CONDUCT_ASSISTANT_AUTH=user:password or CONDUCT_ASSISTANT_AUTH_FILE=<file of user:password lines>"
        )
    return LaunchOptions(host, port, logins or None)


def _asset(name: str) -> str:
    return resources.files("assistant.ui").joinpath("static", name).read_text("utf-8")


class ChatApp:
    """The Gradio Blocks of the browser chat, over one ConductAssistant."""

    def __init__(self, assistant: ConductAssistant):
        self.assistant = assistant
        self.downloads = DownloadStore()
        self.precedents = PrecedentsTab(assistant, self.downloads)
        self.briefs = BriefTab(assistant, self.downloads)

    def respond(
        self,
        question: str,
        messages: list,
        turns: list[Turn],
        kinds,
        forces,
        themes,
        year_from,
        year_to,
    ) -> Iterator[tuple]:
        """Answer one chat message, progressively: a searching line, the sentences, then the cards."""
        question = (question or "").strip()
        if not question:
            yield messages, turns, "", gr.skip()
            return
        asked = [*messages, {"role": "user", "content": question_html(question)}]
        yield (
            [*asked, {"role": "assistant", "content": searching_html(question)}],
            turns,
            "",
            gr.skip(),
        )
        try:
            filters = criteria(self.assistant, kinds=kinds, forces=forces, themes=themes, year_from=year_from, year_to=year_to)
            history = [t.answer.question for t in turns]
            for answer in self.assistant.ask_stream(question, filters, history):
                if answer.mode == "drafting":
                    partial = answer_html(answer, len(turns) + 1, drafting=True)
                    yield [*asked, {"role": "assistant", "content": partial}], turns, "", gr.skip()
        except (QuestionError, StoreError) as err:
            yield (
                [*asked, {"role": "assistant", "content": error_html(f"error: {err}")}],
                turns,
                "",
                gr.skip(),
            )
            return
        number = len(turns) + 1
        for shown in range(1, len(answer.sentences)):
            partial = answer_html(answer, number, shown_sentences=shown)
            yield [*asked, {"role": "assistant", "content": partial}], turns, "", gr.skip()
        turns = [*turns, Turn(answer, filters.describe())]
        final = [*asked, {"role": "assistant", "content": answer_html(answer, number)}]
        yield final, turns, "", gr.update(value=self._export(turns), interactive=True)

    def _export(self, turns: Sequence[Turn]) -> str:
        name = f"conversation-{datetime.now(timezone.utc):%Y%m%d-%H%M%S}.md"
        return str(self.downloads.save(name, conversation_markdown(turns)))

    def refresh(self) -> tuple:
        """What the index holds now: another process may have ingested since the page was built."""
        return (
            catalogue_html(self.assistant.catalogue()),
            gr.update(choices=self.assistant.known_values("forces")),
            gr.update(choices=self.assistant.known_values("themes")),
            *self.precedents.choices(),
        )

    def build(self) -> gr.Blocks:
        forces = self.assistant.known_values("forces")
        themes = self.assistant.known_values("themes")
        years = self.assistant.known_values("year")
        # Gradio copies each offered file into its own cache: copies a day old are removed,
        # checked hourly, as the store removes its own beyond the latest downloads.
        with gr.Blocks(
            title="conduct-assistant", analytics_enabled=False, delete_cache=(3600, 86400)
        ) as blocks:
            gr.Markdown(
                "## conduct-assistant\nAnswers on UK police officers' conduct duties, every sentence "
                "quoted from the knowledge base and cited. Nothing you type leaves this machine."
            )
            with gr.Tabs():
                with gr.Tab("Chat", id="chat"):
                    with gr.Row():
                        with gr.Column(scale=3):
                            chatbot = gr.Chatbot(
                                elem_id="ca-chat",
                                height=620,
                                buttons=[],
                                show_label=False,
                                placeholder="Ask about conduct duties, the law behind them, or IOPC precedents.",
                                feedback_options=None,
                                # Every message is rendered from autoescaped templates
                                # (html_view). Gradio's sanitiser drops all data-* and aria-*
                                # attributes: the marker-to-card link chat.js follows, the
                                # cards' kind and document, the answer's mode, the markers'
                                # accessible names.
                                sanitize_html=False,
                            )
                            with gr.Row():
                                question = gr.Textbox(
                                    elem_id="ca-question",
                                    placeholder="e.g. What are my duties on social media?",
                                    show_label=False,
                                    scale=5,
                                    max_lines=4,
                                    autofocus=True,
                                )
                                send = gr.Button(
                                    "Ask", variant="primary", elem_id="ca-send", scale=1
                                )
                            gr.Examples(EXAMPLES, inputs=question, label="Try")
                            with gr.Row():
                                new = gr.Button("New conversation", elem_id="ca-new", size="sm")
                                download = gr.DownloadButton(
                                    "Download conversation (Markdown)",
                                    elem_id="ca-download",
                                    size="sm",
                                    interactive=False,
                                )
                        with gr.Column(scale=1, min_width=240):
                            gr.Markdown("### Filters\nNarrow what an answer may cite.")
                            kinds = gr.CheckboxGroup(
                                KIND_CHOICES, label="Kind of source", elem_id="ca-kind"
                            )
                            force = gr.Dropdown(
                                forces, multiselect=True, label="Force", elem_id="ca-force"
                            )
                            with gr.Row():
                                year_from = gr.Dropdown(
                                    years, value=None, label="Year from", elem_id="ca-year-from"
                                )
                                year_to = gr.Dropdown(
                                    years, value=None, label="Year to", elem_id="ca-year-to"
                                )
                            theme = gr.Dropdown(
                                themes, multiselect=True, label="Theme", elem_id="ca-theme"
                            )
                            clear_filters = gr.Button("Clear filters", size="sm")
                with gr.Tab("Precedents", id="precedents"):
                    precedent_dropdowns = self.precedents.build()
                with gr.Tab("Training brief", id="brief"):
                    self.briefs.build()
                with gr.Tab("Sources", id="sources"):
                    catalogue = gr.HTML(
                        catalogue_html(self.assistant.catalogue()), elem_id="ca-catalogue"
                    )

            turns = gr.State([])
            filters = [kinds, force, theme, year_from, year_to]
            chat_inputs = [question, chatbot, turns, *filters]
            chat_outputs = [chatbot, turns, question, download]
            for trigger in (question.submit, send.click):
                trigger(
                    self.respond,
                    chat_inputs,
                    chat_outputs,
                    api_visibility="private",
                    concurrency_id="assistant",
                )
            new.click(
                lambda: ([], [], gr.update(value=None, interactive=False)),
                None,
                [chatbot, turns, download],
                api_visibility="private",
            )
            clear_filters.click(
                lambda: ([], [], [], None, None), None, filters, api_visibility="private"
            )
            blocks.load(
                self.refresh,
                None,
                [catalogue, force, theme, *precedent_dropdowns],
                api_visibility="private",
            )
            # The only public endpoints, hence the only MCP tools. Not queued: an MCP call
            # through the queue goes back over HTTP without the login. The assistant
            # serialises its own calls, so they still take turns with the chat's.
            for function in ApiTools(self.assistant).functions():
                gr.api(function, api_name=function.__name__, queue=False)
        return blocks


def launch(
    assistant: ConductAssistant, host: str | None = None, port: int | None = None, mcp: bool = False
) -> None:
    """Build the UI and serve it until interrupted; with `mcp`, Gradio's MCP server too."""
    settings = assistant.settings
    options = launch_options(
        host or settings.host, port or settings.port, settings.auth, settings.auth_file
    )
    blocks = ChatApp(assistant).build()
    # The login guards the MCP endpoint too (Gradio's own login does not reach it).
    middleware = [Middleware(McpLogin, logins=options.auth)] if mcp and options.auth else []
    blocks.queue(default_concurrency_limit=1).launch(
        mcp_server=mcp,
        app_kwargs={"middleware": middleware},
        server_name=options.host,
        server_port=options.port,
        auth=options.auth,
        share=False,
        ssr_mode=False,
        quiet=True,
        prevent_thread_lock=True,
        footer_links=["api"],
        theme=gr.themes.Default(primary_hue="blue", **THEME_FONTS),
        css=_asset("chat.css"),
        js=_asset("chat.js"),
        show_error=True,
    )
    shown = "127.0.0.1" if options.host in ("0.0.0.0", "::") else options.host
    shown = f"[{shown}]" if ":" in shown else shown
    login = " (login required)" if options.auth else ""
    print(f"conduct-assistant is running at http://{shown}:{options.port}/{login}; press Ctrl-C to stop.")
    if mcp:
        if blocks.mcp_error:
            raise LaunchError(blocks.mcp_error)
        print(f"MCP tools (ask, precedents, precedent, brief) at http://{shown}:{options.port}{MCP_PATH}/{login}")
    blocks.block_thread()
