"""`annotations serve` as a server others can lean on (issue 12, item 5).

- No input traps it: `x-emulator-fault: sleep-ms=3000000000` (whose milliseconds overflowed an
  Int32 and killed the process) and other values that are not faults are refused with a clear
  status over HTTP/1.1, HTTP/2 and gRPC, and the emulator answers the next call; flag values out
  of range (`--port 70000`, which listened on 4464) are usage errors (exit 64).
- Idle sockets cannot lock new clients out: 2,000 idle connections, from the client's own
  address or from eight others, while a new client's calls are all answered; the idle ones are
  closed after `--idle-timeout` (HTTP/2 with GOAWAY first), a head sent a byte at a time after
  `--header-timeout` (408).
- Strict HTTP/1.1 framing: chunked request bodies (curl), `Expect: 100-continue` answered
  before the body is sent (curl's verbose output shows the 100, which it prints only when the
  server sent one; without it curl waits 1 s and sends the body anyway), and every ambiguous
  framing (two Content-Lengths, a sign, both Content-Length and Transfer-Encoding, whitespace
  before the colon, bad chunk sizes) answered 400 and the connection closed, without the request
  hidden behind it being run (request smuggling).

The emulator runs as a child process (emulator.py) on loopback with ephemeral ports; every
socket and child process has a timeout.
"""

from __future__ import annotations

import json
import os
import selectors
import socket
import subprocess
import time
import uuid
from pathlib import Path

import grpc
import h2.config
import h2.connection
import h2.events
import pytest
from clarifai_grpc.channel.clarifai_channel import ClarifaiChannel
from clarifai_grpc.grpc.api import service_pb2, service_pb2_grpc
from clarifai_grpc.grpc.api.status import status_code_pb2

from emulator import binary, start_for

ClarifaiChannel.get_insecure_grpc_channel(base="127.0.0.1", port=9).close()  # see test_official_client

KEY = "hardening-key"
AUTH = f"Authorization: Key {KEY}\r\n"
SOCKET_TIMEOUT = 10.0
CURL_TIMEOUT = 30


# MARK: helpers


def connect(port: int, source: str = "127.0.0.1") -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.settimeout(SOCKET_TIMEOUT)
    sock.bind((source, 0))
    sock.connect(("127.0.0.1", port))
    return sock


def read_all(sock: socket.socket, timeout: float = SOCKET_TIMEOUT) -> bytes:
    """Everything the server writes until it closes the connection (or `timeout` passes)."""
    deadline = time.monotonic() + timeout
    data = b""
    while time.monotonic() < deadline:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            break
        except ConnectionResetError:
            break
        if not chunk:
            return data
        data += chunk
    raise AssertionError(f"the server kept the connection open for {timeout} s; it wrote {data[:300]!r}")


def status_lines(data: bytes) -> list[str]:
    """The status lines of the responses in `data`, one after another (each with a Content-Length)."""
    lines = []
    while data:
        head, separator, rest = data.partition(b"\r\n\r\n")
        assert separator, f"incomplete response head {data[:200]!r}"
        fields = head.split(b"\r\n")
        lines.append(fields[0].decode())
        length = 0
        for field in fields[1:]:
            name, _, value = field.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        data = rest[length:]
    return lines


def annotation_body(input_id: str) -> bytes:
    return json.dumps({"annotations": [{"input_id": input_id, "data": {"concepts": [{"id": "c", "value": 1}]}}]}).encode()


def stored_inputs(port: int) -> list[str]:
    sock = connect(port)
    sock.sendall(f"GET /v2/annotations?per_page=1000 HTTP/1.1\r\nHost: x\r\n{AUTH}Connection: close\r\n\r\n".encode())
    answer = read_all(sock)
    sock.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200"), answer[:300]
    return [a["input_id"] for a in json.loads(body).get("annotations", [])]


def list_over_http1(port: int) -> int:
    """One ListAnnotations over a new HTTP/1.1 connection: the HTTP status."""
    sock = connect(port)
    try:
        sock.sendall(f"GET /v2/annotations HTTP/1.1\r\nHost: x\r\n{AUTH}Connection: close\r\n\r\n".encode())
        answer = read_all(sock)
    finally:
        sock.close()
    return int(answer.split(b" ", 2)[1]) if answer else 0


def alive(emulator) -> None:
    assert emulator.process.poll() is None, (
        f"the emulator exited with {emulator.process.returncode}\n{emulator.stderr_text()[-3000:]}")


def curl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["curl", "--silent", "--show-error", "--max-time", "20", *args],
                          capture_output=True, timeout=CURL_TIMEOUT)


@pytest.fixture
def emulator(request):
    return start_for(request, tls=False, api_key=KEY)


# MARK: no input traps it


TRAPS = ["sleep-ms=3000000000", "sleep-ms=600001", "sleep-ms=99999999999999999999999", "sleep-ms=+5", "explode"]


@pytest.mark.parametrize("fault", TRAPS)
def test_a_fault_that_is_not_one_is_refused_and_the_emulator_lives(emulator, fault):
    url = f"{emulator.http_base}/v2/annotations"
    for wire in (["--http1.1"], ["--http2-prior-knowledge"]):
        result = curl(*wire, "-H", f"x-emulator-fault: {fault}", "-H", f"Authorization: Key {KEY}",
                      "--write-out", "\n%{http_code}", url)
        assert result.returncode == 0, result.stderr.decode()
        body, _, code = result.stdout.decode().rpartition("\n")
        assert code == "400", result.stdout
        status = json.loads(body)["status"]
        assert status["code"] == 11102 and "x-emulator-fault" in status["description"], body
        time.sleep(0.3)  # the trap took the process down a little after the connection went
        alive(emulator)
    channel = grpc.insecure_channel(emulator.grpc_target)
    try:
        stub = service_pb2_grpc.V2Stub(channel)
        metadata = (("authorization", f"Key {KEY}"), ("x-emulator-fault", fault))
        with pytest.raises(grpc.RpcError) as raised:
            stub.ListAnnotations(service_pb2.ListAnnotationsRequest(), metadata=metadata, timeout=10)
        assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert "x-emulator-fault" in raised.value.details()
        answer = stub.ListAnnotations(service_pb2.ListAnnotationsRequest(), metadata=metadata[:1], timeout=10)
        assert answer.status.code == status_code_pb2.SUCCESS
    finally:
        channel.close()
    time.sleep(0.3)
    alive(emulator)
    assert list_over_http1(emulator.port) == 200


def test_a_valid_sleep_still_sleeps(emulator):
    result = curl("-H", "x-emulator-fault: sleep-ms=300", "-H", f"Authorization: Key {KEY}",
                  "--write-out", "%{http_code} %{time_total}", "-o", os.devnull, f"{emulator.http_base}/v2/annotations")
    code, seconds = result.stdout.decode().split()
    assert code == "200" and float(seconds) >= 0.3, result.stdout


@pytest.mark.parametrize("flags", [
    ["--port", "70000"], ["--port", "65536"], ["--port", "-1"], ["--tls-port", "70000"], ["--tls-port", "-5"],
    ["--header-timeout", "0"], ["--header-timeout", "nan"], ["--idle-timeout", "inf"], ["--idle-timeout", "-1"],
    ["--idle-timeout", "100000"], ["--max-connections", "0"], ["--max-connections", "99999999999999999999"],
    ["--max-connections", "10", "--max-connections-per-peer", "11"], ["--max-connections-per-peer", "0"],
    ["--faults", "sleep-ms=3000000000"], ["--fault-rate", "nan"],
], ids=lambda flags: " ".join(flags))
def test_flag_values_out_of_range_are_usage_errors(flags, tmp_path):
    result = subprocess.run([str(binary()), "serve", "--host", "127.0.0.1", *flags], capture_output=True,
                            timeout=20, cwd=tmp_path, stdin=subprocess.DEVNULL)
    assert result.returncode == 64, (result.returncode, result.stdout, result.stderr)
    assert b"listening" not in result.stdout
    assert flags[0].encode() in result.stderr or b"Error" in result.stderr, result.stderr


# MARK: idle sockets cannot lock new clients out

IDLE_CONNECTIONS = 2000
IDLE_TIMEOUT = 3.0


def wait_for_eof(socks: list[socket.socket], timeout: float) -> tuple[list[float], int]:
    """Seconds until each socket saw the server close it (EOF or reset); how many stayed open."""
    start = time.monotonic()
    closed_after: list[float] = []
    with selectors.DefaultSelector() as selector:
        for sock in socks:
            sock.setblocking(False)
            selector.register(sock, selectors.EVENT_READ)
        remaining = len(socks)
        while remaining and time.monotonic() - start < timeout:
            for key, _ in selector.select(timeout=0.2):
                try:
                    data = key.fileobj.recv(4096)
                except BlockingIOError:
                    continue
                except OSError:
                    data = b""
                if data:
                    continue  # HTTP/2 would say something first; these send nothing, expect nothing
                selector.unregister(key.fileobj)
                closed_after.append(time.monotonic() - start)
                remaining -= 1
    return closed_after, remaining


@pytest.mark.parametrize("sources", [["127.0.0.1"], [f"127.0.0.{n}" for n in range(2, 10)]],
                         ids=["idle-from-the-same-address", "idle-from-eight-other-addresses"])
def test_idle_connections_do_not_lock_new_clients_out(request, sources):
    emulator = start_for(request, tls=False, api_key=KEY, extra_args=["--idle-timeout", str(IDLE_TIMEOUT)])
    idle: list[socket.socket] = []
    try:
        opened = time.monotonic()
        for n in range(IDLE_CONNECTIONS):
            idle.append(connect(emulator.port, sources[n % len(sources)]))
        opening = time.monotonic() - opened
        # 2,000 idle connections are open (on the client's side: the server made room by closing
        # the ones idle the longest): a new client's calls are answered, over HTTP/1.1 and gRPC.
        statuses = [list_over_http1(emulator.port) for _ in range(20)]
        assert statuses == [200] * 20, statuses
        channel = grpc.insecure_channel(emulator.grpc_target)
        try:
            stub = service_pb2_grpc.V2Stub(channel)
            for _ in range(20):
                answer = stub.ListAnnotations(service_pb2.ListAnnotationsRequest(),
                                              metadata=(("authorization", f"Key {KEY}"),), timeout=10)
                assert answer.status.code == status_code_pb2.SUCCESS
        finally:
            channel.close()
        # Then every idle one is closed by the idle timeout (or was closed to make room).
        closed_after, still_open = wait_for_eof(idle, IDLE_TIMEOUT + opening + 10)
        assert still_open == 0, f"{still_open} of {IDLE_CONNECTIONS} idle connections still open"
        kept = [seconds for seconds in closed_after if seconds > 0.5]
        assert kept, "no idle connection was kept until the idle timeout"
        assert max(closed_after) < IDLE_TIMEOUT + opening + 2
        alive(emulator)
    finally:
        for sock in idle:
            sock.close()


def test_silent_tls_connections_make_room_at_once(request):
    # Silent connections to the TLS port wait in the TLS handshake: at the per-peer limit the
    # longest waiting ones are closed at once (not after the 10 s handshake timeout).
    emulator = start_for(request, tls=True, api_key=KEY, extra_args=["--max-connections-per-peer", "8"])
    silent = [connect(emulator.tls_port) for _ in range(40)]
    try:
        closed_after, _ = wait_for_eof(silent, 3)
        assert len(closed_after) >= 32, f"{len(closed_after)} of the 32 connections past the limit closed within 3 s"
        result = curl("--cacert", str(emulator.ca_path), "-H", f"Authorization: Key {KEY}", "-o", os.devnull,
                      "--write-out", "%{http_code} %{http_version}", f"{emulator.https_base}/v2/annotations")
        assert result.stdout == b"200 2", (result.stdout, result.stderr)
    finally:
        for sock in silent:
            sock.close()
    alive(emulator)


def test_idle_connections_are_closed_after_the_idle_timeout_http2_with_goaway(request):
    emulator = start_for(request, tls=False, api_key=KEY, extra_args=["--idle-timeout", "1"])
    # A silent HTTP/1.1 connection, one after a keep-alive request, and an HTTP/2 one.
    silent = connect(emulator.port)
    keep_alive = connect(emulator.port)
    keep_alive.sendall(f"GET /v2/annotations HTTP/1.1\r\nHost: x\r\n{AUTH}\r\n".encode())
    http2 = connect(emulator.port)
    conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True, header_encoding="utf-8"))
    conn.initiate_connection()
    http2.sendall(conn.data_to_send())
    started = time.monotonic()
    events: list = []
    while True:
        data = http2.recv(65536)
        if not data:
            break
        events += conn.receive_data(data)
        http2.sendall(conn.data_to_send())
    closed = time.monotonic() - started
    assert 0.8 < closed < 5, closed
    goaways = [event for event in events if isinstance(event, h2.events.ConnectionTerminated)]
    assert goaways and goaways[0].error_code == 0, events
    assert read_all(silent, 5) == b""
    answer = read_all(keep_alive, 5)
    assert status_lines(answer) == ["HTTP/1.1 200 OK"], answer[:300]
    for sock in (silent, keep_alive, http2):
        sock.close()
    alive(emulator)


def test_a_head_sent_a_byte_at_a_time_meets_the_header_timeout(request):
    emulator = start_for(request, tls=False, api_key=KEY, extra_args=["--header-timeout", "1", "--idle-timeout", "30"])
    sock = connect(emulator.port)
    started = time.monotonic()
    answer = b""
    try:
        for byte in b"GET /v2/annotations HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 100:
            sock.sendall(bytes([byte]))
            time.sleep(0.1)
    except (BrokenPipeError, ConnectionResetError):
        pass
    answer = read_all(sock, 5)
    assert time.monotonic() - started < 5
    assert status_lines(answer) == ["HTTP/1.1 408 Request Timeout"], answer[:300]
    sock.close()
    assert list_over_http1(emulator.port) == 200


# MARK: strict HTTP/1.1 framing


def test_a_chunked_post_through_curl_is_stored(emulator, tmp_path):
    body = tmp_path / "body.json"
    body.write_bytes(annotation_body("chunked-input"))
    result = curl("--http1.1", "-H", f"Authorization: Key {KEY}", "-H", "Content-Type: application/json",
                  "-H", "Transfer-Encoding: chunked", "--data-binary", f"@{body}", "-v",
                  "--write-out", "\n%{http_code}", f"{emulator.http_base}/v2/annotations")
    assert result.returncode == 0, result.stderr.decode()
    assert b"> Transfer-Encoding: chunked" in result.stderr
    answer, _, code = result.stdout.decode().rpartition("\n")
    assert code == "200", result.stdout
    assert json.loads(answer)["status"]["code"] == 10000
    assert stored_inputs(emulator.port) == ["chunked-input"]


def test_expect_100_continue_is_answered_before_the_body(emulator, tmp_path):
    # curl sends `Expect: 100-continue` with bodies of 1 MB or more and prints the interim
    # answer only when one came; without one it waits a second and sends the body anyway.
    body = tmp_path / "big.json"
    big = {"annotations": [{"input_id": "big-input", "data": {"concepts": [{"id": "c" * 1_200_000, "value": 1}]}}]}
    body.write_text(json.dumps(big))
    result = curl("--http1.1", "-v", "-H", f"Authorization: Key {KEY}", "-H", "Content-Type: application/json",
                  "--data-binary", f"@{body}", "-o", os.devnull, "--write-out", "%{http_code}",
                  f"{emulator.http_base}/v2/annotations")
    assert result.returncode == 0, result.stderr.decode()
    assert b"> Expect: 100-continue" in result.stderr
    assert b"< HTTP/1.1 100 Continue" in result.stderr, result.stderr.decode()[-2000:]
    assert result.stdout == b"200"
    # The same by hand: the 100 comes while the body has not been sent at all.
    sock = connect(emulator.port)
    sock.sendall(f"POST /v2/annotations HTTP/1.1\r\nHost: x\r\n{AUTH}Content-Type: application/json\r\n"
                 f"Expect: 100-continue\r\nContent-Length: {len(annotation_body('by-hand'))}\r\n\r\n".encode())
    sock.settimeout(5)
    interim = sock.recv(100)
    assert interim == b"HTTP/1.1 100 Continue\r\n\r\n"
    sock.sendall(annotation_body("by-hand"))
    sock.settimeout(5)
    final = sock.recv(65536)
    assert final.startswith(b"HTTP/1.1 200 OK\r\n"), final[:200]
    sock.close()
    assert sorted(stored_inputs(emulator.port)) == ["big-input", "by-hand"]


SMUGGLED = annotation_body("smuggled")
HIDDEN = (f"POST /v2/annotations HTTP/1.1\r\nHost: x\r\n{AUTH}Content-Type: application/json\r\n"
          f"Content-Length: {len(SMUGGLED)}\r\n\r\n").encode() + SMUGGLED


def framing(fields: str, body: bytes = b"") -> bytes:
    return (f"POST /v2/annotations HTTP/1.1\r\nHost: x\r\n{AUTH}Content-Type: application/json\r\n{fields}\r\n").encode() + body


OUTER = annotation_body("outer")
SMUGGLING = {
    # CL.CL: the first Content-Length covers nothing, the second the hidden request.
    "two-content-lengths": framing(f"Content-Length: 0\r\nContent-Length: {len(HIDDEN)}\r\n") + HIDDEN,
    "two-equal-content-lengths": framing("Content-Length: 0\r\nContent-Length: 0\r\n") + HIDDEN,
    "content-length-list": framing("Content-Length: 0, 0\r\n") + HIDDEN,
    "signed-content-length": framing("Content-Length: +0\r\n") + HIDDEN,
    "negative-content-length": framing("Content-Length: -1\r\n") + HIDDEN,
    "space-before-colon": framing(f"Content-Length : {len(HIDDEN)}\r\n") + HIDDEN,
    # CL.TE and TE.CL: a front end using the other header sees a different boundary.
    "cl-and-te": framing(f"Content-Length: {len(HIDDEN) + 5}\r\nTransfer-Encoding: chunked\r\n", b"0\r\n\r\n") + HIDDEN,
    "te-and-cl": framing("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", b"0\r\n\r\n") + HIDDEN,
    "te-space-before-colon": framing("Transfer-Encoding : chunked\r\n", b"0\r\n\r\n") + HIDDEN,
    "te-not-chunked-last": framing("Transfer-Encoding: chunked, identity\r\n", b"0\r\n\r\n") + HIDDEN,
    "bad-chunk-size": framing("Transfer-Encoding: chunked\r\n", b"-1\r\n") + HIDDEN,
    "hex-prefixed-chunk-size": framing("Transfer-Encoding: chunked\r\n", b"0x0\r\n\r\n") + HIDDEN,
    "chunk-longer-than-its-size": framing("Transfer-Encoding: chunked\r\n", b"1\r\nxx\r\n0\r\n\r\n") + HIDDEN,
}


@pytest.mark.parametrize("name", SMUGGLING)
def test_ambiguous_framing_is_400_and_the_hidden_request_never_runs(emulator, name):
    sock = connect(emulator.port)
    sock.sendall(SMUGGLING[name])
    answer = read_all(sock)
    sock.close()
    assert status_lines(answer) == ["HTTP/1.1 400 Bad Request"], answer[:400]
    assert b"connection: close" in answer.lower()
    time.sleep(0.2)
    assert stored_inputs(emulator.port) == [], f"{name}: a request ran"
    alive(emulator)


def test_the_same_requests_framed_well_run(emulator):
    sock = connect(emulator.port)
    chunked = framing("Transfer-Encoding: chunked\r\n", f"{len(OUTER):x};x=y\r\n".encode() + OUTER + b"\r\n0\r\nx-t: 1\r\n\r\n")
    sock.sendall(chunked + HIDDEN.replace(b"HTTP/1.1\r\n", b"HTTP/1.1\r\nConnection: close\r\n", 1))
    answer = read_all(sock)
    sock.close()
    assert status_lines(answer) == ["HTTP/1.1 200 OK", "HTTP/1.1 200 OK"], answer[:400]
    assert sorted(stored_inputs(emulator.port)) == ["outer", "smuggled"]
