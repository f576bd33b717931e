"""nginx (Debian's, installed by the Makefile) in front of `annotations serve`, for the tests.

    proxy = start_nginx(request, emulator, certs, keepalive_requests=20, keepalive_timeout="1s")
    proxy.endpoint  # https://localhost:PORT

nginx terminates TLS (ALPN h2 and http/1.1) on a loopback port, passes gRPC with `grpc_pass` and
REST with `proxy_pass` to the emulator's h2c port, and recycles client connections after
`keepalive_requests` requests (GOAWAY, then a close once its streams are done; on HTTP/1.1,
`Connection: close`) or after `keepalive_timeout` of idleness. That is what load balancers and
reverse proxies do in production.

nginx cannot listen on port 0 and report the port, so a free port is picked first (bind to 0,
close) and the start is tried again on another when nginx cannot bind it. The process runs in
the foreground (`daemon off`, `master_process off`) and is stopped by its PID.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

START_TIMEOUT = 10.0

CONFIG = """
worker_processes 1;
master_process off;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {prefix}/body;
  proxy_temp_path {prefix}/proxy;
  fastcgi_temp_path {prefix}/fastcgi;
  uwsgi_temp_path {prefix}/uwsgi;
  scgi_temp_path {prefix}/scgi;
  client_max_body_size 64m;
  keepalive_requests {keepalive_requests};
  keepalive_timeout {keepalive_timeout};
  # Two pools: nginx cannot share upstream keepalive connections between gRPC and HTTP/1.1.
  upstream emulator_grpc {{ server 127.0.0.1:{upstream}; keepalive 16; }}
  upstream emulator_rest {{ server 127.0.0.1:{upstream}; keepalive 16; }}
  server {{
    listen 127.0.0.1:{port} ssl http2;
    ssl_certificate {certificate};
    ssl_certificate_key {key};
    location /clarifai.api.V2/ {{ grpc_pass grpc://emulator_grpc; }}
    location / {{
      proxy_pass http://emulator_rest;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }}
  }}
}}
"""


@dataclass
class Nginx:
    process: subprocess.Popen
    port: int
    prefix: Path

    @property
    def endpoint(self) -> str:
        return f"https://localhost:{self.port}"

    def error_log(self) -> str:
        try:
            return (self.prefix / "error.log").read_text(errors="replace")
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


def start(upstream_port: int, certificate: Path, key: Path, keepalive_requests: int = 1000,
          keepalive_timeout: str = "75s") -> Nginx:
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        pytest.fail("nginx is not installed (make test installs it with apt-get)", pytrace=False)
    for _ in range(3):
        prefix = Path(tempfile.mkdtemp(prefix="nginx-test-"))
        port = free_port()
        (prefix / "nginx.conf").write_text(CONFIG.format(
            prefix=prefix, port=port, upstream=upstream_port, certificate=certificate, key=key,
            keepalive_requests=keepalive_requests, keepalive_timeout=keepalive_timeout))
        process = subprocess.Popen([binary, "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
                                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        proxy = Nginx(process, port, prefix)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline and process.poll() is None and not accepts(port):
            time.sleep(0.05)
        if process.poll() is None and accepts(port):
            return proxy
        log = proxy.error_log()
        proxy.stop()
        if "Address already in use" not in log:
            pytest.fail(f"nginx did not start:\n{log}", pytrace=False)
    pytest.fail("nginx found no free port in three tries", pytrace=False)


def start_for(request: pytest.FixtureRequest, upstream_port: int, certificate: Path, key: Path, **options) -> Nginx:
    """`start(…)`, stopped by a finalizer of the requesting fixture."""
    proxy = start(upstream_port, certificate, key, **options)
    request.addfinalizer(proxy.stop)
    return proxy
