"""protos/ against the official Clarifai descriptors (PyPI clarifai-grpc).

Compiles protos/ with protoc, then compares every message, enum, extension and
RPC that we mirror with the descriptors shipped in clarifai_grpc (and, for
google/api, in googleapis-common-protos): names, numbers, types, type names,
labels, proto3_optional, oneofs, JSON names, options (including Clarifai's
custom options), reserved numbers and declaration order.

Run from anywhere: python3 -m pytest Tests/Compat/test_descriptors.py
"""

import pathlib
import shutil
import subprocess

import pytest
from google.protobuf import descriptor_pb2, descriptor_pool

# Importing the official modules registers their descriptors in the default pool
# and their extensions (cl_show_if_empty, cl_private_field, google.api.http, ...)
# on the descriptor_pb2 option classes, so options parse into readable values.
from clarifai_grpc.grpc.api import resources_pb2, service_pb2
from clarifai_grpc.grpc.api.status import status_code_pb2, status_pb2
from clarifai_grpc.grpc.api.utils import extensions_pb2
from clarifai_grpc.grpc.auth.util import extension_pb2 as auth_extension_pb2
from google.api import annotations_pb2, http_pb2

import random_messages

REPO = pathlib.Path(__file__).resolve().parents[2]
PROTOS = REPO / "protos"

# Our file -> the official module describing the same file. Official file names
# carry a leading "proto/"; ours drop it.
OFFICIAL_FILES = {
    "clarifai/api/resources.proto": resources_pb2,
    "clarifai/api/service.proto": service_pb2,
    "clarifai/api/status/status.proto": status_pb2,
    "clarifai/api/status/status_code.proto": status_code_pb2,
    "clarifai/api/utils/extensions.proto": extensions_pb2,
    "clarifai/auth/util/extension.proto": auth_extension_pb2,
    "google/api/http.proto": http_pb2,
    "google/api/annotations.proto": annotations_pb2,
}

# Messages mirrored field for field: exactly the official field set.
FULL_MESSAGES = [
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
    "clarifai.api.Image.HostedImageInfoEntry",
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
    "clarifai.api.Worker",
    "clarifai.api.TaskStatusCountPerUser",
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
    "clarifai.api.StreamAnnotationsRequest",
    "clarifai.api.SingleStreamAnnotationResponse",
    "clarifai.api.PatchAnnotationsStatusRequest",
    "clarifai.api.PatchAnnotationsStatusResponse",
    "clarifai.api.GetTaskCountRequest",
    "clarifai.api.SingleTaskCountResponse",
    "clarifai.api.ListAnnotationWorkersRequest",
    "clarifai.api.MultiWorkerResponse",
    # googleapis-common-protos, written by hand from the public definition.
    "google.api.Http",
    "google.api.HttpRule",
    "google.api.CustomHttpPattern",
]

# Official messages mirrored in part: some of the official fields, each exactly
# as the official one and in the official relative order; the others travel as
# unknown fields.
PARTIAL_MESSAGES = [
    "clarifai.api.User",
    "clarifai.api.Model",
    "clarifai.api.Workflow",
    "clarifai.api.ModelVersion",
    "clarifai.api.WorkflowVersion",
]
PARTIAL_COMMENT = " Partly modelled by this package: the other official fields are kept as raw bytes.\n"

# Official messages referred to by mirrored fields, declared empty in protos/.
PLACEHOLDER_MESSAGES = [
    "clarifai.api.Geo",
    "clarifai.api.Color",
    "clarifai.api.Cluster",
    "clarifai.api.TimeSegment",
    "clarifai.api.Hit",
    "clarifai.api.Part",
    "clarifai.api.NDArray",
    "clarifai.api.Visibility",
    "clarifai.api.KeypointInfo",
    "clarifai.api.ConceptExtraInfo",
    "clarifai.api.VideoInfo",
    "clarifai.api.TextInfo",
    "clarifai.api.AudioInfo",
    "clarifai.api.status.RedirectInfo",
]
PLACEHOLDER_COMMENT = " Not modelled by this package: kept as raw bytes.\n"

ENUMS = [
    "clarifai.api.status.StatusCode",
    "clarifai.api.Point.Visibility",
    "clarifai.api.AnnotationDataType",
]

SERVICE = "clarifai.api.V2"
METHODS = [
    "GetAnnotation",
    "ListAnnotations",
    "StreamAnnotations",
    "PostAnnotations",
    "PatchAnnotations",
    "PatchAnnotationsStatus",
    "DeleteAnnotation",
    "DeleteAnnotations",
    "ListAnnotationWorkers",
    "GetTaskAnnotationCount",
]

# Well-known types come from protoc's own include directory.
WELL_KNOWN_PREFIX = "google.protobuf."


# --------------------------------------------------------------------------
# Loading both sides


def _protoc_include_dir():
    """The directory holding google/protobuf/*.proto for this protoc, if any."""
    protoc = shutil.which("protoc")
    candidates = []
    if protoc:
        candidates.append(pathlib.Path(protoc).resolve().parent.parent / "include")
    candidates += [pathlib.Path("/usr/include"), pathlib.Path("/usr/local/include")]
    for c in candidates:
        if (c / "google/protobuf/descriptor.proto").is_file():
            return c
    return None


def _index(fds):
    """full name -> (kind, proto, file proto, path in the file) for every
    message, enum and service of a FileDescriptorSet."""
    out = {}

    def add_message(file, prefix, msg, path):
        name = prefix + msg.name
        out[name] = ("message", msg, file, path)
        for i, nested in enumerate(msg.nested_type):
            add_message(file, name + ".", nested, path + [3, i])
        for i, enum in enumerate(msg.enum_type):
            out[name + "." + enum.name] = ("enum", enum, file, path + [4, i])

    for file in fds.file:
        prefix = file.package + "." if file.package else ""
        for i, msg in enumerate(file.message_type):
            add_message(file, prefix, msg, [4, i])
        for i, enum in enumerate(file.enum_type):
            out[prefix + enum.name] = ("enum", enum, file, [5, i])
        for i, svc in enumerate(file.service):
            out[prefix + svc.name] = ("service", svc, file, [6, i])
    return out


@pytest.fixture(scope="module")
def compiled(tmp_path_factory):
    """protos/ compiled by protoc into a FileDescriptorSet (with comments)."""
    protoc = shutil.which("protoc")
    if protoc is None:
        pytest.fail("protoc not found (apt-get install protobuf-compiler)")
    files = sorted(str(p.relative_to(PROTOS)) for p in PROTOS.rglob("*.proto"))
    assert files, "no .proto files under protos/"
    out = tmp_path_factory.mktemp("descriptors") / "protos.pb"
    cmd = [protoc, f"-I{PROTOS}"]
    include = _protoc_include_dir()
    if include is not None:
        cmd.append(f"-I{include}")
    cmd += ["--include_imports", "--include_source_info", f"--descriptor_set_out={out}"]
    cmd += files
    result = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, f"protoc failed:\n{result.stderr}"
    # protoc warnings (unused imports, ...) count as failures too.
    assert result.stderr.strip() == "", f"protoc warnings:\n{result.stderr}"
    return descriptor_pb2.FileDescriptorSet.FromString(out.read_bytes())


@pytest.fixture(scope="module")
def ours(compiled):
    return _index(compiled)


@pytest.fixture(scope="module")
def ours_files(compiled):
    return {file.name: file for file in compiled.file}


@pytest.fixture(scope="module")
def official():
    fds = descriptor_pb2.FileDescriptorSet()
    for module in OFFICIAL_FILES.values():
        fds.file.add().ParseFromString(module.DESCRIPTOR.serialized_pb)
    return _index(fds)


def _official_file_name(ours_name):
    if ours_name.startswith("clarifai/"):
        return "proto/" + ours_name
    return ours_name


# --------------------------------------------------------------------------
# Comparable views of descriptor pieces


def _default_json_name(name):
    """protoc's ToJsonName: drop underscores, upper-case the following letter."""
    out, upper = [], False
    for ch in name:
        if ch == "_":
            upper = True
        elif upper:
            out.append(ch.upper())
            upper = False
        else:
            out.append(ch)
    return "".join(out)


def _canonical(value):
    if hasattr(value, "SerializeToString"):
        return value.SerializeToString(deterministic=True)
    if isinstance(value, (str, bytes, int, float, bool)):
        return value
    return [_canonical(v) for v in value]  # repeated option


def _options_view(options):
    """Every set option (extensions by full name), plus the canonical bytes."""
    view = {}
    for fd, value in options.ListFields():
        key = f"[{fd.full_name}]" if fd.is_extension else fd.name
        view[key] = _canonical(value)
    return {"set": view, "bytes": options.SerializeToString(deterministic=True)}


def _field_view(field, json_name, oneofs):
    return {
        "name": field.name,
        "number": field.number,
        "label": descriptor_pb2.FieldDescriptorProto.Label.Name(field.label),
        "type": descriptor_pb2.FieldDescriptorProto.Type.Name(field.type),
        "type_name": field.type_name,
        "extendee": field.extendee,
        "default_value": field.default_value if field.HasField("default_value") else None,
        "oneof": oneofs[field.oneof_index].name if field.HasField("oneof_index") else None,
        "oneof_index": field.oneof_index if field.HasField("oneof_index") else None,
        "proto3_optional": field.proto3_optional if field.HasField("proto3_optional") else None,
        "json_name": json_name,
        "has_options": field.HasField("options"),
        "options": _options_view(field.options),
    }


def _ours_field_view(field, oneofs=()):
    json_name = field.json_name if field.HasField("json_name") else _default_json_name(field.name)
    return _field_view(field, json_name, list(oneofs))


def _official_field_view(field, message_full_name, oneofs=()):
    # The serialized official descriptors carry no json_name; the runtime
    # descriptor knows the effective one (explicit json_name or the default).
    desc = descriptor_pool.Default().FindMessageTypeByName(message_full_name)
    return _field_view(field, desc.fields_by_name[field.name].json_name, list(oneofs))


def _extension_view(field):
    view = _ours_field_view(field)
    del view["json_name"]  # not meaningful for extensions
    return view


def _differences(mine, theirs):
    """The keys on which two views differ, as {key: (ours, official)}."""
    return {k: (mine.get(k), theirs.get(k)) for k in sorted(set(mine) | set(theirs)) if mine.get(k) != theirs.get(k)}


def _leading_comment(file, path):
    for loc in file.source_code_info.location:
        if list(loc.path) == path:
            return loc.leading_comments
    return None


# --------------------------------------------------------------------------
# Messages


def _lookup(index, name, kind):
    assert name in index, f"{name} is missing"
    got_kind, proto, file, path = index[name]
    assert got_kind == kind, f"{name} is a {got_kind}, expected a {kind}"
    return proto, file, path


@pytest.mark.parametrize("name", FULL_MESSAGES + PARTIAL_MESSAGES + PLACEHOLDER_MESSAGES + ENUMS + [SERVICE])
def test_declared_in_the_official_file_and_package(name, ours, official):
    assert name in ours, f"{name} is missing from protos/"
    kind, _, ours_file, _ = ours[name]
    assert name in official, f"{name} is not an official definition"
    off_kind, _, off_file, _ = official[name]
    assert kind == off_kind
    assert ours_file.package == off_file.package
    assert _official_file_name(ours_file.name) == off_file.name
    assert ours_file.syntax == off_file.syntax


@pytest.mark.parametrize("name", FULL_MESSAGES)
def test_message_matches_official(name, ours, official):
    mine, _, _ = _lookup(ours, name, "message")
    theirs, _, _ = _lookup(official, name, "message")

    # Exactly the official fields, in the official declaration order.
    assert [f.name for f in mine.field] == [f.name for f in theirs.field]
    for a, b in zip(mine.field, theirs.field):
        va, vb = _ours_field_view(a, mine.oneof_decl), _official_field_view(b, name, theirs.oneof_decl)
        assert va == vb, f"{name}.{a.name} differs from the official field (ours, official): {_differences(va, vb)}"

    assert [o.name for o in mine.oneof_decl] == [o.name for o in theirs.oneof_decl]
    assert [(r.start, r.end) for r in mine.reserved_range] == [(r.start, r.end) for r in theirs.reserved_range]
    assert list(mine.reserved_name) == list(theirs.reserved_name)
    assert _options_view(mine.options) == _options_view(theirs.options)
    assert [n.name for n in mine.nested_type] == [n.name for n in theirs.nested_type]
    assert [e.name for e in mine.enum_type] == [e.name for e in theirs.enum_type]
    assert [(r.start, r.end) for r in mine.extension_range] == [(r.start, r.end) for r in theirs.extension_range]
    assert list(mine.extension) == list(theirs.extension)


@pytest.mark.parametrize("name", PARTIAL_MESSAGES)
def test_partial_message_is_an_official_subset(name, ours, official):
    mine, file, path = _lookup(ours, name, "message")
    theirs, _, _ = _lookup(official, name, "message")
    official_fields = {f.name: f for f in theirs.field}
    official_order = [f.name for f in theirs.field]

    assert mine.field, f"{name} declares no field: make it a placeholder instead"
    assert len(mine.field) < len(theirs.field), f"{name} has every official field: list it in FULL_MESSAGES"
    for a in mine.field:
        assert a.name in official_fields, f"{name}.{a.name} is not an official field"
        va = _ours_field_view(a, mine.oneof_decl)
        vb = _official_field_view(official_fields[a.name], name, theirs.oneof_decl)
        assert va == vb, f"{name}.{a.name} differs from the official field (ours, official): {_differences(va, vb)}"
    names = [f.name for f in mine.field]
    assert names == sorted(names, key=official_order.index), f"{name}: fields not in the official relative order"
    # A declared field must not reuse an official reserved number.
    for a in mine.field:
        assert not any(r.start <= a.number < r.end for r in theirs.reserved_range)
    # Oneofs, nested types and message options are not mirrored in part.
    assert list(mine.oneof_decl) == [] and list(mine.nested_type) == [] and list(mine.enum_type) == []
    assert not mine.HasField("options")
    assert _leading_comment(file, path) == PARTIAL_COMMENT
    # The round-trip tests (random_messages.py) drop the other fields from the JSON comparison.
    assert set(names) == set(random_messages.PARTIAL_MESSAGES[name]), f"{name}: random_messages.PARTIAL_MESSAGES differs"


def test_partial_messages_are_the_same_lists():
    assert sorted(PARTIAL_MESSAGES) == sorted(random_messages.PARTIAL_MESSAGES)


@pytest.mark.parametrize("name", PLACEHOLDER_MESSAGES)
def test_placeholder_is_empty(name, ours, official):
    mine, file, path = _lookup(ours, name, "message")
    _lookup(official, name, "message")
    assert list(mine.field) == [] and list(mine.nested_type) == [] and list(mine.enum_type) == []
    assert list(mine.oneof_decl) == []
    assert _leading_comment(file, path) == PLACEHOLDER_COMMENT


def test_no_unlisted_messages(ours):
    """Every message in protos/ is fully mirrored, partial or a placeholder, so
    nothing escapes the comparison above."""
    declared = {
        name for name, (kind, _, _, _) in ours.items()
        if kind == "message" and not name.startswith(WELL_KNOWN_PREFIX)
    }
    assert declared == set(FULL_MESSAGES) | set(PARTIAL_MESSAGES) | set(PLACEHOLDER_MESSAGES)
    enums = {
        name for name, (kind, _, _, _) in ours.items()
        if kind == "enum" and not name.startswith(WELL_KNOWN_PREFIX)
    }
    assert enums == set(ENUMS)


def test_every_referenced_type_is_declared(ours):
    for name in FULL_MESSAGES + PARTIAL_MESSAGES:
        msg, _, _ = _lookup(ours, name, "message")
        for field in msg.field:
            if field.type_name:
                target = field.type_name.lstrip(".")
                assert target in ours, f"{name}.{field.name} refers to undeclared {target}"


# --------------------------------------------------------------------------
# Enums


@pytest.mark.parametrize("name", ENUMS)
def test_enum_matches_official(name, ours, official):
    mine, _, _ = _lookup(ours, name, "enum")
    theirs, _, _ = _lookup(official, name, "enum")

    def values(enum):
        return [(v.name, v.number, v.HasField("options"), _options_view(v.options)) for v in enum.value]

    assert [v.name for v in mine.value] == [v.name for v in theirs.value]
    assert values(mine) == values(theirs)
    assert _options_view(mine.options) == _options_view(theirs.options)
    assert [(r.start, r.end) for r in mine.reserved_range] == [(r.start, r.end) for r in theirs.reserved_range]
    assert list(mine.reserved_name) == list(theirs.reserved_name)


def test_status_code_enum_size(ours):
    """A sanity check on the comparison itself: the enum really is the big one."""
    mine, _, _ = _lookup(ours, "clarifai.api.status.StatusCode", "enum")
    assert len(mine.value) == len(status_code_pb2.StatusCode.DESCRIPTOR.values) > 400


# --------------------------------------------------------------------------
# Extensions (custom options)


def _extensions(file):
    return {ext.name: ext for ext in file.extension}


EXTENSION_FILES = {
    # file -> the extensions it declares: all of the official file's, except in
    # clarifai/auth/util/extension.proto (see the comment there)
    "clarifai/api/utils/extensions.proto": ["cl_show_if_empty", "cl_moretags", "cl_default_float", "description"],
    "clarifai/auth/util/extension.proto": ["cl_private_field", "cl_private_rpc", "cl_private_message"],
    "google/api/annotations.proto": ["http"],
}


@pytest.mark.parametrize("file_name", sorted(EXTENSION_FILES))
def test_extensions_match_official(file_name, ours_files):
    assert file_name in ours_files, f"{file_name} missing from protos/"
    mine_file = ours_files[file_name]
    theirs_file = descriptor_pb2.FileDescriptorProto.FromString(OFFICIAL_FILES[file_name].DESCRIPTOR.serialized_pb)
    assert mine_file.package == theirs_file.package
    mine, theirs = _extensions(mine_file), _extensions(theirs_file)
    assert sorted(mine) == sorted(EXTENSION_FILES[file_name])
    for ext_name in EXTENSION_FILES[file_name]:
        va, vb = _extension_view(mine[ext_name]), _extension_view(theirs[ext_name])
        assert va == vb, f"extension {theirs_file.package}.{ext_name} differs: {_differences(va, vb)}"


# --------------------------------------------------------------------------
# The V2 service


def _method(index, name):
    svc, _, _ = _lookup(index, SERVICE, "service")
    methods = {m.name: m for m in svc.method}
    assert name in methods, f"{SERVICE}/{name} is missing"
    return methods[name]


def test_service_has_only_the_annotation_methods(ours):
    svc, _, _ = _lookup(ours, SERVICE, "service")
    assert [m.name for m in svc.method] == METHODS


@pytest.mark.parametrize("name", METHODS)
def test_method_matches_official(name, ours, official):
    mine, theirs = _method(ours, name), _method(official, name)
    assert mine.input_type == theirs.input_type
    assert mine.output_type == theirs.output_type
    assert mine.client_streaming == theirs.client_streaming
    assert mine.server_streaming == theirs.server_streaming
    assert mine.options.HasExtension(annotations_pb2.http)
    assert mine.options.Extensions[annotations_pb2.http] == theirs.options.Extensions[annotations_pb2.http]
    assert (mine.options.Extensions[annotations_pb2.http].SerializeToString(deterministic=True)
            == theirs.options.Extensions[annotations_pb2.http].SerializeToString(deterministic=True))
    # Nothing else: the official auth options (scopes, auth type) are not mirrored.
    assert [fd.full_name for fd, _ in mine.options.ListFields()] == ["google.api.http"]
