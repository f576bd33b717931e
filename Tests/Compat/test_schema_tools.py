"""The package's own schema as data, and the tools built on it (issue 17, items 2, 3 and 4).

- The mirror embedded in ProtoWire is protos/ as protoc compiles it (`wire schema`,
  scripts/gen_mirrored_schema.py --check).
- `wire diff` against the installed clarifai-grpc 12.6.0 reports nothing breaking, and exactly
  the official fields the mirror leaves out on purpose; against sets changed on purpose (a field
  renumbered, retyped, removed, an enum value dropped, a binding moved, a field added) it reports
  exactly those changes, with the exit status saying whether one breaks a client.
- `wire unknown` on random official messages of every mirrored type reports exactly the fields
  the typed messages do not model: computed here from the official classes and
  random_messages' lists of what the package models, independently of the Swift code.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys

import pytest
from google.protobuf import descriptor_pb2, unknown_fields
from google.protobuf.descriptor import FieldDescriptor

import cli
import random_messages as rm

sys.path.insert(0, str(cli.REPO_ROOT / "scripts"))
import gen_mirrored_schema  # noqa: E402

UNKNOWN_SAMPLES = 250


def tool(*argv, stdin=b""):
    return subprocess.run([str(cli.require_binary()), *argv], input=stdin, capture_output=True,
                          timeout=cli.TIMEOUT_SECONDS)


@pytest.fixture(scope="module")
def official():
    return cli.official_descriptor_set()


@pytest.fixture(scope="module")
def mirror():
    return descriptor_pb2.FileDescriptorSet.FromString(gen_mirrored_schema.compiled_set())


def write(tmp_path, name, descriptor_set):
    path = tmp_path / name
    path.write_bytes(descriptor_set.SerializeToString())
    return str(path)


def diff(tmp_path, descriptor_set, *flags):
    proc = tool("wire", "diff", "--descriptor-set", write(tmp_path, "candidate.pb", descriptor_set), "--json", *flags)
    assert proc.returncode in (0, 1), proc.stderr.decode()
    report = json.loads(proc.stdout)
    assert report["breaking"] == sum(change["breaking"] for change in report["changes"])
    assert (proc.returncode == 1) == (report["breaking"] > 0)
    return report


# --------------------------------------------------------------------------- the mirror

def test_the_embedded_mirror_is_protos_as_protoc_compiles_it():
    check = subprocess.run([sys.executable, str(cli.REPO_ROOT / "scripts" / "gen_mirrored_schema.py"), "--check"],
                           capture_output=True, timeout=cli.TIMEOUT_SECONDS)
    assert check.returncode == 0, check.stderr.decode()
    proc = tool("wire", "schema")
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout == gen_mirrored_schema.compiled_set()


# --------------------------------------------------------------------------- wire diff

def _messages(descriptor_set):
    """Full name -> DescriptorProto, nested types included."""
    out = {}

    def add(message, scope):
        name = f"{scope}.{message.name}" if scope else message.name
        out[name] = message
        for nested in message.nested_type:
            add(nested, name)

    for file in descriptor_set.file:
        for message in file.message_type:
            add(message, file.package)
    return out


def test_against_the_official_release_nothing_breaks_and_only_what_is_left_out_is_listed(tmp_path, official, mirror):
    report = diff(tmp_path, official)
    assert report["breaking"] == 0 and report["compatible"] == 0
    assert report["not_mirrored"] == len(report["changes"])
    assert {change["kind"] for change in report["changes"]} == {"field_not_mirrored"}
    # What the mirror leaves out on purpose: the official fields of its partial and empty messages.
    official_messages, mirrored = _messages(official), _messages(mirror)
    declared_in_part = set(rm.PARTIAL_MESSAGES) | {name for name, m in mirrored.items() if not m.field}
    expected = set()
    for name in declared_in_part:
        kept = {field.name for field in mirrored[name].field}
        expected |= {f"{name}.{field.name}" for field in official_messages[name].field if field.name not in kept}
    assert {change["subject"] for change in report["changes"]} == expected
    assert len(expected) > 100


def _message(descriptor_set, full_name):
    return _messages(descriptor_set)[full_name]


def _field(descriptor_set, message, name):
    return next(f for f in _message(descriptor_set, message).field if f.name == name)


def _renumber(s):
    _field(s, "clarifai.api.Annotation", "input_id").number = 99


def _retype(s):
    _field(s, "clarifai.api.Concept", "value").type = FieldDescriptorProto.TYPE_DOUBLE


def _remove(s):
    fields = _message(s, "clarifai.api.Annotation").field
    del fields[[f.name for f in fields].index("created_at")]


def _drop_enum_value(s):
    enum = next(e for f in s.file if f.name.endswith("clarifai/api/resources.proto") for e in f.enum_type
                if e.name == "AnnotationDataType")
    del enum.value[[v.name for v in enum.value].index("MASK")]


def _move_binding(s):
    service = next(sv for f in s.file for sv in f.service if sv.name == "V2")
    method = next(m for m in service.method if m.name == "ListAnnotations")
    from google.api import annotations_pb2

    rule = method.options.Extensions[annotations_pb2.http]
    rule.get = "/v3/annotations"


def _add_field(s):
    _message(s, "clarifai.api.Annotation").field.add(name="reviewed_by", number=98, type=FieldDescriptorProto.TYPE_STRING,
                                                     label=FieldDescriptorProto.LABEL_OPTIONAL, json_name="reviewedBy")


FieldDescriptorProto = descriptor_pb2.FieldDescriptorProto

CHANGES = {
    "renumbered": (_renumber, {("field_renumbered", "clarifai.api.Annotation.input_id", "2", "99")}),
    "retyped": (_retype, {("field_retyped", "clarifai.api.Concept.value", "float", "double")}),
    "removed": (_remove, {("field_removed", "clarifai.api.Annotation.created_at", "#8 google.protobuf.Timestamp", "")}),
    "enum value dropped": (_drop_enum_value, {("enum_value_removed", "clarifai.api.AnnotationDataType.MASK", "32", "")}),
    "binding moved": (_move_binding, {
        ("binding_changed", "clarifai.api.V2.ListAnnotations",
         "GET /v2/users/{user_app_id.user_id}/apps/{user_app_id.app_id}/annotations", "GET /v3/annotations")}),
    "field added": (_add_field, {("field_added", "clarifai.api.Annotation.reviewed_by", "", "#98 string")}),
}


def _changed(official, *changes):
    changed = descriptor_pb2.FileDescriptorSet()
    changed.CopyFrom(official)
    for change in changes:
        change(changed)
    return changed


def _reported(report):
    return {(c["kind"], c["subject"], c["before"], c["after"]) for c in report["changes"]
            if c["kind"] != "field_not_mirrored"}


@pytest.mark.parametrize("name", CHANGES)
def test_a_set_changed_on_purpose_reports_exactly_that_change(tmp_path, official, name):
    change, expected = CHANGES[name]
    report = diff(tmp_path, _changed(official, change))
    assert _reported(report) == expected
    assert report["breaking"] == (0 if name == "field added" else 1)


def test_every_change_at_once_and_the_text_report(tmp_path, official):
    everything = _changed(official, *(change for change, _ in CHANGES.values()))
    report = diff(tmp_path, everything)
    assert _reported(report) == set().union(*(expected for _, expected in CHANGES.values()))
    assert report["breaking"] == 5
    proc = tool("wire", "diff", "--descriptor-set", write(tmp_path, "all.pb", everything))
    assert proc.returncode == 1
    lines = proc.stdout.decode().splitlines()
    assert "breaking    field renumbered       clarifai.api.Annotation.input_id: 2 → 99" in lines
    assert "compatible  field added            clarifai.api.Annotation.reviewed_by: #98 string" in lines
    assert not any("not mirrored" in line and line.startswith("compatible") for line in lines)
    assert lines[-1].endswith("5 breaking changes, 1 compatible change; "
                              f"{sum(1 for c in report['changes'] if c['kind'] == 'field_not_mirrored')} official "
                              "fields of 19 messages declared in part or empty are not mirrored (--all lists them)")
    listed = tool("wire", "diff", "--descriptor-set", write(tmp_path, "all.pb", everything), "--all")
    assert len(listed.stdout.decode().splitlines()) == len(report["changes"]) + 1


def test_two_official_sets_with_base(tmp_path, official):
    base = write(tmp_path, "base.pb", official)
    same = tool("wire", "diff", "--descriptor-set", base, "--base", base, "--json")
    assert same.returncode == 0 and json.loads(same.stdout)["changes"] == []
    renumbered = write(tmp_path, "renumbered.pb", _changed(official, _renumber, _add_field))
    proc = tool("wire", "diff", "--descriptor-set", renumbered, "--base", base, "--json")
    assert proc.returncode == 1
    assert {(c["kind"], c["subject"]) for c in json.loads(proc.stdout)["changes"]} == {
        ("field_renumbered", "clarifai.api.Annotation.input_id"), ("field_added", "clarifai.api.Annotation.reviewed_by")}


def test_diff_refuses_what_is_not_a_descriptor_set(tmp_path):
    garbage = tmp_path / "garbage.pb"
    garbage.write_bytes(b"\x0a\xff")
    proc = tool("wire", "diff", "--descriptor-set", str(garbage))
    assert proc.returncode == 64 and "garbage.pb" in proc.stderr.decode()
    proc = tool("wire", "diff", "--descriptor-set", str(tmp_path / "missing.pb"))
    assert proc.returncode == 74 and "cannot read the descriptor set" in proc.stderr.decode()
    proc = tool("wire", "diff")
    assert proc.returncode == 64
    # An empty set is a valid set, of other definitions: refused, rather than all of it "removed".
    empty = tmp_path / "empty.pb"
    empty.write_bytes(b"")
    proc = tool("wire", "diff", "--descriptor-set", str(empty))
    assert proc.returncode == 64 and "has none of the messages of the package's mirror" in proc.stderr.decode()
    # protoc without --include_imports: the imported types name nothing.
    without_imports = tmp_path / "resources.pb"
    subprocess.run(["protoc", f"-I{cli.REPO_ROOT / 'protos'}", f"-o{without_imports}", "clarifai/api/resources.proto"],
                   check=True, timeout=cli.TIMEOUT_SECONDS)
    proc = tool("wire", "diff", "--descriptor-set", str(without_imports))
    assert proc.returncode == 64 and "unresolved type" in proc.stderr.decode()
    assert "protoc --include_imports" in proc.stderr.decode()


# --------------------------------------------------------------------------- wire unknown

def _map_key(key):
    if isinstance(key, bool):
        return "[true]" if key else "[false]"
    if isinstance(key, str):
        return "[" + json.dumps(key, ensure_ascii=False) + "]"
    return f"[{key}]"


def expected_unknown(message, path=""):
    """{(path, number)} of what the typed messages keep as raw bytes, from the official message."""
    prefix = f"{path}." if path else ""
    name = message.DESCRIPTOR.full_name
    partial = rm.PARTIAL_MESSAGES.get(name)
    unmodelled = rm.UNMODELLED_FIELDS.get(name, frozenset())
    out = set()
    for field, value in message.ListFields():
        if partial is not None and field.name not in partial:
            out.add((f"{prefix}#{field.number}", field.number))
            continue
        if field.type != FieldDescriptor.TYPE_MESSAGE:
            continue
        here = prefix + field.name
        if field.message_type.GetOptions().map_entry:
            value_field = field.message_type.fields_by_name["value"]
            for key in value:
                element = f"{here}{_map_key(key)}"
                if value_field.type == FieldDescriptor.TYPE_MESSAGE:
                    out |= expected_unknown(value[key], f"{element}.value")
            continue
        elements = list(enumerate(value)) if rm.is_repeated(field) else [(None, value)]
        for index, element in elements:
            element_path = here if index is None else f"{here}[{index}]"
            if field.name in unmodelled:
                out.add((element_path, field.number))
            else:
                out |= expected_unknown(element, element_path)
    for unknown in unknown_fields.UnknownFieldSet(message):
        out.add((f"{prefix}#{unknown.field_number}", unknown.field_number))
    return out


def test_an_unknown_field_in_a_map_value_has_the_entrys_key_in_its_path():
    from clarifai_grpc.grpc.api import resources_pb2

    # Image { hosted_image_info { "": ImageInfo { width 3, #9 varint 1 } } }: the default key is
    # not written, and the entry still has it.
    info = resources_pb2.ImageInfo(width=3).SerializeToString() + b"\x48\x01"
    entry = b"\x12" + bytes([len(info)]) + info
    blob = b"\x3a" + bytes([len(entry)]) + entry
    proc = tool("wire", "unknown", "--type", "clarifai.api.Image", "--json", stdin=blob)
    assert proc.returncode == 1, proc.stderr.decode()
    assert [(u["path"], u["number"]) for u in json.loads(proc.stdout)["unknown"]] == [('hosted_image_info[""].value.#9', 9)]
    assert expected_unknown(resources_pb2.Image.FromString(blob)) == {('hosted_image_info[""].value.#9', 9)}


@pytest.mark.parametrize("type_name", rm.TOP_LEVEL_TYPES)
def test_unknown_reports_what_the_typed_messages_do_not_model(type_name):
    pairs = rm.samples(type_name, rm.SAMPLES_PER_TYPE)[:UNKNOWN_SAMPLES]
    stdin = "".join(base64.b64encode(blob).decode() + "\n" for _, blob in pairs).encode()
    proc = tool("wire", "unknown", "--type", type_name, "--batch", stdin=stdin)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    lines = proc.stdout.decode().split("\n")[:-1]  # not splitlines(): a key may hold U+2028
    assert len(lines) == len(pairs)
    failures, reported = [], 0
    cls = rm.message_class(type_name)
    for index, ((_, blob), line) in enumerate(zip(pairs, lines)):
        result = json.loads(line)
        if "error" in result:
            failures.append(f"sample {index}: {result['error']}")
            continue
        got = {(u["path"], u["number"]) for u in result["unknown"]}
        reported += len(got)
        sizes_ok = all(u["size"] > 0 and u["wire_type"] in WIRE_TYPES for u in result["unknown"])
        if not sizes_ok:
            failures.append(f"sample {index}: a size or wire type out of range: {result['unknown'][:3]}")
        expected = expected_unknown(cls.FromString(blob))
        if got != expected:
            failures.append(f"sample {index}: extra {sorted(got - expected)[:5]}, missing {sorted(expected - got)[:5]}")
        if len(failures) >= 5:
            break
    assert not failures, f"{type_name}:\n" + "\n".join(failures)
    # Types that can hold nothing unmodelled report nothing; the others report something.
    assert reported > 0 or not any(expected_unknown(cls.FromString(blob)) for _, blob in pairs)


WIRE_TYPES = {"varint", "fixed64", "length-delimited", "fixed32"}


def test_unknown_finds_something_in_most_types():
    # The generator appends unknown fields and sets unmodelled ones: the report is not vacuous.
    found = 0
    for type_name in ("clarifai.api.MultiAnnotationResponse", "clarifai.api.Data", "clarifai.api.Worker"):
        blobs = [blob for _, blob in rm.samples(type_name, rm.SAMPLES_PER_TYPE)[:50]]
        stdin = "".join(base64.b64encode(b).decode() + "\n" for b in blobs).encode()
        lines = tool("wire", "unknown", "--type", type_name, "--batch", stdin=stdin).stdout.decode().split("\n")[:-1]
        found += sum(1 for line in lines if json.loads(line).get("unknown"))
    assert found > 50


def test_unknown_text_report_exit_status_and_bad_input():
    from clarifai_grpc.grpc.api import service_pb2

    response = service_pb2.MultiAnnotationResponse()
    annotation = response.annotations.add(id="a")
    annotation.data.geo.geo_point.longitude = 3
    annotation.worker.model.notes = "n"
    blob = response.SerializeToString() + b"\xc0\x3e\x01"
    proc = tool("wire", "unknown", "--type", "clarifai.api.MultiAnnotationResponse", stdin=blob)
    assert proc.returncode == 1
    assert proc.stdout.decode().splitlines() == [
        "annotations[0].data.geo  length-delimited  9 bytes  (not modelled)",
        "annotations[0].worker.model.#18  length-delimited  4 bytes",
        "#1000  varint  3 bytes",
    ]
    assert "3 fields of this clarifai.api.MultiAnnotationResponse not modelled" in proc.stderr.decode()
    clean = tool("wire", "unknown", "--type", "clarifai.api.MultiAnnotationResponse",
                 stdin=service_pb2.MultiAnnotationResponse(annotations=[{"id": "a"}]).SerializeToString())
    assert clean.returncode == 0 and clean.stdout == b"" and "is modelled" in clean.stderr.decode()
    assert tool("wire", "unknown", "--type", "clarifai.api.Search", stdin=blob).returncode == 64
    assert tool("wire", "unknown", "--type", "clarifai.api.MultiAnnotationResponse", stdin=blob[:7]).returncode == 65
    batch = tool("wire", "unknown", "--type", "clarifai.api.MultiAnnotationResponse", "--batch",
                 stdin=b"not base64!\n" + base64.b64encode(blob[:7]) + b"\n")
    assert batch.returncode == 0
    assert [list(json.loads(line)) for line in batch.stdout.decode().splitlines()] == [["error"], ["error"]]
