"""A small HTTP server on loopback that speaks the Ollama and OpenAI chat wire formats.

It stands in for a model server in the tests. What it answers depends on the model name
asked for, so one server covers every case:

- `grounded`: two sentences copied from passages 1 and 2 of the prompt, each cited;
- `partly-grounded`: those two, plus an invented sentence citing [1];
- `invented`: an invented fine citing [1] and a sentence citing [9], which it was not given;
- `obedient`: follows an instruction found anywhere in the prompt ("reply only with the word X");
- `rewriter`: echoes a standalone question naming the force of the earlier question;
- `polisher`: the first sentence of passage 1, cited [1] (a faithful rewording);
- `half-polisher`: that sentence and an invented one, both cited [1];
- `empty`: an empty answer; `error`: HTTP 500; `slow`: no reply for 30 seconds.

Every request body is kept in `requests` for the tests to inspect.
"""

from __future__ import annotations

import json
import re
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PASSAGE = re.compile(r'<passage n="(\d+)"[^>]*>\n(.*?)\n</passage>', re.S)
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
INSTRUCTION = re.compile(r"reply only with the word (\w+)", re.I)


def _reply(model: str, prompt: str) -> str:
    passages = {int(n): text for n, text in PASSAGE.findall(prompt)}
    first = {n: SENTENCE.split(text)[0] for n, text in passages.items()}
    if model == "grounded":
        return f"{first[1]} [1] {first[2]} [2]"
    if model == "partly-grounded":
        return f"{first[1]} [1] {first[2]} [2] Every officer who breaks this rule is fined 500 pounds [1]."
    if model == "invented":
        return "Officers who post offensive jokes are fined 500 pounds [1]. The Chief Constable decides within 3 days [9]."
    if model == "obedient":
        found = INSTRUCTION.search(prompt)
        return found.group(1) if found else "I have no instruction to follow."
    if model == "polisher":
        return f"{first[1]} [1]"
    if model == "half-polisher":
        return f"{first[1]} [1] Breaking this rule costs an officer 500 pounds [1]."
    if model == "rewriter":
        return "What did Greater Manchester Police do about the recommendation on social media?"
    return ""


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        self.server.requests.append({"path": self.path, "body": body})
        model = body.get("model", "")
        if model == "error":
            self._send(500, {"error": {"message": "model crashed"}})
            return
        if model == "slow":
            time.sleep(30)
        prompt = "\n".join(str(m.get("content", "")) for m in body.get("messages", []))
        text = _reply(model, prompt)
        stream = body.get("stream", self.path.startswith("/api/"))
        if self.path.startswith("/api/chat"):
            self._ollama(model, text, stream)
        elif self.path.endswith("/chat/completions"):
            self._openai(model, text, stream)
        else:
            self._send(404, {"error": f"no route {self.path}"})

    def _send(self, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _chunks(self, text: str) -> list[str]:
        words = text.split(" ")
        return [w + (" " if i < len(words) - 1 else "") for i, w in enumerate(words)] if text else []

    def _ollama(self, model: str, text: str, stream: bool) -> None:
        done = {
            "model": model,
            "created_at": "2026-11-26T00:00:00Z",
            "message": {"role": "assistant", "content": ""},
            "done": True,
            "done_reason": "stop",
            "total_duration": 1,
            "eval_count": 1,
            "prompt_eval_count": 1,
        }
        if not stream:
            self._send(200, {**done, "message": {"role": "assistant", "content": text}})
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.end_headers()
        for piece in self._chunks(text):
            line = {"model": model, "created_at": done["created_at"], "message": {"role": "assistant", "content": piece}, "done": False}
            self.wfile.write((json.dumps(line) + "\n").encode())
            self.wfile.flush()
        self.wfile.write((json.dumps(done) + "\n").encode())

    def _openai(self, model: str, text: str, stream: bool) -> None:
        base = {"id": "chatcmpl-test", "created": 1764115200, "model": model}
        if not stream:
            self._send(
                200,
                {
                    **base,
                    "object": "chat.completion",
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                },
            )
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        pieces = [{"role": "assistant", "content": ""}] + [{"content": p} for p in self._chunks(text)]
        for delta in pieces:
            chunk = {**base, "object": "chat.completion.chunk", "choices": [{"index": 0, "delta": delta, "finish_reason": None}]}
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            self.wfile.flush()
        last = {**base, "object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
        self.wfile.write(f"data: {json.dumps(last)}\n\ndata: [DONE]\n\n".encode())


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    requests: list[dict]


@contextmanager
def model_server():
    """A running fake model server; yields it (its base URL is `server.url`)."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.requests = []
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
