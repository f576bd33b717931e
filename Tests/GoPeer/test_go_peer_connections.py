"""The Go peer's connections: grpc-go's recycling (keepalive.ServerParameters MaxConnectionAge /
MaxConnectionAgeGrace), its PING policy (keepalive.EnforcementPolicy), TLS, the peer lifecycle
of Tests/Peers/peer_common.py, and the cached build.

Clients are grpcio (the official stub) and, where the frames themselves are the point, a raw
HTTP/2 client (hyper-h2 on a plain socket). Loopback only; every wait has a deadline.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import grpc
import h2.config
import h2.connection
import h2.settings
import pytest
from clarifai_grpc.grpc.api import service_pb2, service_pb2_grpc
from clarifai_grpc.grpc.api.status import status_code_pb2

import test_go_peer_stream as streams
from gopeer_support import CALL_TIMEOUT, METADATA, PEERS_DIR, channel_to, go_peer, start_peer, stub_for

SUCCESS = status_code_pb2.SUCCESS
ENHANCE_YOUR_CALM = 0xB
NO_ERROR = 0x0


def list_call(stub, timeout: float = CALL_TIMEOUT):
    return stub.ListAnnotations(service_pb2.ListAnnotationsRequest(per_page=1), metadata=METADATA, timeout=timeout)


# ---------------------------------------------------------------------------------------------
# A raw HTTP/2 client.
# ---------------------------------------------------------------------------------------------

class RawH2:
    """An h2c connection: hyper-h2 writes the preface, SETTINGS and PINGs; what the server sends
    is parsed (and SETTINGS and PINGs ACKed) here, because hyper-h2 refuses every frame after a
    GOAWAY, and grpc-go sends a PING and a second GOAWAY after its first."""

    GOAWAY, PING, SETTINGS = 0x7, 0x6, 0x4
    ACK = 0x1

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
        self.conn.initiate_connection()
        self.sock.sendall(self.conn.data_to_send())
        self.frames: list[tuple[int, int, int, bytes]] = []  # (type, flags, stream, payload)
        self.pending = b""
        self.closed = False

    def ping(self, n: int) -> None:
        self.conn.ping(n.to_bytes(8, "big"))
        self.sock.sendall(self.conn.data_to_send())

    def pump(self, seconds: float) -> None:
        """Reads (and answers) for `seconds`, or until the server closes the connection."""
        deadline = time.monotonic() + seconds
        while not self.closed and time.monotonic() < deadline:
            self.sock.settimeout(max(0.001, min(0.05, deadline - time.monotonic())))
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                continue
            except OSError:
                self.closed = True
                break
            if not data:
                self.closed = True
                break
            for kind, flags, _, payload in self._parse(data):
                # Answer as a client must: ACK the server's SETTINGS and PINGs.
                if kind == self.SETTINGS and not flags & self.ACK:
                    self._send(b"\x00\x00\x00\x04\x01\x00\x00\x00\x00")
                elif kind == self.PING and not flags & self.ACK:
                    self._send(b"\x00\x00\x08\x06\x01\x00\x00\x00\x00" + payload)

    def _send(self, frame: bytes) -> None:
        try:
            self.sock.sendall(frame)
        except OSError:
            self.closed = True

    def _parse(self, data: bytes) -> list[tuple[int, int, int, bytes]]:
        """Appends the complete frames in the data received so far; returns the new ones."""
        first = len(self.frames)
        self.pending += data
        while len(self.pending) >= 9:
            length = int.from_bytes(self.pending[:3], "big")
            if len(self.pending) < 9 + length:
                break
            kind, flags = self.pending[3], self.pending[4]
            stream = int.from_bytes(self.pending[5:9], "big") & 0x7FFF_FFFF
            self.frames.append((kind, flags, stream, self.pending[9:9 + length]))
            self.pending = self.pending[9 + length:]
        return self.frames[first:]

    def goaways(self) -> list[tuple[int, int, bytes]]:
        """(last_stream_id, error_code, debug data) of each GOAWAY received."""
        return [(int.from_bytes(p[:4], "big") & 0x7FFF_FFFF, int.from_bytes(p[4:8], "big"), p[8:])
                for kind, _, _, p in self.frames if kind == self.GOAWAY]

    def ping_acks(self) -> int:
        return sum(1 for kind, flags, _, _ in self.frames if kind == self.PING and flags & self.ACK)

    def settings(self) -> dict[int, int]:
        """The server's first SETTINGS frame: identifier → value."""
        for kind, flags, _, payload in self.frames:
            if kind == self.SETTINGS and not flags & self.ACK:
                return {int.from_bytes(payload[i:i + 2], "big"): int.from_bytes(payload[i + 2:i + 6], "big")
                        for i in range(0, len(payload), 6)}
        return {}

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def raw(request):
    opened: list[RawH2] = []

    def connect(port: int) -> RawH2:
        connection = RawH2(port)
        opened.append(connection)
        return connection

    yield connect
    for connection in opened:
        connection.close()


# ---------------------------------------------------------------------------------------------
# Recycling: MaxConnectionAge, MaxConnectionAgeGrace.
# ---------------------------------------------------------------------------------------------

def test_connections_are_recycled_and_every_call_succeeds(request):
    peer = start_peer(request, ["--max-connection-age-ms", "300", "--max-connection-age-grace-ms", "1000"])
    stub = stub_for(request, peer)
    calls, failures = 0, []
    deadline = time.monotonic() + 3.0
    while time.monotonic() < deadline:
        try:
            assert list_call(stub).status.code == SUCCESS
        except grpc.RpcError as exc:
            failures.append(f"{exc.code()}: {exc.details()}")
        calls += 1
        time.sleep(0.01)
    assert failures == []
    summary = peer.stop()
    assert summary["CALLS"] == calls
    # One connection per ~300 ms (grpc-go adds +-10 % jitter) over 3 s.
    assert summary["CONNECTIONS"] >= 5, summary


def test_the_age_goaway_on_the_wire(request, raw):
    """An idle connection past its age gets GOAWAY(NO_ERROR) and is closed (no stream needs
    the grace)."""
    peer = start_peer(request, ["--max-connection-age-ms", "200", "--max-connection-age-grace-ms", "5000"])
    connection = raw(peer.port)
    connection.pump(2.0)
    goaways = connection.goaways()
    # grpc-go 1.33: GOAWAY(2^31-1, NO_ERROR), a PING, then GOAWAY(last stream = 0, NO_ERROR).
    assert goaways and all(code == NO_ERROR for _, code, _ in goaways), connection.frames
    assert goaways[-1][0] == 0
    assert connection.closed


def test_a_stream_within_the_grace_runs_to_its_end(request):
    peer = start_peer(request, ["--max-connection-age-ms", "200", "--max-connection-age-grace-ms", "5000"])
    stub = stub_for(request, peer)
    streams.post(stub, [streams.frame_annotation(f"f{i}", i, i * 40) for i in range(50)])
    ids = [r.annotation.id for r in streams.stream(stub, interval_ms=20, input_id=streams.VIDEO)]  # ~1 s
    assert ids == [f"f{i}" for i in range(50)]
    assert list_call(stub).status.code == SUCCESS  # on a new connection
    summary = peer.stop()
    assert summary["CONNECTIONS"] >= 2 and summary["CANCELLED"] == 0, summary


def test_the_grace_cuts_a_longer_stream(request):
    peer = start_peer(request, ["--max-connection-age-ms", "200", "--max-connection-age-grace-ms", "300"])
    stub = stub_for(request, peer)
    streams.post(stub, [streams.frame_annotation(f"f{i}", i, i * 40) for i in range(100)])
    received = []
    started = time.monotonic()
    with pytest.raises(grpc.RpcError) as cut:
        for response in streams.stream(stub, interval_ms=20, input_id=streams.VIDEO):  # ~2 s
            received.append(response.annotation.id)
    assert cut.value.code() == grpc.StatusCode.UNAVAILABLE
    assert 0 < len(received) < 100
    assert time.monotonic() - started < 1.5  # age + grace (+ jitter), not the stream's 2 s
    assert list_call(stub).status.code == SUCCESS  # the channel reconnects


# ---------------------------------------------------------------------------------------------
# keepalive.EnforcementPolicy.
# ---------------------------------------------------------------------------------------------

def test_too_many_pings_get_goaway_enhance_your_calm(request, raw):
    """grpc-go's default policy: PINGs on a connection without streams are strikes (unless
    PermitWithoutStream), and the third closes it with GOAWAY ENHANCE_YOUR_CALM "too_many_pings"."""
    peer = start_peer(request)
    connection = raw(peer.port)
    for n in range(10):
        if connection.closed:
            break
        connection.ping(n)
        connection.pump(0.05)
    connection.pump(1.0)
    goaways = connection.goaways()
    assert goaways, connection.frames
    assert goaways[0][1:] == (ENHANCE_YOUR_CALM, b"too_many_pings")
    assert connection.closed
    summary = peer.stop()
    assert summary["PING_STRIKEOUTS"] >= 1, summary


def test_pings_within_the_policy_are_answered(request, raw):
    peer = start_peer(request, ["--keepalive-min-time-ms", "100", "--permit-without-stream"])
    connection = raw(peer.port)
    for n in range(8):
        connection.ping(n)
        connection.pump(0.15)
    assert connection.ping_acks() == 8 and not connection.goaways() and not connection.closed
    assert peer.stop()["PING_STRIKEOUTS"] == 0


GRPCIO_PINGER = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, sys.argv[2])
    import grpc
    import gopeer_support as support
    from clarifai_grpc.grpc.api import service_pb2, service_pb2_grpc
    options = [("grpc.keepalive_time_ms", 100), ("grpc.keepalive_timeout_ms", 2000),
               ("grpc.keepalive_permit_without_calls", 1), ("grpc.http2.max_pings_without_data", 0)]
    channel = grpc.insecure_channel(sys.argv[1], options=options)
    stub = service_pb2_grpc.V2Stub(channel)
    request = service_pb2.ListAnnotationsRequest(per_page=1)
    print("first", stub.ListAnnotations(request, metadata=support.METADATA, timeout=10).status.code, flush=True)
    time.sleep(5)  # idle: grpcio pings every second at most (its own floor), each one a strike
    print("second", stub.ListAnnotations(request, metadata=support.METADATA, timeout=10).status.code, flush=True)
    channel.close()
""")


def test_a_grpcio_client_with_aggressive_keepalive_is_told_too_many_pings(request):
    peer = start_peer(request)
    env = dict(os.environ, GRPC_VERBOSITY="ERROR")
    done = subprocess.run([sys.executable, "-c", GRPCIO_PINGER, peer.target, str(Path(__file__).parent)],
                          capture_output=True, text=True, timeout=60, env=env, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["first", str(SUCCESS), "second", str(SUCCESS)]
    # grpc-core logs the GOAWAY it received (and doubles its keepalive time, gRFC A8).
    assert "ENHANCE_YOUR_CALM" in done.stderr and "too_many_pings" in done.stderr, done.stderr
    summary = peer.stop()
    assert summary["PING_STRIKEOUTS"] >= 1 and summary["CONNECTIONS"] == 2, summary


def test_max_concurrent_streams_is_advertised(request, raw):
    peer = start_peer(request, ["--max-concurrent-streams", "2"])
    connection = raw(peer.port)
    connection.pump(0.5)
    assert connection.settings().get(h2.settings.SettingCodes.MAX_CONCURRENT_STREAMS) == 2


# ---------------------------------------------------------------------------------------------
# TLS.
# ---------------------------------------------------------------------------------------------

def test_tls(request, tmp_path):
    certs = tmp_path / "certs"
    subprocess.run(["bash", str(PEERS_DIR / "make_certs.sh"), str(certs)], check=True, timeout=60,
                   capture_output=True, stdin=subprocess.DEVNULL)
    peer = start_peer(request, ["--tls", str(certs / "server.pem"), str(certs / "server.key")])
    credentials = grpc.ssl_channel_credentials(root_certificates=(certs / "ca.pem").read_bytes())
    stub = service_pb2_grpc.V2Stub(channel_to(request, peer, credentials=credentials))
    assert list_call(stub).status.code == SUCCESS
    plain = grpc.insecure_channel(peer.target)
    request.addfinalizer(plain.close)
    with pytest.raises(grpc.RpcError) as refused:
        list_call(service_pb2_grpc.V2Stub(plain), timeout=3)
    assert refused.value.code() == grpc.StatusCode.UNAVAILABLE


# ---------------------------------------------------------------------------------------------
# The lifecycle (peer_common.py's contract).
# ---------------------------------------------------------------------------------------------

def exit_status(peer: go_peer.GoPeer, timeout: float = 5) -> int:
    peer.process.wait(timeout=timeout)
    return peer.process.returncode


@pytest.mark.parametrize("how", ["SIGTERM", "SIGINT", "stdin EOF"])
def test_stops_with_status_0_and_a_summary(request, how):
    peer = start_peer(request)
    assert list_call(stub_for(request, peer)).status.code == SUCCESS
    if how == "stdin EOF":
        summary = peer.close_stdin()
    else:
        os.kill(peer.pid, getattr(signal, how))
        summary = peer.wait()
    assert peer.process.returncode == 0
    assert summary == {"CONNECTIONS": 1, "CALLS": 1, "STREAMS": 0, "CANCELLED": 0, "PING_STRIKEOUTS": 0}
    reason = {"stdin EOF": "stdin closed"}.get(how, how)
    assert f"stopping: {reason}" in peer.stderr_text()


def test_stops_by_itself_after_max_seconds(request):
    started = time.monotonic()
    peer = start_peer(request, max_seconds=0.5)
    assert exit_status(peer) == 0
    assert 0.4 <= time.monotonic() - started < 3
    assert peer.wait()["CONNECTIONS"] == 0
    assert "max-seconds (0.5) elapsed" in peer.stderr_text()


def test_the_stdin_watch_is_off_for_dev_null(tmp_path):
    binary = go_peer.build()
    stderr = tmp_path / "stderr"
    with open(stderr, "wb") as err:
        process = subprocess.Popen([str(binary), "--max-seconds", "20"], stdin=subprocess.DEVNULL,
                                   stdout=subprocess.PIPE, stderr=err)
    try:
        assert process.stdout.readline().startswith(b"PORT ")
        time.sleep(0.5)
        assert process.poll() is None  # EOF on /dev/null did not stop it
        assert "stdin-EOF watch inactive" in stderr.read_text()
    finally:
        os.kill(process.pid, signal.SIGTERM)
        process.wait(timeout=5)
        process.stdout.close()
    assert process.returncode == 0


def test_no_stdin_watch_keeps_it_running_after_eof(request):
    peer = start_peer(request, ["--no-stdin-watch"])
    peer.process.stdin.close()
    time.sleep(0.5)
    assert peer.process.poll() is None
    assert peer.stop() != {}
    assert peer.process.returncode == 0


def test_stop_signals_blocked_by_the_parent_still_stop_it(tmp_path):
    """A parent that spawns from a thread with SIGTERM blocked (libdispatch's workers, so
    Foundation.Process) passes that mask on; the peer unblocks it."""
    binary = go_peer.build()
    code = textwrap.dedent(f"""
        import os, signal, subprocess, sys
        signal.pthread_sigmask(signal.SIG_BLOCK, {{signal.SIGTERM, signal.SIGINT}})
        p = subprocess.Popen([{str(binary)!r}, "--max-seconds", "20"], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        assert p.stdout.readline().startswith(b"PORT ")
        os.kill(p.pid, signal.SIGTERM)
        try:
            print(p.wait(timeout=3), p.stdout.read().decode().strip())
        except subprocess.TimeoutExpired:
            p.kill(); p.wait(); print("still running")
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30,
                          stdin=subprocess.DEVNULL)
    assert done.stdout.startswith("0 CONNECTIONS 0"), done.stdout + done.stderr


# ---------------------------------------------------------------------------------------------
# The build.
# ---------------------------------------------------------------------------------------------

def test_the_build_is_cached():
    binary = go_peer.build()
    before = binary.stat().st_mtime_ns
    started = time.monotonic()
    assert go_peer.build() == binary
    assert time.monotonic() - started < 3
    assert binary.stat().st_mtime_ns == before
    stamp = binary.with_name("go_v2_server.stamp")
    assert stamp.is_file() and len(stamp.read_text().strip()) == 64
