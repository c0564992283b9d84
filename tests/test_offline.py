"""Ingest and ask make no network connection: every non-loopback socket is refused and logged."""

import textwrap

from tests.conftest import FIXTURES, run_cli

GUARD = textwrap.dedent(
    '''
    import ipaddress, os, socket

    _log = os.environ["NETWORK_ATTEMPTS_LOG"]
    _connect = socket.socket.connect
    _connect_ex = socket.socket.connect_ex
    _getaddrinfo = socket.getaddrinfo


    def _record(what):
        with open(_log, "a") as f:
            f.write(repr(what) + "\\n")


    def _loopback(host):
        if host in ("localhost", "", None):
            return True
        try:
            return ipaddress.ip_address(host.split("%")[0]).is_loopback
        except ValueError:
            return False


    def _check(sock, address):
        if sock.family == socket.AF_UNIX or _loopback(address[0]):
            return
        _record(("connect", address))
        raise ConnectionRefusedError("network disabled by the offline test")


    def connect(self, address):
        _check(self, address)
        return _connect(self, address)


    def connect_ex(self, address):
        _check(self, address)
        return _connect_ex(self, address)


    def getaddrinfo(host, *args, **kwargs):
        if not _loopback(host if isinstance(host, str) else None):
            _record(("resolve", host))
            raise socket.gaierror("name resolution disabled by the offline test")
        return _getaddrinfo(host, *args, **kwargs)


    socket.socket.connect = connect
    socket.socket.connect_ex = connect_ex
    socket.getaddrinfo = getaddrinfo
    '''
)


def _guarded_env(tmp_path):
    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(GUARD, "utf-8")
    log = tmp_path / "attempts.log"
    log.write_text("", "utf-8")
    return log, {"PYTHONPATH": str(guard), "NETWORK_ATTEMPTS_LOG": str(log)}


def test_the_guard_catches_a_connection_attempt(tmp_path):
    log, env = _guarded_env(tmp_path)
    import subprocess
    import sys
    import os

    subprocess.run(
        [sys.executable, "-c", "import urllib.request; urllib.request.urlopen('http://192.0.2.1/', timeout=2)"],
        env={**os.environ, **env},
        capture_output=True,
    )
    assert "192.0.2.1" in log.read_text("utf-8")


def test_ingest_and_ask_attempt_no_connection(tmp_path):
    log, env = _guarded_env(tmp_path)
    home = tmp_path / "home"
    ingest = run_cli("ingest", str(FIXTURES / "pages" / "single-yes.txt"), home=home, extra_env=env)
    assert ingest.returncode == 0, ingest.stderr
    ask = run_cli("ask", "what are my duties on social media?", "--json", home=home, extra_env=env)
    assert ask.returncode == 0, ask.stderr
    assert log.read_text("utf-8") == ""
