"""Any official message through the Swift dynamic codec (issue 17, items 1, 2 and 4).

The descriptor set is built here, at run time, from the official Python package: every file
`clarifai_grpc` registers, with its dependencies (google/protobuf/*, google/api/*), serialized by
Python as one FileDescriptorSet. Then, through `annotations wire decode|encode --descriptor-set`:

- random official messages of every mirrored type decode to the very bytes they came from, as
  the typed decoder's, and to `json_format.MessageToJson`'s JSON (with `--plain-json`), and with
  Clarifai's options to that JSON plus the `cl_show_if_empty` fields;
- random messages of unmirrored types (Model, Workflow, Input, Search, …) decode likewise;
- JSON from `json_format` encodes to the message `json_format.Parse` makes of it;
- bad input gets a clear error and the tool's exit statuses.
"""

from __future__ import annotations

import base64
import json
import math
import subprocess

import pytest
from google.protobuf import descriptor_pb2, json_format
from google.protobuf.descriptor import FieldDescriptor

import cli
import random_messages as rm
from cli import official_descriptor_set
from clarifai_grpc.grpc.api import resources_pb2, service_pb2
from clarifai_grpc.grpc.api.status import status_code_pb2, status_pb2
from clarifai_grpc.grpc.api.utils import extensions_pb2

MIRRORED_SAMPLES = 1000
UNMIRRORED_SAMPLES = 1000
UNMIRRORED_TYPES = (
    "clarifai.api.Model", "clarifai.api.Workflow", "clarifai.api.Input", "clarifai.api.Search",
    "clarifai.api.ModelVersion", "clarifai.api.App", "clarifai.api.Dataset",
)
MAX_REPORTED = 5


@pytest.fixture(scope="module")
def descriptor_set_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("descriptors") / "clarifai.pb"
    path.write_bytes(official_descriptor_set().SerializeToString())
    return str(path)


def run(descriptor_set, mode, type_name, lines, *flags):
    """`annotations wire <mode> --descriptor-set … --type … --batch`, one parsed result per line."""
    argv = [str(cli.require_binary()), "wire", mode, "--descriptor-set", descriptor_set, "--type", type_name,
            "--batch", *flags]
    stdin = "".join(line + "\n" for line in lines).encode()
    proc = subprocess.run(argv, input=stdin, capture_output=True, timeout=cli.TIMEOUT_SECONDS)
    assert proc.returncode == 0, f"{' '.join(argv)}: exit {proc.returncode}: {proc.stderr.decode()[-2000:]}"
    out = proc.stdout.decode().split("\n")[:-1]
    assert len(out) == len(lines), f"{len(lines)} lines in, {len(out)} out: {proc.stderr.decode()[-500:]}"
    return [cli.loads(text) for text in out]


def decode_batch(descriptor_set, type_name, blobs, *flags):
    return run(descriptor_set, "decode", type_name, [base64.b64encode(b).decode() for b in blobs], *flags)


def official_json(message):
    """json_format's JSON of a message, as Python objects (NaN/Infinity stay strings)."""
    return cli.loads(json_format.MessageToJson(message, indent=None))


def _float32(x):
    return rm.round_to_float32(x)


def same_json(a, b):
    """Equal JSON values, a float and an int of the same value alike (1.0 and 1), -0.0 and 0 alike.

    One known difference is allowed: a subnormal float32 is written shortest by Swift (1e-45) and
    with at least 6 digits by json_format's ToShortestFloat (1.4013e-45): the same float32."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_json(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_json(x, y) for x, y in zip(a, b))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool) and not isinstance(b, bool):
        if a == b or (math.isnan(a) and math.isnan(b)):
            return True
        return 0 < abs(a) < 1.2e-38 and _float32(a) == _float32(b)
    return a == b and type(a) is type(b)


# --------------------------------------------------------------------------- cl_show_if_empty

def _zero_json(field):
    if field.is_repeated:
        return {} if field.message_type is not None and rm.is_map_entry(field.message_type) else []
    if field.type in (FieldDescriptor.TYPE_FLOAT, FieldDescriptor.TYPE_DOUBLE):
        return 0.0
    if field.type in (FieldDescriptor.TYPE_INT64, FieldDescriptor.TYPE_UINT64, FieldDescriptor.TYPE_SINT64,
                      FieldDescriptor.TYPE_FIXED64, FieldDescriptor.TYPE_SFIXED64):
        return "0"
    if field.type == FieldDescriptor.TYPE_BOOL:
        return False
    if field.type in (FieldDescriptor.TYPE_STRING, FieldDescriptor.TYPE_BYTES):
        return ""
    if field.type == FieldDescriptor.TYPE_ENUM:
        value = field.enum_type.values_by_number.get(0)
        return value.name if value is not None else 0
    return 0


def with_show_if_empty(message, js):
    """json_format's JSON plus every unset `cl_show_if_empty` field, as the typed writer adds them."""
    desc = message.DESCRIPTOR
    if desc.full_name in rm.WELL_KNOWN_JSON:
        return js
    for field in desc.fields:
        if field.json_name not in js and rm.show_if_empty(field) and (
                field.is_repeated or field.message_type is None):
            js[field.json_name] = _zero_json(field)
    for field, value in message.ListFields():
        if field.message_type is None:
            continue
        if rm.is_map_entry(field.message_type):
            if field.message_type.fields_by_name["value"].message_type is not None:
                for key, item in value.items():
                    mapped = js[field.json_name]
                    text = ("true" if key else "false") if isinstance(key, bool) else str(key)
                    mapped[text] = with_show_if_empty(item, mapped[text])
        elif field.is_repeated:
            js[field.json_name] = [with_show_if_empty(v, j) for v, j in zip(value, js[field.json_name])]
        else:
            js[field.json_name] = with_show_if_empty(value, js[field.json_name])
    return js


# --------------------------------------------------------------------------- checks

def check_decodes_like_official(descriptor_set, type_name, pairs, typed=None):
    """Each sample decodes to its own bytes (and the typed decoder's), and to json_format's JSON."""
    blobs = [blob for _, blob in pairs]
    plain = decode_batch(descriptor_set, type_name, blobs, "--plain-json")
    clarifai = decode_batch(descriptor_set, type_name, blobs)
    failures = []
    for index, ((message, blob), result, shown) in enumerate(zip(pairs, plain, clarifai)):
        if "error" in result:
            failures.append(f"sample {index}: {result['error']}")
            continue
        expected = official_json(message)
        if cli.binary_of(result) != blob:
            failures.append(f"sample {index}: re-encoded bytes differ")
        elif typed is not None and cli.binary_of(typed[index]) != cli.binary_of(result):
            failures.append(f"sample {index}: dynamic and typed re-encodings differ")
        elif not same_json(result["json"], expected):
            failures.append(f"sample {index}: JSON {json.dumps(result['json'])[:300]} != {json.dumps(expected)[:300]}")
        elif not same_json(shown.get("json"), with_show_if_empty(message, official_json(message))):
            failures.append(f"sample {index}: with Clarifai options {json.dumps(shown.get('json'))[:300]}")
        if len(failures) >= MAX_REPORTED:
            break
    assert not failures, f"{type_name}:\n" + "\n".join(failures)


@pytest.mark.parametrize("type_name", rm.TOP_LEVEL_TYPES)
def test_mirrored_types_decode_as_typed_and_as_json_format(descriptor_set_path, type_name):
    pairs = rm.samples(type_name, rm.SAMPLES_PER_TYPE)[:MIRRORED_SAMPLES]
    typed = cli.decode_batch(type_name, [blob for _, blob in pairs])
    check_decodes_like_official(descriptor_set_path, type_name, pairs, typed)


@pytest.mark.parametrize("type_name", UNMIRRORED_TYPES)
def test_unmirrored_types_decode_as_json_format(descriptor_set_path, type_name):
    pairs = [(m, m.SerializeToString()) for m in (rm.sample(type_name, i) for i in range(UNMIRRORED_SAMPLES))]
    check_decodes_like_official(descriptor_set_path, type_name, pairs)


def check_encodes_like_parse(descriptor_set, type_name, messages):
    """json_format's JSON → Swift bytes → the message json_format.Parse makes of that JSON."""
    cls = rm.message_class(type_name)
    texts = []
    for message in messages:
        text = json_format.MessageToJson(message, indent=None)
        try:
            json_format.Parse(text, cls())
        except json_format.ParseError:
            continue  # json_format cannot read its own output (3.4028235e+38 is "too large" for it)
        texts.append(text)
    assert len(texts) > len(messages) // 2
    results = run(descriptor_set, "encode", type_name, texts, "--plain-json")
    failures = []
    for index, (text, result) in enumerate(zip(texts, results)):
        if "error" in result:
            failures.append(f"sample {index}: {result['error']}")
        else:
            expected = json_format.Parse(text, cls()).SerializeToString(deterministic=True)
            got = cls.FromString(cli.binary_of(result)).SerializeToString(deterministic=True)
            if got != expected:
                failures.append(f"sample {index}: {text[:300]}")
        if len(failures) >= MAX_REPORTED:
            break
    assert not failures, f"{type_name}:\n" + "\n".join(failures)


@pytest.mark.parametrize("type_name", rm.TOP_LEVEL_TYPES + UNMIRRORED_TYPES)
def test_json_encodes_as_json_format_parses_it(descriptor_set_path, type_name):
    count = MIRRORED_SAMPLES if type_name in rm.TOP_LEVEL_TYPES else UNMIRRORED_SAMPLES
    check_encodes_like_parse(descriptor_set_path, type_name, [rm.sample(type_name, i) for i in range(count)])


def test_clarifai_json_round_trips_through_the_options(descriptor_set_path):
    """With Clarifai's options, a concept's zero value is written and read back as zero, and a
    concept without a value reads as 1 (cl_default_float), as the typed messages do."""
    concept = resources_pb2.Concept(id="water", value=0)
    [decoded] = decode_batch(descriptor_set_path, "clarifai.api.Concept", [concept.SerializeToString()])
    assert decoded["json"] == {"id": "water", "value": 0.0}
    [encoded] = run(descriptor_set_path, "encode", "clarifai.api.Concept", [json.dumps(decoded["json"])])
    assert resources_pb2.Concept.FromString(cli.binary_of(encoded)) == concept
    [defaulted] = run(descriptor_set_path, "encode", "clarifai.api.Concept", ['{"id":"cat"}'])
    assert resources_pb2.Concept.FromString(cli.binary_of(defaulted)).value == 1.0
    [plain] = run(descriptor_set_path, "encode", "clarifai.api.Concept", ['{"id":"cat"}'], "--plain-json")
    assert resources_pb2.Concept.FromString(cli.binary_of(plain)).value == 0.0
    [rest] = decode_batch(descriptor_set_path, "clarifai.api.Annotation",
                          [resources_pb2.Annotation(input_id="i1").SerializeToString()], "--proto-field-names")
    assert rest["json"] == {"input_id": "i1"}


def test_errors_name_the_field_path(descriptor_set_path):
    # Annotation.data (3) → Data.concepts (3) → Concept.name (2) with invalid UTF-8.
    concept = bytes([0x12, 0x01, 0xFF])
    data = bytes([0x1A, len(concept)]) + concept
    annotation = bytes([0x1A, len(data)]) + data
    [result] = decode_batch(descriptor_set_path, "clarifai.api.Annotation", [annotation])
    assert "error" in result, result
    assert result["error"] == "Annotation.data.concepts[0].name: invalid UTF-8 in string"
    [truncated] = decode_batch(descriptor_set_path, "clarifai.api.Model", [bytes([0x0A, 0x05, 0x61])])
    assert truncated["error"] == "Model.id: truncated length"
    [bad_json] = run(descriptor_set_path, "encode", "clarifai.api.Model", ['{"modelVersion":{"id":5}}'])
    assert bad_json["error"] == "Model.model_version.id: expected a string"


def tool(*argv, stdin=b""):
    return subprocess.run([str(cli.require_binary()), "wire", *argv], input=stdin, capture_output=True,
                          timeout=cli.TIMEOUT_SECONDS)


def test_bad_input_gets_a_clear_error_and_the_exit_status(descriptor_set_path, tmp_path):
    missing = tool("decode", "--descriptor-set", str(tmp_path / "none.pb"), "--type", "clarifai.api.Model")
    assert missing.returncode == 74 and b"cannot read the descriptor set" in missing.stderr
    garbage = tmp_path / "garbage.pb"
    garbage.write_bytes(b"\x0a\x05\x0a")
    bad_set = tool("decode", "--descriptor-set", str(garbage), "--type", "clarifai.api.Model")
    assert bad_set.returncode == 64 and b"not a FileDescriptorSet" in bad_set.stderr, bad_set.stderr
    unknown = tool("decode", "--descriptor-set", descriptor_set_path, "--type", "Model")
    assert unknown.returncode == 64 and b"did you mean clarifai.api.Model" in unknown.stderr, unknown.stderr
    bad_message = tool("decode", "--descriptor-set", descriptor_set_path, "--type", "clarifai.api.Model",
                       stdin=b"\x0a\x05")
    assert bad_message.returncode == 65 and b"Model.id: truncated length" in bad_message.stderr
    bad_json = tool("encode", "--descriptor-set", descriptor_set_path, "--type", "clarifai.api.Model", stdin=b"{")
    assert bad_json.returncode == 65 and b"invalid JSON" in bad_json.stderr
    alone = tool("decode", "--type", "clarifai.api.Annotation", "--plain-json")
    assert alone.returncode == 64 and b"need --descriptor-set" in alone.stderr


def test_without_descriptor_set_the_typed_messages_answer():
    model = resources_pb2.Annotation(input_id="i1").SerializeToString()
    [result] = cli.decode_batch("clarifai.api.Annotation", [model])
    assert result["json"] == {"input_id": "i1"}
    unknown = tool("decode", "--type", "clarifai.api.Search")
    assert unknown.returncode == 64 and b"unknown message type" in unknown.stderr
