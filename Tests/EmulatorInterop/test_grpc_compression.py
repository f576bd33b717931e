"""Compression into and out of the emulator (`annotations serve`), gRPC and REST, and through
the tool's `--compression gzip`.

- grpcio with `compression=grpc.Compression.Gzip` sends `grpc-encoding: gzip` and every request
  message compressed: the emulator inflates it (PROTOCOL-HTTP2.md). A message compressed in a
  way the emulator does not read is UNIMPLEMENTED, one that inflates past its limit
  RESOURCE_EXHAUSTED.
- `serve --compression gzip` compresses answers of 1 KiB or more to clients that accept gzip
  (`grpc-accept-encoding`, `Accept-Encoding`), and only to them.
- REST bodies sent `Content-Encoding: gzip` are inflated; other codings are 415.
- `annotations post|list --compression gzip` over gRPC, REST/HTTP2 and REST/HTTP1.1 against a
  compressing emulator: the same annotations come back.
"""

from __future__ import annotations

import gzip
import json
import struct
import subprocess
import urllib.request

import grpc
from clarifai_grpc.channel.clarifai_channel import ClarifaiChannel
from clarifai_grpc.grpc.api import resources_pb2, service_pb2, service_pb2_grpc
from clarifai_grpc.grpc.api.status import status_code_pb2

from emulator import binary, start_for

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


def h2_call(emulator, path: str, message: bytes, headers=(), flag: int = 1) -> tuple[dict, bytes]:
    """One gRPC call over a raw h2 connection: the response's header fields and its body."""
    import socket

    import h2.connection
    import h2.events

    host, port = emulator.grpc_target.rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=TIMEOUT) as sock:
        conn = h2.connection.H2Connection()
        conn.initiate_connection()
        sock.sendall(conn.data_to_send())
        conn.send_headers(1, [(":method", "POST"), (":scheme", "http"), (":authority", f"{host}:{port}"),
                              (":path", path), ("content-type", "application/grpc"), ("te", "trailers"),
                              ("authorization", f"Key {KEY}"), *headers])
        body = bytes([flag]) + struct.pack(">I", len(message)) + message
        fields, received = {}, b""
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
                if isinstance(event, h2.events.DataReceived):
                    received += event.data
                    conn.acknowledge_received_data(event.flow_controlled_length, 1)
                if isinstance(event, (h2.events.StreamEnded, h2.events.StreamReset)):
                    ended = True
            sock.sendall(conn.data_to_send())
        return fields, received


def test_an_unknown_encoding_is_unimplemented_and_a_bomb_is_refused(request):
    emulator = start_for(request, api_key=KEY)
    list_request = service_pb2.ListAnnotationsRequest(user_app_id=USER_APP).SerializeToString()

    def call(encoding: str, message: bytes) -> dict:
        return h2_call(emulator, "/clarifai.api.V2/ListAnnotations", message, [("grpc-encoding", encoding)])[0]

    answered = call("gzip", gzip.compress(list_request))
    assert answered["grpc-status"] == "0", answered
    unknown = call("br", list_request)
    assert unknown["grpc-status"] == "12" and "grpc-encoding 'br' is not supported" in unknown["grpc-message"]
    # 128 MiB of zeros in ~130 KB: more than the emulator's 64 MiB body limit once inflated.
    bomb = call("gzip", gzip.compress(b"\x00" * (128 << 20), compresslevel=9))
    assert bomb["grpc-status"] == "8", bomb
    assert emulator.stop() == 0


def _post_many(stub, count=30):
    annotations = [resources_pb2.Annotation(input_id=f"in{i}", data=resources_pb2.Data(
        concepts=[resources_pb2.Concept(id="a-long-concept-name-" * 5, value=1)])) for i in range(count)]
    posted = stub.PostAnnotations(service_pb2.PostAnnotationsRequest(user_app_id=USER_APP, annotations=annotations),
                                  metadata=METADATA, timeout=TIMEOUT)
    assert posted.status.code == status_code_pb2.SUCCESS, posted.status


def test_a_compressing_emulator_compresses_answers_to_clients_that_accept_gzip(request):
    emulator = start_for(request, api_key=KEY, extra_args=["--compression", "gzip"])
    with grpc.insecure_channel(emulator.grpc_target) as channel:
        stub = service_pb2_grpc.V2Stub(channel)
        _post_many(stub)
        listed = stub.ListAnnotations(service_pb2.ListAnnotationsRequest(user_app_id=USER_APP, per_page=100),
                                      metadata=METADATA, timeout=TIMEOUT)
        assert len(listed.annotations) == 30
    list_request = service_pb2.ListAnnotationsRequest(user_app_id=USER_APP, per_page=100).SerializeToString()
    fields, body = h2_call(emulator, "/clarifai.api.V2/ListAnnotations", list_request,
                           [("grpc-accept-encoding", "identity, gzip")], flag=0)
    assert fields["grpc-encoding"] == "gzip" and fields["grpc-status"] == "0", fields
    assert body[0] == 1
    inflated = gzip.decompress(body[5:])
    assert len(service_pb2.MultiAnnotationResponse.FromString(inflated).annotations) == 30
    assert len(body) < len(inflated) / 3
    # Not to a client that does not say it reads gzip; and a small answer goes as it is.
    fields, body = h2_call(emulator, "/clarifai.api.V2/ListAnnotations", list_request, flag=0)
    assert "grpc-encoding" not in fields and body[0] == 0
    assert fields["grpc-accept-encoding"] == "gzip"
    small = service_pb2.ListAnnotationsRequest(user_app_id=USER_APP, per_page=1).SerializeToString()
    fields, body = h2_call(emulator, "/clarifai.api.V2/ListAnnotations", small, [("grpc-accept-encoding", "gzip")],
                           flag=0)
    assert body[0] == 0


def _rest(emulator, method, path, body=None, headers=None):
    url = emulator.http_base + path
    request = urllib.request.Request(url, data=body, method=method,
                                     headers={"authorization": f"Key {KEY}", "content-type": "application/json",
                                              **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_rest_bodies_both_ways(request):
    emulator = start_for(request, api_key=KEY, extra_args=["--compression", "gzip"])
    annotations = [{"input_id": f"in{i}", "data": {"concepts": [{"id": "a-long-concept-name-" * 5, "value": 1}]}}
                   for i in range(30)]
    body = json.dumps({"annotations": annotations}).encode()
    status, headers, answer = _rest(emulator, "POST", "/v2/users/me/apps/app/annotations", gzip.compress(body),
                                    {"content-encoding": "gzip"})
    assert status == 200, answer
    status, headers, answer = _rest(emulator, "GET", "/v2/users/me/apps/app/annotations?per_page=100",
                                    headers={"accept-encoding": "gzip"})
    assert status == 200 and headers.get("content-encoding") == "gzip"
    assert len(json.loads(gzip.decompress(answer))["annotations"]) == 30
    status, headers, answer = _rest(emulator, "GET", "/v2/users/me/apps/app/annotations?per_page=100")
    assert "content-encoding" not in {k.lower() for k in headers} and len(json.loads(answer)["annotations"]) == 30
    status, headers, answer = _rest(emulator, "POST", "/v2/users/me/apps/app/annotations", body,
                                    {"content-encoding": "br"})
    assert status == 415 and "Content-Encoding 'br' is not supported" in answer.decode()
    status, headers, answer = _rest(emulator, "POST", "/v2/users/me/apps/app/annotations", b"not gzip",
                                    {"content-encoding": "gzip"})
    assert status == 400 and json.loads(answer)["status"]["code"] == status_code_pb2.CONN_INVALID_REQUEST
    # 70 MiB once inflated: past the emulator's 64 MiB body limit, as a plain body would be.
    status, headers, answer = _rest(emulator, "POST", "/v2/users/me/apps/app/annotations",
                                    gzip.compress(b" " * (70 << 20), compresslevel=9), {"content-encoding": "gzip"})
    assert status == 413 and "decompresses to more than" in answer.decode()


def test_the_tool_compresses_over_every_transport(request):
    emulator = start_for(request, api_key=KEY, extra_args=["--compression", "gzip"])
    for transport, endpoint in (("grpc", emulator.grpc_target), ("rest", emulator.grpc_target),
                                ("rest-h1", emulator.grpc_target)):
        common = ["--endpoint", f"h2c://{endpoint}", "--pat", KEY, "--user-id", "me", "--app-id", transport,
                  "--transport", transport, "--compression", "gzip"]
        for i in range(3):  # the first gRPC request goes plain: the server has not said it reads gzip yet
            post = subprocess.run([str(binary()), "post", *common, "--input-id", f"img{i}",
                                   *sum((["--concept", f"concept-with-a-long-name-{j}"] for j in range(60)), [])],
                                  capture_output=True, timeout=TIMEOUT * 3)
            assert post.returncode == 0, (transport, post.stderr.decode())
        listed = subprocess.run([str(binary()), "list", *common, "--per-page", "10"], capture_output=True,
                                timeout=TIMEOUT * 3)
        assert listed.returncode == 0, (transport, listed.stderr.decode())
        annotations = json.loads(listed.stdout)["annotations"]
        assert sorted(a["input_id"] for a in annotations) == ["img0", "img1", "img2"], transport
        assert all(len(a["data"]["concepts"]) == 60 for a in annotations)
    bad = subprocess.run([str(binary()), "list", "--endpoint", f"h2c://{emulator.grpc_target}", "--compression", "br"],
                         capture_output=True, timeout=TIMEOUT)
    assert bad.returncode == 64 and "--compression must be gzip or none" in bad.stderr.decode()
