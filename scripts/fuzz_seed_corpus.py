#!/usr/bin/env python3
"""Writes the seed corpus of `make fuzz` into Tests/Fuzz/corpus/<target>/ (committed).

decode/json: one file per example message, built with the official classes (clarifai-grpc),
prefixed with the selector byte of its type: its index in ProtoWire's MessageTypes.all, whose
order TYPE_ORDER mirrors (Tests/FuzzTargetsTests checks the two agree by decoding each seed).
response: gRPC and REST answers in the target's framing, and raw HTTP/1.1 responses.
emulator: the documented REST calls and gRPC calls in the target's framing.
session: raw HTTP/2 frames a server sends after its SETTINGS (HPACK by the `hpack` package):
a full gRPC answer, Trailers-Only, CONTINUATION, RST_STREAM, GOAWAY, PING, WINDOW_UPDATE.
"""
from __future__ import annotations

import os
import sys

from clarifai_grpc.grpc.api import resources_pb2, service_pb2
from clarifai_grpc.grpc.api.status import status_pb2, status_code_pb2
from google.protobuf import json_format, struct_pb2, timestamp_pb2

TYPE_ORDER = [
    "Annotation", "Data", "Concept", "Region", "RegionInfo", "BoundingBox", "Polygon", "Point", "Mask", "Image",
    "Video", "Text", "Audio", "Frame", "FrameInfo", "Track", "TimeInfo", "Span", "Token", "Embedding", "ImageInfo",
    "HostedURL", "UserAppIDSet", "Status", "BaseResponse", "PostAnnotationsRequest", "ListAnnotationsRequest",
    "PatchAnnotationsRequest", "DeleteAnnotationRequest", "DeleteAnnotationsRequest", "GetAnnotationRequest",
    "MultiAnnotationResponse", "SingleAnnotationResponse", "Struct", "Value", "ListValue", "Timestamp",
    # Appended in MessageTypes.all's order (a seed selects its type by index).
    "StreamAnnotationsRequest", "SingleStreamAnnotationResponse", "PatchAnnotationsStatusRequest",
    "PatchAnnotationsStatusResponse", "GetTaskCountRequest", "SingleTaskCountResponse", "TaskStatusCountPerUser",
    "ListAnnotationWorkersRequest", "MultiWorkerResponse", "Worker", "User", "Model", "Workflow",
]


def annotation(i: int) -> resources_pb2.Annotation:
    a = resources_pb2.Annotation(id=f"ann{i}", input_id=f"in{i}")
    a.data.concepts.add(id="tree", value=1.0)
    region = a.data.regions.add(id=f"r{i}")
    region.region_info.bounding_box.top_row = 0.1
    region.region_info.bounding_box.right_col = 0.9
    region.data.concepts.add(id="cat", value=0.5)
    if i % 2:
        polygon = a.data.regions.add().region_info.polygon
        for k in range(4):
            polygon.points.add(row=k / 4, col=1 - k / 4)
    a.status.code = status_code_pb2.ANNOTATION_SUCCESS
    a.created_at.GetCurrentTime()
    a.annotation_info.update({"task": "t", "n": 3, "nested": {"list": [1, "x", True, None]}})
    return a


def examples() -> dict[str, list]:
    anns = [annotation(i) for i in range(3)]
    status = status_pb2.Status(code=status_code_pb2.MIXED_STATUS, description="Mixed", details="d", req_id="r")
    value = struct_pb2.Value()
    value.struct_value.update({"a": [1, 2, {"b": None}]})
    list_value = struct_pb2.ListValue()
    list_value.extend([1, "x", True, None])
    ts = timestamp_pb2.Timestamp(seconds=1700000000, nanos=123000000)
    ids = resources_pb2.UserAppIDSet(user_id="me", app_id="app")
    out = {
        "Annotation": anns, "Data": [anns[0].data], "Concept": [anns[0].data.concepts[0]],
        "Region": [anns[1].data.regions[0], anns[1].data.regions[1]], "RegionInfo": [anns[0].data.regions[0].region_info],
        "BoundingBox": [anns[0].data.regions[0].region_info.bounding_box],
        "Polygon": [anns[1].data.regions[1].region_info.polygon], "Point": [resources_pb2.Point(row=0.5, col=0.25)],
        "Mask": [resources_pb2.Mask(image=resources_pb2.Image(base64=b"\x89PNG"))],
        "Image": [resources_pb2.Image(url="https://example.com/a.jpg")],
        "Text": [resources_pb2.Text(raw="hello")], "Span": [resources_pb2.Span(char_start=1, char_end=4, raw_text="ell")],
        "UserAppIDSet": [ids], "Status": [status],
        "BaseResponse": [status_pb2.BaseResponse(status=status)],
        "PostAnnotationsRequest": [service_pb2.PostAnnotationsRequest(user_app_id=ids, annotations=anns)],
        "ListAnnotationsRequest": [service_pb2.ListAnnotationsRequest(user_app_id=ids, ids=["a"], input_ids=["b"],
                                                                      per_page=10, page=2, list_all_annotations=True)],
        "PatchAnnotationsRequest": [service_pb2.PatchAnnotationsRequest(annotations=anns[:1], action="merge")],
        "DeleteAnnotationRequest": [service_pb2.DeleteAnnotationRequest(input_id="i", annotation_id="a")],
        "DeleteAnnotationsRequest": [service_pb2.DeleteAnnotationsRequest(ids=["a"], input_ids=["i"])],
        "GetAnnotationRequest": [service_pb2.GetAnnotationRequest(input_id="i", annotation_id="a")],
        "MultiAnnotationResponse": [service_pb2.MultiAnnotationResponse(status=status, annotations=anns)],
        "SingleAnnotationResponse": [service_pb2.SingleAnnotationResponse(annotation=anns[2])],
        "Struct": [anns[0].annotation_info], "Value": [value], "ListValue": [list_value],
        "Timestamp": [ts],
        "StreamAnnotationsRequest": [service_pb2.StreamAnnotationsRequest(
            user_app_id=ids, input_id="video1", track_ids=["t1", "t2"], frame_number_start=3, frame_time_start=1000,
            annotation_type=resources_pb2.BOUNDING_BOX, max_frames=10, max_duration=5000,
            worker=resources_pb2.Worker(user=resources_pb2.User(id="labeler")), min_prediction_score=0.5)],
        "SingleStreamAnnotationResponse": [service_pb2.SingleStreamAnnotationResponse(
            status=status, annotation=anns[0], frame_fully_processed=True)],
        "PatchAnnotationsStatusRequest": [service_pb2.PatchAnnotationsStatusRequest(
            user_app_id=ids, user_ids=["u1"], task_id="task", status_codes=[status_code_pb2.ANNOTATION_PENDING],
            action="overwrite", status_code=status_code_pb2.ANNOTATION_SUCCESS)],
        "PatchAnnotationsStatusResponse": [service_pb2.PatchAnnotationsStatusResponse(
            status=status, user_ids=["u1"], updated_count=2)],
        "GetTaskCountRequest": [service_pb2.GetTaskCountRequest(user_app_id=ids, task_id="task", user_ids=["u1"])],
        "SingleTaskCountResponse": [service_pb2.SingleTaskCountResponse(
            status=status, app_id="app", task_id="task",
            counts=[resources_pb2.TaskStatusCountPerUser(user_id="u1", pending=1, success=2)])],
        "TaskStatusCountPerUser": [resources_pb2.TaskStatusCountPerUser(user_id="u1", awaiting_review=3)],
        "ListAnnotationWorkersRequest": [service_pb2.ListAnnotationWorkersRequest(
            user_app_id=ids, page=1, per_page=20, trusted_only=True)],
        "MultiWorkerResponse": [service_pb2.MultiWorkerResponse(
            status=status, workers=[resources_pb2.Worker(model=resources_pb2.Model(id="m1"))])],
        "Worker": [resources_pb2.Worker(workflow=resources_pb2.Workflow(id="wf"))],
        "User": [resources_pb2.User(id="u1")], "Model": [resources_pb2.Model(id="m1")],
        "Workflow": [resources_pb2.Workflow(id="wf")],
    }
    return out


def write(directory: str, name: str, data: bytes) -> None:
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), "wb") as handle:
        handle.write(data)


def main() -> None:
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "Tests", "Fuzz", "corpus")
    for type_name, messages in examples().items():
        selector = bytes([TYPE_ORDER.index(type_name)])
        for k, message in enumerate(messages):
            write(os.path.join(root, "decode"), f"{type_name}-{k}", selector + message.SerializeToString())
            text = json_format.MessageToJson(message, preserving_proto_field_name=True, indent=None)
            write(os.path.join(root, "json"), f"{type_name}-{k}", selector + text.encode())
    multi = service_pb2.MultiAnnotationResponse(status=status_pb2.Status(code=status_code_pb2.SUCCESS),
                                                annotations=[annotation(0)]).SerializeToString()
    frame = b"\x00" + len(multi).to_bytes(4, "big") + multi
    responses = {
        "grpc-ok": b"\x00\x00\xc8content-type:application/grpc\n\x00\x00" + frame + b"\x00\x00grpc-status:0\n",
        "grpc-trailers-only": b"\x01\x00\xc8content-type:application/grpc\ngrpc-status:14\ngrpc-message:no%20way\n",
        "rest-401": b"\x00\x01\x91content-type:application/json\n\x00\x00{\"status\":{\"code\":11008,\"description\":\"bad key\"}}",
        "rest-200": b"\x00\x00\xc8content-type:application/json\n\x00\x00"
                    + json_format.MessageToJson(service_pb2.MultiAnnotationResponse.FromString(multi),
                                                preserving_proto_field_name=True).encode(),
        "http1-chunked": b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        "http1-length": b"HTTP/1.1 503 Service Unavailable\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}",
    }
    for name, data in responses.items():
        write(os.path.join(root, "response"), name, data)
    # The dynamic target's seeds that reach the mirror (the others are written by hand, see
    # Tests/Fuzz/README.md): the mirror itself as a descriptor set, for SchemaDiff, and a
    # response carrying fields the package does not model, for the unknown-field report.
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import gen_mirrored_schema

    write(os.path.join(root, "dynamic"), "mirror-descriptor-set", gen_mirrored_schema.compiled_set())
    unmodelled = service_pb2.MultiAnnotationResponse(annotations=[annotation(2)])
    unmodelled.annotations[0].data.geo.geo_point.longitude = 2.5
    unmodelled.annotations[0].worker.model.notes = "not mirrored"
    write(os.path.join(root, "dynamic"), "mirror-unknown-fields", unmodelled.SerializeToString() + b"\xc0\x3e\x01")
    post = service_pb2.PostAnnotationsRequest(annotations=[annotation(1)])
    requests = {
        "rest-post": b"\x00/v2/annotations\n\n" + json_format.MessageToJson(post, preserving_proto_field_name=True).encode(),
        "rest-list": b"\x01/v2/users/me/apps/app/annotations?input_ids=in1&per_page=5&statuses.code=24150\n\n",
        "rest-get": b"\x01/v2/inputs/in1/annotations/ann1\n\n",
        "rest-patch": b"\x02/v2/annotations\n\n{\"action\":\"merge\",\"annotations\":[{\"id\":\"ann1\",\"input_id\":\"in1\"}]}",
        "rest-delete": b"\x03/v2/inputs/annotations\n\n{\"input_ids\":[\"in1\"]}",
        "grpc-post": b"\x08/clarifai.api.V2/PostAnnotations\n\n" + post.SerializeToString(),
        "grpc-list": b"\x08/clarifai.api.V2/ListAnnotations\n\n"
                     + service_pb2.ListAnnotationsRequest(per_page=3).SerializeToString(),
        "grpc-delete": b"\x08/clarifai.api.V2/DeleteAnnotations\n\n"
                       + service_pb2.DeleteAnnotationsRequest(ids=["ann1"], input_ids=["in1"]).SerializeToString(),
    }
    for name, data in requests.items():
        write(os.path.join(root, "emulator"), name, data)

    import hpack

    def frame(kind: int, flags: int, stream: int, payload: bytes) -> bytes:
        return len(payload).to_bytes(3, "big") + bytes([kind, flags]) + stream.to_bytes(4, "big") + payload

    encoder = hpack.Encoder()
    headers = encoder.encode([(":status", "200"), ("content-type", "application/grpc")])
    trailers = encoder.encode([("grpc-status", "0"), ("grpc-message", "")])
    only = hpack.Encoder().encode([(":status", "200"), ("content-type", "application/grpc"),
                                   ("grpc-status", "14"), ("grpc-message", "try%20later")])
    settings_ack = frame(4, 1, 0, b"")
    sessions = {
        "full-answer": settings_ack + frame(1, 4, 1, headers) + frame(0, 0, 1, frame_bytes := frame_grpc(multi))
                       + frame(1, 5, 1, trailers),
        "data-in-pieces": frame(1, 4, 1, headers) + frame(0, 0, 1, frame_bytes[:7]) + frame(0, 0, 1, frame_bytes[7:])
                          + frame(1, 5, 1, trailers),
        "trailers-only": frame(1, 5, 1, only),
        "continuation": frame(1, 0, 1, headers[:2]) + frame(9, 4, 1, headers[2:]) + frame(0, 1, 1, frame_bytes),
        "rst-stream": frame(3, 0, 1, (8).to_bytes(4, "big")),
        "goaway": frame(7, 0, 0, (0).to_bytes(4, "big") + (0).to_bytes(4, "big") + b"bye"),
        "ping-window": frame(6, 0, 0, b"12345678") + frame(8, 0, 0, (65535).to_bytes(4, "big"))
                       + frame(1, 4, 1, headers) + frame(1, 5, 1, trailers),
    }
    for name, data in sessions.items():
        write(os.path.join(root, "session"), name, data)


def frame_grpc(message: bytes) -> bytes:
    return b"\x00" + len(message).to_bytes(4, "big") + message


if __name__ == "__main__":
    main()
