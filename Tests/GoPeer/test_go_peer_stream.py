"""The Go peer's server-streaming `StreamAnnotations`, with the OFFICIAL client (`V2Stub` over
grpcio): order and filters, then the ways a stream ends (read to the end, the client stops
early, a slow reader under flow control, the client's deadline). Each test has its own peer.

`x-stream-interval-ms` (request metadata) makes the peer pause before each message, so that
the stream is still running when the client stops reading or its deadline passes.
"""

from __future__ import annotations

import threading
import time

import grpc
import pytest
from clarifai_grpc.grpc.api import resources_pb2, service_pb2
from clarifai_grpc.grpc.api.status import status_code_pb2

from gopeer_support import CALL_TIMEOUT, METADATA, channel_to, start_peer, stub_for
from clarifai_grpc.grpc.api import service_pb2_grpc

SUCCESS = status_code_pb2.SUCCESS
CONN_INVALID_REQUEST = status_code_pb2.CONN_INVALID_REQUEST
VIDEO = "video-1"


def frame_annotation(id_: str, number: int, time_ms: int, track: str = "t1", input_id: str = VIDEO,
                     shape: str = "bbox", worker: str = "alice", padding: str = "") -> resources_pb2.Annotation:
    region_info = {
        "bbox": resources_pb2.RegionInfo(bounding_box=resources_pb2.BoundingBox(top_row=0.1, left_col=0.1,
                                                                                 bottom_row=0.5, right_col=0.5)),
        "polygon": resources_pb2.RegionInfo(polygon=resources_pb2.Polygon(points=[resources_pb2.Point(row=0.1, col=0.2)])),
    }[shape]
    region = resources_pb2.Region(id=f"{id_}-r", track_id=track, region_info=region_info,
                                  data=resources_pb2.Data(concepts=[resources_pb2.Concept(id="car" + padding, value=1)]))
    return resources_pb2.Annotation(
        id=id_, input_id=input_id, worker=resources_pb2.Worker(user=resources_pb2.User(id=worker)),
        data=resources_pb2.Data(frames=[resources_pb2.Frame(
            frame_info=resources_pb2.FrameInfo(number=number, time=time_ms),
            data=resources_pb2.Data(regions=[region]))]))


def post(stub, annotations, batch: int = 500) -> None:
    for start in range(0, len(annotations), batch):
        response = stub.PostAnnotations(service_pb2.PostAnnotationsRequest(annotations=annotations[start:start + batch]),
                                        metadata=METADATA, timeout=CALL_TIMEOUT)
        assert response.status.code == SUCCESS, response.status


def stream(stub, interval_ms: float | None = None, timeout: float = CALL_TIMEOUT, **fields):
    metadata = METADATA + ((("x-stream-interval-ms", str(interval_ms)),) if interval_ms is not None else ())
    return stub.StreamAnnotations(service_pb2.StreamAnnotationsRequest(**fields), metadata=metadata, timeout=timeout)


# Posted out of order; frame 1 has two annotations (two tracks), stored apart.
SCENE = [
    frame_annotation("f5", 5, 500),
    frame_annotation("f1a", 1, 100),
    frame_annotation("f3", 3, 300, shape="polygon", worker="bob"),
    frame_annotation("f2", 2, 200, track="t2"),
    frame_annotation("f1b", 1, 100, track="t2"),
    frame_annotation("f4", 4, 400, track="t2", shape="polygon"),
    frame_annotation("other", 1, 100, input_id="video-2"),
    resources_pb2.Annotation(id="no-frames", input_id=VIDEO, data=resources_pb2.Data(
        concepts=[resources_pb2.Concept(id="scene", value=1)])),
]


@pytest.fixture
def peer(request):
    return start_peer(request)


@pytest.fixture
def scene(request, peer):
    stub = stub_for(request, peer)
    post(stub, SCENE)
    return stub


def test_reads_all_in_frame_order(scene):
    responses = list(stream(scene, input_id=VIDEO))
    assert [r.annotation.id for r in responses] == ["f1a", "f1b", "f2", "f3", "f4", "f5"]
    assert [r.frame_fully_processed for r in responses] == [False, True, True, True, True, True]
    assert all(r.status.code == SUCCESS for r in responses)
    stored = scene.GetAnnotation(service_pb2.GetAnnotationRequest(annotation_id="f3"), metadata=METADATA,
                                 timeout=CALL_TIMEOUT).annotation
    assert responses[3].annotation == stored


@pytest.mark.parametrize("fields, expected", [
    ({"track_ids": ["t2"]}, ["f1b", "f2", "f4"]),
    ({"track_ids": ["t1", "t2"]}, ["f1a", "f1b", "f2", "f3", "f4", "f5"]),
    ({"frame_number_start": 3}, ["f3", "f4", "f5"]),
    ({"max_frames": 2}, ["f1a", "f1b"]),  # frame numbers 0 and 1
    ({"frame_number_start": 1, "max_frames": 2}, ["f1a", "f1b", "f2"]),
    ({"frame_number_start": 2, "max_frames": 2}, ["f2", "f3"]),
    ({"frame_time_start": 200, "max_duration": 200}, ["f2", "f3"]),
    ({"max_duration": 150}, ["f1a", "f1b"]),  # times 0 to 149 ms
    ({"frame_time_start": 100, "max_duration": 150}, ["f1a", "f1b", "f2"]),
    ({"annotation_type": resources_pb2.POLYGON}, ["f3", "f4"]),
    ({"annotation_type": resources_pb2.BOUNDING_BOX | resources_pb2.POLYGON}, ["f1a", "f1b", "f2", "f3", "f4", "f5"]),
    ({"annotation_type": resources_pb2.MASK}, []),
    ({"worker": resources_pb2.Worker(user=resources_pb2.User(id="bob"))}, ["f3"]),
    ({"track_ids": ["t2"], "annotation_type": resources_pb2.POLYGON}, ["f4"]),
], ids=lambda v: str(v) if isinstance(v, list) else None)
def test_filters(scene, fields, expected):
    assert [r.annotation.id for r in stream(scene, input_id=VIDEO, **fields)] == expected


def test_an_unknown_input_streams_nothing(scene):
    assert list(stream(scene, input_id="video-9")) == []


def test_no_input_id_is_one_invalid_request_message(scene):
    responses = list(stream(scene))
    assert [r.status.code for r in responses] == [CONN_INVALID_REQUEST]


def test_the_client_stops_early(request, peer):
    stub = stub_for(request, peer)
    post(stub, [frame_annotation(f"f{i}", i, i * 40) for i in range(1000)])
    call = stream(stub, interval_ms=2, input_id=VIDEO)  # about 2 s in all
    first = [next(call).annotation.id for _ in range(10)]
    assert first == [f"f{i}" for i in range(10)]
    call.cancel()
    with pytest.raises(grpc.RpcError) as ended:
        for _ in call:
            pass
    assert ended.value.code() == grpc.StatusCode.CANCELLED
    # The peer carries on: a new stream reads to the end.
    assert len(list(stream(stub, input_id=VIDEO, max_frames=20))) == 20
    time.sleep(0.1)  # the peer notices the cancellation within one interval
    summary = peer.stop()
    assert summary["STREAMS"] == 2 and summary["CANCELLED"] == 1, summary


def test_a_slow_reader_gets_everything_in_order(request, peer):
    """12 MB of messages, far beyond the HTTP/2 windows: the peer blocks in Send while the reader
    sleeps, keeps serving other calls, and resumes when the reader does."""
    stub = stub_for(request, peer)
    count = 3000
    post(stub, [frame_annotation(f"f{i:04d}", i, i * 40, padding="x" * 4000) for i in range(count)])
    other = service_pb2_grpc.V2Stub(channel_to(request, peer))  # a second connection
    call = stream(stub, input_id=VIDEO, timeout=60)
    started = time.monotonic()
    ids = [next(call).annotation.id for _ in range(10)]
    paused_until = time.monotonic() + 1.0
    while time.monotonic() < paused_until:  # the reader stops reading; others are served meanwhile
        response = other.ListAnnotations(service_pb2.ListAnnotationsRequest(per_page=1), metadata=METADATA, timeout=2)
        assert response.status.code == SUCCESS
        time.sleep(0.1)
    for i, response in enumerate(call):
        ids.append(response.annotation.id)
        if i % 500 == 0:
            time.sleep(0.05)
    assert ids == [f"f{i:04d}" for i in range(count)]
    assert time.monotonic() - started >= 1.0
    summary = peer.stop()
    assert summary["STREAMS"] == 1 and summary["CANCELLED"] == 0, summary


def test_the_clients_deadline_ends_the_stream(request, peer):
    stub = stub_for(request, peer)
    post(stub, [frame_annotation(f"f{i}", i, i * 40) for i in range(100)])
    received = []
    started = time.monotonic()
    with pytest.raises(grpc.RpcError) as ended:
        for response in stream(stub, interval_ms=50, timeout=0.5, input_id=VIDEO):  # 100 x 50 ms = 5 s
            received.append(response.annotation.id)
    elapsed = time.monotonic() - started
    assert ended.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED
    assert 3 <= len(received) <= 10, received
    assert received == [f"f{i}" for i in range(len(received))]
    assert elapsed < 2.0
    time.sleep(0.2)
    summary = peer.stop()
    assert summary["CANCELLED"] == 1, summary


def test_the_interval_flag_paces_every_stream(request):
    peer = start_peer(request, ["--stream-interval-ms", "100"])
    stub = stub_for(request, peer)
    post(stub, [frame_annotation(f"f{i}", i, i * 40) for i in range(5)])
    started = time.monotonic()
    assert len(list(stream(stub, input_id=VIDEO))) == 5
    assert time.monotonic() - started >= 0.45
    started = time.monotonic()
    assert len(list(stream(stub, interval_ms=0, input_id=VIDEO))) == 5  # the metadata overrides it
    assert time.monotonic() - started < 0.4


def test_concurrent_streams(request, peer):
    stub = stub_for(request, peer)
    post(stub, [frame_annotation(f"f{i:03d}", i, i * 40) for i in range(200)])
    results, errors = [], []

    def read_all():
        try:
            results.append([r.annotation.id for r in stream(stub, interval_ms=1, input_id=VIDEO, timeout=20)])
        except grpc.RpcError as exc:  # reported below, with the others
            errors.append(exc)

    threads = [threading.Thread(target=read_all) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors and len(results) == 8
    assert all(ids == [f"f{i:03d}" for i in range(200)] for ids in results)
