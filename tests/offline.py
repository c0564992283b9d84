"""A guard that refuses and logs every non-loopback connection of a Python process.

Put on a child process's PYTHONPATH as `sitecustomize`, it is imported before anything else.
"""

import textwrap
from pathlib import Path

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


def guarded_env(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """The attempts log and the environment that installs the guard in a child process."""
    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(GUARD, "utf-8")
    log = tmp_path / "attempts.log"
    log.write_text("", "utf-8")
    return log, {"PYTHONPATH": str(guard), "NETWORK_ATTEMPTS_LOG": str(log)}
