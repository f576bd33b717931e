"""Starting a Debian daemon (nginx, tinyproxy) on a loopback port for the tests.

Neither can listen on port 0 and report the port, so a free port is picked first (bind to 0,
close) and the start is tried again on another when the daemon could not bind it. The daemon
runs in the foreground as a child process, with its files in a temporary prefix, and is stopped
by its PID.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

START_TIMEOUT = 10.0


@dataclass
class Daemon:
    process: subprocess.Popen
    port: int
    prefix: Path
    log_name: str

    def log(self) -> str:
        try:
            return (self.prefix / self.log_name).read_text(errors="replace")
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        shutil.rmtree(self.prefix, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def accepts(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        return True
    except OSError:
        return False


def start(name: str, command: Callable[[Path, int], list[str]], log_name: str, port_taken: tuple[str, ...]) -> Daemon:
    """Runs `command(prefix, port)` until the daemon accepts on `port`; fails the test when it
    does not start for another reason than the port (its log tells which, by `port_taken`)."""
    binary = shutil.which(name) or f"/usr/sbin/{name}"
    if not Path(binary).exists():
        pytest.fail(f"{name} is not installed (make test installs it with apt-get)", pytrace=False)
    for _ in range(3):
        prefix = Path(tempfile.mkdtemp(prefix=f"{name}-test-"))
        port = free_port()
        process = subprocess.Popen([binary, *command(prefix, port)], stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        daemon = Daemon(process, port, prefix, log_name)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline and process.poll() is None and not accepts(port):
            time.sleep(0.05)
        if process.poll() is None and accepts(port):
            return daemon
        log = daemon.log()
        daemon.stop()
        if not any(text in log for text in port_taken):
            pytest.fail(f"{name} did not start:\n{log}", pytrace=False)
    pytest.fail(f"{name} found no free port in three tries", pytrace=False)
