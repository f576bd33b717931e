"""`annotations serve` as the server a pooling, rate-limited client is tested against (issue 13).

- `--max-concurrent-streams N` is the SETTINGS_MAX_CONCURRENT_STREAMS of every HTTP/2
  connection, and a stream beyond it is refused as nghttp2 refuses it (RFC 9113 §5.1.2): while the
  client has not acknowledged the server's SETTINGS, RST_STREAM REFUSED_STREAM for that stream
  alone (the others are answered); once it has, GOAWAY PROTOCOL_ERROR naming the last stream
  processed. Checked with a raw HTTP/2 client (python `h2`); the stream past the limit is written
  by hand, since `h2` itself keeps to the server's limit.
- `--call-log FILE`: one JSON line per call answered, written as it is answered, with the RPC
  name, the wire (grpc, rest-h2, rest-h1), the connection's number and the status: the official
  Python client (clarifai-grpc) for gRPC, urllib for REST over HTTP/1.1 and h2 for REST over
  HTTP/2.
- Bad values of both flags are usage errors (exit 64) that name the flag.

The emulator runs as a child process (emulator.py) on loopback with ephemeral ports; every
socket, call and child process has a timeout.
"""

from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import grpc
import h2.config
import h2.connection
import h2.errors
import h2.events
import h2.exceptions
import h2.settings
import pytest
from clarifai_grpc.channel.clarifai_channel import ClarifaiChannel
from clarifai_grpc.grpc.api import resources_pb2, service_pb2, service_pb2_grpc
from clarifai_grpc.grpc.api.status import status_code_pb2
from hyperframe.frame import HeadersFrame

from emulator import binary, start_for

ClarifaiChannel.get_insecure_grpc_channel(base="127.0.0.1", port=9).close()  # see test_official_client

KEY = "streams-key"
SOCKET_TIMEOUT = 10.0
CALL_TIMEOUT = 10
LIMIT = 8


# MARK: raw HTTP/2


def h2_connect(port: int) -> tuple[socket.socket, h2.connection.H2Connection]:
    sock = socket.create_connection(("127.0.0.1", port), timeout=SOCKET_TIMEOUT)
    conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True, header_encoding="utf-8"))
    conn.initiate_connection()
    return sock, conn


def request_headers(port: int, path: str = "/v2/annotations") -> list[tuple[str, str]]:
    return [(":method", "GET"), (":scheme", "http"), (":authority", f"127.0.0.1:{port}"), (":path", path),
            ("authorization", f"Key {KEY}")]


def receive(sock: socket.socket, conn: h2.connection.H2Connection, until, timeout: float = SOCKET_TIMEOUT) -> list:
    """Events from the server until `until(events)` holds, the server closes, or `timeout` passes
    (then an AssertionError). What h2 answers by itself (SETTINGS ACKs) is sent on."""
    deadline = time.monotonic() + timeout
    events: list = []
    while not until(events):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(f"no such event within {timeout} s; got {events}")
        sock.settimeout(remaining)
        try:
            data = sock.recv(65536)
        except socket.timeout:
            continue
        except ConnectionResetError:
            data = b""
        if not data:
            events.append("closed")
            break
        events += conn.receive_data(data)
        if pending := conn.data_to_send():
            sock.sendall(pending)
    return events


def of(kind, events: list) -> list:
    return [event for event in events if isinstance(event, kind)]


def test_the_limit_is_advertised_in_the_servers_settings(request):
    emulator = start_for(request, tls=False, api_key=KEY, extra_args=["--max-concurrent-streams", str(LIMIT)])
    sock, conn = h2_connect(emulator.port)
    with sock:
        sock.sendall(conn.data_to_send())
        events = receive(sock, conn, lambda events: of(h2.events.RemoteSettingsChanged, events))
        changed = of(h2.events.RemoteSettingsChanged, events)[0].changed_settings
        assert changed[h2.settings.SettingCodes.MAX_CONCURRENT_STREAMS].new_value == LIMIT, changed
    # The default stays 256.
    default = start_for(request, tls=False, api_key=KEY)
    sock, conn = h2_connect(default.port)
    with sock:
        sock.sendall(conn.data_to_send())
        events = receive(sock, conn, lambda events: of(h2.events.RemoteSettingsChanged, events))
        changed = of(h2.events.RemoteSettingsChanged, events)[0].changed_settings
        assert changed[h2.settings.SettingCodes.MAX_CONCURRENT_STREAMS].new_value == 256, changed


def test_a_stream_past_the_limit_before_the_settings_ack_is_refused_alone(request, tmp_path):
    log = tmp_path / "calls.jsonl"
    emulator = start_for(request, tls=False, api_key=KEY,
                         extra_args=["--max-concurrent-streams", str(LIMIT), "--call-log", str(log)])
    sock, conn = h2_connect(emulator.port)
    with sock:
        # Nine requests left open, sent with the preface before the server's SETTINGS can have
        # arrived: h2 still assumes no limit, and the server has no ACK of its SETTINGS.
        for n in range(LIMIT + 1):
            stream_id = 1 + 2 * n
            conn.send_headers(stream_id, request_headers(emulator.port), end_stream=False)
        stream_ids = [1 + 2 * n for n in range(LIMIT + 1)]
        sock.sendall(conn.data_to_send())
        events = receive(sock, conn, lambda events: of(h2.events.StreamReset, events) or "closed" in events)
        resets = of(h2.events.StreamReset, events)
        assert [(r.stream_id, r.error_code) for r in resets] == [(stream_ids[-1], h2.errors.ErrorCodes.REFUSED_STREAM)]
        assert not of(h2.events.ConnectionTerminated, events)
        # The eight within the limit go on: ended now, each is answered.
        for stream_id in stream_ids[:-1]:
            conn.end_stream(stream_id)
        sock.sendall(conn.data_to_send())
        events = receive(sock, conn, lambda events: len(of(h2.events.StreamEnded, events)) == LIMIT or "closed" in events)
        statuses = {e.stream_id: dict(e.headers)[":status"] for e in of(h2.events.ResponseReceived, events)}
        assert statuses == {stream_id: "200" for stream_id in stream_ids[:-1]}, events
    records = read_call_log(log, LIMIT)
    assert [(r["method"], r["wire"], r["status"]) for r in records] == [("ListAnnotations", "rest-h2", 10000)] * LIMIT
    assert len({r["connection"] for r in records}) == 1, records


def test_a_stream_past_the_limit_after_the_settings_ack_ends_the_connection(request):
    emulator = start_for(request, tls=False, api_key=KEY, extra_args=["--max-concurrent-streams", str(LIMIT)])
    sock, conn = h2_connect(emulator.port)
    with sock:
        sock.sendall(conn.data_to_send())
        # The server's SETTINGS received and acknowledged (h2 sends the ACK), and ours acknowledged.
        receive(sock, conn, lambda events: of(h2.events.RemoteSettingsChanged, events)
                and of(h2.events.SettingsAcknowledged, events))
        stream_ids = [1 + 2 * n for n in range(LIMIT + 1)]
        for stream_id in stream_ids[:-1]:
            conn.send_headers(stream_id, request_headers(emulator.port), end_stream=False)
        # h2 keeps to the limit, so the ninth HEADERS is written by hand (with h2's HPACK encoder).
        with pytest.raises(h2.exceptions.TooManyStreamsError):
            conn.send_headers(stream_ids[-1], request_headers(emulator.port), end_stream=True)
        ninth = HeadersFrame(stream_ids[-1], flags=["END_HEADERS", "END_STREAM"])
        ninth.data = conn.encoder.encode(request_headers(emulator.port))
        sock.sendall(conn.data_to_send() + ninth.serialize())
        events = receive(sock, conn, lambda events: of(h2.events.ConnectionTerminated, events) or "closed" in events)
        goaways = of(h2.events.ConnectionTerminated, events)
        assert goaways, events
        assert goaways[0].error_code == h2.errors.ErrorCodes.PROTOCOL_ERROR, goaways
        assert goaways[0].last_stream_id == stream_ids[-2], goaways
        assert b"max concurrent streams" in (goaways[0].additional_data or b""), goaways
        # Then the server closes the connection.
        assert "closed" in receive(sock, conn, lambda events: "closed" in events)


# MARK: the call log


def read_call_log(path: Path, wanted: int, timeout: float = 10.0) -> list[dict]:
    """The first `wanted` records of a call log, read while the emulator runs (each line is
    complete when written); fails when fewer arrive within `timeout`."""
    deadline = time.monotonic() + timeout
    lines: list[str] = []
    while time.monotonic() < deadline:
        text = path.read_text() if path.exists() else ""
        lines = text.splitlines()
        assert text == "" or text.endswith("\n"), f"a partial line in the call log: {text[-200:]!r}"
        if len(lines) >= wanted:
            break
        time.sleep(0.05)
    assert len(lines) >= wanted, f"{len(lines)} of {wanted} call log lines within {timeout} s: {lines}"
    records = [json.loads(line) for line in lines]
    for record in records:
        assert set(record) >= {"time", "method", "wire", "connection", "status"}, record
        assert isinstance(record["time"], float) and abs(record["time"] - time.time()) < 120, record
        assert isinstance(record["connection"], int) and record["connection"] >= 1, record
        assert record["wire"] in ("grpc", "rest-h2", "rest-h1"), record
    return records[:wanted] if len(records) == wanted else records


def rest_h1(base: str, path: str, key: str = KEY, method: str = "GET", body: bytes | None = None) -> int:
    """One REST call with urllib (HTTP/1.1, a new connection each): the HTTP status."""
    headers = {"Authorization": f"Key {key}", "Content-Type": "application/json"}
    try:
        with urllib.request.urlopen(urllib.request.Request(base + path, data=body, headers=headers, method=method),
                                    timeout=CALL_TIMEOUT) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def test_the_call_log_records_each_grpc_and_rest_call(request, tmp_path):
    log = tmp_path / "calls.jsonl"
    emulator = start_for(request, tls=False, api_key=KEY, extra_args=["--call-log", str(log)])
    metadata = (("authorization", f"Key {KEY}"),)
    # gRPC through the official client: three calls on one channel (one connection).
    channel = grpc.insecure_channel(emulator.grpc_target)
    try:
        stub = service_pb2_grpc.V2Stub(channel)
        posted = stub.PostAnnotations(service_pb2.PostAnnotationsRequest(annotations=[resources_pb2.Annotation(
            input_id="in-1", data=resources_pb2.Data(concepts=[resources_pb2.Concept(id="tree", value=1)]))]),
            metadata=metadata, timeout=CALL_TIMEOUT)
        assert posted.status.code == status_code_pb2.SUCCESS, posted.status
        listed = stub.ListAnnotations(service_pb2.ListAnnotationsRequest(), metadata=(("authorization", "Key wrong"),),
                                      timeout=CALL_TIMEOUT)
        assert listed.status.code == status_code_pb2.CONN_KEY_INVALID, listed.status
        with pytest.raises(grpc.RpcError) as raised:
            stub.PostInputs(service_pb2.PostInputsRequest(), metadata=metadata, timeout=CALL_TIMEOUT)
        assert raised.value.code() == grpc.StatusCode.UNIMPLEMENTED
        records = read_call_log(log, 3)
    finally:
        channel.close()
    # REST over HTTP/1.1 (urllib: a new connection each) ...
    assert rest_h1(emulator.http_base, "/v2/annotations") == 200
    assert rest_h1(emulator.http_base, "/v2/users/u/apps/a/inputs/in-1/annotations/nope") == 404
    assert rest_h1(emulator.http_base, "/v2/nothing?page=2") == 404
    # ... and over HTTP/2: two requests on one connection (h2; curl 7.88 cannot reuse an h2c
    # prior-knowledge connection: curl/curl#10634).
    sock, conn = h2_connect(emulator.port)
    with sock:
        for stream_id in (1, 3):
            conn.send_headers(stream_id, request_headers(emulator.port) + [("x-emulator-fault", "throttle")],
                              end_stream=True)
        sock.sendall(conn.data_to_send())
        events = receive(sock, conn, lambda events: len(of(h2.events.StreamEnded, events)) == 2 or "closed" in events)
        assert [dict(e.headers)[":status"] for e in of(h2.events.ResponseReceived, events)] == ["429", "429"], events
    records = read_call_log(log, 8)
    assert len(records) == 8, records
    seen = [(r["method"], r["wire"], r["status"], r.get("grpc_status"), r.get("fault")) for r in records]
    assert seen == [
        ("PostAnnotations", "grpc", 10000, 0, None),
        ("ListAnnotations", "grpc", 11008, 0, None),
        ("POST /clarifai.api.V2/PostInputs", "grpc", 200, 12, None),
        ("ListAnnotations", "rest-h1", 10000, None, None),
        ("GetAnnotation", "rest-h1", 11101, None, None),
        ("GET /v2/nothing", "rest-h1", 11101, None, None),
        ("ListAnnotations", "rest-h2", 11005, None, "throttle"),
        ("ListAnnotations", "rest-h2", 11005, None, "throttle"),
    ], seen
    connections = [r["connection"] for r in records]
    assert len(set(connections[:3])) == 1, connections  # one gRPC channel, one connection
    assert len(set(connections[3:6])) == 3, connections  # urllib: a connection each
    assert connections[6] == connections[7], connections  # two streams of one connection
    assert len(set(connections)) == 5, connections
    times = [r["time"] for r in records]
    assert times == sorted(times), times
    # Written as it goes: the emulator is still running.
    assert emulator.process.poll() is None


def test_the_call_log_is_appended_to(request, tmp_path):
    log = tmp_path / "calls.jsonl"
    log.write_text('{"earlier": true}\n')
    emulator = start_for(request, tls=False, api_key=KEY, extra_args=["--call-log", str(log)])
    assert rest_h1(emulator.http_base, "/v2/annotations") == 200
    deadline = time.monotonic() + 10
    while len(log.read_text().splitlines()) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    lines = log.read_text().splitlines()
    assert lines[0] == '{"earlier": true}' and json.loads(lines[1])["method"] == "ListAnnotations", lines


# MARK: bad values


@pytest.mark.parametrize("flags, expected", [
    (["--max-concurrent-streams", "0"], "--max-concurrent-streams"),
    (["--max-concurrent-streams", "-1"], "--max-concurrent-streams"),
    (["--max-concurrent-streams", "2147483648"], "--max-concurrent-streams"),
    (["--max-concurrent-streams", "99999999999999999999"], "--max-concurrent-streams"),
    (["--max-concurrent-streams", "eight"], "--max-concurrent-streams"),
    (["--call-log", "-"], "--call-log"),
    (["--call-log", ""], "--call-log"),
    (["--call-log", "{tmp}/no-such-directory/calls.jsonl"], "No such file or directory"),
    (["--call-log", "{tmp}"], "Is a directory"),
], ids=lambda value: " ".join(value) if isinstance(value, list) else None)
def test_bad_values_are_usage_errors(flags, expected, tmp_path):
    flags = [flag.replace("{tmp}", str(tmp_path)) for flag in flags]
    result = subprocess.run([str(binary()), "serve", "--host", "127.0.0.1", *flags], capture_output=True,
                            timeout=20, cwd=tmp_path, stdin=subprocess.DEVNULL)
    assert result.returncode == 64, (result.returncode, result.stdout, result.stderr)
    assert b"listening" not in result.stdout
    assert expected.encode() in result.stderr, result.stderr
    if "call-log" in flags[0] and flags[1] not in ("-", ""):
        assert b"--call-log" in result.stderr, result.stderr


def test_the_largest_limit_is_accepted(request):
    emulator = start_for(request, tls=False, api_key=KEY, extra_args=["--max-concurrent-streams", "2147483647"])
    sock, conn = h2_connect(emulator.port)
    with sock:
        sock.sendall(conn.data_to_send())
        events = receive(sock, conn, lambda events: of(h2.events.RemoteSettingsChanged, events))
        changed = of(h2.events.RemoteSettingsChanged, events)[0].changed_settings
        assert changed[h2.settings.SettingCodes.MAX_CONCURRENT_STREAMS].new_value == 2147483647, changed
