"""The HTTP API and MCP tools the chat server offers. A shell over the service."""
