"""tinyproxy (Debian's, installed by the Makefile), an HTTP CONNECT proxy, for the tests.

    proxy = start_for(request, credentials=("alice", "s3cret"))
    proxy.url          # http://127.0.0.1:PORT
    proxy.connects()   # the CONNECT requests it has logged so far

Runs in the foreground (`-d`) on a loopback port with its own configuration and log; CONNECT is
allowed to every port (no ConnectPort line). tinyproxy cannot listen on port 0 and report the
port, so a free port is picked first and the start is tried again on another when it is taken.
Stopped by its PID.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

START_TIMEOUT = 10.0

CONFIG = """Port {port}
Listen 127.0.0.1
Timeout 60
MaxClients 256
LogLevel Info
LogFile "{prefix}/tinyproxy.log"
PidFile "{prefix}/tinyproxy.pid"
Allow 127.0.0.1
"""


@dataclass
class Tinyproxy:
    process: subprocess.Popen
    port: int
    prefix: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        try:
            return (self.prefix / "tinyproxy.log").read_text(errors="replace")
        except OSError:
            return ""

    def connects(self) -> list[str]:
        """The targets of the CONNECT requests logged so far, e.g. ['localhost:8443']."""
        return re.findall(r"Request \(file descriptor \d+\): CONNECT (\S+) HTTP", self.log())

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        shutil.rmtree(self.prefix, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _accepts(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        return True
    except OSError:
        return False


def start(credentials: tuple[str, str] | None = None) -> Tinyproxy:
    binary = shutil.which("tinyproxy") or "/usr/bin/tinyproxy"
    if not Path(binary).exists():
        pytest.fail("tinyproxy is not installed (make test installs it with apt-get)", pytrace=False)
    for _ in range(3):
        prefix = Path(tempfile.mkdtemp(prefix="tinyproxy-test-"))
        port = _free_port()
        config = CONFIG.format(port=port, prefix=prefix)
        if credentials:
            config += f"BasicAuth {credentials[0]} {credentials[1]}\n"
        (prefix / "tinyproxy.conf").write_text(config)
        process = subprocess.Popen([binary, "-d", "-c", str(prefix / "tinyproxy.conf")],
                                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        proxy = Tinyproxy(process, port, prefix)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline and process.poll() is None and not _accepts(port):
            time.sleep(0.05)
        if process.poll() is None and _accepts(port):
            return proxy
        log = proxy.log()
        proxy.stop()
        if "Address already in use" not in log and "Could not create listening" not in log:
            pytest.fail(f"tinyproxy did not start:\n{log}", pytrace=False)
    pytest.fail("tinyproxy found no free port in three tries", pytrace=False)


def start_for(request: pytest.FixtureRequest, **options) -> Tinyproxy:
    proxy = start(**options)
    request.addfinalizer(proxy.stop)
    return proxy
