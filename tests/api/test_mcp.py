"""`serve --mcp`: the four MCP tools, called with the official `mcp` client over loopback, give
what the CLI prints with --json; with a login configured, MCP requests need it too."""

from __future__ import annotations

import asyncio
import base64
import json

import httpx
import pytest
from gradio_client import Client
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client

from tests.conftest import run_cli
from tests.ui_server import serve

QUESTION = "Do I have to report a colleague's racist post in a WhatsApp group?"
TOPIC = "challenging and reporting colleagues in group chats"
NORTHUMBRIA = "recommendations-northumbria-police-march-2021#2"


def _session_calls(url: str, calls: list[tuple[str, dict]], headers: dict | None = None):
    """The tool list and each call's result, through one MCP session."""

    async def run():
        async with httpx.AsyncClient(headers=headers, timeout=120) as http:
            async with streamable_http_client(url, http_client=http) as (read, write, _):
                async with ClientSession(read, write) as session:
                    await session.initialize()
                    tools = (await session.list_tools()).tools
                    results = [await session.call_tool(name, arguments) for name, arguments in calls]
                    return tools, results

    return asyncio.run(run())


def _cli_json(*args: str, home) -> dict:
    result = run_cli(*args, "--json", home=home)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def mcp_server(assistant, shipped_home, tmp_path_factory):
    with serve(shipped_home, tmp_path_factory.mktemp("mcp"), "--mcp") as ui:
        yield ui


def test_the_four_tools_are_listed_with_descriptions_and_typed_parameters(mcp_server):
    tools, _ = _session_calls(mcp_server.url + "gradio_api/mcp/", [])
    by_name = {tool.name: tool for tool in tools}
    assert set(by_name) == {"ask", "precedents", "precedent", "brief"}
    for tool in tools:
        assert len(tool.description) > 80 and "JSON" in tool.description
        assert all(p.get("description") for p in tool.inputSchema["properties"].values())
    ask = by_name["ask"].inputSchema
    assert ask["required"] == ["question"] and ask["properties"]["question"]["type"] == "string"
    assert {"type": "integer"} in ask["properties"]["year_from"]["oneOf"]
    assert by_name["precedents"].inputSchema["properties"]["limit"]["type"] == "integer"
    assert by_name["precedent"].inputSchema["required"] == ["key"]
    assert by_name["brief"].inputSchema["required"] == ["topic"]


def test_each_tool_returns_what_the_cli_prints_as_json(mcp_server, shipped_home):
    calls = [
        ("ask", {"question": QUESTION}),
        ("ask", {"question": QUESTION, "kinds": ["legislation"]}),
        ("precedents", {"query": "body-worn video", "limit": 5}),
        ("precedents", {"forces": ["northumbria"], "accepted": ["yes"]}),
        ("precedent", {"key": NORTHUMBRIA}),
        ("brief", {"topic": TOPIC}),
    ]
    _, results = _session_calls(mcp_server.url + "gradio_api/mcp/", calls)
    assert not any(r.isError for r in results), [r.content[0].text for r in results if r.isError]
    got = [json.loads(r.content[0].text) for r in results]
    expected = [
        _cli_json("ask", QUESTION, home=shipped_home),
        _cli_json("ask", QUESTION, "--kind", "legislation", home=shipped_home),
        _cli_json("precedents", "body-worn video", "--limit", "5", home=shipped_home),
        _cli_json("precedents", "--force", "northumbria", "--accepted", "yes", home=shipped_home),
        _cli_json("precedents", "--record", NORTHUMBRIA, home=shipped_home),
        _cli_json("brief", TOPIC, home=shipped_home),
    ]
    assert got == expected
    assert got[0]["answered"] and got[0]["lead"] and got[0]["citations"]
    assert {c["kind"] for c in got[1]["citations"]} == {"legislation"}
    assert got[5]["supported"] and got[5]["markdown"].startswith(f"# Training brief: {TOPIC}")


def test_bad_arguments_come_back_as_one_line_tool_errors(mcp_server):
    calls = [
        ("precedent", {"key": "not-a-key"}),
        ("ask", {"question": "   "}),
        ("precedents", {"query": "custody", "limit": 0}),
        ("ask", {}),
    ]
    _, results = _session_calls(mcp_server.url + "gradio_api/mcp/", calls)
    messages = [r.content[0].text for r in results]
    assert all(r.isError for r in results), messages
    assert messages[0].startswith("'not-a-key' is not a recommendation id (expected DOC_ID#N")
    assert messages[1].startswith("empty question")
    assert messages[2] == "limit 0 is not between 1 and 1000"
    assert "'question' is a required property" in messages[3]
    assert all("\n" not in m and "Traceback" not in m for m in messages)


def test_the_json_api_still_answers_beside_the_tools(mcp_server):
    answer = json.loads(Client(mcp_server.url, verbose=False).predict(QUESTION, api_name="/ask"))
    assert answer["answered"] and answer["question"] == QUESTION


def test_with_a_login_every_mcp_request_needs_it(assistant, shipped_home, tmp_path):
    # Behind a reverse proxy Gradio runs under a root path, which its router strips before
    # matching: the login must hold on the prefixed paths too.
    env = {"CONDUCT_ASSISTANT_AUTH": "inspector:Pa55-w0rd", "GRADIO_ROOT_PATH": "/conduct"}
    with serve(shipped_home, tmp_path, "--mcp", env=env) as ui:
        endpoint = ui.url + "gradio_api/mcp/"
        refused = [
            httpx.post(endpoint, json={}),
            httpx.post(ui.url + "conduct/gradio_api/mcp/", json={}),
            httpx.get(ui.url + "gradio_api/mcp/schema"),
            httpx.get(ui.url + "gradio_api/mcp/sse", timeout=10),
            httpx.post(ui.url + "gradio_api/mcp/messages/", json={}),
        ]
        for request in refused:
            assert request.status_code == 401 and "login required" in request.text, request.url
        # The same four functions as HTTP endpoints: Gradio's own login guards them.
        assert httpx.post(ui.url + "gradio_api/run/ask", json={"data": [QUESTION]}).status_code == 401
        wrong = {"Authorization": "Basic " + base64.b64encode(b"inspector:guess").decode()}
        assert httpx.post(endpoint, json={}, headers=wrong).status_code == 401

        login = {"Authorization": "Basic " + base64.b64encode(b"inspector:Pa55-w0rd").decode()}
        tools, (record,) = _session_calls(endpoint, [("precedent", {"key": NORTHUMBRIA})], headers=login)
        assert {t.name for t in tools} == {"ask", "precedents", "precedent", "brief"}
        assert not record.isError and json.loads(record.content[0].text)["force"] == "Northumbria Police"
