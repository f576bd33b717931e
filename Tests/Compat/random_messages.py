"""Seeded random messages built with the official Python classes (PyPI `clarifai-grpc`).

The generator is driven by the official descriptors: every field of every message is
visited, so a field added to the official definitions is generated (and then checked by
the coverage test) without anybody touching this file. Field types pick values from pools
that hold the edge cases the Swift codec must get right (negative int32/int64, max
uint32/uint64, NaN/inf/-0.0, non-BMP strings, empty and large bytes, unknown enum values),
and some messages get unknown fields appended to their serialization.

Reproduce one sample with `sample(type_name, index)`; its seed is `sample_seed(type_name, index)`.
"""

from __future__ import annotations

import functools
import math
import random
import struct
import zlib

from clarifai_grpc.grpc.api import resources_pb2, service_pb2  # noqa: F401  (registers descriptors)
from clarifai_grpc.grpc.api.status import status_code_pb2, status_pb2  # noqa: F401
from clarifai_grpc.grpc.api.utils import extensions_pb2
from google.protobuf import descriptor_pool, message_factory
from google.protobuf.descriptor import FieldDescriptor

SAMPLES_PER_TYPE = 1000

# Top-level message types the Swift tool accepts with `--type` (full proto names).
TOP_LEVEL_TYPES = (
    "clarifai.api.Annotation",
    "clarifai.api.Data",
    "clarifai.api.Concept",
    "clarifai.api.Region",
    "clarifai.api.RegionInfo",
    "clarifai.api.BoundingBox",
    "clarifai.api.Polygon",
    "clarifai.api.Point",
    "clarifai.api.Mask",
    "clarifai.api.Image",
    "clarifai.api.Video",
    "clarifai.api.Text",
    "clarifai.api.Audio",
    "clarifai.api.Frame",
    "clarifai.api.FrameInfo",
    "clarifai.api.Track",
    "clarifai.api.TimeInfo",
    "clarifai.api.Span",
    "clarifai.api.Token",
    "clarifai.api.Embedding",
    "clarifai.api.ImageInfo",
    "clarifai.api.HostedURL",
    "clarifai.api.UserAppIDSet",
    "clarifai.api.status.Status",
    "clarifai.api.status.BaseResponse",
    "clarifai.api.PostAnnotationsRequest",
    "clarifai.api.ListAnnotationsRequest",
    "clarifai.api.PatchAnnotationsRequest",
    "clarifai.api.DeleteAnnotationRequest",
    "clarifai.api.DeleteAnnotationsRequest",
    "clarifai.api.GetAnnotationRequest",
    "clarifai.api.MultiAnnotationResponse",
    "clarifai.api.SingleAnnotationResponse",
    "google.protobuf.Struct",
    "google.protobuf.Value",
    "google.protobuf.ListValue",
    "google.protobuf.Timestamp",
    # Issue 14, item 3: StreamAnnotations, PatchAnnotationsStatus, GetTaskAnnotationCount,
    # ListAnnotationWorkers, and what they refer to.
    "clarifai.api.StreamAnnotationsRequest",
    "clarifai.api.SingleStreamAnnotationResponse",
    "clarifai.api.PatchAnnotationsStatusRequest",
    "clarifai.api.PatchAnnotationsStatusResponse",
    "clarifai.api.GetTaskCountRequest",
    "clarifai.api.SingleTaskCountResponse",
    "clarifai.api.TaskStatusCountPerUser",
    "clarifai.api.ListAnnotationWorkersRequest",
    "clarifai.api.MultiWorkerResponse",
    "clarifai.api.Worker",
    "clarifai.api.User",
    "clarifai.api.Model",
    "clarifai.api.Workflow",
    "clarifai.api.ModelVersion",
    "clarifai.api.WorkflowVersion",
)

# Messages the Swift package models in part (protos/README.md): only these fields. The other
# official fields are kept as unknown fields, so the binary round trip must still be exact
# (Swift writes them back in field-number order among the modelled ones, as the official
# classes do), and they are OMITTED from Swift's JSON, like UNMODELLED_FIELDS. The generator
# sets them all the same. Tests/Compat/test_descriptors.py checks these sets against protos/.
PARTIAL_MESSAGES = {
    "clarifai.api.User": frozenset(
        {"id", "first_name", "last_name", "company_name", "job_title", "job_role", "created_at", "is_starred",
         "star_count"}
    ),
    "clarifai.api.Model": frozenset(
        {"id", "name", "created_at", "modified_at", "app_id", "model_version", "display_name", "user_id",
         "model_type_id", "task", "description"}
    ),
    "clarifai.api.Workflow": frozenset({"id", "app_id", "created_at", "user_id", "modified_at", "version", "description"}),
    "clarifai.api.ModelVersion": frozenset({"id", "created_at", "description", "app_id", "user_id", "modified_at"}),
    "clarifai.api.WorkflowVersion": frozenset(
        {"id", "workflow_id", "created_at", "modified_at", "app_id", "user_id", "description"}
    ),
}

# Every message the Swift package models field by field (plus the map-entry types of its
# map fields). Its fields are what the coverage test requires to be set at least once.
# (HostedURL is not named in issue 2's list, but the Swift package models it.)
MIRRORED_MESSAGES = frozenset(TOP_LEVEL_TYPES) | frozenset(PARTIAL_MESSAGES) | {
    "clarifai.api.Image.HostedImageInfoEntry",
    "google.protobuf.Struct.FieldsEntry",
}

# Fields of mirrored messages whose message type the Swift package does not model. They
# are kept as raw bytes (binary round trip must be exact) and are OMITTED from Swift's JSON.
UNMODELLED_FIELDS = {
    "clarifai.api.Data": frozenset(
        {"geo", "colors", "clusters", "time_segments", "hits", "parts", "ndarray"}
    ),
    "clarifai.api.Concept": frozenset({"visibility", "keypoint_info", "extra_info"}),
    "clarifai.api.Video": frozenset({"video_info"}),
    "clarifai.api.Text": frozenset({"text_info"}),
    "clarifai.api.Audio": frozenset({"audio_info"}),
    "clarifai.api.status.Status": frozenset({"redirect_info"}),
}

# Messages whose JSON form is not an object of fields (proto3 JSON well-known types).
WELL_KNOWN_JSON = frozenset(
    {
        "google.protobuf.Struct",
        "google.protobuf.Value",
        "google.protobuf.ListValue",
        "google.protobuf.Timestamp",
        "google.protobuf.Duration",
        "google.protobuf.FieldMask",
        "google.protobuf.Any",
        "google.protobuf.Empty",
        "google.protobuf.DoubleValue",
        "google.protobuf.FloatValue",
        "google.protobuf.Int64Value",
        "google.protobuf.UInt64Value",
        "google.protobuf.Int32Value",
        "google.protobuf.UInt32Value",
        "google.protobuf.BoolValue",
        "google.protobuf.StringValue",
        "google.protobuf.BytesValue",
    }
)

# Oldest and newest instants proto3 JSON can write (0001-01-01T00:00:00Z, 9999-12-31T23:59:59Z).
TIMESTAMP_MIN_SECONDS = -62135596800
TIMESTAMP_MAX_SECONDS = 253402300799

# Sample indices that may carry one large bytes value (100-300 KB).
LARGE_BYTES_SAMPLES = frozenset({3, 417, 998})

# Data nested in Region/Frame/Track nested in Data ...: at most this many Data levels.
MAX_DATA_NESTING = 4
# Any message nesting below this depth is left empty.
MAX_DEPTH = 14
# Unmodelled subtrees get at most this many levels of their own.
MAX_UNMODELLED_DEPTH = 2

_POOL = descriptor_pool.Default()
_DATA = "clarifai.api.Data"


def descriptor(type_name):
    """The official descriptor of a message type, by full proto name."""
    return _POOL.FindMessageTypeByName(type_name)


def message_class(type_name):
    """The official Python class of a message type, by full proto name."""
    return message_factory.GetMessageClass(descriptor(type_name))


def base_seed(type_name):
    """The fixed (hash-randomisation free) seed of a type."""
    return zlib.crc32(type_name.encode("utf-8"))


def sample_seed(type_name, index):
    """The seed of one sample: `random.Random(sample_seed(t, i))` rebuilds it."""
    return base_seed(type_name) * 1_000_003 + index


def is_map_entry(desc):
    return desc.GetOptions().map_entry


def show_if_empty(field):
    """Clarifai's `cl_show_if_empty` option: written in JSON even when zero/empty."""
    return field.GetOptions().Extensions[extensions_pb2.cl_show_if_empty]


def default_float(field):
    """Clarifai's `cl_default_float` option (0.0 when absent): JSON without the field means this."""
    return field.GetOptions().Extensions[extensions_pb2.cl_default_float]


def unmodelled_field_names(type_name):
    """The fields of a mirrored message that Swift keeps as bytes only: the ones listed in
    UNMODELLED_FIELDS, and every field a partial message does not model."""
    modelled = PARTIAL_MESSAGES.get(type_name)
    if modelled is not None:
        return frozenset(f.name for f in descriptor(type_name).fields if f.name not in modelled)
    return UNMODELLED_FIELDS.get(type_name, frozenset())


def is_unmodelled(field):
    return field.name in unmodelled_field_names(field.containing_type.full_name)


def is_repeated(field):
    return field.is_repeated


# --------------------------------------------------------------------------- value pools

def round_to_float32(x):
    """x rounded to the nearest float32 (what a `float` field stores)."""
    try:
        return struct.unpack("<f", struct.pack("<f", x))[0]
    except OverflowError:
        return math.copysign(math.inf, x)


_SPECIAL_FLOATS = (
    0.0, -0.0, math.nan, math.inf, -math.inf, 1.0, -1.0, 0.5, 0.1, 1e-45, -1e-45,
    1.17549435e-38, 3.4028234663852886e38, -3.4028234663852886e38, 16777217.0, 0.333333343,
)
_SPECIAL_DOUBLES = (
    0.0, -0.0, math.nan, math.inf, -math.inf, 1.0, -1.0, 0.1, 5e-324, -5e-324,
    2.2250738585072014e-308, 1.7976931348623157e308, -1.7976931348623157e308,
    9007199254740993.0, 1e21, 1e-7, 123456789.125,
)
# Struct numbers must be finite (official json_format refuses NaN/inf there).
_STRUCT_NUMBERS = (0.0, -0.0, 1.0, -1.0, 0.1, 3.0, 1e21, 1e-7, 5e-324, 1.7976931348623157e308,
                   9007199254740993.0, 2.0 ** 63, -123.456, 1e100)

_INT32 = (0, 1, -1, 127, 128, 300, -300, 2**31 - 1, -(2**31), 16384, -16385)
_INT64 = (0, 1, -1, 2**31, -(2**31) - 1, 2**53 + 1, -(2**53) - 1, 2**63 - 1, -(2**63))
_UINT32 = (0, 1, 127, 128, 16383, 16384, 2**31, 2**32 - 1)
_UINT64 = (0, 1, 127, 128, 2**32, 2**53 + 1, 2**63, 2**64 - 1)
_UNKNOWN_ENUM = (77, 987654, -1, 2**31 - 1, -(2**31), 1000)

_STRING_PIECES = (
    "a", "b", "z", "Z", "0", "9", "_", "-", " ", "id", "cat", "dog", "Hello, World",
    "\x00", "\x01", "\x1f", "\x7f", "\n", "\r", "\t", '"', "\\", "/", "</script>", "'",
    "é", "ß", "Ω", "ø", "ñ", "中文", "日本語", "ひらがな", "한국어", "עברית", "العربية",
    "\u0301", "\u200d", "\u2028", "\u2029", "\ufeff", "\ufffd", "\uffff", "\u00a0",
    "😀", "👍🏽", "👨\u200d👩\u200d👧", "𝄞", "𐍈", "\U0010ffff", "\U0001f600\U0001f601",
)


_ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789-_"


class _Gen:
    """One random message tree. Not thread-safe; one per sample."""

    def __init__(self, rng, large_bytes=False):
        self.rng = rng
        # Per-sample shape: sparse or dense, small or large.
        self.density = rng.choice((0.15, 0.35, 0.6, 0.85, 1.0))
        self.budget_choice = rng.choice((4, 12, 40, 100))
        self.unknown_p = rng.choice((0.0, 0.05, 0.3))
        self.large_bytes_left = 1 if large_bytes else 0

    # ----- scalars

    def string(self):
        r = self.rng
        roll = r.random()
        if roll < 0.08:
            return ""
        if roll < 0.085:
            return "".join(r.choices(_STRING_PIECES, k=r.randint(300, 1200)))
        if roll < 0.45:
            return "".join(r.choices(_ID_CHARS, k=r.randint(1, 32)))
        return "".join(r.choices(_STRING_PIECES, k=r.randint(1, 12)))

    def bytes_(self):
        r = self.rng
        if self.large_bytes_left:
            self.large_bytes_left -= 1
            return r.randbytes(r.randint(100_000, 300_000))
        roll = r.random()
        if roll < 0.15:
            return b""
        if roll < 0.2:
            return r.randbytes(r.randint(200, 5000))
        return r.randbytes(r.randint(1, 40))

    def float32(self):
        r = self.rng
        roll = r.random()
        if roll < 0.3:
            return r.choice(_SPECIAL_FLOATS)
        if roll < 0.7:
            return round_to_float32(r.random())  # normalized coordinates, scores
        if roll < 0.85:
            return round_to_float32(r.uniform(-1e6, 1e6))
        return round_to_float32(math.ldexp(r.uniform(-1, 1), r.randint(-149, 127)))

    def float64(self):
        r = self.rng
        roll = r.random()
        if roll < 0.3:
            return r.choice(_SPECIAL_DOUBLES)
        if roll < 0.6:
            return r.random()
        if roll < 0.8:
            return float(r.randint(-(2**60), 2**60))
        return math.ldexp(r.uniform(-1, 1), r.randint(-1074, 1023))

    def _int(self, pool, lo, hi):
        r = self.rng
        if r.random() < 0.5:
            return r.choice(pool)
        if r.random() < 0.5:
            return max(lo, min(hi, r.randint(-1000, 1000)))
        return r.randint(lo, hi)

    def enum(self, field):
        r = self.rng
        if r.random() < 0.2:
            return r.choice(_UNKNOWN_ENUM)  # proto3 enums are open: unknown values survive
        return r.choice(field.enum_type.values).number

    def scalar(self, field):
        t = field.type
        if t == FieldDescriptor.TYPE_STRING:
            return self.string()
        if t == FieldDescriptor.TYPE_BYTES:
            return self.bytes_()
        if t == FieldDescriptor.TYPE_BOOL:
            return self.rng.random() < 0.7
        if t == FieldDescriptor.TYPE_FLOAT:
            return self.float32()
        if t == FieldDescriptor.TYPE_DOUBLE:
            return self.float64()
        if t in (FieldDescriptor.TYPE_INT32, FieldDescriptor.TYPE_SINT32, FieldDescriptor.TYPE_SFIXED32):
            return self._int(_INT32, -(2**31), 2**31 - 1)
        if t in (FieldDescriptor.TYPE_INT64, FieldDescriptor.TYPE_SINT64, FieldDescriptor.TYPE_SFIXED64):
            return self._int(_INT64, -(2**63), 2**63 - 1)
        if t in (FieldDescriptor.TYPE_UINT32, FieldDescriptor.TYPE_FIXED32):
            return self._int(_UINT32, 0, 2**32 - 1)
        if t in (FieldDescriptor.TYPE_UINT64, FieldDescriptor.TYPE_FIXED64):
            return self._int(_UINT64, 0, 2**64 - 1)
        if t == FieldDescriptor.TYPE_ENUM:
            return self.enum(field)
        raise AssertionError(f"random_messages: no generator for {field.full_name} (type {t})")

    # ----- unknown fields

    def unknown_fields(self, desc):
        """Bytes of 1-3 fields whose numbers `desc` does not use (varint, fixed64, len, fixed32)."""
        r = self.rng
        used = {f.number for f in desc.fields}
        gaps = [n for n in range(1, 40) if n not in used]
        out = bytearray()
        for _ in range(r.randint(1, 3)):
            number = r.choice((999, 1000, 1001, 1002, 2**29 - 1, *(gaps[:1] or [998])))
            wire = r.choice((0, 0, 1, 2, 2, 5))
            out += _varint((number << 3) | wire)
            if wire == 0:
                out += _varint(r.choice((0, 1, 300, 2**63, 2**64 - 1, r.getrandbits(35))))
            elif wire == 1:
                out += r.randbytes(8)
            elif wire == 5:
                out += r.randbytes(4)
            else:
                payload = r.choice((b"", "unknown ✓ 😀".encode(), r.randbytes(r.randint(1, 30)),
                                    b"\x08\x96\x01\x12\x03abc"))
                out += _varint(len(payload)) + payload
        return bytes(out)

    def maybe_unknowns(self, msg, p=None):
        if self.rng.random() < (self.unknown_p if p is None else p):
            data = msg.SerializeToString() + self.unknown_fields(msg.DESCRIPTOR)
            msg.ParseFromString(data)

    # ----- messages

    def build(self, type_name):
        msg = message_class(type_name)()
        self.budget = self.budget_choice
        self.fill(msg, depth=0, data_nesting=0, unmodelled_depth=None)
        return msg

    def fill(self, msg, depth, data_nesting, unmodelled_depth):
        name = msg.DESCRIPTOR.full_name
        self.budget -= 1
        special = _SPECIAL_FILLERS.get(name)
        if special is not None:
            special(self, msg, depth)
            self.maybe_unknowns(msg, p=self.unknown_p / 3)
            return
        if name == _DATA:
            data_nesting += 1
        desc = msg.DESCRIPTOR
        chosen_oneof = {o.name: self.rng.choice(o.fields) for o in desc.oneofs if self.rng.random() < 0.9}
        p = self.density if depth == 0 else self.density * (0.85 ** depth)
        for field in desc.fields:
            oneof = field.containing_oneof
            if oneof is not None:
                if chosen_oneof.get(oneof.name) is not field:
                    continue
            elif self.rng.random() > max(p, 0.12):
                continue
            self.set_field(msg, field, depth, data_nesting, unmodelled_depth)
        if unmodelled_depth is None or self.rng.random() < 0.5:
            self.maybe_unknowns(msg)
        name_tuned = _TUNERS.get(name)
        if name_tuned is not None:
            name_tuned(self, msg)

    def may_descend(self, field, depth, data_nesting, unmodelled_depth):
        mtype = field.message_type
        if mtype.full_name == "google.protobuf.Any":
            return False  # random Any payloads cannot be written as JSON by the official side
        if depth + 1 > MAX_DEPTH or self.budget <= 0:
            return False
        if unmodelled_depth is not None and unmodelled_depth >= MAX_UNMODELLED_DEPTH:
            return False
        if mtype.full_name == _DATA and data_nesting >= MAX_DATA_NESTING:
            return False
        return True

    def child_unmodelled_depth(self, field, unmodelled_depth):
        if unmodelled_depth is not None:
            return unmodelled_depth + 1
        if is_unmodelled(field) or field.message_type.full_name not in MIRRORED_MESSAGES:
            return 0
        return None

    def repeat_count(self, depth, scalar):
        r = self.rng
        if scalar:
            return r.choice((0, 1, 2, 3, 5, 8))
        if depth <= 1:
            return r.choice((0, 1, 1, 2, 3, 4))
        return r.choice((0, 1, 1, 2))

    def set_field(self, msg, field, depth, data_nesting, unmodelled_depth):
        if field.type == FieldDescriptor.TYPE_GROUP:
            raise AssertionError(f"random_messages: group field {field.full_name}")
        if field.message_type is not None and is_map_entry(field.message_type):
            self.set_map(msg, field, depth, data_nesting, unmodelled_depth)
            return
        if field.message_type is not None:
            if not self.may_descend(field, depth, data_nesting, unmodelled_depth):
                return
            child_ud = self.child_unmodelled_depth(field, unmodelled_depth)
            if is_repeated(field):
                container = getattr(msg, field.name)
                for _ in range(self.repeat_count(depth, scalar=False)):
                    if self.budget <= 0:
                        break
                    self.fill(container.add(), depth + 1, data_nesting, child_ud)
            else:
                child = getattr(msg, field.name)
                child.SetInParent()  # present even if it stays empty
                self.fill(child, depth + 1, data_nesting, child_ud)
            return
        if is_repeated(field):
            getattr(msg, field.name).extend(
                self.scalar(field) for _ in range(self.repeat_count(depth, scalar=True)))
        else:
            setattr(msg, field.name, self.scalar(field))

    def set_map(self, msg, field, depth, data_nesting, unmodelled_depth):
        entry = field.message_type
        key_field = entry.fields_by_name["key"]
        value_field = entry.fields_by_name["value"]
        container = getattr(msg, field.name)
        for _ in range(self.rng.choice((0, 1, 2, 3, 5))):
            key = self.scalar(key_field)
            if value_field.message_type is None:
                container[key] = self.scalar(value_field)
            elif self.may_descend(value_field, depth, data_nesting, unmodelled_depth):
                child_ud = self.child_unmodelled_depth(value_field, unmodelled_depth)
                self.fill(container[key], depth + 1, data_nesting, child_ud)


def _varint(n):
    n &= (1 << 64) - 1
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


# ----- well-known types and tuned distributions

def _fill_value(gen, msg, depth, nesting=0):
    r = gen.rng
    kinds = ["null_value", "number_value", "string_value", "bool_value"]
    if nesting < 3 and gen.budget > 0:
        kinds += ["struct_value", "list_value"]
    kind = r.choice(kinds)
    if kind == "null_value":
        msg.null_value = 0
    elif kind == "number_value":
        roll = r.random()
        if roll < 0.4:
            msg.number_value = r.choice(_STRUCT_NUMBERS)
        elif roll < 0.7:
            msg.number_value = float(r.randint(-(10**6), 10**6))
        else:
            x = gen.float64()
            msg.number_value = x if math.isfinite(x) else 0.25
    elif kind == "string_value":
        msg.string_value = gen.string()
    elif kind == "bool_value":
        msg.bool_value = r.random() < 0.5
    elif kind == "struct_value":
        msg.struct_value.SetInParent()
        _fill_struct(gen, msg.struct_value, depth + 1, nesting + 1)
    else:
        msg.list_value.SetInParent()
        _fill_list(gen, msg.list_value, depth + 1, nesting + 1)


def _fill_struct(gen, msg, depth, nesting=0):
    r = gen.rng
    for _ in range(r.choice((0, 1, 2, 3, 5) if nesting else (0, 1, 2, 4, 8))):
        gen.budget -= 1
        key = gen.string() if r.random() < 0.4 else r.choice(("a", "b", "key", "score", "é", "😀", ""))
        _fill_value(gen, msg.fields[key], depth + 1, nesting)


def _fill_list(gen, msg, depth, nesting=0):
    for _ in range(gen.rng.choice((0, 1, 2, 3, 6))):
        gen.budget -= 1
        _fill_value(gen, msg.values.add(), depth + 1, nesting)


def _fill_timestamp(gen, msg, depth):
    r = gen.rng
    roll = r.random()
    if roll < 0.1:
        msg.seconds = r.choice((TIMESTAMP_MIN_SECONDS, TIMESTAMP_MAX_SECONDS, 0, -1, 1))
    elif roll < 0.6:
        msg.seconds = r.randint(1_400_000_000, 1_900_000_000)  # recent dates
    else:
        msg.seconds = r.randint(TIMESTAMP_MIN_SECONDS, TIMESTAMP_MAX_SECONDS)
    roll = r.random()
    if roll < 0.3:
        msg.nanos = 0
    elif roll < 0.45:
        msg.nanos = r.randint(0, 999) * 1_000_000
    elif roll < 0.6:
        msg.nanos = r.randint(0, 999_999) * 1_000
    elif roll < 0.7:
        msg.nanos = r.choice((1, 999_999_999, 1_000, 1_000_000, 100_000_000))
    else:
        msg.nanos = r.randint(0, 999_999_999)


def _fill_duration(gen, msg, depth):
    r = gen.rng
    seconds = r.randint(-315_576_000_000, 315_576_000_000)
    nanos = r.randint(0, 999_999_999)
    msg.seconds = seconds
    msg.nanos = -nanos if seconds < 0 else nanos


def _fill_field_mask(gen, msg, depth):
    for _ in range(gen.rng.randint(0, 3)):
        msg.paths.append(gen.rng.choice(("a", "data.concepts", "region_info.bounding_box")))


def _fill_value_top(gen, msg, depth):
    _fill_value(gen, msg, depth)


def _fill_struct_top(gen, msg, depth):
    _fill_struct(gen, msg, depth)


def _fill_list_top(gen, msg, depth):
    _fill_list(gen, msg, depth)


_SPECIAL_FILLERS = {
    "google.protobuf.Struct": _fill_struct_top,
    "google.protobuf.Value": _fill_value_top,
    "google.protobuf.ListValue": _fill_list_top,
    "google.protobuf.Timestamp": _fill_timestamp,
    "google.protobuf.Duration": _fill_duration,
    "google.protobuf.FieldMask": _fill_field_mask,
}


def _tune_embedding(gen, msg):
    # Real embeddings are long packed float vectors.
    if gen.rng.random() < 0.15:
        del msg.vector[:]
        msg.vector.extend(gen.float32() for _ in range(gen.rng.choice((128, 512, 1024))))


def _tune_status(gen, msg):
    # Mostly the codes the docs use; the generic enum pool already adds unknown ones.
    if gen.rng.random() < 0.4:
        msg.code = gen.rng.choice((10000, 10010, 10020, 10030, 11102, 24150, 24151, 24152, 987654))


def _tune_frame_info(gen, msg):
    if gen.rng.random() < 0.2:
        msg.time = 2**64 - 1
        msg.number = 2**32 - 1


def _tune_version(gen, msg):
    # A model or workflow version sits deep in a Worker, where the budget runs out before its
    # many later fields come up: now and then, set each field still unset, shallowly.
    if gen.rng.random() >= 0.25:
        return
    for field in msg.DESCRIPTOR.fields:
        repeated = is_repeated(field)
        if (len(getattr(msg, field.name)) if repeated else msg.HasField(field.name) if field.message_type else False):
            continue
        if field.message_type is not None:
            if repeated:
                getattr(msg, field.name).add()
            else:
                getattr(msg, field.name).SetInParent()
        elif field.type == FieldDescriptor.TYPE_STRING and not repeated:
            setattr(msg, field.name, gen.rng.choice(("v", "\u00e9t\u00e9")))
        elif field.type == FieldDescriptor.TYPE_BOOL and not repeated:
            setattr(msg, field.name, True)
        elif field.type in (FieldDescriptor.TYPE_UINT32, FieldDescriptor.TYPE_INT32) and not repeated:
            setattr(msg, field.name, 7)


_TUNERS = {
    "clarifai.api.ModelVersion": _tune_version,
    "clarifai.api.WorkflowVersion": _tune_version,
    "clarifai.api.Embedding": _tune_embedding,
    "clarifai.api.status.Status": _tune_status,
    "clarifai.api.FrameInfo": _tune_frame_info,
}


# --------------------------------------------------------------------------- public API

def sample(type_name, index):
    """Sample `index` of `type_name`, fully determined by (type_name, index)."""
    rng = random.Random(sample_seed(type_name, index))
    gen = _Gen(rng, large_bytes=index in LARGE_BYTES_SAMPLES)
    msg = gen.build(type_name)
    # Keep about 2% of the samples empty; regenerate the others until something is set.
    while index % 50 and not msg.ByteSize():
        msg = gen.build(type_name)
    if type_name == "google.protobuf.Value" and msg.WhichOneof("kind") is None:
        msg.null_value = 0
    return msg


def _make_generator(type_name):
    def generate(index):
        return sample(type_name, index)

    generate.__name__ = "random_" + type_name.rsplit(".", 1)[-1]
    generate.__doc__ = f"Sample `index` of {type_name}."
    return generate


# One generator per top-level type: GENERATORS["clarifai.api.Annotation"](index) -> Annotation.
GENERATORS = {name: _make_generator(name) for name in TOP_LEVEL_TYPES}


@functools.lru_cache(maxsize=None)
def samples(type_name, count=SAMPLES_PER_TYPE):
    """`count` samples of `type_name` as (message, exact serialized bytes) pairs, cached."""
    out = []
    for i in range(count):
        msg = sample(type_name, i)
        out.append((msg, msg.SerializeToString()))
    return tuple(out)


def reachable_fields(type_name):
    """Every (message full name, field name) of mirrored messages reachable from type_name."""
    seen_msgs, fields, todo = set(), set(), [descriptor(type_name)]
    while todo:
        desc = todo.pop()
        if desc.full_name in seen_msgs:
            continue
        seen_msgs.add(desc.full_name)
        for f in desc.fields:
            fields.add((desc.full_name, f.name))
            if f.message_type is not None and not is_unmodelled(f) and f.message_type.full_name in MIRRORED_MESSAGES:
                todo.append(f.message_type)
    return fields


def fields_set(msg, out=None):
    """(message full name, field name) of every non-default field in msg's mirrored tree."""
    out = set() if out is None else out
    desc = msg.DESCRIPTOR
    if desc.full_name not in MIRRORED_MESSAGES:
        return out
    for field, value in msg.ListFields():
        out.add((desc.full_name, field.name))
        if field.message_type is None or is_unmodelled(field):
            continue
        if is_map_entry(field.message_type):
            entry_value = field.message_type.fields_by_name["value"]
            out.add((field.message_type.full_name, "key"))
            out.add((field.message_type.full_name, "value"))
            if entry_value.message_type is not None:
                for v in value.values():
                    fields_set(v, out)
        elif is_repeated(field):
            for v in value:
                fields_set(v, out)
        else:
            fields_set(value, out)
    return out


def without_json_invisible(msg):
    """A copy of msg without what JSON cannot carry: unknown fields and unmodelled fields."""
    copy = type(msg)()
    copy.CopyFrom(msg)
    copy.DiscardUnknownFields()
    _clear_unmodelled(copy)
    return copy


def _clear_unmodelled(msg):
    desc = msg.DESCRIPTOR
    for name in unmodelled_field_names(desc.full_name):
        msg.ClearField(name)
    for field, value in msg.ListFields():
        if field.message_type is None:
            continue
        if is_map_entry(field.message_type):
            if field.message_type.fields_by_name["value"].message_type is not None:
                for v in value.values():
                    _clear_unmodelled(v)
        elif is_repeated(field):
            for v in value:
                _clear_unmodelled(v)
        else:
            _clear_unmodelled(value)
