#!/usr/bin/env python3
"""Write the installed clarifai-grpc's definitions as one FileDescriptorSet.

The official Python package (PyPI `clarifai-grpc`) carries every `.proto` file of the API as
descriptors; this serializes them with their dependencies (google/protobuf/*, google/api/*),
dependencies first, as `protoc --include_imports -o` would. What `annotations wire diff
--descriptor-set` and `wire decode|encode --descriptor-set` read, without protoc or the .proto files.

Usage: scripts/official_descriptor_set.py OUTPUT.pb
       (python3 -m pip install clarifai-grpc==X.Y.Z first, for the release to check)
"""

import pathlib
import sys

from clarifai_grpc.grpc.api import resources_pb2, service_pb2
from clarifai_grpc.grpc.api.status import status_code_pb2, status_pb2
from clarifai_grpc.grpc.api.utils import extensions_pb2
from google.protobuf import descriptor_pb2


def official_descriptor_set():
    """A FileDescriptorSet of every official file, dependencies first (as protoc writes it)."""
    files, seen = [], set()

    def add(file_descriptor):
        if file_descriptor.name in seen:
            return
        seen.add(file_descriptor.name)
        for dependency in file_descriptor.dependencies:
            add(dependency)
        proto = descriptor_pb2.FileDescriptorProto()
        file_descriptor.CopyToProto(proto)
        files.append(proto)

    for module in (resources_pb2, service_pb2, status_pb2, status_code_pb2, extensions_pb2):
        add(module.DESCRIPTOR)
    return descriptor_pb2.FileDescriptorSet(file=files)


def main():
    if len(sys.argv) != 2 or sys.argv[1].startswith("-"):
        sys.exit(__doc__.strip().splitlines()[-2].strip())
    pathlib.Path(sys.argv[1]).write_bytes(official_descriptor_set().SerializeToString())


if __name__ == "__main__":
    main()
