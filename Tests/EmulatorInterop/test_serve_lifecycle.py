"""`annotations serve` as a process: its banner, its ports (plaintext and TLS with ALPN h2 and
http/1.1), and stopping on SIGTERM ("Stops cleanly on SIGINT/SIGTERM", issue 5)."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import ssl
import subprocess
import time

import pytest

from emulator import LOOPBACK, START_TIMEOUT, read_lines, binary, start, start_for, stop_process

KEY = "lifecycle-key"
SIGTERM_DEADLINE = 3.0  # seconds a clean stop may take


def list_over(connection: http.client.HTTPConnection) -> dict:
    try:
        connection.request("GET", "/v2/annotations", headers={"Authorization": f"Key {KEY}"})
        response = connection.getresponse()
        assert response.status == 200
        return json.loads(response.read())
    finally:
        connection.close()


def tls_context(emulator, alpn: list[str]) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=str(emulator.ca_path))
    context.set_alpn_protocols(alpn)
    return context


def test_banner_ports_and_certificate(request):
    emulator = start_for(request, api_key=KEY)
    assert emulator.host == LOOPBACK
    assert emulator.port > 0 and emulator.tls_port > 0 and emulator.port != emulator.tls_port
    assert emulator.banner[0] == (
        f"listening grpc+rest h2c://{LOOPBACK}:{emulator.port} https://{LOOPBACK}:{emulator.tls_port}")
    # The generated certificate is a PEM certificate, written under $TMPDIR.
    assert b"-----BEGIN CERTIFICATE-----" in emulator.ca_pem
    assert emulator.ca_path.resolve().is_relative_to(emulator.workdir.resolve())
    # REST over HTTP/1.1 on both ports; the TLS port verifies against the CA for localhost.
    body = list_over(http.client.HTTPConnection(LOOPBACK, emulator.port, timeout=10))
    assert body["status"]["code"] == 10000
    body = list_over(http.client.HTTPSConnection("localhost", emulator.tls_port, timeout=10,
                                                 context=tls_context(emulator, ["http/1.1"])))
    assert body["status"]["code"] == 10000


@pytest.mark.parametrize("offered,expected", [(["h2", "http/1.1"], "h2"), (["http/1.1"], "http/1.1")])
def test_tls_alpn(request, offered, expected):
    emulator = start_for(request, api_key=KEY)
    context = tls_context(emulator, offered)
    with socket.create_connection((LOOPBACK, emulator.tls_port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname="localhost") as tls:
            assert tls.selected_alpn_protocol() == expected


def test_http11_keep_alive(request):
    # REST over HTTP/1.1 keep-alive: several requests on one connection, plaintext and TLS.
    emulator = start_for(request, api_key=KEY)
    for connection in (http.client.HTTPConnection(LOOPBACK, emulator.port, timeout=10),
                       http.client.HTTPSConnection("localhost", emulator.tls_port, timeout=10,
                                                   context=tls_context(emulator, ["http/1.1"]))):
        try:
            sockets = []  # the socket objects themselves (kept alive, so a new one is told apart)
            for body in ('{"annotations": [{"input_id": "keep-alive"}]}', None, None):
                method = "POST" if body else "GET"
                connection.request(method, "/v2/annotations?input_ids=keep-alive", body=body,
                                   headers={"Authorization": f"Key {KEY}", "Content-Type": "application/json"})
                response = connection.getresponse()
                answer = json.loads(response.read())
                assert response.status == 200 and answer["status"]["code"] == 10000, answer
                assert response.version == 11
                assert response.getheader("Connection", "").lower() != "close"
                sockets.append(connection.sock)
            assert all(sock is sockets[0] for sock in sockets), "the connection was not kept alive"
        finally:
            connection.close()


def wait_exit(process: subprocess.Popen, deadline: float) -> int | None:
    try:
        return process.wait(timeout=deadline)
    except subprocess.TimeoutExpired:
        return None


def test_sigterm_while_serving_stops_cleanly():
    emulator = start(api_key=KEY)
    try:
        assert list_over(http.client.HTTPConnection(LOOPBACK, emulator.port, timeout=10))["status"]["code"] == 10000
        time.sleep(0.2)
        os.kill(emulator.pid, signal.SIGTERM)
        rc = wait_exit(emulator.process, SIGTERM_DEADLINE)
        assert rc == 0, f"exit status after SIGTERM: {rc} (None: still running after {SIGTERM_DEADLINE} s)"
        with pytest.raises(OSError):
            socket.create_connection((LOOPBACK, emulator.port), timeout=2).close()
    finally:
        emulator.stop()


def test_sigterm_right_after_the_banner_stops_cleanly(tmp_path):
    # The banner says the emulator accepts connections, so a supervisor may stop it at once:
    # SIGTERM as soon as the first line is there (a race the emulator must not lose).
    outcomes = []
    for _ in range(5):
        process = subprocess.Popen(
            [str(binary()), "serve", "--host", LOOPBACK, "--port", "0", "--api-key", KEY],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0,
            cwd=str(tmp_path))
        try:
            banner = read_lines(process, 1, START_TIMEOUT)
            assert banner and banner[0].startswith("listening grpc+rest h2c://"), banner
            os.kill(process.pid, signal.SIGTERM)
            outcomes.append(wait_exit(process, SIGTERM_DEADLINE))
        finally:
            stop_process(process)
    assert outcomes == [0] * len(outcomes), (
        f"exit statuses of SIGTERM sent right after the banner: {outcomes} "
        f"(-15: killed by the signal; None: ignored, still running after {SIGTERM_DEADLINE} s)")
