"""The OFFICIAL Python client (`clarifai-grpc`: `service_pb2_grpc.V2Stub` over grpcio) against
`annotations serve` for the four newer V2 calls — StreamAnnotations (server streaming),
PatchAnnotationsStatus, GetTaskAnnotationCount and ListAnnotationWorkers — over h2c and TLS,
with the setup of test_official_client.py (plain grpcio channels, the emulator's self-signed
certificate as root for `localhost:Q`, every RPC with a timeout, a fresh emulator per test).

Each test posts SCENE through the official client first: the frame annotations of one video
input (several frames, tracks, region shapes, workers, prediction scores, two tasks named by
`task_id` and by `annotation_info.task_id`, review statuses, trusted or not), then checks values
worked out by hand from it (the tables next to SCENE). Where a comment of the official .proto
(clarifai-grpc 12.x, `proto/clarifai/api/service.proto` and `resources.proto`) says what a field
means, the test asserts that and names the comment (model versions within a worker, the
workflow-version filter of task counts, real names only with the `names` additional field).

`x-stream-interval-ms: N` (request metadata) makes the emulator pause N ms before each streamed
message, so that a stream is still running when the client cancels it or its deadline passes.
"""

from __future__ import annotations

import base64
import time

import grpc
import pytest
from clarifai_grpc.grpc.api import resources_pb2, service_pb2, service_pb2_grpc
from clarifai_grpc.grpc.api.status import status_code_pb2, status_pb2
from google.protobuf import struct_pb2

from emulator import start_for
from test_official_client import CALL_TIMEOUT, Api, assert_success

KEY = "new-calls-key"
metadata = (("authorization", "Key " + KEY),)
USER_ID = "video-team"
APP_ID = "dashcam"
userDataObject = resources_pb2.UserAppIDSet(user_id=USER_ID, app_id=APP_ID)
PACING = "x-stream-interval-ms"

SUCCESS = status_code_pb2.SUCCESS  # 10000
CONN_KEY_INVALID = status_code_pb2.CONN_KEY_INVALID  # 11008
CONN_INVALID_REQUEST = status_code_pb2.CONN_INVALID_REQUEST  # 11102
PENDING = status_code_pb2.ANNOTATION_PENDING  # 24151
AWAITING_REVIEW = status_code_pb2.ANNOTATION_AWAITING_REVIEW  # 24157
ANNOTATION_SUCCESS = status_code_pb2.ANNOTATION_SUCCESS  # 24150
REVIEW_DENIED = status_code_pb2.ANNOTATION_REVIEW_DENIED  # 24158
AWAITING_CONSENSUS_REVIEW = status_code_pb2.ANNOTATION_AWAITING_CONSENSUS_REVIEW  # 24159

VIDEO = "dashcam-video-1"
FRAME_MS = 40  # 25 frames per second: frame n is at n * 40 ms
MASK_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAAAAABX3VL4AAAADklEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==")

ALICE = resources_pb2.Worker(user=resources_pb2.User(id="alice"))
BOB = resources_pb2.Worker(user=resources_pb2.User(id="bob"))
DETECTOR = resources_pb2.Worker(model=resources_pb2.Model(
    id="detector", model_version=resources_pb2.ModelVersion(id="detector-v1")))
TRACKER = resources_pb2.Worker(workflow=resources_pb2.Workflow(
    id="tracker", version=resources_pb2.WorkflowVersion(id="tracker-v1")))
DAVE = resources_pb2.Worker(user=resources_pb2.User(id="dave"))


def region_info(shape: str) -> resources_pb2.RegionInfo:
    return {
        "box": lambda: resources_pb2.RegionInfo(bounding_box=resources_pb2.BoundingBox(
            top_row=0.1, left_col=0.2, bottom_row=0.5, right_col=0.6)),
        "polygon": lambda: resources_pb2.RegionInfo(polygon=resources_pb2.Polygon(points=[
            resources_pb2.Point(row=0.1, col=0.1), resources_pb2.Point(row=0.1, col=0.4),
            resources_pb2.Point(row=0.6, col=0.25)])),
        "point": lambda: resources_pb2.RegionInfo(point=resources_pb2.Point(row=0.7, col=0.3)),
        "mask": lambda: resources_pb2.RegionInfo(mask=resources_pb2.Mask(image=resources_pb2.Image(base64=MASK_PNG))),
    }[shape]()


def scored_concept(concept_id: str, score: float) -> resources_pb2.Concept:
    scores = struct_pb2.Struct()
    scores.update({"prediction_score": score})
    return resources_pb2.Concept(id=concept_id, value=1, metadata=scores)


def frame_annotation(
    id_: str, number: int, shape: str, track: str, concept: str, score: float, *,
    worker: resources_pb2.Worker | None = None, user_id: str = "", task: str = "", task_in: str = "task_id",
    status: int = AWAITING_REVIEW, trusted: bool = False, input_id: str = VIDEO, model_version_id: str = "",
) -> resources_pb2.Annotation:
    """One annotation of one frame (the documentation's rule: one frame, one region each)."""
    annotation = resources_pb2.Annotation(
        id=id_, input_id=input_id, user_id=user_id, trusted=trusted, model_version_id=model_version_id,
        status=status_pb2.Status(code=status),
        data=resources_pb2.Data(frames=[resources_pb2.Frame(
            frame_info=resources_pb2.FrameInfo(number=number, time=number * FRAME_MS),
            data=resources_pb2.Data(regions=[resources_pb2.Region(
                track_id=track, region_info=region_info(shape),
                data=resources_pb2.Data(concepts=[scored_concept(concept, score)]))]))]))
    if worker is not None:
        annotation.worker.CopyFrom(worker)
    if task and task_in == "task_id":
        annotation.task_id = task
    elif task:
        annotation.annotation_info.update({"task_id": task})
    return annotation


# The scene, in the order posted (deliberately not frame order). Frame n is at n * 40 ms.
#
#  id           frame  shape    track     score  worker             task (field)      status                     trusted
#  f5-car         5    box      car-1     0.20   model detector v1  -                 SUCCESS                    yes
#  f2-ball        2    point    ball-1    0.74   bob                task-A (task_id)  PENDING                    no
#  f0-person      0    polygon  person-1  0.50   bob                task-A (info)     AWAITING_REVIEW            no
#  scene-tags     -    concepts only     0.97   dave               -                 AWAITING_REVIEW            no
#  f3-person      3    polygon  person-1  0.30   carol (user_id)    task-B (task_id)  AWAITING_REVIEW            no
#  f1-car         1    box      car-1     0.75   model detector v1  task-A (task_id)  SUCCESS                    yes
#  other-video    0    box      car-9     0.90   alice              task-A (task_id)  AWAITING_REVIEW            no
#  f4-mask        4    mask     person-1  0.99   workflow tracker   task-B (info)     AWAITING_CONSENSUS_REVIEW  no
#  f2-car         2    box      car-1     0.60   alice              task-A (info)     REVIEW_DENIED              yes
#  f0-car         0    box      car-1     0.95   alice              task-A (task_id)  AWAITING_REVIEW            yes
#
# scene-tags has no frame (never streamed); other-video is of another input, dashcam-video-2;
# "info" is annotation_info {"task_id": …} (seed 004's way), task_id the field that replaces it.
SCENE = [
    frame_annotation("f5-car", 5, "box", "car-1", "car", 0.20, worker=DETECTOR, model_version_id="detector-v1",
                     status=ANNOTATION_SUCCESS, trusted=True),
    frame_annotation("f2-ball", 2, "point", "ball-1", "ball", 0.74, worker=BOB, task="task-A", status=PENDING),
    frame_annotation("f0-person", 0, "polygon", "person-1", "person", 0.50, worker=BOB, task="task-A",
                     task_in="annotation_info"),
    resources_pb2.Annotation(id="scene-tags", input_id=VIDEO, worker=DAVE,
                             status=status_pb2.Status(code=AWAITING_REVIEW),
                             data=resources_pb2.Data(concepts=[scored_concept("street", 0.97)])),
    frame_annotation("f3-person", 3, "polygon", "person-1", "person", 0.30, user_id="carol", task="task-B"),
    frame_annotation("f1-car", 1, "box", "car-1", "car", 0.75, worker=DETECTOR, model_version_id="detector-v1",
                     task="task-A", status=ANNOTATION_SUCCESS, trusted=True),
    frame_annotation("other-video", 0, "box", "car-9", "car", 0.90, worker=ALICE, task="task-A",
                     input_id="dashcam-video-2"),
    frame_annotation("f4-mask", 4, "mask", "person-1", "person", 0.99, worker=TRACKER, task="task-B",
                     task_in="annotation_info", status=AWAITING_CONSENSUS_REVIEW),
    frame_annotation("f2-car", 2, "box", "car-1", "car", 0.60, worker=ALICE, task="task-A",
                     task_in="annotation_info", status=REVIEW_DENIED, trusted=True),
    frame_annotation("f0-car", 0, "box", "car-1", "car", 0.95, worker=ALICE, task="task-A", trusted=True),
]

# Frame order; within a frame, the order stored (f0-person before f0-car, f2-ball before f2-car).
STREAM_ORDER = ["f0-person", "f0-car", "f1-car", "f2-ball", "f2-car", "f3-person", "f4-mask", "f5-car"]
# True on the last message of each frame number.
FULLY_PROCESSED = [False, True, True, False, True, True, True, True]

# Per worker: (pending, awaiting_review, success, review_denied, awaiting_consensus_review).
TASK_A_COUNTS = {
    "model:detector": (0, 0, 1, 0, 0),  # f1-car
    "user:alice": (0, 2, 0, 1, 0),  # f0-car, other-video (another input, the same task); f2-car
    "user:bob": (1, 1, 0, 0, 0),  # f2-ball; f0-person
}
TASK_B_COUNTS = {
    "user:carol": (0, 1, 0, 0, 0),  # f3-person (no worker: its user_id)
    "workflow:tracker": (0, 0, 0, 0, 1),  # f4-mask
}
# The workers in the order of their first annotation; those with a trusted annotation.
WORKERS = ["model:detector", "user:bob", "user:dave", "user:carol", "user:alice", "workflow:tracker"]
TRUSTED_WORKERS = {"model:detector", "user:alice"}


# ---------------------------------------------------------------------------------------------
# The emulator and the official stub, over each transport; the scene posted.
# ---------------------------------------------------------------------------------------------

def open_channel(request, emulator, transport: str, options=()) -> grpc.Channel:
    """A connected plain grpcio channel (no retry policy that could hide a failed call)."""
    if transport == "h2c":
        channel = grpc.insecure_channel(emulator.grpc_target, options=list(options))
    else:
        credentials = grpc.ssl_channel_credentials(root_certificates=emulator.ca_pem)
        channel = grpc.secure_channel(emulator.grpc_tls_target, credentials, options=list(options))
    request.addfinalizer(channel.close)  # finalizers run last-in first-out: before the emulator stops
    try:
        grpc.channel_ready_future(channel).result(timeout=CALL_TIMEOUT)
    except grpc.FutureTimeoutError:
        pytest.fail(f"no {transport} connection to the emulator within {CALL_TIMEOUT} s\n"
                    f"stderr:\n{emulator.stderr_text()}", pytrace=False)
    return channel


@pytest.fixture(params=["h2c", "tls"])
def api(request) -> Api:
    emulator = start_for(request, api_key=KEY, user_id=USER_ID, app_id=APP_ID)
    api = Api(service_pb2_grpc.V2Stub(open_channel(request, emulator, request.param)), request.param, emulator)
    post(api, *SCENE)
    return api


def post(api: Api, *annotations) -> None:
    response = api.stub.PostAnnotations(
        service_pb2.PostAnnotationsRequest(user_app_id=userDataObject, annotations=list(annotations)),
        metadata=metadata, timeout=CALL_TIMEOUT)
    assert_success(response, "PostAnnotations")
    assert [a.id for a in response.annotations] == [a.id for a in annotations]


def stream(api: Api, interval_ms: int | None = None, timeout: float = CALL_TIMEOUT, call_metadata=metadata,
           **fields):
    """The call object of StreamAnnotations (an iterator of SingleStreamAnnotationResponse)."""
    pacing = ((PACING, str(interval_ms)),) if interval_ms is not None else ()
    fields.setdefault("user_app_id", userDataObject)
    return api.stub.StreamAnnotations(service_pb2.StreamAnnotationsRequest(**fields),
                                      metadata=call_metadata + pacing, timeout=timeout)


def streamed_ids(api: Api, **fields) -> list[str]:
    responses = list(stream(api, **fields))
    assert all(r.status.code == SUCCESS for r in responses), [r.status for r in responses]
    return [r.annotation.id for r in responses]


def worker_key(worker: resources_pb2.Worker) -> str:
    kind = worker.WhichOneof("worker")
    return f"{kind}:{getattr(worker, kind).id}" if kind else ""


def counts_by_worker(response) -> dict[str, tuple]:
    table = {}
    for count in response.counts:
        key = worker_key(count.worker)
        assert key not in table, f"worker {key} counted twice: {response.counts}"
        # The deprecated user_id is the worker's user (empty for a model or a workflow).
        assert count.user_id == (count.worker.user.id if count.worker.HasField("user") else ""), count
        table[key] = (count.pending, count.awaiting_review, count.success, count.review_denied,
                      count.awaiting_consensus_review)
    return table


def task_count(api: Api, task_id: str, **fields):
    response = api.stub.GetTaskAnnotationCount(
        service_pb2.GetTaskCountRequest(user_app_id=userDataObject, task_id=task_id, **fields),
        metadata=metadata, timeout=CALL_TIMEOUT)
    assert_success(response, f"GetTaskAnnotationCount({task_id}, {fields})")
    assert (response.app_id, response.task_id) == (APP_ID, task_id)
    return response


def list_workers(api: Api, **fields):
    response = api.stub.ListAnnotationWorkers(
        service_pb2.ListAnnotationWorkersRequest(user_app_id=userDataObject, **fields),
        metadata=metadata, timeout=CALL_TIMEOUT)
    assert_success(response, f"ListAnnotationWorkers({fields})")
    return list(response.workers)


def patch_status(api: Api, **fields):
    return api.stub.PatchAnnotationsStatus(
        service_pb2.PatchAnnotationsStatusRequest(user_app_id=userDataObject, **fields),
        metadata=metadata, timeout=CALL_TIMEOUT)


def statuses_of_task(api: Api, task_id: str) -> dict[str, int]:
    """ListAnnotations of the task (models' included): annotation id → status code."""
    response = api.stub.ListAnnotations(
        service_pb2.ListAnnotationsRequest(user_app_id=userDataObject, task_id=task_id,
                                           list_all_annotations=True, per_page=100),
        metadata=metadata, timeout=CALL_TIMEOUT)
    assert_success(response, f"ListAnnotations(task_id={task_id})")
    return {a.id: a.status.code for a in response.annotations}


# ---------------------------------------------------------------------------------------------
# StreamAnnotations: reading everything, each filter.
# ---------------------------------------------------------------------------------------------

def test_stream_reads_every_frame_annotation_in_frame_order(api):
    responses = list(stream(api, input_id=VIDEO))
    assert [r.annotation.id for r in responses] == STREAM_ORDER
    assert [r.frame_fully_processed for r in responses] == FULLY_PROCESSED
    assert [r.annotation.data.frames[0].frame_info.number for r in responses] == [0, 0, 1, 2, 2, 3, 4, 5]
    assert all(r.status.code == SUCCESS for r in responses)
    assert len({r.status.req_id for r in responses}) == 1, "one req_id for the stream"
    # Each message is the annotation as stored, whole (worker, task, scores, trusted...).
    stored = api.stub.GetAnnotation(
        service_pb2.GetAnnotationRequest(user_app_id=userDataObject, input_id=VIDEO, annotation_id="f4-mask"),
        metadata=metadata, timeout=CALL_TIMEOUT)
    assert_success(stored, "GetAnnotation(f4-mask)")
    assert responses[STREAM_ORDER.index("f4-mask")].annotation == stored.annotation
    assert responses[1].annotation.worker == ALICE and responses[1].annotation.task_id == "task-A"


@pytest.mark.parametrize("fields, expected", [
    pytest.param({"track_ids": ["person-1", "ball-1"]}, ["f0-person", "f2-ball", "f3-person", "f4-mask"],
                 id="track_ids"),
    pytest.param({"frame_number_start": 2}, ["f2-ball", "f2-car", "f3-person", "f4-mask", "f5-car"],
                 id="frame_number_start"),
    pytest.param({"frame_time_start": 120}, ["f3-person", "f4-mask", "f5-car"], id="frame_time_start"),
    pytest.param({"annotation_type": resources_pb2.POLYGON | resources_pb2.MASK},
                 ["f0-person", "f3-person", "f4-mask"], id="annotation_type"),
    # Frames [1, 1 + 3 - 1] = 1, 2, 3.
    pytest.param({"frame_number_start": 1, "max_frames": 3}, ["f1-car", "f2-ball", "f2-car", "f3-person"],
                 id="max_frames"),
    # Times [40, 40 + 80 - 1] = 40…119 ms: frames 1 and 2, not frame 3 at 120 ms.
    pytest.param({"frame_time_start": 40, "max_duration": 80}, ["f1-car", "f2-ball", "f2-car"], id="max_duration"),
    pytest.param({"worker": BOB}, ["f0-person", "f2-ball"], id="worker"),
    # At least 0.75 (inclusive; both values exact in binary): not f2-ball's 0.74.
    pytest.param({"min_prediction_score": 0.75}, ["f0-car", "f1-car", "f4-mask"], id="min_prediction_score"),
])
def test_stream_filter(api, fields, expected):
    responses = list(stream(api, input_id=VIDEO, **fields))
    assert [r.annotation.id for r in responses] == expected
    # frame_fully_processed is about the frames of this selection.
    frames = [r.annotation.data.frames[0].frame_info.number for r in responses]
    assert [r.frame_fully_processed for r in responses] == [
        i == len(frames) - 1 or frames[i + 1] != frames[i] for i in range(len(frames))]


def test_stream_worker_filter_of_a_model(api):
    assert streamed_ids(api, input_id=VIDEO, worker=DETECTOR) == ["f1-car", "f5-car"]


def test_stream_worker_filter_names_a_model_version(api):
    other_version = resources_pb2.Worker(model=resources_pb2.Model(
        id="detector", model_version=resources_pb2.ModelVersion(id="detector-v2")))
    assert streamed_ids(api, input_id=VIDEO, worker=other_version) == []


def test_stream_of_an_input_without_frame_annotations_is_empty(api):
    assert list(stream(api, input_id="no-such-video")) == []
    assert list(stream(api, input_id=VIDEO, track_ids=["no-such-track"])) == []


# ---------------------------------------------------------------------------------------------
# StreamAnnotations: refused calls, and the ways a stream ends early.
# ---------------------------------------------------------------------------------------------

def test_stream_with_a_bad_key_is_one_refusal(api):
    responses = list(stream(api, call_metadata=(("authorization", "Key not-the-key"),), input_id=VIDEO))
    assert len(responses) == 1, responses
    assert responses[0].status.code == CONN_KEY_INVALID, responses[0].status
    assert not responses[0].HasField("annotation")


def test_stream_without_input_id_is_one_invalid_request(api):
    responses = list(stream(api, track_ids=["car-1"]))
    assert len(responses) == 1, responses
    assert responses[0].status.code == CONN_INVALID_REQUEST, responses[0].status
    assert "input_id" in responses[0].status.description
    assert not responses[0].HasField("annotation")


def test_stream_cancelled_after_the_first_message(api):
    started = time.monotonic()
    call = stream(api, interval_ms=150, input_id=VIDEO)  # 8 x 150 ms = 1.2 s to the end
    assert next(call).annotation.id == STREAM_ORDER[0]
    call.cancel()
    with pytest.raises(grpc.RpcError) as ended:
        next(call)
    assert ended.value.code() == grpc.StatusCode.CANCELLED, ended.value
    assert time.monotonic() - started < 0.9, "the cancelled call waited for the rest of the stream"
    # The same channel carries the next call, read to its end.
    assert streamed_ids(api, input_id=VIDEO) == STREAM_ORDER


def test_stream_to_a_slow_reader_delivers_everything(api, request):
    """1.2 MB of messages to a reader whose HTTP/2 windows stay at 64 KiB (grpcio's BDP probing,
    which would widen them, off): while the reader sleeps the emulator must hold the rest back
    (and answer calls on another connection), then resume where it stopped."""
    count = 300
    video = "long-video"
    padded = [frame_annotation(f"long-{i:03d}", i, "box", "car-1", "car-" + "x" * 4000, 0.5, worker=ALICE,
                               input_id=video) for i in range(count)]
    for first in range(0, count, 128):
        post(api, *padded[first:first + 128])
    narrow = open_channel(request, api.emulator, api.transport, options=[("grpc.http2.bdp_probe", 0)])
    reader = Api(service_pb2_grpc.V2Stub(narrow), api.transport, api.emulator)
    other = api  # the fixture's connection
    call = stream(reader, input_id=video, timeout=60)
    received = [next(call).annotation.id for _ in range(10)]
    paused_until = time.monotonic() + 1.0
    while time.monotonic() < paused_until:  # the reader stops; a second connection is served meanwhile
        assert len(list_workers(other)) == len(WORKERS)
        time.sleep(0.1)
    for i, response in enumerate(call):
        assert response.status.code == SUCCESS, response.status
        received.append(response.annotation.id)
        if i % 5 == 0:
            time.sleep(0.002)
        if i % 100 == 0:
            time.sleep(0.2)
    assert received == [f"long-{i:03d}" for i in range(count)]


def test_stream_deadline_ends_it_in_time(api):
    received = []
    started = time.monotonic()
    with pytest.raises(grpc.RpcError) as ended:
        for response in stream(api, interval_ms=200, timeout=0.5, input_id=VIDEO):  # 8 x 200 ms = 1.6 s
            received.append(response.annotation.id)
    elapsed = time.monotonic() - started
    assert ended.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED, ended.value
    assert 1 <= len(received) < len(STREAM_ORDER), received  # about 2 (at 200 and 400 ms)
    assert received == STREAM_ORDER[:len(received)]
    assert 0.45 <= elapsed < 1.4, f"the deadline of 0.5 s ended the call after {elapsed:.2f} s"
    # The channel is still usable.
    assert streamed_ids(api, input_id=VIDEO, max_frames=1) == ["f0-person", "f0-car"]


# ---------------------------------------------------------------------------------------------
# PatchAnnotationsStatus.
# ---------------------------------------------------------------------------------------------

def test_patch_status_of_one_users_annotations_awaiting_review(api):
    before = statuses_of_task(api, "task-A")
    response = patch_status(api, task_id="task-A", user_ids=["alice"], status_codes=[AWAITING_REVIEW],
                            status_code=ANNOTATION_SUCCESS, action="overwrite")
    assert_success(response, "PatchAnnotationsStatus")
    # alice's task-A annotations awaiting review: f0-car and other-video (f2-car is REVIEW_DENIED).
    assert response.updated_count == 2
    assert list(response.user_ids) == ["alice"]
    after = statuses_of_task(api, "task-A")
    assert after == {**before, "f0-car": ANNOTATION_SUCCESS, "other-video": ANNOTATION_SUCCESS}
    assert after == {"f2-ball": PENDING, "f0-person": AWAITING_REVIEW, "f1-car": ANNOTATION_SUCCESS,
                     "other-video": ANNOTATION_SUCCESS, "f2-car": REVIEW_DENIED, "f0-car": ANNOTATION_SUCCESS}
    # The other task is untouched.
    assert statuses_of_task(api, "task-B") == {"f3-person": AWAITING_REVIEW, "f4-mask": AWAITING_CONSENSUS_REVIEW}


def test_patch_status_by_status_codes_then_the_counts_follow(api):
    # Every worker's task-B annotations awaiting (consensus) review are denied: f3-person by
    # carol (user_id) and f4-mask by the tracker workflow (no user).
    response = patch_status(api, task_id="task-B", status_codes=[AWAITING_REVIEW, AWAITING_CONSENSUS_REVIEW],
                            status_code=REVIEW_DENIED)
    assert_success(response, "PatchAnnotationsStatus")
    assert response.updated_count == 2
    assert list(response.user_ids) == ["carol"]
    assert statuses_of_task(api, "task-B") == {"f3-person": REVIEW_DENIED, "f4-mask": REVIEW_DENIED}
    assert counts_by_worker(task_count(api, "task-B")) == {
        "user:carol": (0, 0, 0, 1, 0), "workflow:tracker": (0, 0, 0, 1, 0)}
    # Two users, every status: alice's three and bob's two task-A annotations.
    response = patch_status(api, task_id="task-A", user_ids=["alice", "bob"], status_code=AWAITING_REVIEW)
    assert_success(response, "PatchAnnotationsStatus")
    assert response.updated_count == 5
    assert list(response.user_ids) == ["alice", "bob"]
    assert counts_by_worker(task_count(api, "task-A")) == {
        "model:detector": (0, 0, 1, 0, 0), "user:alice": (0, 3, 0, 0, 0), "user:bob": (0, 2, 0, 0, 0)}


def test_patch_status_that_matches_nothing(api):
    before = statuses_of_task(api, "task-A")
    for fields in ({"user_ids": ["nobody"]}, {"status_codes": [status_code_pb2.ANNOTATION_FAILED]}):
        response = patch_status(api, task_id="task-A", status_code=ANNOTATION_SUCCESS, **fields)
        assert_success(response, f"PatchAnnotationsStatus({fields})")
        assert (response.updated_count, list(response.user_ids)) == (0, []), response
    response = patch_status(api, task_id="no-such-task", status_code=ANNOTATION_SUCCESS)
    assert_success(response, "PatchAnnotationsStatus(no-such-task)")
    assert response.updated_count == 0
    assert statuses_of_task(api, "task-A") == before


@pytest.mark.parametrize("fields, field", [
    pytest.param({"status_code": ANNOTATION_SUCCESS}, "task_id", id="no-task_id"),
    pytest.param({"task_id": "task-A"}, "status_code", id="no-status_code"),
    pytest.param({"task_id": "task-A", "status_code": ANNOTATION_SUCCESS, "action": "merge"}, "action",
                 id="action-merge"),  # "'overwrite' is supported"
])
def test_patch_status_refused(api, fields, field):
    before = statuses_of_task(api, "task-A")
    response = patch_status(api, **fields)
    assert response.status.code == CONN_INVALID_REQUEST, response.status
    assert field in response.status.description, response.status
    assert response.updated_count == 0
    assert statuses_of_task(api, "task-A") == before


# ---------------------------------------------------------------------------------------------
# GetTaskAnnotationCount.
# ---------------------------------------------------------------------------------------------

def test_task_count_per_worker(api):
    assert counts_by_worker(task_count(api, "task-A")) == TASK_A_COUNTS
    assert counts_by_worker(task_count(api, "task-B")) == TASK_B_COUNTS
    assert list(task_count(api, "no-such-task").counts) == []


def test_task_count_filters_are_a_union(api):
    assert counts_by_worker(task_count(api, "task-A", user_ids=["bob"])) == {"user:bob": TASK_A_COUNTS["user:bob"]}
    # "these user_ids are OR'd with them [model_version_ids]".
    assert counts_by_worker(task_count(api, "task-A", user_ids=["bob"], model_version_ids=["detector-v1"])) == {
        "user:bob": TASK_A_COUNTS["user:bob"], "model:detector": TASK_A_COUNTS["model:detector"]}
    assert counts_by_worker(task_count(api, "task-A", user_ids=["carol"])) == {}  # carol is in task-B only


def test_task_count_without_task_id_is_refused(api):
    response = api.stub.GetTaskAnnotationCount(
        service_pb2.GetTaskCountRequest(user_app_id=userDataObject), metadata=metadata, timeout=CALL_TIMEOUT)
    assert response.status.code == CONN_INVALID_REQUEST, response.status
    assert "task_id" in response.status.description


def test_task_count_by_workflow_version(api):
    assert counts_by_worker(task_count(api, "task-B", workflow_version_ids=["tracker-v1"])) == {
        "workflow:tracker": TASK_B_COUNTS["workflow:tracker"]}


def test_task_count_by_the_model_version_of_the_worker(api):
    segmenter = resources_pb2.Worker(model=resources_pb2.Model(
        id="segmenter", model_version=resources_pb2.ModelVersion(id="segmenter-v3")))
    post(api, frame_annotation("f6-road", 6, "mask", "road-1", "road", 0.9, worker=segmenter, task="task-B",
                               status=ANNOTATION_SUCCESS))
    assert counts_by_worker(task_count(api, "task-B", model_version_ids=["segmenter-v3"])) == {
        "model:segmenter": (0, 0, 1, 0, 0)}


# ---------------------------------------------------------------------------------------------
# ListAnnotationWorkers.
# ---------------------------------------------------------------------------------------------

def test_list_workers_of_the_app(api):
    workers = list_workers(api)  # per_page 0: 128
    assert sorted(worker_key(w) for w in workers) == sorted(WORKERS)
    by_key = {worker_key(w): w for w in workers}
    assert by_key["model:detector"] == DETECTOR
    assert by_key["workflow:tracker"] == TRACKER
    assert by_key["user:carol"] == resources_pb2.Worker(user=resources_pb2.User(id="carol")), "from its user_id"


def test_list_workers_page_by_page(api):
    everyone = [worker_key(w) for w in list_workers(api)]
    pages = [[worker_key(w) for w in list_workers(api, page=page, per_page=4)] for page in (1, 2, 3)]
    assert [len(page) for page in pages] == [4, 2, 0]
    assert pages[0] + pages[1] == everyone, "pages are consecutive slices of one order"
    assert [worker_key(w) for w in list_workers(api, page=0, per_page=4)] == pages[0], "page 0 is page 1"
    assert [worker_key(w) for w in list_workers(api, page=6, per_page=1)] == [everyone[5]]


def test_list_workers_trusted_only(api):
    assert {worker_key(w) for w in list_workers(api, trusted_only=True)} == TRUSTED_WORKERS
    assert len(list_workers(api, trusted_only=True, per_page=1)) == 1


def test_list_workers_leaves_out_real_names_unless_asked(api):
    named = resources_pb2.Worker(user=resources_pb2.User(id="erin", first_name="Erin", last_name="Example"))
    post(api, frame_annotation("f7-sign", 7, "point", "sign-1", "sign", 0.8, worker=named))
    [erin] = [w for w in list_workers(api) if worker_key(w) == "user:erin"]
    assert (erin.user.first_name, erin.user.last_name) == ("", "")
    [erin] = [w for w in list_workers(api, additional_fields=["names"]) if worker_key(w) == "user:erin"]
    assert (erin.user.first_name, erin.user.last_name) == ("Erin", "Example")


def test_new_calls_with_a_bad_key_are_refused(api):
    bad = (("authorization", "Key not-the-key"),)
    calls = [
        (api.stub.PatchAnnotationsStatus, service_pb2.PatchAnnotationsStatusRequest(
            task_id="task-A", status_code=ANNOTATION_SUCCESS)),
        (api.stub.GetTaskAnnotationCount, service_pb2.GetTaskCountRequest(task_id="task-A")),
        (api.stub.ListAnnotationWorkers, service_pb2.ListAnnotationWorkersRequest()),
    ]
    for method, request in calls:
        response = method(request, metadata=bad, timeout=CALL_TIMEOUT)
        assert response.status.code == CONN_KEY_INVALID, (type(request).__name__, response.status)
    assert statuses_of_task(api, "task-A")["f0-car"] == AWAITING_REVIEW, "a refused patch changed something"
