#!/usr/bin/env python3
"""Build the codec benchmark's reference payload with the official Python classes.

A clarifai.api.MultiAnnotationResponse (the "reference payload" of the codec targets):
status 10000 "Ok" + req_id, 128 annotations, each with id, input_id, created_at,
status 24150 "Annotation success" and data holding one region (id "rNNNN") with a
bounding box (every 4th region: a polygon of 8 points instead) and 2 concepts (id, name,
value); annotation 0 also carries an annotation_info Struct (string, number, bool, null,
nested list and struct). 28,566 bytes (the targets quote 28,577 for their variant).

The output is deterministic (no clock, no RNG state shared with anything else):
the same bytes on every run and every machine with the same protobuf serializer.

usage: make_reference_payload.py OUT.bin [--json OUT.json]
"""
import argparse
import random
import sys

from clarifai_grpc.grpc.api import service_pb2

N_ANNOTATIONS = 128
CONCEPTS = [
    ("ai_8S2Vq3cR", "dog"), ("ai_mFqxrph2", "cat"), ("ai_86sS08Pw", "person"),
    ("ai_VPmHr5bm", "car"), ("ai_TJ9wFfK5", "tree"), ("ai_l8TKp2h5", "bicycle"),
    ("ai_6hkHgL1C", "building"), ("ai_X8yt5RTW", "water"),
]


def build() -> service_pb2.MultiAnnotationResponse:
    rng = random.Random(20240611)
    hexid = lambda: "%032x" % rng.getrandbits(128)
    f = lambda: round(rng.uniform(0.01, 0.99), 6)

    resp = service_pb2.MultiAnnotationResponse()
    resp.status.code = 10000
    resp.status.description = "Ok"
    resp.status.req_id = "bench-" + hexid()
    base_seconds = 1_718_000_000
    for i in range(N_ANNOTATIONS):
        a = resp.annotations.add()
        a.id = hexid()
        a.input_id = hexid()
        a.created_at.seconds = base_seconds + 37 * i
        a.created_at.nanos = rng.randrange(1, 1_000_000) * 1000
        a.status.code = 24150
        a.status.description = "Annotation success"
        region = a.data.regions.add()
        region.id = "r%04d" % i
        if i % 4 == 3:
            for _ in range(8):
                p = region.region_info.polygon.points.add()
                p.row = f()
                p.col = f()
        else:
            top, left = f() * 0.5, f() * 0.5
            box = region.region_info.bounding_box
            box.top_row = top
            box.left_col = left
            box.bottom_row = round(top + f() * 0.5, 6)
            box.right_col = round(left + f() * 0.5, 6)
        for cid, name in rng.sample(CONCEPTS, 2):
            c = region.data.concepts.add()
            c.id = cid
            c.name = name
            c.value = round(rng.uniform(0.5, 1.0), 4)
        if i == 0:
            a.annotation_info.update({
                "source": "benchmark",
                "annotator": "user-\u00e9t\u00e9",   # non-ASCII
                "confidence": 0.875,
                "reviewed": True,
                "tags": ["outdoor", 3, False, {"nested": [1.5, "x"]}],
                "review": {"round": 2, "notes": None, "by": "qa-team"},
            })
    return resp


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", help="where to write the binary payload")
    ap.add_argument("--json", help="also write the official json_format rendering here")
    args = ap.parse_args()
    msg = build()
    data = msg.SerializeToString(deterministic=True)
    # Sanity: it round-trips through the official decoder.
    back = service_pb2.MultiAnnotationResponse.FromString(data)
    assert back == msg and back.SerializeToString(deterministic=True) == data
    with open(args.out, "wb") as fh:
        fh.write(data)
    if args.json:
        from google.protobuf import json_format
        with open(args.json, "w") as fh:
            fh.write(json_format.MessageToJson(msg, preserving_proto_field_name=True,
                                               use_integers_for_enums=True))
    print(f"{args.out}: {len(data)} bytes, {len(msg.annotations)} annotations", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
