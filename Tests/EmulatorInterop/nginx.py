"""nginx (Debian's, installed by the Makefile) in front of `annotations serve`, for the tests.

    proxy = start_for(request, emulator.port, cert, key, keepalive_requests=20, keepalive_timeout="1s")
    f"https://localhost:{proxy.port}"

nginx terminates TLS (ALPN h2 and http/1.1) on a loopback port, passes gRPC with `grpc_pass` and
REST with `proxy_pass` to the emulator's h2c port, and recycles client connections after
`keepalive_requests` requests (GOAWAY, then a close once its streams are done; on HTTP/1.1,
`Connection: close`) or after `keepalive_timeout` of idleness. That is what load balancers and
reverse proxies do in production.

It runs in the foreground (`daemon off`, `master_process off`) on a free port (see daemon.py);
`proxy.port` is its port, `proxy.log()` its error log.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import daemon

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


def start(upstream_port: int, certificate: Path, key: Path, keepalive_requests: int = 1000,
          keepalive_timeout: str = "75s") -> daemon.Daemon:
    def command(prefix: Path, port: int) -> list[str]:
        (prefix / "nginx.conf").write_text(CONFIG.format(
            prefix=prefix, port=port, upstream=upstream_port, certificate=certificate, key=key,
            keepalive_requests=keepalive_requests, keepalive_timeout=keepalive_timeout))
        return ["-p", str(prefix), "-c", str(prefix / "nginx.conf")]

    return daemon.start("nginx", command, "error.log", port_taken=("Address already in use",))


def start_for(request: pytest.FixtureRequest, upstream_port: int, certificate: Path, key: Path, **options) -> daemon.Daemon:
    """`start(…)`, stopped by a finalizer of the requesting fixture."""
    proxy = start(upstream_port, certificate, key, **options)
    request.addfinalizer(proxy.stop)
    return proxy
