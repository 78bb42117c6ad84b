"""The site under ``flask run`` on a free port, for the tools that drive it
in a browser (``screenshots.py``, ``lighthouse.py``)."""

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Site:
    """``flask run`` on a free port, stopped on leaving the ``with`` block."""

    def __init__(self, env: dict, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._env = env
        self._log = log

    def __enter__(self):
        args = [sys.executable, "-m", "flask", "--app", "cookiesite", "run"]
        args += ["--host", "127.0.0.1", "--port", str(self.port)]
        with self._log.open("w") as log:
            self._process = subprocess.Popen(
                args, env=self._env, cwd=ROOT, stdout=log, stderr=log
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/", timeout=2):
                    return self
            except OSError:
                time.sleep(0.2)
        self._process.terminate()
        raise RuntimeError(f"the site did not start; see {self._log}")

    def __exit__(self, *exc):
        self._process.terminate()
        self._process.wait(timeout=10)
