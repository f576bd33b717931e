"""The client through an HTTP CONNECT proxy (tinyproxy), on every wire, TLS and h2c.

The proxy comes from the environment as gRPC C-core reads it (`grpc_proxy`, else `https_proxy`
for TLS endpoints and `http_proxy` for h2c ones; `no_grpc_proxy`, else `no_proxy`, bypasses it)
or from `ConnectionConfiguration.proxy`; TLS runs inside the tunnel to the origin, checked against
the emulator's certificate for `localhost`. tinyproxy's log tells which tunnels it opened.
"""

from __future__ import annotations

import os
import socket
import subprocess

import pytest

import tinyproxy
from emulator import binary, start_for

KEY = "proxy-test-key"
PROXY_VARIABLES = ["grpc_proxy", "https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY", "no_grpc_proxy",
                   "no_proxy", "NO_PROXY"]


@pytest.fixture
def emulator(request):
    return start_for(request, api_key=KEY)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tool(*args, environment: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {name: value for name, value in os.environ.items() if name not in PROXY_VARIABLES}
    env["CLARIFAI_PAT"] = ""
    env.update(environment or {})
    return subprocess.run([str(binary()), *map(str, args)], capture_output=True, text=True, timeout=120, env=env)


def tls_target(emulator) -> list[str]:
    return ["--endpoint", f"https://localhost:{emulator.tls_port}", "--ca-file", emulator.ca_path, "--pat", KEY]


def h2c_target(emulator) -> list[str]:
    return ["--endpoint", f"h2c://127.0.0.1:{emulator.port}", "--pat", KEY]


@pytest.mark.parametrize("wire", ["grpc", "rest", "rest-h1"])
def test_every_documented_call_through_the_proxy_over_tls(request, emulator, wire):
    proxy = tinyproxy.start_for(request)
    result = tool("demo", "--quiet", "--transport", wire, *tls_target(emulator),
                  environment={"https_proxy": tinyproxy.url(proxy)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "27 of 27 documented annotation calls succeeded" in result.stdout
    assert f"localhost:{emulator.tls_port}" in tinyproxy.connects(proxy)


@pytest.mark.parametrize("wire", ["grpc", "rest", "rest-h1"])
def test_every_documented_call_through_the_proxy_over_h2c(request, emulator, wire):
    proxy = tinyproxy.start_for(request)
    result = tool("demo", "--quiet", "--transport", wire, *h2c_target(emulator),
                  environment={"http_proxy": tinyproxy.url(proxy), "https_proxy": f"http://127.0.0.1:{closed_port()}"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"127.0.0.1:{emulator.port}" in tinyproxy.connects(proxy)


def test_grpc_proxy_comes_before_https_proxy(request, emulator):
    proxy = tinyproxy.start_for(request)
    result = tool("list", *tls_target(emulator),
                  environment={"grpc_proxy": tinyproxy.url(proxy), "https_proxy": f"http://127.0.0.1:{closed_port()}"})
    assert result.returncode == 0, result.stderr
    assert tinyproxy.connects(proxy) == [f"localhost:{emulator.tls_port}"]


@pytest.mark.parametrize("bypass", [
    {"no_proxy": "localhost"}, {"no_proxy": "example.com, .localhost,localhost"}, {"NO_PROXY": "*"},
    {"no_grpc_proxy": "localhost", "no_proxy": "example.com"},
])
def test_no_proxy_bypasses_the_proxy(request, emulator, bypass):
    proxy = tinyproxy.start_for(request)
    result = tool("list", *tls_target(emulator), environment={"https_proxy": tinyproxy.url(proxy), **bypass})
    assert result.returncode == 0, result.stderr
    assert tinyproxy.connects(proxy) == []


def test_no_proxy_with_another_port_does_not_bypass(request, emulator):
    proxy = tinyproxy.start_for(request)
    result = tool("list", *tls_target(emulator),
                  environment={"https_proxy": tinyproxy.url(proxy), "no_proxy": f"localhost:{closed_port()}"})
    assert result.returncode == 0, result.stderr
    assert tinyproxy.connects(proxy) == [f"localhost:{emulator.tls_port}"]


@pytest.mark.parametrize("wire", ["grpc", "rest", "rest-h1"])
def test_proxy_credentials_accepted_and_refused(request, emulator, wire):
    proxy = tinyproxy.start_for(request, credentials=("alice", "s3cret-pw"))
    base = tinyproxy.url(proxy).replace("http://", "")
    accepted = tool("list", "--transport", wire, *tls_target(emulator),
                    environment={"https_proxy": f"http://alice:s3cret-pw@{base}"})
    assert accepted.returncode == 0, accepted.stderr

    refused = tool("list", "--transport", wire, *tls_target(emulator),
                   environment={"https_proxy": f"http://alice:wrong-pw@{base}"})
    assert refused.returncode == 75, refused.stderr
    assert "proxy authentication required" in refused.stderr
    assert "wrong-pw" not in refused.stderr + refused.stdout

    missing = tool("list", "--transport", wire, *tls_target(emulator), environment={"https_proxy": tinyproxy.url(proxy)})
    assert missing.returncode == 75, missing.stderr
    assert "proxy authentication required" in missing.stderr


def test_an_unreachable_proxy_is_a_transport_error(emulator):
    result = tool("list", "--timeout", "3", *tls_target(emulator),
                  environment={"https_proxy": f"http://127.0.0.1:{closed_port()}"})
    assert result.returncode == 75, result.stderr
    assert "proxy http://127.0.0.1:" in result.stderr


def test_a_malformed_proxy_variable_is_a_usage_error(emulator):
    result = tool("list", *tls_target(emulator), environment={"https_proxy": "ftp://user:pw-secret@host:21"})
    assert result.returncode == 64, result.stderr
    assert "https_proxy" in result.stderr and "pw-secret" not in result.stderr


@pytest.mark.parametrize("wire", ["grpc", "rest", "rest-h1"])
def test_the_proxy_flag(request, emulator, wire):
    proxy = tinyproxy.start_for(request)
    result = tool("list", "--transport", wire, "--proxy", tinyproxy.url(proxy), *tls_target(emulator),
                  environment={"https_proxy": f"http://127.0.0.1:{closed_port()}"})
    assert result.returncode == 0, result.stderr
    assert tinyproxy.connects(proxy) == [f"localhost:{emulator.tls_port}"]


def test_the_no_proxy_flag_connects_directly(emulator):
    result = tool("list", "--no-proxy", *tls_target(emulator),
                  environment={"https_proxy": f"http://127.0.0.1:{closed_port()}", "grpc_proxy": "ftp://bad"})
    assert result.returncode == 0, result.stderr


def test_proxy_flag_credentials_refused_are_never_printed(request, emulator):
    proxy = tinyproxy.start_for(request, credentials=("alice", "s3cret-pw"))
    result = tool("list", "--proxy", f"http://alice:flag-pw-4711@127.0.0.1:{proxy.port}", *tls_target(emulator))
    assert result.returncode == 75, result.stderr
    assert "proxy authentication required" in result.stderr
    assert "flag-pw-4711" not in result.stderr + result.stdout


@pytest.mark.parametrize("flags", [
    ["--proxy", "ftp://user:pw-4711@host:21"], ["--proxy", "http://host:99999"], ["--proxy", "http://h:1", "--no-proxy"],
])
def test_bad_proxy_flags_are_usage_errors(emulator, flags):
    result = tool("list", *flags, *tls_target(emulator))
    assert result.returncode == 64, result.stderr
    assert "pw-4711" not in result.stderr


def test_the_embedded_demo_never_goes_through_a_proxy():
    closed = f"http://127.0.0.1:{closed_port()}"
    result = tool("demo", "--quiet", environment={"http_proxy": closed, "https_proxy": closed, "grpc_proxy": closed})
    assert result.returncode == 0, result.stdout + result.stderr
