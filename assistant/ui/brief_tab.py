"""The Training brief tab: write a cited session brief on a topic, preview it, download it.

A thin Gradio layer over ConductAssistant.brief and brief_export (built inside ChatApp's
Blocks). The downloads are the same files `conduct-assistant brief` writes.
"""

from __future__ import annotations

import re

import gradio as gr

import prompts
from assistant.briefs.export import brief_markdown, export, file_name
from assistant.questions import QuestionError
from assistant.service import ConductAssistant
from assistant.ui.download_store import DownloadStore
from assistant.ui.html_view import brief_ready_html, error_html

TOPIC_EXAMPLES = [
    "social media conduct off duty",
    "challenging and reporting colleagues in group chats",
    "harassment under the Equality Act",
]
# A "<" that does not open an autolink (`<https://…>`).
RAW_HTML = re.compile(r"<(?!https?://[^\s<>]*>)")


def preview_markdown(markdown: str) -> str:
    """The brief's Markdown for the preview. Markdown lets raw HTML through, and a brief
    quotes ingested files: written as `&lt;`, a "<" in that text shows as typed. (Gradio's
    own sanitiser stays on behind this.)"""
    return RAW_HTML.sub("&lt;", markdown)


class BriefTab:
    def __init__(self, assistant: ConductAssistant, downloads: DownloadStore):
        self.assistant = assistant
        self.downloads = downloads

    def write(self, topic: str, audience: str) -> tuple:
        """The brief's preview and its two downloads (disabled when there is no brief)."""
        off = gr.update(value=None, interactive=False)
        try:
            brief = self.assistant.brief(topic or "", audience or "")
        except QuestionError as err:
            return error_html(f"error: {err}"), "", off, off
        if not brief.supported:
            return error_html(brief.message), preview_markdown(brief_markdown(brief)), off, off
        files = [
            gr.update(value=str(self.downloads.save(file_name(brief, fmt), export(brief, fmt))), interactive=True)
            for fmt in ("docx", "md")
        ]
        return brief_ready_html(brief), preview_markdown(brief_markdown(brief)), *files

    def build(self) -> None:
        audiences = prompts.load_yaml("brief")["audiences"]
        gr.Markdown(
            "Write a session brief on a conduct topic: learning objectives, the law and guidance, "
            "IOPC case studies and questions for discussion, every statement cited. Download it "
            "as Word to edit, or as Markdown."
        )
        with gr.Row():
            topic = gr.Textbox(
                elem_id="ca-brief-topic",
                placeholder="e.g. challenging and reporting colleagues in group chats",
                show_label=False,
                scale=4,
            )
            audience = gr.Dropdown(
                audiences,
                value=audiences[0],
                allow_custom_value=True,
                label="Audience",
                elem_id="ca-brief-audience",
                scale=2,
            )
            write = gr.Button("Write brief", variant="primary", elem_id="ca-brief-write", scale=1)
        gr.Examples(TOPIC_EXAMPLES, inputs=topic, label="Try")
        status = gr.HTML(elem_id="ca-brief-status")
        with gr.Row():
            docx_file = gr.DownloadButton(
                "Download brief (Word)", elem_id="ca-brief-docx", interactive=False, size="sm"
            )
            md_file = gr.DownloadButton(
                "Download brief (Markdown)", elem_id="ca-brief-md", interactive=False, size="sm"
            )
        preview = gr.Markdown(elem_id="ca-brief-preview")
        for trigger in (topic.submit, write.click):
            trigger(
                self.write,
                [topic, audience],
                [status, preview, docx_file, md_file],
                api_visibility="private",
                concurrency_id="assistant",
            )
