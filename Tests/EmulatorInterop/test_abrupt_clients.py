"""`annotations serve` against clients that connect, handshake and leave at once.

A thousand such clients (TLS with ALPN h2, with ALPN http/1.1, with no ALPN, and plaintext h2c
or HTTP/1.1), each gone before the emulator has written to it, while one well-behaved client
(the official stubs over grpcio) keeps calling. The emulator runs as a child process with the
default SIGPIPE disposition: a write to a connection such a client left, made with write(2),
would end it with SIGPIPE. Every call of the well-behaved client must succeed, and the emulator
must still be running at the end.
"""

from __future__ import annotations

import socket
import ssl
import struct
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import grpc
import pytest
from clarifai_grpc.channel.clarifai_channel import ClarifaiChannel
from clarifai_grpc.grpc.api import service_pb2, service_pb2_grpc
from clarifai_grpc.grpc.api.status import status_code_pb2

from emulator import start_for

ClarifaiChannel.get_insecure_grpc_channel(base="127.0.0.1", port=9).close()  # see test_official_client

KEY = "test"
ABRUPT_CLIENTS = 1000
H2_PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"


def leave(sock: socket.socket, n: int) -> None:
    """Half the clients leave with FIN (the emulator's next write meets a reset, then EPIPE),
    the other half with a reset of their own."""
    try:
        if n % 2:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()
    except OSError:
        pass  # a failed wrap_socket has taken the descriptor already


def abrupt_client(port: int, tls_port: int, n: int) -> str:
    """Connects, handshakes, perhaps starts a request, and leaves; returns what went wrong, if anything."""
    kind = ["tls-h2", "tls-http/1.1", "tls-none", "h2c", "http1"][n % 5]
    try:
        sock = socket.create_connection(("127.0.0.1", tls_port if kind.startswith("tls") else port), timeout=10)
    except OSError as error:
        return f"{kind}: {error}"
    try:
        if kind.startswith("tls"):
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            if kind != "tls-none":
                context.set_alpn_protocols([kind[4:]])
            sock = context.wrap_socket(sock, server_hostname="localhost")
            if n % 3 == 0:  # some also start a request
                sock.sendall(H2_PREFACE if kind == "tls-h2" else b"GET /v2/annotations HTTP/1.1\r\nhost: x\r\n")
        elif kind == "h2c":
            sock.sendall(H2_PREFACE)
        else:
            sock.sendall(b"POST /v2/annotations HTTP/1.1\r\nhost: x\r\ncontent-length: 10\r\n\r\n{")
    except (OSError, ssl.SSLError) as error:
        return f"{kind}: {error}"
    finally:
        leave(sock, n)
    return ""


@pytest.fixture
def emulator(request):
    return start_for(request, api_key=KEY)


def test_clients_that_leave_at_once_never_take_the_emulator_down(emulator):
    channel = grpc.insecure_channel(emulator.grpc_target)
    stub = service_pb2_grpc.V2Stub(channel)
    metadata = (("authorization", "Key " + KEY),)
    done = threading.Event()
    outcomes: list[str] = []

    def keep_calling() -> None:
        while not done.is_set():
            try:
                response = stub.ListAnnotations(service_pb2.ListAnnotationsRequest(), metadata=metadata, timeout=10)
                outcomes.append("ok" if response.status.code == status_code_pb2.SUCCESS else f"status {response.status.code}")
            except grpc.RpcError as error:
                outcomes.append(f"{error.code()}: {error.details()}")

    caller = threading.Thread(target=keep_calling)
    caller.start()
    try:
        with ThreadPoolExecutor(8) as pool:
            errors = list(pool.map(lambda n: abrupt_client(emulator.port, emulator.tls_port, n), range(ABRUPT_CLIENTS)))
        time.sleep(0.5)  # writes the emulator still had for the last of them
    finally:
        done.set()
        caller.join(timeout=30)
    channel.close()
    assert emulator.process.poll() is None, (
        f"the emulator exited with {emulator.process.returncode}\n{emulator.stderr_text()[-2000:]}")
    refused = [error for error in errors if error]
    assert not refused, f"{len(refused)} of {ABRUPT_CLIENTS} clients could not even connect: {refused[:5]}"
    failed = [outcome for outcome in outcomes if outcome != "ok"]
    assert outcomes and not failed, f"{len(failed)} of {len(outcomes)} calls failed: {failed[:5]}"
