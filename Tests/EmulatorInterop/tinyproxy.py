"""tinyproxy (Debian's, installed by the Makefile), an HTTP CONNECT proxy, for the tests.

    proxy = start_for(request, credentials=("alice", "s3cret"))
    url(proxy)         # http://127.0.0.1:PORT
    connects(proxy)    # the CONNECT requests it has logged so far

Runs in the foreground (`-d`) on a free loopback port (see daemon.py) with its own configuration
and log; CONNECT is allowed to every port (no ConnectPort line).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import daemon

CONFIG = """Port {port}
Listen 127.0.0.1
Timeout 60
MaxClients 256
LogLevel Info
LogFile "{prefix}/tinyproxy.log"
PidFile "{prefix}/tinyproxy.pid"
Allow 127.0.0.1
"""


def start(credentials: tuple[str, str] | None = None) -> daemon.Daemon:
    def command(prefix: Path, port: int) -> list[str]:
        config = CONFIG.format(port=port, prefix=prefix)
        if credentials:
            config += f"BasicAuth {credentials[0]} {credentials[1]}\n"
        (prefix / "tinyproxy.conf").write_text(config)
        return ["-d", "-c", str(prefix / "tinyproxy.conf")]

    return daemon.start("tinyproxy", command, "tinyproxy.log",
                        port_taken=("Address already in use", "Could not create listening"))


def url(proxy: daemon.Daemon) -> str:
    return f"http://127.0.0.1:{proxy.port}"


def connects(proxy: daemon.Daemon) -> list[str]:
    """The targets of the CONNECT requests logged so far, e.g. ['localhost:8443']."""
    return re.findall(r"Request \(file descriptor \d+\): CONNECT (\S+) HTTP", proxy.log())


def start_for(request: pytest.FixtureRequest, **options) -> daemon.Daemon:
    proxy = start(**options)
    request.addfinalizer(proxy.stop)
    return proxy
