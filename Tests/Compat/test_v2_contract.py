"""The package's V2 contract (`annotations wire methods`, from the Swift `V2` table) against the
official `clarifai.api.V2` service descriptor (PyPI clarifai-grpc): for every method the package
speaks, the gRPC path, request and response types, server streaming, and the REST binding
(`google.api.http`: verb, path template, body, and every additional binding in order).

Run from anywhere: python3 -m pytest Tests/Compat/test_v2_contract.py
"""

from __future__ import annotations

import json
import subprocess

import pytest
from clarifai_grpc.grpc.api import service_pb2
from google.api import annotations_pb2

import cli

SERVICE = service_pb2.DESCRIPTOR.services_by_name["V2"]
# The annotation RPCs of the official service (StreamLivestreamAnnotations, the remaining one, is
# a live-video feed this package does not speak).
ANNOTATION_RPCS = {
    "PostAnnotations", "ListAnnotations", "GetAnnotation", "PatchAnnotations", "DeleteAnnotation",
    "DeleteAnnotations", "StreamAnnotations", "PatchAnnotationsStatus", "GetTaskAnnotationCount",
    "ListAnnotationWorkers",
}


def ours() -> dict[str, dict]:
    result = subprocess.run([str(cli.require_binary()), "wire", "methods"], capture_output=True, timeout=60, text=True)
    assert result.returncode == 0, result.stderr
    methods = [json.loads(line) for line in result.stdout.splitlines()]
    return {method["name"]: method for method in methods}


def official_bindings(method) -> list[tuple[str, str, str]]:
    rule = method.GetOptions().Extensions[annotations_pb2.http]
    rules = [rule, *rule.additional_bindings]
    return [(r.WhichOneof("pattern"), getattr(r, r.WhichOneof("pattern")), r.body) for r in rules]


def test_the_package_speaks_every_annotation_rpc_and_only_official_ones():
    assert set(ours()) == ANNOTATION_RPCS
    assert ANNOTATION_RPCS <= set(SERVICE.methods_by_name)


@pytest.mark.parametrize("name", sorted(ANNOTATION_RPCS))
def test_each_method_matches_the_official_descriptor(name):
    method = ours()[name]
    official = SERVICE.methods_by_name[name]
    assert method["grpc_path"] == f"/clarifai.api.V2/{name}"
    assert method["request"] == official.input_type.full_name
    assert method["response"] == official.output_type.full_name
    assert method["server_streaming"] == official.server_streaming
    assert not official.client_streaming
    assert [(method["verb"], path, method["body"]) for path in method["paths"]] == official_bindings(official)
