"""The Go peer's unary `clarifai.api.V2` methods, called with the OFFICIAL client
(`clarifai-grpc`'s `V2Stub` over grpcio), each test against a fresh peer.

What is checked is the peer's own contract (Tests/Peers/README.md): the store's answers, the
Clarifai statuses (10000, 11008, 11101, 11102), and that official fields this package's protos
do not model (placeholders) travel through the Go server unchanged as unknown fields.
"""

from __future__ import annotations

import re

import grpc
import pytest
from clarifai_grpc.grpc.api import resources_pb2, service_pb2
from clarifai_grpc.grpc.api.status import status_code_pb2, status_pb2
from google.protobuf import struct_pb2

from gopeer_support import CALL_TIMEOUT, KEY, METADATA, start_peer, stub_for

SUCCESS = status_code_pb2.SUCCESS  # 10000
CONN_KEY_INVALID = status_code_pb2.CONN_KEY_INVALID  # 11008
CONN_DOES_NOT_EXIST = status_code_pb2.CONN_DOES_NOT_EXIST  # 11101
CONN_INVALID_REQUEST = status_code_pb2.CONN_INVALID_REQUEST  # 11102
ANNOTATION_SUCCESS = status_code_pb2.ANNOTATION_SUCCESS  # 24150
ANNOTATION_PENDING = status_code_pb2.ANNOTATION_PENDING  # 24151
AWAITING_REVIEW = status_code_pb2.ANNOTATION_AWAITING_REVIEW  # 24157
REVIEW_DENIED = status_code_pb2.ANNOTATION_REVIEW_DENIED  # 24158
HEX_ID = re.compile(r"^[0-9a-f]{32}$")
APP = resources_pb2.UserAppIDSet(user_id="me", app_id="my-app")


@pytest.fixture
def stub(request):
    return stub_for(request, start_peer(request))


def call(stub, method: str, request, metadata=METADATA):
    return getattr(stub, method)(request, metadata=metadata, timeout=CALL_TIMEOUT)


def concept_annotation(input_id: str, *concepts: str, **fields) -> resources_pb2.Annotation:
    return resources_pb2.Annotation(
        input_id=input_id, data=resources_pb2.Data(concepts=[resources_pb2.Concept(id=c, value=1) for c in concepts]),
        **fields)


def post(stub, *annotations, user_app_id=None) -> list[resources_pb2.Annotation]:
    response = call(stub, "PostAnnotations", service_pb2.PostAnnotationsRequest(
        user_app_id=user_app_id, annotations=list(annotations)))
    assert response.status.code == SUCCESS, response.status
    return list(response.annotations)


def listed(stub, **fields) -> list[str]:
    response = call(stub, "ListAnnotations", service_pb2.ListAnnotationsRequest(**fields))
    assert response.status.code == SUCCESS, response.status
    return [a.id for a in response.annotations]


# ---------------------------------------------------------------------------------------------
# PostAnnotations
# ---------------------------------------------------------------------------------------------

def test_post_assigns_id_status_user_and_times(stub):
    response = call(stub, "PostAnnotations", service_pb2.PostAnnotationsRequest(
        user_app_id=APP, annotations=[concept_annotation("in-1", "dog")]))
    assert response.status.code == SUCCESS
    assert response.status.description == "Ok"
    assert HEX_ID.match(response.status.req_id)
    [stored] = response.annotations
    assert HEX_ID.match(stored.id)
    assert stored.input_id == "in-1"
    assert stored.status.code == ANNOTATION_SUCCESS
    assert stored.user_id == "me"
    assert stored.created_at.seconds > 0 and stored.modified_at == stored.created_at
    assert [c.id for c in stored.data.concepts] == ["dog"]
    got = call(stub, "GetAnnotation", service_pb2.GetAnnotationRequest(annotation_id=stored.id))
    assert got.annotation == stored


def test_post_keeps_a_given_id_and_status(stub):
    [stored] = post(stub, concept_annotation("in-1", "cat", id="mine", status=status_pb2.Status(code=ANNOTATION_PENDING)))
    assert stored.id == "mine"
    assert stored.status.code == ANNOTATION_PENDING


@pytest.mark.parametrize("second_id", ["taken", "dup"])
def test_post_with_a_known_id_fails_whole_and_stores_nothing(stub, second_id):
    post(stub, concept_annotation("in-1", "a", id="taken"))
    response = call(stub, "PostAnnotations", service_pb2.PostAnnotationsRequest(annotations=[
        concept_annotation("in-1", "b", id="dup"), concept_annotation("in-1", "c", id=second_id)]))
    assert response.status.code == CONN_INVALID_REQUEST
    assert second_id in response.status.details
    assert not response.annotations
    assert listed(stub) == ["taken"]


def test_official_fields_the_protos_do_not_model_travel_unchanged(stub):
    """Geo, Color, Worker.user's other fields, ...: placeholders or partial messages in protos/,
    so the Go server keeps their bytes as unknown fields and sends them back as they came."""
    given = resources_pb2.Annotation(
        id="rich", input_id="in-1",
        data=resources_pb2.Data(
            geo=resources_pb2.Geo(geo_point=resources_pb2.GeoPoint(longitude=2.35, latitude=48.85)),
            colors=[resources_pb2.Color(raw_hex="#ff0000", value=0.5)],
            regions=[resources_pb2.Region(id="r1", region_info=resources_pb2.RegionInfo(
                bounding_box=resources_pb2.BoundingBox(top_row=0.1, left_col=0.2, bottom_row=0.3, right_col=0.4)))],
        ),
        annotation_info=struct_pb2.Struct(fields={"task_id": struct_pb2.Value(string_value="t1")}),
        worker=resources_pb2.Worker(user=resources_pb2.User(id="u1", primary_email="u1@example.com", teams_count=3)),
        status=status_pb2.Status(code=ANNOTATION_SUCCESS, description="Annotation success"),
        user_id="me",
    )
    [stored] = post(stub, given)
    stored.ClearField("created_at")
    stored.ClearField("modified_at")
    assert stored == given
    got = call(stub, "GetAnnotation", service_pb2.GetAnnotationRequest(annotation_id="rich")).annotation
    assert got.worker.user.primary_email == "u1@example.com" and got.worker.user.teams_count == 3
    assert got.data.geo.geo_point.latitude == pytest.approx(48.85)


# ---------------------------------------------------------------------------------------------
# ListAnnotations
# ---------------------------------------------------------------------------------------------

def test_list_filters(stub):
    post(stub,
         concept_annotation("in-1", "a", id="a1", task_id="t1"),
         concept_annotation("in-1", "b", id="a2", status=status_pb2.Status(code=ANNOTATION_PENDING), user_id="bob"),
         concept_annotation("in-2", "c", id="a3", task_id="t1", user_id="bob"),
         user_app_id=APP)
    assert listed(stub) == ["a1", "a2", "a3"]
    assert listed(stub, ids=["a3", "a1"]) == ["a1", "a3"]
    assert listed(stub, input_ids=["in-1"]) == ["a1", "a2"]
    assert listed(stub, input_ids=["in-1"], ids=["a2", "a3"]) == ["a2"]
    assert listed(stub, statuses=[status_pb2.Status(code=ANNOTATION_PENDING)]) == ["a2"]
    assert listed(stub, user_ids=["bob"]) == ["a2", "a3"]
    assert listed(stub, user_ids=["me"]) == ["a1"]
    assert listed(stub, task_id="t1") == ["a1", "a3"]
    assert listed(stub, ids=["nothing"]) == []


def test_list_pages_with_page_and_per_page(stub):
    ids = [f"p{i:03d}" for i in range(130)]
    post(stub, *(concept_annotation("in", "x", id=i) for i in ids))
    assert listed(stub) == ids[:128]  # default per_page 128
    assert listed(stub, page=2) == ids[128:]
    assert listed(stub, page=3, per_page=50) == ids[100:]
    assert listed(stub, page=2, per_page=7) == ids[7:14]
    assert listed(stub, page=9, per_page=50) == []


# ---------------------------------------------------------------------------------------------
# GetAnnotation
# ---------------------------------------------------------------------------------------------

def test_get_matches_id_and_input(stub):
    post(stub, concept_annotation("in-1", "a", id="g1"))
    assert call(stub, "GetAnnotation", service_pb2.GetAnnotationRequest(annotation_id="g1", input_id="in-1")).annotation.id == "g1"
    for request in (service_pb2.GetAnnotationRequest(annotation_id="g1", input_id="in-2"),
                    service_pb2.GetAnnotationRequest(annotation_id="nope")):
        response = call(stub, "GetAnnotation", request)
        assert response.status.code == CONN_DOES_NOT_EXIST
        assert not response.HasField("annotation")


# ---------------------------------------------------------------------------------------------
# PatchAnnotations
# ---------------------------------------------------------------------------------------------

def patch(stub, action, *annotations, **fields):
    return call(stub, "PatchAnnotations", service_pb2.PatchAnnotationsRequest(
        action=action, annotations=list(annotations), **fields))


def test_patch_merge_appends_and_merges(stub):
    [old] = post(stub, concept_annotation("in-1", "a", id="m1", annotation_info=struct_pb2.Struct(
        fields={"k1": struct_pb2.Value(string_value="v1"), "k2": struct_pb2.Value(string_value="old")})))
    response = patch(stub, "merge", resources_pb2.Annotation(
        id="m1", data=resources_pb2.Data(concepts=[resources_pb2.Concept(id="b", value=0.5)]),
        annotation_info=struct_pb2.Struct(fields={"k2": struct_pb2.Value(string_value="new")}),
        status=status_pb2.Status(code=AWAITING_REVIEW)))
    assert response.status.code == SUCCESS
    [new] = response.annotations
    assert [c.id for c in new.data.concepts] == ["a", "b"]
    assert dict(new.annotation_info) == {"k1": "v1", "k2": "new"}
    assert new.status.code == AWAITING_REVIEW
    assert new.created_at == old.created_at
    assert (new.modified_at.seconds, new.modified_at.nanos) > (old.modified_at.seconds, old.modified_at.nanos)
    assert call(stub, "GetAnnotation", service_pb2.GetAnnotationRequest(annotation_id="m1")).annotation == new
    assert patch(stub, "", resources_pb2.Annotation(id="m1", data=resources_pb2.Data(
        concepts=[resources_pb2.Concept(id="c")]))).annotations[0].data.concepts[-1].id == "c"  # default: merge


def test_patch_overwrite_replaces_data(stub):
    post(stub, concept_annotation("in-1", "a", "b", id="o1"))
    [new] = patch(stub, "overwrite", concept_annotation("", "z", id="o1")).annotations
    assert [c.id for c in new.data.concepts] == ["z"]
    assert new.input_id == "in-1"


def test_patch_remove_drops_named_concepts_and_regions(stub):
    post(stub, resources_pb2.Annotation(id="r1", input_id="in-1", data=resources_pb2.Data(
        concepts=[resources_pb2.Concept(id="a"), resources_pb2.Concept(id="b")],
        regions=[resources_pb2.Region(id="x"), resources_pb2.Region(id="y")])))
    [new] = patch(stub, "remove", resources_pb2.Annotation(id="r1", data=resources_pb2.Data(
        concepts=[resources_pb2.Concept(id="a")], regions=[resources_pb2.Region(id="y")]))).annotations
    assert [c.id for c in new.data.concepts] == ["b"] and [r.id for r in new.data.regions] == ["x"]
    # delete_if_empty_data: the last concept and region go, and so does the annotation.
    response = patch(stub, "remove", resources_pb2.Annotation(id="r1", data=resources_pb2.Data(
        concepts=[resources_pb2.Concept(id="b")], regions=[resources_pb2.Region(id="x")])), delete_if_empty_data=True)
    assert response.status.code == SUCCESS and not response.annotations
    assert listed(stub) == []


def test_patch_with_an_unknown_id_changes_nothing(stub):
    post(stub, concept_annotation("in-1", "a", id="k1"))
    response = patch(stub, "overwrite", concept_annotation("", "z", id="k1"), concept_annotation("", "z", id="ghost"))
    assert response.status.code == CONN_DOES_NOT_EXIST
    assert "ghost" in response.status.details
    got = call(stub, "GetAnnotation", service_pb2.GetAnnotationRequest(annotation_id="k1")).annotation
    assert [c.id for c in got.data.concepts] == ["a"]


def test_patch_with_an_unknown_action_is_invalid(stub):
    post(stub, concept_annotation("in-1", "a", id="k1"))
    response = patch(stub, "replace", concept_annotation("", "z", id="k1"))
    assert response.status.code == CONN_INVALID_REQUEST


# ---------------------------------------------------------------------------------------------
# DeleteAnnotation, DeleteAnnotations
# ---------------------------------------------------------------------------------------------

def test_delete_annotation(stub):
    post(stub, concept_annotation("in-1", "a", id="d1"), concept_annotation("in-1", "a", id="d2"))
    wrong_input = call(stub, "DeleteAnnotation", service_pb2.DeleteAnnotationRequest(annotation_id="d1", input_id="in-9"))
    assert wrong_input.status.code == CONN_DOES_NOT_EXIST
    done = call(stub, "DeleteAnnotation", service_pb2.DeleteAnnotationRequest(annotation_id="d1", input_id="in-1"))
    assert done.status.code == SUCCESS
    assert listed(stub) == ["d2"]
    again = call(stub, "DeleteAnnotation", service_pb2.DeleteAnnotationRequest(annotation_id="d1"))
    assert again.status.code == CONN_DOES_NOT_EXIST


@pytest.mark.parametrize("ids, input_ids, left", [
    (["b1", "c1", "ghost"], [], ["a1", "a2", "b2"]),    # by ids; unknown ids are no error
    ([], ["in-b"], ["a1", "a2", "c1"]),                 # every annotation of the inputs
    (["a1", "b1"], ["in-b"], ["a1", "a2", "b2", "c1"]), # ids of those inputs only
    ([], [], ["a1", "a2", "b1", "b2", "c1"]),           # neither: nothing
])
def test_delete_annotations(stub, ids, input_ids, left):
    post(stub, *(concept_annotation(f"in-{i[0]}", "x", id=i) for i in ["a1", "a2", "b1", "b2", "c1"]))
    response = call(stub, "DeleteAnnotations", service_pb2.DeleteAnnotationsRequest(ids=ids, input_ids=input_ids))
    assert response.status.code == SUCCESS
    assert listed(stub) == left


# ---------------------------------------------------------------------------------------------
# PatchAnnotationsStatus, GetTaskAnnotationCount, ListAnnotationWorkers
# ---------------------------------------------------------------------------------------------

def user_worker(user_id: str) -> resources_pb2.Worker:
    return resources_pb2.Worker(user=resources_pb2.User(id=user_id))


def task_annotations(stub):
    def one(id_, user, code, task="t1", **fields):
        return concept_annotation("in-1", "x", id=id_, task_id=task, worker=user_worker(user),
                                  status=status_pb2.Status(code=code), **fields)
    post(stub,
         one("t-a1", "alice", ANNOTATION_PENDING),
         one("t-a2", "alice", AWAITING_REVIEW),
         one("t-a3", "alice", ANNOTATION_SUCCESS, trusted=True),
         one("t-b1", "bob", ANNOTATION_PENDING),
         one("t-b2", "bob", REVIEW_DENIED),
         one("o-c1", "carol", ANNOTATION_PENDING, task="t2"),
         resources_pb2.Annotation(id="m-1", input_id="in-1", task_id="t1", status=status_pb2.Status(code=ANNOTATION_SUCCESS),
                                  worker=resources_pb2.Worker(model=resources_pb2.Model(id="detector"))))


def test_patch_annotations_status(stub):
    task_annotations(stub)
    response = call(stub, "PatchAnnotationsStatus", service_pb2.PatchAnnotationsStatusRequest(
        task_id="t1", user_ids=["alice", "bob"], status_codes=[ANNOTATION_PENDING], action="overwrite",
        status_code=AWAITING_REVIEW))
    assert response.status.code == SUCCESS
    assert response.updated_count == 2
    assert list(response.user_ids) == ["alice", "bob"]
    assert listed(stub, statuses=[status_pb2.Status(code=AWAITING_REVIEW)]) == ["t-a1", "t-a2", "t-b1"]
    assert listed(stub, statuses=[status_pb2.Status(code=ANNOTATION_PENDING)]) == ["o-c1"]  # other task
    # Without filters: every annotation of the task, whoever made it.
    everything = call(stub, "PatchAnnotationsStatus", service_pb2.PatchAnnotationsStatusRequest(
        task_id="t1", status_code=ANNOTATION_SUCCESS))
    assert everything.updated_count == 6 and list(everything.user_ids) == ["alice", "bob"]
    for bad in (service_pb2.PatchAnnotationsStatusRequest(status_code=ANNOTATION_SUCCESS),  # no task
                service_pb2.PatchAnnotationsStatusRequest(task_id="t1"),  # no status_code
                service_pb2.PatchAnnotationsStatusRequest(task_id="t1", status_code=ANNOTATION_SUCCESS, action="merge")):
        assert call(stub, "PatchAnnotationsStatus", bad).status.code == CONN_INVALID_REQUEST


def test_get_task_annotation_count(stub):
    task_annotations(stub)
    response = call(stub, "GetTaskAnnotationCount", service_pb2.GetTaskCountRequest(user_app_id=APP, task_id="t1"))
    assert response.status.code == SUCCESS
    assert (response.app_id, response.task_id) == ("my-app", "t1")
    counts = {(c.worker.user.id or "model:" + c.worker.model.id): (
        c.pending, c.awaiting_review, c.success, c.review_denied, c.awaiting_consensus_review) for c in response.counts}
    assert counts == {"model:detector": (0, 0, 1, 0, 0), "alice": (1, 1, 1, 0, 0), "bob": (1, 0, 0, 1, 0)}
    assert [c.user_id for c in response.counts] == ["", "alice", "bob"]  # sorted by worker: model:, user:
    only_bob = call(stub, "GetTaskAnnotationCount", service_pb2.GetTaskCountRequest(task_id="t1", user_ids=["bob"]))
    assert [c.worker.user.id for c in only_bob.counts] == ["bob"]
    none = call(stub, "GetTaskAnnotationCount", service_pb2.GetTaskCountRequest(task_id="t9"))
    assert none.status.code == SUCCESS and not none.counts
    assert call(stub, "GetTaskAnnotationCount", service_pb2.GetTaskCountRequest()).status.code == CONN_INVALID_REQUEST


def test_list_annotation_workers(stub):
    task_annotations(stub)
    post(stub, concept_annotation("in-2", "x", id="legacy", user_id="dave"))  # user_id only: a user worker
    response = call(stub, "ListAnnotationWorkers", service_pb2.ListAnnotationWorkersRequest())
    assert response.status.code == SUCCESS
    names = [w.user.id or "model:" + w.model.id for w in response.workers]
    assert names == ["alice", "bob", "carol", "model:detector", "dave"]
    paged = call(stub, "ListAnnotationWorkers", service_pb2.ListAnnotationWorkersRequest(page=2, per_page=2))
    assert [w.user.id for w in paged.workers] == ["carol", ""] and paged.workers[1].model.id == "detector"
    trusted = call(stub, "ListAnnotationWorkers", service_pb2.ListAnnotationWorkersRequest(trusted_only=True))
    assert [w.user.id for w in trusted.workers] == ["alice"]


# ---------------------------------------------------------------------------------------------
# Authorization, unknown methods
# ---------------------------------------------------------------------------------------------

UNARY = [
    ("PostAnnotations", service_pb2.PostAnnotationsRequest(annotations=[concept_annotation("in", "x")])),
    ("ListAnnotations", service_pb2.ListAnnotationsRequest()),
    ("GetAnnotation", service_pb2.GetAnnotationRequest(annotation_id="x")),
    ("PatchAnnotations", service_pb2.PatchAnnotationsRequest(action="merge")),
    ("DeleteAnnotation", service_pb2.DeleteAnnotationRequest(annotation_id="x")),
    ("DeleteAnnotations", service_pb2.DeleteAnnotationsRequest(ids=["x"])),
    ("PatchAnnotationsStatus", service_pb2.PatchAnnotationsStatusRequest(task_id="t", status_code=ANNOTATION_SUCCESS)),
    ("GetTaskAnnotationCount", service_pb2.GetTaskCountRequest(task_id="t")),
    ("ListAnnotationWorkers", service_pb2.ListAnnotationWorkersRequest()),
]
BAD_AUTHORIZATION = [(), (("authorization", "Bearer abc"),), (("authorization", "Key "),),
                     (("authorization", f"Key {KEY}"), ("authorization", f"Key {KEY}"))]


@pytest.mark.parametrize("method, message", UNARY, ids=[m for m, _ in UNARY])
def test_a_missing_or_malformed_key_is_11008_with_grpc_ok(stub, method, message):
    for metadata in BAD_AUTHORIZATION:
        response = call(stub, method, message, metadata=metadata)  # no RpcError: gRPC status OK
        assert response.status.code == CONN_KEY_INVALID, metadata
        assert response.status.description == "Invalid API key or Invalid API key/application pair"
    assert call(stub, method, message).status.code != CONN_KEY_INVALID


def test_stream_without_a_key_is_one_11008_message(stub):
    responses = list(stub.StreamAnnotations(service_pb2.StreamAnnotationsRequest(input_id="in"), timeout=CALL_TIMEOUT))
    assert [r.status.code for r in responses] == [CONN_KEY_INVALID]


def test_api_key_flag_accepts_only_that_key(request):
    stub = stub_for(request, start_peer(request, ["--api-key", "secret"]))
    request_ = service_pb2.ListAnnotationsRequest()
    assert call(stub, "ListAnnotations", request_, metadata=(("authorization", "Key secret"),)).status.code == SUCCESS
    assert call(stub, "ListAnnotations", request_, metadata=METADATA).status.code == CONN_KEY_INVALID


def test_a_method_the_peer_does_not_serve_is_unimplemented(stub):
    with pytest.raises(grpc.RpcError) as failure:
        stub.ListInputs(service_pb2.ListInputsRequest(), metadata=METADATA, timeout=CALL_TIMEOUT)
    assert failure.value.code() == grpc.StatusCode.UNIMPLEMENTED
