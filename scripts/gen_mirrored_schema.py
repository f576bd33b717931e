#!/usr/bin/env python3
"""Write Sources/ProtoWire/Mirror/MirroredDescriptorSet.swift: protos/ compiled by protoc.

The package's own schema as data (issue 17, item 2): the FileDescriptorSet of protos/, the
subset of the official definitions that the Swift messages mirror, so that the package can
compare itself with a newer official set at run time (`annotations wire diff`) and report the
fields of a payload its typed messages do not model (`annotations wire unknown`). It is data,
not generated code: ProtoWire reads it with its own descriptor reader.

`google/protobuf/descriptor.proto` (imported by the Clarifai option extensions) is left out:
the descriptor reader knows the options it needs by number, and that file changes with every
protobuf release, which would make the output depend on the installed protoc.

Usage: scripts/gen_mirrored_schema.py [--output PATH] [--check]
`Tests/Compat/test_schema_tools.py` runs it with --check, so protos/ and the embedded set
cannot drift apart.
"""

import argparse
import base64
import pathlib
import subprocess
import sys
import tempfile

REPO = pathlib.Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = REPO / "Sources" / "ProtoWire" / "Mirror" / "MirroredDescriptorSet.swift"
LEFT_OUT = {"google/protobuf/descriptor.proto"}
LINE_LENGTH = 100


def _varint(data, at):
    value, shift = 0, 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, at


def _files(data):
    """(name, bytes of the whole `file` field) of each FileDescriptorProto, on the wire as protoc wrote it."""
    at = 0
    while at < len(data):
        start = at
        tag, at = _varint(data, at)
        assert tag == (1 << 3) | 2, f"unexpected field {tag >> 3} in protoc's FileDescriptorSet"
        length, at = _varint(data, at)
        body, at = data[at : at + length], at + length
        name_tag, inner = _varint(body, 0)
        assert name_tag == (1 << 3) | 2, "a FileDescriptorProto that does not start with its name"
        name_length, inner = _varint(body, inner)
        yield body[inner : inner + name_length].decode(), data[start:at]


def compiled_set():
    """protos/ compiled with its imports, minus LEFT_OUT: protoc's bytes, file by file, untouched.

    Filtered on the wire rather than through descriptor_pb2, whose re-serialization would depend
    on which option extensions the running process has registered.
    """
    protos = REPO / "protos"
    files = sorted(str(path.relative_to(protos)) for path in protos.rglob("*.proto"))
    with tempfile.TemporaryDirectory() as directory:
        out = pathlib.Path(directory) / "mirror.pb"
        subprocess.run(
            ["protoc", f"-I{protos}", "--include_imports", f"--descriptor_set_out={out}", *files], check=True
        )
        data = out.read_bytes()
    return b"".join(chunk for name, chunk in _files(data) if name not in LEFT_OUT)


def swift_source(data):
    encoded = base64.b64encode(data).decode("ascii")
    lines = [encoded[i : i + LINE_LENGTH] for i in range(0, len(encoded), LINE_LENGTH)]
    body = "\n".join("        " + line for line in lines)
    return f"""// Written by scripts/gen_mirrored_schema.py from protos/: do not edit by hand.

extension MirroredSchema {{
    /// protos/ compiled by protoc (with its imports except descriptor.proto), base64, {len(data):,} bytes.
    static let descriptorSetBase64 = \"\"\"
{body}
        \"\"\"
}}
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=pathlib.Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--check", action="store_true", help="fail if the file is not what protos/ gives")
    args = parser.parse_args()
    source = swift_source(compiled_set())
    if args.check:
        current = args.output.read_text() if args.output.exists() else ""
        if current != source:
            sys.exit(f"{args.output} is out of date with protos/: run scripts/gen_mirrored_schema.py")
        return
    args.output.write_text(source)


if __name__ == "__main__":
    main()
