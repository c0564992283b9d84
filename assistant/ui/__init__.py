"""The browser chat (Gradio): tabs, HTML views and static assets. A shell over the service."""
