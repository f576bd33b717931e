"""The emulator's injected GOAWAY keeps its promise: streams above its last stream id are not
processed, so a client that sends them again (as HTTP/2 allows) cannot store an annotation
twice or be told that its own new annotation "already exists".

Two PostAnnotations calls leave in one write, the first with `x-emulator-fault: goaway`: the
emulator reads both in one go, answers the first and sends GOAWAY. Whatever last stream id the
GOAWAY names, the second call is stored exactly when its stream id is at most that id.
"""

from __future__ import annotations

import socket
import struct

import h2.config
import h2.connection
import h2.events
from clarifai_grpc.grpc.api import resources_pb2, service_pb2

from emulator import start_for

KEY = "goaway-key"
PATH = "/clarifai.api.V2/PostAnnotations"


def post_body(annotation_id: str) -> bytes:
    request = service_pb2.PostAnnotationsRequest(annotations=[resources_pb2.Annotation(
        id=annotation_id, input_id="goaway-input",
        data=resources_pb2.Data(concepts=[resources_pb2.Concept(id="c", value=1)]))])
    message = request.SerializeToString()
    return b"\0" + struct.pack(">I", len(message)) + message


def headers(extra=()) -> list:
    return [(":method", "POST"), (":scheme", "http"), (":path", PATH), (":authority", "127.0.0.1"),
            ("content-type", "application/grpc"), ("te", "trailers"),
            ("authorization", f"Key {KEY}"), *extra]


def stored_ids(port: int) -> set[str]:
    import http.client
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/v2/annotations?input_ids=goaway-input&per_page=100",
                       headers={"Authorization": f"Key {KEY}"})
    import json
    answer = json.loads(connection.getresponse().read())
    return {a["id"] for a in answer.get("annotations", [])}


def test_streams_above_the_goaway_are_not_processed(request):
    emulator = start_for(request, tls=False, api_key=KEY)
    port = int(emulator.http_base.rsplit(":", 1)[1])
    for attempt in range(5):
        first, second = f"first-{attempt}", f"second-{attempt}"
        sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True, header_encoding="utf-8"))
        conn.initiate_connection()
        one = conn.get_next_available_stream_id()
        conn.send_headers(one, headers([("x-emulator-fault", "goaway")]))
        conn.send_data(one, post_body(first), end_stream=True)
        three = conn.get_next_available_stream_id()
        conn.send_headers(three, headers())
        conn.send_data(three, post_body(second), end_stream=True)
        sock.sendall(conn.data_to_send())  # both calls in one write

        # Frame by frame, so that what follows the GOAWAY (hyper-h2 refuses frames after it)
        # is still seen: a refused stream's RST_STREAM, or a response that should not exist.
        last_stream_id, answered, refused = None, set(), set()
        pending = b""
        while True:
            data = sock.recv(65536)
            if not data:
                break
            pending += data
            while len(pending) >= 9:
                length = int.from_bytes(pending[:3], "big")
                if len(pending) < 9 + length:
                    break
                frame, pending = pending[:9 + length], pending[9 + length:]
                kind, stream = frame[3], int.from_bytes(frame[5:9], "big") & 0x7FFF_FFFF
                if last_stream_id is not None:
                    if kind == 0x1:  # HEADERS after the GOAWAY
                        answered.add(stream)
                    elif kind == 0x3:  # RST_STREAM
                        refused.add(stream)
                    continue
                for event in conn.receive_data(frame):
                    if isinstance(event, h2.events.ResponseReceived):
                        answered.add(event.stream_id)
                    elif isinstance(event, h2.events.ConnectionTerminated):
                        last_stream_id = event.last_stream_id
            if last_stream_id is not None and (three in answered or three in refused or three <= last_stream_id):
                break
            sock.sendall(conn.data_to_send())
        sock.close()
        assert last_stream_id is not None, "the emulator closed the connection without a GOAWAY"

        assert one in answered and last_stream_id >= one
        held = stored_ids(port)
        assert first in held
        # Above the GOAWAY's last stream id: a client sends it again, so it must not be stored.
        assert (second in held) == (three <= last_stream_id), (last_stream_id, held)
        if three > last_stream_id:
            assert three not in answered and three in refused
