"""Compatibility of the Swift codec with the official definitions (issue 2, tests (b) and (c)).

(b) official bytes -> Swift `wire decode`: Swift re-encodes byte-identical and its JSON equals
    the official json_format output, normalised to Clarifai's REST shape.
(c) official JSON -> Swift `wire encode`: the official classes parse Swift's bytes back to the
    original message (minus what JSON cannot carry: unknown and unmodelled fields).

Every top-level type gets SAMPLES_PER_TYPE seeded random messages (random_messages.py), all
sent to ONE process per direction (cli.py). A failing sample is rebuilt with
`random_messages.sample(type_name, index)`.
"""

from __future__ import annotations

import base64
import collections
import json
import math
import re
import struct
import subprocess

import pytest
from google.protobuf import json_format
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import DecodeError
from google.protobuf.unknown_fields import UnknownFieldSet

import cli
import random_messages as rm
from clarifai_grpc.grpc.api import resources_pb2

TYPES = rm.TOP_LEVEL_TYPES
MAX_REPORTED_SAMPLES = 8
MAX_REPORTED_DIFFS_PER_SAMPLE = 6
MAX_REPORTED_KINDS = 12

_FLOAT_TYPES = (FieldDescriptor.TYPE_FLOAT, FieldDescriptor.TYPE_DOUBLE)
_INT64_TYPES = (FieldDescriptor.TYPE_INT64, FieldDescriptor.TYPE_UINT64, FieldDescriptor.TYPE_SINT64,
                FieldDescriptor.TYPE_FIXED64, FieldDescriptor.TYPE_SFIXED64)


# --------------------------------------------------------------------------- official JSON, REST shape

def _json_default(field):
    """The proto3 JSON of a field's zero value (for fields written even when empty)."""
    if field.is_repeated:
        return {} if field.message_type is not None and rm.is_map_entry(field.message_type) else []
    if field.type in _FLOAT_TYPES:
        return 0.0
    if field.type in _INT64_TYPES:
        return "0"
    if field.type == FieldDescriptor.TYPE_BOOL:
        return False
    if field.type in (FieldDescriptor.TYPE_STRING, FieldDescriptor.TYPE_BYTES):
        return ""
    if field.message_type is not None:
        raise AssertionError(f"no JSON default for message field {field.full_name}")
    return 0  # 32-bit integers and enums (written as numbers)


def shape_official_json(desc, obj, *, proto_names, show_if_empty, default_float, drop_unmodelled):
    """Walk official json_format output of a `desc` message and adjust it in place:
    add `cl_show_if_empty` fields with their zero value (show_if_empty), add fields with a
    `cl_default_float` option as 0 where missing (default_float: JSON without them means the
    option's value, not 0), and drop the fields Swift does not model (drop_unmodelled).
    """
    if desc.full_name in rm.WELL_KNOWN_JSON or not isinstance(obj, dict):
        return obj
    unmodelled = rm.unmodelled_field_names(desc.full_name)
    for field in desc.fields:
        key = field.name if proto_names else field.json_name
        if drop_unmodelled and field.name in unmodelled:
            obj.pop(key, None)
            continue
        if key not in obj:
            if (show_if_empty and rm.show_if_empty(field)) or (default_float and rm.default_float(field)):
                obj[key] = _json_default(field)
            continue
        mtype = field.message_type
        if mtype is None:
            continue
        kwargs = dict(proto_names=proto_names, show_if_empty=show_if_empty, default_float=default_float,
                      drop_unmodelled=drop_unmodelled)
        if rm.is_map_entry(mtype):
            value_type = mtype.fields_by_name["value"].message_type
            if value_type is not None:
                for v in obj[key].values():
                    shape_official_json(value_type, v, **kwargs)
        elif field.is_repeated:
            for v in obj[key]:
                shape_official_json(mtype, v, **kwargs)
        else:
            shape_official_json(mtype, obj[key], **kwargs)
    return obj


def official_rest_json(msg):
    """What Swift's JSON must equal: MessageToDict in Clarifai's REST shape (see module doc)."""
    obj = json_format.MessageToDict(msg, preserving_proto_field_name=True, use_integers_for_enums=True)
    return shape_official_json(msg.DESCRIPTOR, obj, proto_names=True, show_if_empty=True,
                               default_float=False, drop_unmodelled=True)


# Variants of the official JSON fed to `wire encode`, by sample index % 3.
JSON_VARIANTS = ("lowerCamelCase, enum names", "snake_case, enum names", "REST shape: snake_case, enum numbers")


def official_json_line(msg, index):
    """One line of official JSON for sample `index` of msg (without unknown/unmodelled fields)."""
    variant = index % 3
    proto_names = variant != 0
    obj = json_format.MessageToDict(msg, preserving_proto_field_name=proto_names,
                                    use_integers_for_enums=variant == 2)
    # Concept.value must be sent even when 0: Swift reads a missing value as 1.0 (cl_default_float).
    shape_official_json(msg.DESCRIPTOR, obj, proto_names=proto_names, show_if_empty=variant == 2,
                        default_float=True, drop_unmodelled=True)
    return json.dumps(obj, ensure_ascii=index % 4 == 1, allow_nan=False)


# --------------------------------------------------------------------------- JSON comparison

def _short(value, limit=160):
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, bytes) else repr(value)
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} chars)"


def _number_key(value, float32):
    """Comparable form of a JSON float: NaN equal to NaN, sign of zero kept, float32 rounding."""
    if isinstance(value, str) and value in ("NaN", "Infinity", "-Infinity"):
        value = float(value.replace("Infinity", "inf"))
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return ("not a number", repr(value))
    x = float(value)
    if math.isnan(x):
        return ("NaN",)
    if float32:
        x = rm.round_to_float32(x)
    return ("number", x, math.copysign(1.0, x))


def _plain_json_diffs(expected, actual, path, out):
    """Diff of free-form JSON (Struct/Value/ListValue contents): numbers are doubles."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in sorted(set(expected) | set(actual)):
            sub = f"{path}[{key!r}]"
            if key not in actual:
                out.append(f"{sub}: missing in Swift JSON (official: {_short(expected[key])})")
            elif key not in expected:
                out.append(f"{sub}: unexpected in Swift JSON: {_short(actual[key])}")
            else:
                _plain_json_diffs(expected[key], actual[key], sub, out)
    elif isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            out.append(f"{path}: {len(expected)} elements officially, {len(actual)} from Swift")
        for i, (e, a) in enumerate(zip(expected, actual)):
            _plain_json_diffs(e, a, f"{path}[{i}]", out)
    elif (isinstance(expected, (int, float)) and not isinstance(expected, bool)
          and isinstance(actual, (int, float)) and not isinstance(actual, bool)):
        if _number_key(expected, False) != _number_key(actual, False):
            out.append(f"{path}: official {_short(expected)}, Swift {_short(actual)}")
    elif type(expected) is not type(actual) or expected != actual:
        out.append(f"{path}: official {_short(expected)}, Swift {_short(actual)}")


def json_diffs(desc, expected, actual, path, out=None):
    """Field-path diffs between official (expected) and Swift (actual) JSON of a `desc` message."""
    out = [] if out is None else out
    if desc.full_name in rm.WELL_KNOWN_JSON:
        _plain_json_diffs(expected, actual, path, out)
        return out
    if not isinstance(actual, dict):
        out.append(f"{path}: Swift wrote {_short(actual)}, a JSON object expected")
        return out
    for key in sorted(set(expected) | set(actual)):
        sub = f"{path}.{key}"
        if key not in actual:
            out.append(f"{sub}: missing in Swift JSON (official: {_short(expected[key])})")
            continue
        if key not in expected:
            out.append(f"{sub}: unexpected in Swift JSON: {_short(actual[key])}")
            continue
        field = desc.fields_by_name.get(key)
        if field is None:  # not a .proto field name: cannot be in the official output
            _plain_json_diffs(expected[key], actual[key], sub, out)
            continue
        _field_json_diffs(field, expected[key], actual[key], sub, out)
    return out


def _field_json_diffs(field, expected, actual, path, out):
    mtype = field.message_type
    if mtype is not None and rm.is_map_entry(mtype):
        if not isinstance(actual, dict):
            out.append(f"{path}: Swift wrote {_short(actual)}, a JSON object (map) expected")
            return
        value_field = mtype.fields_by_name["value"]
        for key in sorted(set(expected) | set(actual)):
            sub = f"{path}[{key!r}]"
            if key not in actual:
                out.append(f"{sub}: map key missing in Swift JSON")
            elif key not in expected:
                out.append(f"{sub}: unexpected map key in Swift JSON")
            else:
                _single_json_diffs(value_field, expected[key], actual[key], sub, out)
    elif field.is_repeated:
        if not isinstance(actual, list):
            out.append(f"{path}: Swift wrote {_short(actual)}, a JSON array expected")
            return
        if len(expected) != len(actual):
            out.append(f"{path}: {len(expected)} elements officially, {len(actual)} from Swift")
        for i, (e, a) in enumerate(zip(expected, actual)):
            _single_json_diffs(field, e, a, f"{path}[{i}]", out)
    else:
        _single_json_diffs(field, expected, actual, path, out)


def _single_json_diffs(field, expected, actual, path, out):
    if field.message_type is not None:
        json_diffs(field.message_type, expected, actual, path, out)
    elif field.type in _FLOAT_TYPES:
        float32 = field.type == FieldDescriptor.TYPE_FLOAT
        if _number_key(expected, float32) != _number_key(actual, float32):
            out.append(f"{path}: official {_short(expected)}, Swift {_short(actual)}"
                       f" ({'float' if float32 else 'double'})")
    elif type(expected) is not type(actual) or expected != actual:
        out.append(f"{path}: official {_short(expected)}, Swift {_short(actual)}")


# --------------------------------------------------------------------------- binary comparison

def _same_scalar(a, b):
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)
    return type(a) is type(b) and a == b


def _unknowns(msg):
    return [(f.field_number, f.wire_type, f.data) for f in UnknownFieldSet(msg)]


def message_diffs(expected, actual, path, out=None):
    """Field-path diffs between two official message objects (unknown fields included)."""
    out = [] if out is None else out
    desc = expected.DESCRIPTOR
    exp_fields = {f.name: v for f, v in expected.ListFields()}
    act_fields = {f.name: v for f, v in actual.ListFields()}
    for name in [f.name for f in desc.fields]:
        sub = f"{path}.{name}"
        if name not in exp_fields and name not in act_fields:
            continue
        if name not in act_fields:
            out.append(f"{sub}: set officially, absent from Swift's bytes")
            continue
        if name not in exp_fields:
            out.append(f"{sub}: absent officially, set in Swift's bytes ({_short(str(act_fields[name]))})")
            continue
        field = desc.fields_by_name[name]
        e, a = exp_fields[name], act_fields[name]
        if field.message_type is not None and rm.is_map_entry(field.message_type):
            value_is_message = field.message_type.fields_by_name["value"].message_type is not None
            for key in sorted(set(e) | set(a), key=repr):
                ksub = f"{sub}[{key!r}]"
                if key not in a or key not in e:
                    out.append(f"{ksub}: map key only {'officially' if key in e else 'in Swift bytes'}")
                elif value_is_message:
                    message_diffs(e[key], a[key], ksub, out)
                elif not _same_scalar(e[key], a[key]):
                    out.append(f"{ksub}: official {e[key]!r}, Swift {a[key]!r}")
        elif field.is_repeated:
            if len(e) != len(a):
                out.append(f"{sub}: {len(e)} elements officially, {len(a)} in Swift's bytes")
            for i, (ev, av) in enumerate(zip(e, a)):
                if field.message_type is not None:
                    message_diffs(ev, av, f"{sub}[{i}]", out)
                elif not _same_scalar(ev, av):
                    out.append(f"{sub}[{i}]: official {ev!r}, Swift {av!r}")
        elif field.message_type is not None:
            message_diffs(e, a, sub, out)
        elif not _same_scalar(e, a):
            out.append(f"{sub}: official {e!r:.160}, Swift {a!r:.160}")
    if _unknowns(expected) != _unknowns(actual):
        out.append(f"{path}: unknown fields officially {_unknowns(expected)!r:.200}, "
                   f"in Swift's bytes {_unknowns(actual)!r:.200}")
    return out


def binary_mismatch(type_name, expected_msg, sent, got):
    """Explain why Swift's re-encoding `got` differs from the bytes `sent`."""
    offset = next((i for i, (x, y) in enumerate(zip(sent, got)) if x != y), min(len(sent), len(got)))
    lines = [f"re-encoding differs from the input: {len(sent)} bytes sent, {len(got)} returned, "
             f"first difference at offset {offset}: sent {sent[max(0, offset - 8):offset + 16].hex(' ')}"
             f" / got {got[max(0, offset - 8):offset + 16].hex(' ')} (from offset {max(0, offset - 8)})"]
    parsed = rm.message_class(type_name)()
    try:
        parsed.ParseFromString(got)
    except DecodeError as exc:
        lines.append(f"the official parser rejects Swift's bytes: {exc}")
        return lines
    if parsed.SerializeToString(deterministic=True) == expected_msg.SerializeToString(deterministic=True):
        lines.append("same content in another order (map entries or fields reordered: Swift must keep "
                     "the decoded order of map entries and write fields in field-number order)")
    else:
        lines += message_diffs(expected_msg, parsed, type_name.rsplit(".", 1)[-1])
    return lines


# --------------------------------------------------------------------------- reporting

def _kind(diffs):
    """The telling line of a sample's diffs with indices and values elided, to group failures."""
    skip = ("re-encoding differs", "JSON variant", "input:")
    text = next((d for d in diffs if not d.startswith(skip)), diffs[0])
    text = re.sub(r" \((lowerCamelCase|snake_case|REST shape)[^)]*\)", "", text)
    if text.startswith("Swift rejected"):  # group by the error text, not by where it happened
        text = text.split(":", 1)[0] + ": ..." + text.rsplit(":", 1)[-1]
    text = re.sub(r"\[\d+\]", "[]", text)
    text = re.sub(r"\[(['\"]).*?\1\]", "[key]", text)
    text = re.sub(r": official .*", ": official ... Swift ...", text)
    text = re.sub(r"(unexpected in Swift JSON|missing in Swift JSON).*", r"\1", text)
    text = re.sub(r"\(\d+ bytes\)", "", text)
    text = re.sub(r"(unknown fields officially|set in Swift's bytes|in another order) .*", r"\1 ...", text)
    return text[:200]


def _report(type_name, title, failures):
    """Assertion text: how many samples failed and the first ones with their diffs."""
    head = (f"{type_name}: {len(failures)} of {rm.SAMPLES_PER_TYPE} samples {title}. "
            f"Rebuild one with random_messages.sample({type_name!r}, index).")
    body = ["  most frequent kinds of difference (count: first difference of a sample, indices and values elided):"]
    kinds = collections.Counter(_kind(diffs) for _, diffs in failures if diffs)
    body += [f"    {count:5d}: {kind}" for kind, count in kinds.most_common(MAX_REPORTED_KINDS)]
    if len(kinds) > MAX_REPORTED_KINDS:
        body.append(f"    ... {len(kinds) - MAX_REPORTED_KINDS} more kinds")
    body.append("  first failing samples:")
    for index, diffs in failures[:MAX_REPORTED_SAMPLES]:
        body.append(f"  [{type_name} #{index}, seed {rm.sample_seed(type_name, index)}]")
        body += [f"      {d}" for d in diffs[:MAX_REPORTED_DIFFS_PER_SAMPLE]]
        if len(diffs) > MAX_REPORTED_DIFFS_PER_SAMPLE:
            body.append(f"      ... {len(diffs) - MAX_REPORTED_DIFFS_PER_SAMPLE} more")
    if len(failures) > MAX_REPORTED_SAMPLES:
        body.append(f"  ... {len(failures) - MAX_REPORTED_SAMPLES} more failing samples")
    return "\n".join([head, *body])


# --------------------------------------------------------------------------- (b) decode

@pytest.mark.parametrize("type_name", TYPES)
def test_swift_decodes_official_bytes(type_name):
    """(b) Official bytes -> Swift: byte-identical re-encoding, JSON equal to json_format's."""
    samples = rm.samples(type_name)
    results = cli.decode_batch(type_name, [blob for _, blob in samples])
    short = type_name.rsplit(".", 1)[-1]
    desc = rm.descriptor(type_name)
    failures = []
    for index, ((msg, blob), result) in enumerate(zip(samples, results)):
        if "error" in result:
            failures.append((index, [f"Swift rejected valid bytes ({len(blob)} bytes): {result['error']}"]))
            continue
        diffs = []
        try:
            got = cli.binary_of(result)
        except ValueError as exc:
            diffs.append(f"\"binary\" is not padded standard base64: {exc}")
        else:
            if got != blob:
                diffs += binary_mismatch(type_name, msg, blob, got)
        if "json" not in result:
            diffs.append("no \"json\" in Swift's answer")
        else:
            diffs += json_diffs(desc, official_rest_json(msg), result["json"], short)
        if diffs:
            failures.append((index, diffs))
    if failures:
        pytest.fail(_report(type_name, "differ after Swift decodes the official bytes", failures), pytrace=False)


# --------------------------------------------------------------------------- (c) encode

@pytest.mark.parametrize("type_name", TYPES)
def test_official_decodes_swift_bytes_from_official_json(type_name):
    """(c) Official JSON -> Swift binary -> official parse == the original message."""
    samples = rm.samples(type_name)
    expected = [rm.without_json_invisible(msg) for msg, _ in samples]
    lines = [official_json_line(msg, index) for index, msg in enumerate(expected)]
    results = cli.encode_batch(type_name, lines)
    short = type_name.rsplit(".", 1)[-1]
    cls = rm.message_class(type_name)
    failures = []
    for index, (want, line, result) in enumerate(zip(expected, lines, results)):
        variant = JSON_VARIANTS[index % 3]
        if "error" in result:
            failures.append((index, [f"Swift rejected official JSON ({variant}): {result['error']}",
                                     f"input: {line[:300]}"]))
            continue
        try:
            got = cls.FromString(cli.binary_of(result))
        except (ValueError, DecodeError) as exc:
            failures.append((index, [f"Swift's binary does not parse officially ({variant}): {exc}"]))
            continue
        if got.SerializeToString(deterministic=True) != want.SerializeToString(deterministic=True):
            diffs = message_diffs(want, got, short)  # empty: equal but for NaN payloads
            if diffs:
                failures.append((index, [f"JSON variant: {variant}", *diffs]))
    if failures:
        pytest.fail(_report(type_name, "differ after Swift encodes the official JSON", failures), pytrace=False)


# --------------------------------------------------------------------------- generator checks

@pytest.mark.parametrize("type_name", TYPES)
def test_samples_set_every_mirrored_field(type_name):
    """Every field of every mirrored message reachable from the type is set in some sample."""
    seen = set()
    for msg, _ in rm.samples(type_name):
        rm.fields_set(msg, seen)
    missing = sorted(rm.reachable_fields(type_name) - seen)
    assert not missing, f"{type_name}: fields never set in {rm.SAMPLES_PER_TYPE} samples: {missing}"


def test_constants_name_real_messages_and_fields():
    for name in rm.MIRRORED_MESSAGES:
        assert rm.descriptor(name) is not None, name
    for message, fields in rm.UNMODELLED_FIELDS.items():
        desc = rm.descriptor(message)
        for field in fields:
            assert field in desc.fields_by_name, f"{message}.{field}"
            assert desc.fields_by_name[field].message_type is not None, f"{message}.{field}"
    for message, fields in rm.PARTIAL_MESSAGES.items():
        desc = rm.descriptor(message)
        assert message not in rm.UNMODELLED_FIELDS, message
        assert fields and fields < set(desc.fields_by_name), f"{message}: {sorted(fields - set(desc.fields_by_name))}"
    # Every message-typed field of a mirrored message leads to a mirrored message or is listed.
    for name in rm.MIRRORED_MESSAGES:
        for field in rm.descriptor(name).fields:
            if field.message_type is not None and not rm.is_unmodelled(field):
                assert field.message_type.full_name in rm.MIRRORED_MESSAGES, (
                    f"{field.full_name}: type {field.message_type.full_name} is neither mirrored "
                    "nor in UNMODELLED_FIELDS")


def _edge_cases(msg, out):
    for field, value in msg.ListFields():
        if field.message_type is not None and rm.is_map_entry(field.message_type):
            out.add("map field")
            values = list(value.values())
        else:
            values = list(value) if field.is_repeated else [value]
        if field.type == FieldDescriptor.TYPE_FLOAT and field.is_repeated and len(values) >= 128:
            out.add("long packed float vector")
        for v in values:
            if isinstance(v, float):
                kind = "float" if field.type == FieldDescriptor.TYPE_FLOAT else "double"
                if math.isnan(v):
                    out.add(f"{kind} NaN")
                elif math.isinf(v):
                    out.add(f"{kind} inf")
                elif v == 0 and math.copysign(1.0, v) < 0:
                    out.add(f"{kind} -0.0")
            elif isinstance(v, bool):
                pass
            elif isinstance(v, int):
                if field.type == FieldDescriptor.TYPE_INT32 and v < 0:
                    out.add("negative int32")
                if field.type == FieldDescriptor.TYPE_INT64 and v < 0:
                    out.add("negative int64")
                if field.type == FieldDescriptor.TYPE_UINT64 and v == 2**64 - 1:
                    out.add("max uint64")
                if field.type == FieldDescriptor.TYPE_UINT32 and v == 2**32 - 1:
                    out.add("max uint32")
                if field.type == FieldDescriptor.TYPE_ENUM and v not in field.enum_type.values_by_number:
                    out.add("unknown enum value")
            elif isinstance(v, str):
                if any(ord(c) > 0xFFFF for c in v):
                    out.add("non-BMP string")
            elif isinstance(v, bytes):
                if len(v) >= 100_000:
                    out.add("large bytes")
            else:
                if msg.DESCRIPTOR.full_name in rm.MIRRORED_MESSAGES and rm.is_unmodelled(field):
                    out.add("unmodelled field")
                if v.DESCRIPTOR.full_name == "google.protobuf.Struct" and not v.fields:
                    out.add("empty Struct")
                if v.DESCRIPTOR.full_name == "google.protobuf.Timestamp" and v.seconds == rm.TIMESTAMP_MIN_SECONDS:
                    out.add("Timestamp 0001-01-01")
                _edge_cases(v, out)


def _has_nested_unknowns(msg, top=True):
    if not top and len(UnknownFieldSet(msg)):
        return True
    for field, value in msg.ListFields():
        if field.message_type is None:
            continue
        if rm.is_map_entry(field.message_type):
            children = list(value.values()) if field.message_type.fields_by_name["value"].message_type else []
        else:
            children = list(value) if field.is_repeated else [value]
        if any(_has_nested_unknowns(child, top=False) for child in children):
            return True
    return False


def test_samples_hold_the_edge_cases():
    """The samples (all types together) contain the cases issue 2 names."""
    seen = set()
    for type_name in TYPES:
        for msg, _ in rm.samples(type_name):
            _edge_cases(msg, seen)
            if len(UnknownFieldSet(msg)):
                seen.add("unknown fields in a top-level message")
            if "unknown fields in a nested message" not in seen and _has_nested_unknowns(msg):
                seen.add("unknown fields in a nested message")
    required = {"map field", "long packed float vector", "float NaN", "float inf", "float -0.0",
                "double NaN", "double inf", "double -0.0", "negative int32", "negative int64",
                "max uint64", "max uint32", "unknown enum value", "non-BMP string", "large bytes",
                "unmodelled field", "empty Struct", "Timestamp 0001-01-01",
                "unknown fields in a top-level message", "unknown fields in a nested message"}
    assert required <= seen, f"missing edge cases: {sorted(required - seen)}"


# --------------------------------------------------------------------------- small targeted checks

def _b64(data):
    return base64.b64encode(data).decode("ascii")


def test_bad_input_lines_get_errors_and_the_batch_goes_on():
    valid = [resources_pb2.Annotation(id="a1", input_id="in").SerializeToString(),
             resources_pb2.Annotation(id="a2", data=resources_pb2.Data(
                 regions=[resources_pb2.Region(id="r")])).SerializeToString(),
             resources_pb2.Annotation(id="a3", trusted=True).SerializeToString()]
    nested = resources_pb2.Annotation(id="x", data=resources_pb2.Data(regions=[resources_pb2.Region(
        region_info=resources_pb2.RegionInfo(bounding_box=resources_pb2.BoundingBox(top_row=0.5)))]))
    nested_bytes = nested.SerializeToString()
    invalid = {
        "truncated string": valid[0][:3],
        "truncated nested message": nested_bytes[:-3],
        "length past the end": b"\x0a\x7f" + b"abc",
        "truncated varint": b"\x50\xff\xff",
        "invalid UTF-8 in string": b"\x0a\x02\xc3\x28",
        "field number 0": b"\x00\x01",
        "wire type 6": b"\x0e",
    }
    for name, data in invalid.items():  # make sure they really are invalid
        try:
            resources_pb2.Annotation.FromString(data)
        except DecodeError:
            continue
        pytest.fail(f"the official parser accepts the {name!r} vector")
    # The official parser keeps unknown groups; issue 2 requires Swift to reject group wire types.
    invalid["group wire type"] = b"\xa3\x06\xa4\x06"
    lines, expect = [], []
    for i, (name, data) in enumerate(invalid.items()):
        lines.append(_b64(valid[i % 3]))
        expect.append(("ok", valid[i % 3]))
        lines.append(_b64(data))
        expect.append(("error", name))
    lines.append("this is not base64!")
    expect.append(("error", "not base64"))
    lines.append(_b64(valid[0]))
    expect.append(("ok", valid[0]))
    results = cli.run_batch("decode", "clarifai.api.Annotation", lines)
    problems = []
    for i, ((kind, what), result) in enumerate(zip(expect, results)):
        if kind == "ok":
            if "binary" not in result or cli.binary_of(result) != what:
                problems.append(f"line {i}: valid message after a bad one: {_short(result)}")
        elif not (isinstance(result.get("error"), str) and result["error"]):
            problems.append(f"line {i}: {what}: no {{'error': <text>}}: {_short(result)}")
    assert not problems, "\n".join(problems)

    json_lines = ['{"id": "a"}', '{"id": ', '{"id": "b"}', '{"no_such_field": 1}', '{"id": "c"}',
                  'not json', '{"data": {"regions": [{"region_info": {"nope": 1}}]}}', '{"id": "d"}',
                  '{"created_at": "yesterday"}', '{"id": "e"}']
    results = cli.run_batch("encode", "clarifai.api.Annotation", json_lines)
    problems = []
    for i, (line, result) in enumerate(zip(json_lines, results)):
        if line.startswith('{"id": "') and line.endswith('"}'):
            want = resources_pb2.Annotation(id=json.loads(line)["id"]).SerializeToString()
            if "binary" not in result or cli.binary_of(result) != want:
                problems.append(f"line {i} {line!r}: {_short(result)}")
        elif not (isinstance(result.get("error"), str) and result["error"]):
            problems.append(f"line {i} {line!r}: no {{'error': <text>}}: {_short(result)}")
    assert not problems, "\n".join(problems)


def test_errors_name_the_field_path():
    """Issue 2, item 7: errors name the field path (`Annotation.data.regions[0]...: truncated`)."""
    nested = resources_pb2.Annotation(id="x", data=resources_pb2.Data(regions=[resources_pb2.Region(
        id="r", region_info=resources_pb2.RegionInfo(bounding_box=resources_pb2.BoundingBox(top_row=0.5)))]))
    blob = nested.SerializeToString()
    # Every length stays right, but the bounding box's 5 payload bytes (the last ones) become
    # an unknown varint field whose varint never ends: the decoder fails inside
    # Annotation.data.regions[0].region_info.bounding_box.
    assert blob.endswith(nested.data.regions[0].region_info.bounding_box.SerializeToString())
    broken = blob[:-5] + b"\xb8\x3e\xff\xff\xff"
    with pytest.raises(DecodeError):
        resources_pb2.Annotation.FromString(broken)
    (decoded,) = cli.decode_batch("clarifai.api.Annotation", [broken])
    (encoded,) = cli.encode_batch("clarifai.api.Annotation",
                                  ['{"data": {"regions": [{"region_info": {"nope": 1}}]}}'])
    problems = []
    error = decoded.get("error", "")
    if not ("data" in error and "regions" in error):
        problems.append(f"binary: error inside Annotation.data.regions[0] does not name the path: {decoded!r}")
    error = encoded.get("error", "")
    if not ("nope" in error and "regions" in error):
        problems.append(f"JSON: unknown field data.regions[0].region_info.nope: error does not name the path: "
                        f"{encoded!r}")
    assert not problems, "\n".join(problems)


def test_unpacked_repeated_floats_are_accepted():
    """Decoders must accept unpacked encoding of packed fields; Swift re-encodes packed."""
    vector = [0.5, -0.0, float("nan"), 1e-45, 3.4028234663852886e38]
    unpacked = b"".join(b"\x0d" + struct.pack("<f", v) for v in vector) + b"\x10\x05"
    official = resources_pb2.Embedding.FromString(unpacked)
    (result,) = cli.decode_batch("clarifai.api.Embedding", [unpacked])
    assert "binary" in result, result
    assert cli.binary_of(result) == official.SerializeToString()
    diffs = json_diffs(official.DESCRIPTOR, official_rest_json(official), result["json"], "Embedding")
    assert not diffs, diffs


def test_concept_value_defaults_to_one_when_absent_from_json():
    """cl_default_float: a Concept read from JSON without `value` has value 1.0; explicit 0 stays 0."""
    lines = ['{"id": "cat"}', '{"id": "water", "value": 0}', '{"concepts": [{"id": "dog"}, {"id": "w", "value": 0.0}]}']
    concept = cli.encode_batch("clarifai.api.Concept", lines[:2])
    data = cli.encode_batch("clarifai.api.Data", lines[2:])
    got = [resources_pb2.Concept.FromString(cli.binary_of(r)) for r in concept]
    assert [c.value for c in got] == [1.0, 0.0], concept
    got_data = resources_pb2.Data.FromString(cli.binary_of(data[0]))
    assert [c.value for c in got_data.concepts] == [1.0, 0.0], data


def test_wire_knows_exactly_the_top_level_types():
    """`wire decode|encode --type` offers every type sampled here, and nothing unsampled."""
    proc = subprocess.run([str(cli.require_binary()), "wire", "decode", "--type", "no.Such"],
                          input=b"", capture_output=True, timeout=cli.TIMEOUT_SECONDS)
    assert proc.returncode == 64, proc  # EX_USAGE
    match = re.search(r"known types: ([^\n]*)", proc.stderr.decode("utf-8", "replace"))
    assert match, proc.stderr
    known = match.group(1).split(", ")
    assert sorted(known) == sorted(TYPES), (
        f"only in Swift: {sorted(set(known) - set(TYPES))}; only sampled: {sorted(set(TYPES) - set(known))}")
