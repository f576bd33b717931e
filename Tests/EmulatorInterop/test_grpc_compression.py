"""gRPC message compression into the emulator (`annotations serve`), from the official client.

grpcio with `compression=grpc.Compression.Gzip` sends `grpc-encoding: gzip` and every request
message compressed: the emulator inflates it (PROTOCOL-HTTP2.md), and stores what the official
classes sent. A message compressed in a way the emulator does not read is UNIMPLEMENTED.
"""

from __future__ import annotations

import gzip
import struct

import grpc
from clarifai_grpc.channel.clarifai_channel import ClarifaiChannel
from clarifai_grpc.grpc.api import resources_pb2, service_pb2, service_pb2_grpc
from clarifai_grpc.grpc.api.status import status_code_pb2

from emulator import start_for

# The stubs' response deserializer wrapper is a module global of clarifai_channel, None until
# one channel was made the documented way (as in test_official_client.py).
ClarifaiChannel.get_insecure_grpc_channel(base="127.0.0.1", port=9).close()

KEY = "compression-key"
USER_APP = resources_pb2.UserAppIDSet(user_id="me", app_id="app")
METADATA = (("authorization", f"Key {KEY}"),)
TIMEOUT = 10


def test_compressed_requests_are_inflated(request):
    emulator = start_for(request, api_key=KEY)
    with grpc.insecure_channel(emulator.grpc_target, compression=grpc.Compression.Gzip) as channel:
        stub = service_pb2_grpc.V2Stub(channel)
        annotations = [resources_pb2.Annotation(input_id=f"in{i}", data=resources_pb2.Data(
            concepts=[resources_pb2.Concept(id="a-long-concept-name-" * 5, value=1)])) for i in range(40)]
        posted = stub.PostAnnotations(service_pb2.PostAnnotationsRequest(user_app_id=USER_APP, annotations=annotations),
                                      metadata=METADATA, timeout=TIMEOUT)
        assert posted.status.code == status_code_pb2.SUCCESS, posted.status
        listed = stub.ListAnnotations(service_pb2.ListAnnotationsRequest(user_app_id=USER_APP, per_page=100),
                                      metadata=METADATA, timeout=TIMEOUT)
        assert sorted(a.input_id for a in listed.annotations) == sorted(f"in{i}" for i in range(40))
        assert {a.data.concepts[0].id for a in listed.annotations} == {"a-long-concept-name-" * 5}


def test_an_unknown_encoding_is_unimplemented_and_a_bomb_is_refused(request):
    import socket

    import h2.connection
    import h2.events

    emulator = start_for(request, api_key=KEY)
    host, port = emulator.grpc_target.rsplit(":", 1)
    list_request = service_pb2.ListAnnotationsRequest(user_app_id=USER_APP).SerializeToString()

    def call(encoding: str, message: bytes) -> dict:
        with socket.create_connection((host, int(port)), timeout=TIMEOUT) as sock:
            conn = h2.connection.H2Connection()
            conn.initiate_connection()
            sock.sendall(conn.data_to_send())
            conn.send_headers(1, [(":method", "POST"), (":scheme", "http"), (":authority", f"{host}:{port}"),
                                  (":path", "/clarifai.api.V2/ListAnnotations"), ("content-type", "application/grpc"),
                                  ("te", "trailers"), ("grpc-encoding", encoding), ("authorization", f"Key {KEY}")])
            body = b"\x01" + struct.pack(">I", len(message)) + message
            fields = {}
            ended = False
            while not ended:
                # Send what the emulator's windows allow, then read until they open again.
                while body and conn.local_flow_control_window(1) > 0:
                    size = min(len(body), conn.local_flow_control_window(1), conn.max_outbound_frame_size)
                    conn.send_data(1, body[:size], end_stream=size == len(body))
                    body = body[size:]
                sock.sendall(conn.data_to_send())
                data = sock.recv(65536)
                assert data, "the emulator closed the connection"
                for event in conn.receive_data(data):
                    if isinstance(event, (h2.events.ResponseReceived, h2.events.TrailersReceived)):
                        fields.update({k.decode(): v.decode() for k, v in event.headers})
                    if isinstance(event, (h2.events.StreamEnded, h2.events.StreamReset)):
                        ended = True
                sock.sendall(conn.data_to_send())
            return fields

    answered = call("gzip", gzip.compress(list_request))
    assert answered["grpc-status"] == "0", answered
    unknown = call("br", list_request)
    assert unknown["grpc-status"] == "12" and "grpc-encoding 'br' is not supported" in unknown["grpc-message"]
    # 128 MiB of zeros in ~130 KB: more than the emulator's 64 MiB body limit once inflated.
    bomb = call("gzip", gzip.compress(b"\x00" * (128 << 20), compresslevel=9))
    assert bomb["grpc-status"] == "8", bomb
    assert emulator.stop() == 0
