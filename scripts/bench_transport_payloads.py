#!/usr/bin/env python3
"""Build the transport benchmark's requests and canned responses with the official Python classes.

usage: bench_transport_payloads.py OUTDIR

Writes into OUTDIR (deterministic: the same bytes on every run):

  post_request.bin       PostAnnotationsRequest: user_app_id {user_id "me", app_id "bench-app"},
                         1 annotation: input_id "bench-input-0001", data.regions[0] with a
                         bounding box (0.125, 0.25, 0.625, 0.75) and 1 concept (ai_8S2Vq3cR,
                         "dog", 1.0). TransportBench (ProtoWire) and GRPCSwiftBench
                         (swift-protobuf) build the same message themselves and check that
                         their encoding equals this file.
  list_request_20.bin    ListAnnotationsRequest: user_app_id, page 1, per_page 20
  list_request_128.bin   the same with per_page 128
  post_response.bin      MultiAnnotationResponse for the post: status 10000, the annotation
                         echoed with an id, region id, status 24150, created_at, modified_at
  list_response_20.bin   MultiAnnotationResponse with 20 annotations, shaped like the codec
                         benchmark's reference payload (scripts/make_reference_payload.py)
  list_response_128.bin  the same with 128 annotations (= the reference payload)
  *.grpc                 each request with gRPC's 5-byte message prefix (h2load's -d body)
  manifest.json          sizes, for the report

The C++ echo server (Benchmarks/cpp/grpc_echo_server.cc) answers PostAnnotations with
post_response.bin and ListAnnotations with list_response_<per_page>.bin (20 when the
request's per_page has no canned response).
"""
import importlib.util
import json
import os
import struct
import sys

from clarifai_grpc.grpc.api import resources_pb2, service_pb2

HERE = os.path.dirname(os.path.abspath(__file__))


def reference_builder():
    spec = importlib.util.spec_from_file_location("make_reference_payload",
                                                  os.path.join(HERE, "make_reference_payload.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def user_app_id(msg):
    msg.user_app_id.user_id = "me"
    msg.user_app_id.app_id = "bench-app"


def fill_post_annotation(a: resources_pb2.Annotation):
    a.input_id = "bench-input-0001"
    region = a.data.regions.add()
    box = region.region_info.bounding_box
    box.top_row, box.left_col, box.bottom_row, box.right_col = 0.125, 0.25, 0.625, 0.75
    c = region.data.concepts.add()
    c.id, c.name, c.value = "ai_8S2Vq3cR", "dog", 1.0


def post_request() -> service_pb2.PostAnnotationsRequest:
    req = service_pb2.PostAnnotationsRequest()
    user_app_id(req)
    fill_post_annotation(req.annotations.add())
    return req


def post_response() -> service_pb2.MultiAnnotationResponse:
    resp = service_pb2.MultiAnnotationResponse()
    resp.status.code = 10000
    resp.status.description = "Ok"
    resp.status.req_id = "bench-" + "5f" * 16
    a = resp.annotations.add()
    fill_post_annotation(a)
    a.id = "0123456789abcdef0123456789abcdef"
    a.data.regions[0].id = "d3b07384d113edec49eaa6238ad5ff00"
    a.status.code = 24150
    a.status.description = "Annotation success"
    a.created_at.seconds, a.created_at.nanos = 1_718_000_000, 123_456_000
    a.modified_at.seconds, a.modified_at.nanos = 1_718_000_000, 123_456_000
    return resp


def list_request(per_page: int) -> service_pb2.ListAnnotationsRequest:
    req = service_pb2.ListAnnotationsRequest()
    user_app_id(req)
    req.page = 1
    req.per_page = per_page
    return req


def list_response(n: int, ref) -> service_pb2.MultiAnnotationResponse:
    saved = ref.N_ANNOTATIONS
    ref.N_ANNOTATIONS = n
    try:
        return ref.build()
    finally:
        ref.N_ANNOTATIONS = saved


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    ref = reference_builder()
    messages = {
        "post_request": post_request(),
        "list_request_20": list_request(20),
        "list_request_128": list_request(128),
        "post_response": post_response(),
        "list_response_20": list_response(20, ref),
        "list_response_128": list_response(128, ref),
    }
    manifest = {}
    for name, msg in messages.items():
        data = msg.SerializeToString(deterministic=True)
        assert type(msg).FromString(data) == msg
        with open(os.path.join(out, name + ".bin"), "wb") as fh:
            fh.write(data)
        if name.endswith("request") or "_request_" in name:
            with open(os.path.join(out, name + ".grpc"), "wb") as fh:
                fh.write(struct.pack(">BI", 0, len(data)) + data)
        manifest[name] = {"bytes": len(data)}
        if hasattr(msg, "annotations"):
            manifest[name]["annotations"] = len(msg.annotations)
    with open(os.path.join(out, "manifest.json"), "w") as fh:
        json.dump(manifest, fh, indent=1, sort_keys=True)
    print("bench_transport_payloads: " + ", ".join(f"{k} {v['bytes']} B" for k, v in manifest.items()),
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
