"""Files the browser UI offers for download, kept in one bounded folder.

Every answer, precedent search and brief offers files; a server that wrote each to a new
temporary folder and never removed it would fill the disk. The store keeps the latest `keep`
downloads, each in a folder of its own (so that two files of the same name never collide),
removes older ones as new ones arrive, and removes its folder when the process ends.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import threading
import uuid
from collections import deque
from pathlib import Path

# Downloads kept: enough for every open page's latest files on a shared server.
KEEP = 200


class DownloadStore:
    def __init__(self, root: Path | None = None, keep: int = KEEP):
        self.root = root or Path(tempfile.mkdtemp(prefix="conduct-assistant-downloads-"))
        self.root.mkdir(parents=True, exist_ok=True)
        self.keep = keep
        self._saved: deque[Path] = deque()
        self._lock = threading.Lock()
        atexit.register(shutil.rmtree, self.root, ignore_errors=True)

    def save(self, name: str, content: str | bytes) -> Path:
        """Write one download and return its path; the oldest beyond `keep` are removed."""
        folder = self.root / uuid.uuid4().hex
        folder.mkdir()
        path = folder / name
        if isinstance(content, str):
            path.write_text(content, "utf-8")
        else:
            path.write_bytes(content)
        with self._lock:
            self._saved.append(folder)
            while len(self._saved) > self.keep:
                shutil.rmtree(self._saved.popleft(), ignore_errors=True)
        return path
