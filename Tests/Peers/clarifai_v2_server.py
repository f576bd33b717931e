#!/usr/bin/env python3
"""A Clarifai `V2` gRPC server on the OFFICIAL clarifai-grpc stubs, with an in-memory store.

Implements PostAnnotations, ListAnnotations, GetAnnotation, PatchAnnotations,
DeleteAnnotation and DeleteAnnotations (`/clarifai.api.V2/<Method>`), and the four newer
calls with the semantics of the Swift emulator (Sources/AnnotationsEmulator/
StreamAnnotations.swift, TaskReview.swift, AnnotationWorkers.swift), on the one store:

  StreamAnnotations (server streaming)  the annotations of `input_id` that have frames, one
      message each, ordered by frames[0].frame_info.number, then time, then storage order;
      filters frame_number_start/max_frames, frame_time_start/max_duration (inclusive windows,
      unset or larger: 216000 frames / 3600000 ms), track_ids, annotation_type (bit flags),
      worker, min_prediction_score; status 10000 (one req_id per stream) and
      frame_fully_processed on the last message of each frame number. Nothing matches: no
      message. A refusal (key, no input_id: 11102) is one message. A snapshot at the start.
  PatchAnnotationsStatus   sets status_code on the annotations of task_id (the annotation's
      task_id, else annotation_info.task_id) of user_ids whose code is in status_codes.
  GetTaskAnnotationCount   the task's annotations counted per worker by review status.
  ListAnnotationWorkers    the distinct workers, in first-stored order, paged (128, max 1000).

The worker of an annotation is its `worker`, else a user worker for its `user_id`.
Every other V2 method answers UNIMPLEMENTED (the stubs' own V2Servicer behaviour).

Metadata `x-stream-interval-ms: N` (0...10000) makes StreamAnnotations pause N ms before each
message, as the emulator does. A stream whose call ends early (the client cancels, the
deadline passes) stops at once: each pause wakes when the call ends, and context.is_active()
is checked before each message.

Auth as Clarifai does it: when the `authorization` metadata is missing or not `Key <token>`
(or, with --api-key, not exactly `Key <that key>`) the call still ends with gRPC status OK and
the response body carries status.code 11008 (CONN_KEY_INVALID).

--record FILE appends one JSON line per request the server decodes, before it is handled:
  {"method": "PostAnnotations",
   "request_b64": base64 of the decoded request re-serialized (request.SerializeToString()),
   "raw_b64":     base64 of the exact message bytes the client sent (no 5-byte prefix),
   "metadata":    {key: value, ...}   (see README.md for which keys grpcio exposes)}
A request that fails to decode is recorded with "error" and no "request_b64" (grpcio then
ends the call with INTERNAL).

--script FILE scripts the next calls, one JSON object per line, consumed in order by the
calls as they arrive (after the script runs out, calls are handled normally):
  {"grpc": 14, "message": "m"}      end the call with that gRPC status, handling nothing
  {"status": 10030, "items": [...]} answer that Clarifai status; for annotation lists, the
                                    request's annotations come back each with the status
                                    code given in "items" (in order)
  {"then_grpc": 14}                 handle the call (store, delete…), then lose the answer:
                                    end with that gRPC status instead
  {"sleep_ms": 300}                 sleep, then handle the call normally
  {"pass": true}                    handle the call normally
For StreamAnnotations, "status" is one message with that status, "sleep_ms" pauses before
the stream, and "then_grpc" ends the call with that gRPC status after the messages.

Prints `PORT <n>` once listening, and on exit `STREAMS <m> CANCELLED <c> SENT <s>`:
StreamAnnotations calls, those that ended before their last message (cancel, deadline), and
the stream messages whose send grpcio completed while the call lived (the generator resumed
after the yield), counted when the stop was asked for (see peer_common.py for the lifecycle).
"""

from __future__ import annotations

import argparse
import base64
import json
import math
import os
import struct
import sys
import threading
import time
import uuid
from concurrent import futures

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import grpc  # noqa: E402
from clarifai_grpc.grpc.api import resources_pb2, service_pb2, service_pb2_grpc  # noqa: E402,F401
from clarifai_grpc.grpc.api.status import status_code_pb2, status_pb2  # noqa: E402
from google.protobuf import timestamp_pb2  # noqa: E402

from peer_common import (  # noqa: E402
    Lifecycle, add_common_args, hard_exit, log, metadata_to_json, read_file_bytes, stdout_line,
)

MIB = 1024 * 1024
SUCCESS = status_code_pb2.SUCCESS                      # 10000
CONN_KEY_INVALID = status_code_pb2.CONN_KEY_INVALID    # 11008
CONN_DOES_NOT_EXIST = status_code_pb2.CONN_DOES_NOT_EXIST  # 11101
CONN_INVALID_REQUEST = status_code_pb2.CONN_INVALID_REQUEST  # 11102
ANNOTATION_SUCCESS = status_code_pb2.ANNOTATION_SUCCESS  # 24150


# ---------------------------------------------------------------------------------------------
# Recording: wrap the stubs' request deserializers so the exact wire bytes are seen.
# ---------------------------------------------------------------------------------------------

class Recorder:
    def __init__(self, path: str | None) -> None:
        self._lock = threading.Lock()
        self._file = open(path, "a", encoding="utf-8") if path else None

    def record(self, entry: dict) -> None:
        if self._file is None:
            return
        line = json.dumps(entry, ensure_ascii=False, sort_keys=True)
        with self._lock:
            self._file.write(line + "\n")
            self._file.flush()


class _RecordingGenericHandler(grpc.GenericRpcHandler):
    """Delegates to the stubs' generic handler; swaps in a deserializer that records."""

    def __init__(self, inner: grpc.GenericRpcHandler, recorder: Recorder) -> None:
        self._inner = inner
        self._recorder = recorder

    def service(self, handler_call_details):
        handler = self._inner.service(handler_call_details)
        if handler is None or handler.request_deserializer is None:
            return handler
        method = handler_call_details.method.rsplit("/", 1)[-1]
        metadata = metadata_to_json(handler_call_details.invocation_metadata)
        decode = handler.request_deserializer
        recorder = self._recorder

        def recording_deserializer(raw: bytes):
            entry = {"method": method, "raw_b64": base64.b64encode(raw).decode("ascii"),
                     "metadata": metadata}
            try:
                message = decode(raw)
            except Exception as exc:
                entry["error"] = f"{type(exc).__name__}: {exc}"
                recorder.record(entry)
                log(f"{method}: request does not decode: {exc}")
                raise
            entry["request_b64"] = base64.b64encode(message.SerializeToString()).decode("ascii")
            recorder.record(entry)
            return message

        return handler._replace(request_deserializer=recording_deserializer)


class _ServerProxy:
    """What `add_V2Servicer_to_server` registers on: wraps its handlers, forwards the rest."""

    def __init__(self, server: grpc.Server, recorder: Recorder) -> None:
        self._server = server
        self._recorder = recorder

    def add_generic_rpc_handlers(self, handlers) -> None:
        self._server.add_generic_rpc_handlers(
            tuple(_RecordingGenericHandler(h, self._recorder) for h in handlers))

    def add_registered_method_handlers(self, service_name, method_handlers) -> None:
        # Newer generated stubs also pre-register methods; wrapping only the generic
        # handlers would let those bypass the recorder, so route them generically too.
        generic = grpc.method_handlers_generic_handler(service_name, method_handlers)
        self.add_generic_rpc_handlers((generic,))

    def __getattr__(self, name):
        return getattr(self._server, name)


# ---------------------------------------------------------------------------------------------
# The servicer.
# ---------------------------------------------------------------------------------------------

def _status(code: int, description: str, details: str = "") -> status_pb2.Status:
    return status_pb2.Status(code=code, description=description, details=details,
                             req_id=uuid.uuid4().hex)


class Script:
    """The scripted outcomes of the next calls (see --script)."""

    def __init__(self, path: str | None) -> None:
        self._lock = threading.Lock()
        self._steps: list[dict] = []
        if path:
            with open(path, encoding="utf-8") as f:
                self._steps = [json.loads(line) for line in f if line.strip()]

    def next(self) -> dict:
        with self._lock:
            return self._steps.pop(0) if self._steps else {"pass": True}


_RESPONSE_TYPES = {
    "PostAnnotations": service_pb2.MultiAnnotationResponse,
    "ListAnnotations": service_pb2.MultiAnnotationResponse,
    "PatchAnnotations": service_pb2.MultiAnnotationResponse,
    "GetAnnotation": service_pb2.SingleAnnotationResponse,
    "DeleteAnnotation": status_pb2.BaseResponse,
    "DeleteAnnotations": status_pb2.BaseResponse,
    "PatchAnnotationsStatus": service_pb2.PatchAnnotationsStatusResponse,
    "GetTaskAnnotationCount": service_pb2.SingleTaskCountResponse,
    "ListAnnotationWorkers": service_pb2.MultiWorkerResponse,
}


def scripted(method):
    """Runs the next step of the script around a servicer method."""
    name = method.__name__

    def wrapper(self, request, context):
        step = self._script.next()
        if "grpc" in step:
            context.abort(_CODES[step["grpc"]], step.get("message", "scripted"))
        if "status" in step:
            response = _RESPONSE_TYPES[name](status=_status(step["status"], step.get("description", "scripted")))
            if name in ("PostAnnotations", "PatchAnnotations"):
                for given, code in zip(request.annotations, step.get("items", [])):
                    item = response.annotations.add()
                    item.CopyFrom(given)
                    item.status.code = code
            return response
        if "sleep_ms" in step:
            time.sleep(step["sleep_ms"] / 1000)
        response = method(self, request, context)
        if "then_grpc" in step:
            context.abort(_CODES[step["then_grpc"]], "scripted: the answer was lost")
        return response

    wrapper.__name__ = name
    return wrapper


def scripted_stream(method):
    """`scripted` for a server-streaming method (a generator): see --script."""
    name = method.__name__

    def wrapper(self, request, context):
        step = self._script.next()
        if "grpc" in step:
            context.abort(_CODES[step["grpc"]], step.get("message", "scripted"))
        if "status" in step:
            yield service_pb2.SingleStreamAnnotationResponse(
                status=_status(step["status"], step.get("description", "scripted")))
            return
        if "sleep_ms" in step:
            time.sleep(step["sleep_ms"] / 1000)
        yield from method(self, request, context)
        if "then_grpc" in step and context.is_active():
            context.abort(_CODES[step["then_grpc"]], "scripted: the answer was lost")

    wrapper.__name__ = name
    return wrapper


_CODES = {c.value[0]: c for c in grpc.StatusCode}


# ---------------------------------------------------------------------------------------------
# The rules of the four newer calls, ported from the emulator (Sources/AnnotationsEmulator).
# ---------------------------------------------------------------------------------------------

# StreamAnnotations without max_frames / max_duration, and their maxima (AnnotationStore
# .maxStreamFrames / .maxStreamDuration): 60 minutes at 60 frames per second.
MAX_STREAM_FRAMES = 216_000
MAX_STREAM_DURATION_MS = 3_600_000
UINT64_MAX = 2**64 - 1
# The pacing header of StreamedBody.swift, and its bounds (ms).
STREAM_INTERVAL_HEADER = "x-stream-interval-ms"
MAX_STREAM_INTERVAL_MS = 10_000
# ListAnnotationWorkers' page size when per_page is 0, and the largest honoured.
DEFAULT_WORKERS_PER_PAGE = 128
MAX_PER_PAGE = 1000
# The AnnotationDataType bits (resources.proto).
_TAG = resources_pb2.TAG
_SHAPE_BITS = (("bounding_box", resources_pb2.BOUNDING_BOX), ("polygon", resources_pb2.POLYGON),
               ("point", resources_pb2.POINT), ("span", resources_pb2.SPAN),
               ("mask", resources_pb2.MASK))
# AnnotationStatusText in Support.swift: the descriptions an annotation status gets.
_ANNOTATION_STATUS_TEXT = {
    status_code_pb2.ANNOTATION_SUCCESS: "Annotation success",
    status_code_pb2.ANNOTATION_PENDING: "Annotation pending",
    status_code_pb2.ANNOTATION_FAILED: "Annotation failed",
    status_code_pb2.ANNOTATION_AWAITING_REVIEW: "Annotation awaiting review",
    status_code_pb2.ANNOTATION_AWAITING_CONSENSUS_REVIEW: "Annotation awaiting consensus review",
    status_code_pb2.ANNOTATION_REVIEW_DENIED: "Annotation review denied",
}


def _annotation_status_text(code: int) -> str:
    if code in _ANNOTATION_STATUS_TEXT:
        return _ANNOTATION_STATUS_TEXT[code]
    try:
        return status_code_pb2.StatusCode.Name(code).lower().replace("_", " ")
    except ValueError:
        return ""


def _refusal(method: str, path: str, problem: str) -> status_pb2.Status:
    """CONN_INVALID_REQUEST as the emulator words a rule's violation (`V2Method.violation`)."""
    return _status(CONN_INVALID_REQUEST, f"{method}: {path}: {problem}", path)


def _author(ann: resources_pb2.Annotation) -> resources_pb2.Worker | None:
    """Who made the annotation: its worker, else a user worker for its user_id, else None."""
    if ann.worker.WhichOneof("worker") is not None:
        return ann.worker
    if ann.user_id:
        return resources_pb2.Worker(user=resources_pb2.User(id=ann.user_id))
    return None


def _author_user_id(ann: resources_pb2.Annotation) -> str:
    """The id of the user who made it ("" for a model or a workflow)."""
    if ann.worker.WhichOneof("worker") is not None:
        return ann.worker.user.id
    return ann.user_id


def _worker_key(worker: resources_pb2.Worker) -> str:
    """`user:<id>`, `model:<id>` or `workflow:<id>` ("" for an empty worker)."""
    kind = worker.WhichOneof("worker")
    return f"{kind}:{getattr(worker, kind).id}" if kind else ""


def _worker_matches(author: resources_pb2.Worker, wanted: resources_pb2.Worker) -> bool:
    """The worker the filter names, and its model or workflow version when the filter gives one
    (Worker.isMatched(by:) in the emulator)."""
    if _worker_key(author) != _worker_key(wanted):
        return False
    kind = wanted.WhichOneof("worker")
    if kind == "model" and wanted.model.model_version.id:
        return author.model.model_version.id == wanted.model.model_version.id
    if kind == "workflow" and wanted.workflow.version.id:
        return author.workflow.version.id == wanted.workflow.version.id
    return True


def _model_version_ids(ann: resources_pb2.Annotation) -> set:
    """The deprecated model_version_id and the worker's model.model_version.id."""
    return {v for v in (ann.model_version_id, ann.worker.model.model_version.id) if v}


def _task_of(ann: resources_pb2.Annotation) -> str:
    """The annotation's task_id, else annotation_info.task_id (as "Task Annotations" sends it)."""
    if ann.task_id:
        return ann.task_id
    value = ann.annotation_info.fields.get("task_id")
    if value is not None and value.WhichOneof("kind") == "string_value":
        return value.string_value
    return ""


def _all_regions(data: resources_pb2.Data) -> list:
    """The regions of the data and of its frames."""
    return list(data.regions) + [r for f in data.frames for r in f.data.regions]


def _all_concepts(data: resources_pb2.Data) -> list:
    """The data's concepts, its regions', and (recursively) its frames'."""
    out = list(data.concepts)
    for region in data.regions:
        out.extend(region.data.concepts)
    for frame in data.frames:
        out.extend(_all_concepts(frame.data))
    return out


def _data_types(data: resources_pb2.Data) -> int:
    """The AnnotationDataType bits the data holds: TAG for concepts, each region's shape."""
    bits = _TAG if _all_concepts(data) else 0
    for region in _all_regions(data):
        if not region.HasField("region_info"):
            continue
        for field, bit in _SHAPE_BITS:
            if region.region_info.HasField(field):
                bits |= bit
    return bits


def _highest_prediction_score(data: resources_pb2.Data) -> float | None:
    scores = []
    for concept in _all_concepts(data):
        value = concept.metadata.fields.get("prediction_score")
        if value is not None and value.WhichOneof("kind") == "number_value":
            scores.append(value.number_value)
    return max(scores) if scores else None


def _frames_to_stream(stored: list, request) -> list:
    """(annotation, frame number) in stream order: AnnotationStore.framesToStream."""
    track_ids = set(request.track_ids)
    worker = None
    if request.HasField("worker") and request.worker.WhichOneof("worker") is not None:
        worker = request.worker
    frames = (MAX_STREAM_FRAMES if request.max_frames == 0
              else min(request.max_frames, MAX_STREAM_FRAMES))
    duration = (MAX_STREAM_DURATION_MS if request.max_duration == 0
                else min(request.max_duration, MAX_STREAM_DURATION_MS))
    last_number = request.frame_number_start + frames - 1
    last_time = min(request.frame_time_start + duration - 1, UINT64_MAX)
    selected = []
    for order, ann in enumerate(stored):
        if ann.input_id != request.input_id or not ann.HasField("data") or not ann.data.frames:
            continue
        data = ann.data
        info = data.frames[0].frame_info
        if not request.frame_number_start <= info.number <= last_number:
            continue
        if not request.frame_time_start <= info.time <= last_time:
            continue
        if track_ids and not any(r.track_id in track_ids for r in _all_regions(data)):
            continue
        if request.annotation_type and not _data_types(data) & request.annotation_type:
            continue
        if worker is not None:
            author = _author(ann)
            if author is None or not _worker_matches(author, worker):
                continue
        if request.min_prediction_score > 0:
            # Compared at the request field's float32 precision: 0.8 keeps a score of 0.8.
            score = _highest_prediction_score(data)
            if score is None or struct.unpack("f", struct.pack("f", score))[0] < request.min_prediction_score:
                continue
        selected.append((info.number, info.time, order, ann))
    selected.sort(key=lambda item: item[:3])
    return [(ann, number) for number, _, _, ann in selected]


def _stream_interval(metadata) -> float:
    """The pause before each message that `x-stream-interval-ms` asks for, in seconds."""
    for key, value in metadata or ():
        if key == STREAM_INTERVAL_HEADER:
            try:
                ms = float(value)
            except (TypeError, ValueError):
                return 0.0
            return min(max(ms, 0.0), MAX_STREAM_INTERVAL_MS) / 1000 if math.isfinite(ms) else 0.0
    return 0.0


def _page_range(count: int, page: int, per_page: int, default_per_page: int) -> range:
    """The items of a 1-based page (0 means 1) of per_page items (0: the default, max 1000)."""
    size = default_per_page if per_page == 0 else min(per_page, MAX_PER_PAGE)
    start = min((max(page, 1) - 1) * size, count)
    return range(start, min(start + size, count))


class StreamCounters:
    """What the exit line reports about StreamAnnotations calls."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.streams = 0
        self.cancelled = 0
        self.sent = 0

    def started(self) -> None:
        with self._lock:
            self.streams += 1

    def ended(self, sent: int, total: int, finished: bool) -> None:
        with self._lock:
            self.sent += sent
            if not finished:
                self.cancelled += 1
        if not finished:
            log(f"StreamAnnotations: the call ended after {sent} of {total} messages")

    def summary(self) -> str:
        with self._lock:
            return f"STREAMS {self.streams} CANCELLED {self.cancelled} SENT {self.sent}"


class V2(service_pb2_grpc.V2Servicer):
    def __init__(self, api_key: str | None, script: Script) -> None:
        self._api_key = api_key
        self._script = script
        self._lock = threading.Lock()
        # Insertion-ordered; a patch stores a new message in the old one's place, so a
        # snapshot of the values may be read without the lock.
        self._store: dict[str, resources_pb2.Annotation] = {}
        self.streams = StreamCounters()

    # -- helpers ---------------------------------------------------------------------------
    def _auth_failure(self, context) -> status_pb2.Status | None:
        values = [v for k, v in context.invocation_metadata() if k == "authorization"]
        ok = False
        if len(values) == 1 and isinstance(values[0], str):
            value = values[0]
            if self._api_key is not None:
                ok = value == f"Key {self._api_key}"
            else:
                ok = value.startswith("Key ") and value[4:].strip() != ""
        if ok:
            return None
        return _status(CONN_KEY_INVALID, "Invalid API key or Invalid API key/application pair",
                       "authorization metadata missing or not 'Key <token>'")

    @staticmethod
    def _now(ts) -> None:
        ts.GetCurrentTime()

    # -- methods ---------------------------------------------------------------------------
    @scripted
    def PostAnnotations(self, request, context):
        bad = self._auth_failure(context)
        if bad:
            return service_pb2.MultiAnnotationResponse(status=bad)
        out = []
        with self._lock:
            for given in request.annotations:
                ann = resources_pb2.Annotation()
                ann.CopyFrom(given)
                if not ann.id:
                    ann.id = uuid.uuid4().hex
                if ann.id in self._store:
                    return service_pb2.MultiAnnotationResponse(status=_status(
                        CONN_INVALID_REQUEST, "Invalid request",
                        f"annotation id {ann.id!r} already exists"))
                if not ann.status.code:
                    ann.status.code = ANNOTATION_SUCCESS
                    ann.status.description = "Annotation success"
                if request.user_app_id.user_id and not ann.user_id:
                    ann.user_id = request.user_app_id.user_id
                self._now(ann.created_at)
                ann.modified_at.CopyFrom(ann.created_at)
                out.append(ann)
            for ann in out:
                self._store[ann.id] = ann
        return service_pb2.MultiAnnotationResponse(status=_status(SUCCESS, "Ok"),
                                                   annotations=out)

    @scripted
    def ListAnnotations(self, request, context):
        bad = self._auth_failure(context)
        if bad:
            return service_pb2.MultiAnnotationResponse(status=bad)
        with self._lock:
            items = list(self._store.values())
        if request.ids:
            wanted = set(request.ids)
            items = [a for a in items if a.id in wanted]
        if request.input_ids:
            wanted = set(request.input_ids)
            items = [a for a in items if a.input_id in wanted]
        if request.statuses:
            wanted = {s.code for s in request.statuses}
            items = [a for a in items if a.status.code in wanted]
        page = request.page or 1
        per_page = request.per_page or 128
        items = items[(page - 1) * per_page: page * per_page]
        return service_pb2.MultiAnnotationResponse(status=_status(SUCCESS, "Ok"),
                                                   annotations=items)

    @scripted
    def GetAnnotation(self, request, context):
        bad = self._auth_failure(context)
        if bad:
            return service_pb2.SingleAnnotationResponse(status=bad)
        with self._lock:
            ann = self._store.get(request.annotation_id)
        if ann is None or (request.input_id and ann.input_id != request.input_id):
            return service_pb2.SingleAnnotationResponse(status=_status(
                CONN_DOES_NOT_EXIST, "Resource does not exist",
                f"annotation {request.annotation_id!r} not found"))
        return service_pb2.SingleAnnotationResponse(status=_status(SUCCESS, "Ok"), annotation=ann)

    @scripted
    def PatchAnnotations(self, request, context):
        bad = self._auth_failure(context)
        if bad:
            return service_pb2.MultiAnnotationResponse(status=bad)
        action = request.action or "merge"
        if action not in ("merge", "overwrite", "remove"):
            return service_pb2.MultiAnnotationResponse(status=_status(
                CONN_INVALID_REQUEST, "Invalid request", f"unknown action {action!r}"))
        out = []
        with self._lock:
            for given in request.annotations:
                old = self._store.get(given.id)
                if old is None:
                    return service_pb2.MultiAnnotationResponse(status=_status(
                        CONN_DOES_NOT_EXIST, "Resource does not exist",
                        f"annotation {given.id!r} not found"))
                new = resources_pb2.Annotation()
                new.CopyFrom(old)
                if action == "overwrite":
                    new.data.CopyFrom(given.data)
                    if given.HasField("annotation_info"):
                        new.annotation_info.CopyFrom(given.annotation_info)
                elif action == "merge":
                    new.data.MergeFrom(given.data)
                    if given.HasField("annotation_info"):
                        new.annotation_info.MergeFrom(given.annotation_info)
                else:  # remove: drop the concepts / regions named in the patch
                    ids = {c.id for c in given.data.concepts}
                    keep = [c for c in new.data.concepts if c.id not in ids]
                    del new.data.concepts[:]
                    new.data.concepts.extend(keep)
                    rids = {r.id for r in given.data.regions}
                    keep_r = [r for r in new.data.regions if r.id not in rids]
                    del new.data.regions[:]
                    new.data.regions.extend(keep_r)
                if given.HasField("status"):
                    new.status.CopyFrom(given.status)
                self._now(new.modified_at)
                out.append(new)
            for ann in out:
                self._store[ann.id] = ann
        return service_pb2.MultiAnnotationResponse(status=_status(SUCCESS, "Ok"),
                                                   annotations=out)

    @scripted
    def DeleteAnnotation(self, request, context):
        bad = self._auth_failure(context)
        if bad:
            return status_pb2.BaseResponse(status=bad)
        with self._lock:
            ann = self._store.get(request.annotation_id)
            if ann is None or (request.input_id and ann.input_id != request.input_id):
                return status_pb2.BaseResponse(status=_status(
                    CONN_DOES_NOT_EXIST, "Resource does not exist",
                    f"annotation {request.annotation_id!r} not found"))
            del self._store[request.annotation_id]
        return status_pb2.BaseResponse(status=_status(SUCCESS, "Ok"))

    @scripted
    def DeleteAnnotations(self, request, context):
        bad = self._auth_failure(context)
        if bad:
            return status_pb2.BaseResponse(status=bad)
        ids = set(request.ids)
        input_ids = set(request.input_ids)
        with self._lock:
            doomed = [a.id for a in self._store.values()
                      if (not ids or a.id in ids) and (not input_ids or a.input_id in input_ids)
                      and (ids or input_ids)]
            for key in doomed:
                del self._store[key]
        return status_pb2.BaseResponse(status=_status(SUCCESS, "Ok"))


    # -- the four newer calls (the emulator's semantics) -------------------------------------
    @scripted_stream
    def StreamAnnotations(self, request, context):
        """One message per selected annotation; pauses and stops as the module doc says."""
        ended = threading.Event()
        context.add_callback(ended.set)
        interval = _stream_interval(context.invocation_metadata())
        responses = self._stream_responses(request, context)
        self.streams.started()
        sent, finished = 0, False
        try:
            for response in responses:
                if interval > 0:
                    ended.wait(interval)
                if ended.is_set() or not context.is_active():
                    return
                yield response
                sent += 1
            finished = True
        finally:  # also when grpcio closes the generator at a yield (the call ended)
            self.streams.ended(sent, len(responses), finished)

    def _stream_responses(self, request, context) -> list:
        bad = self._auth_failure(context)
        if not bad and not request.input_id:
            bad = _refusal("StreamAnnotations", "input_id", "must not be empty")
        if bad:
            return [service_pb2.SingleStreamAnnotationResponse(status=bad)]
        with self._lock:
            stored = list(self._store.values())
        selected = _frames_to_stream(stored, request)
        status = _status(SUCCESS, "Ok")  # one req_id for the stream
        return [service_pb2.SingleStreamAnnotationResponse(
                    status=status, annotation=ann,
                    frame_fully_processed=i == len(selected) - 1 or selected[i + 1][1] != number)
                for i, (ann, number) in enumerate(selected)]

    @scripted
    def PatchAnnotationsStatus(self, request, context):
        response = service_pb2.PatchAnnotationsStatusResponse
        bad = self._auth_failure(context)
        if not bad and not request.task_id:
            bad = _refusal("PatchAnnotationsStatus", "task_id", "must not be empty")
        if not bad and request.status_code == 0:
            bad = _refusal("PatchAnnotationsStatus", "status_code",
                           "must be set: the status the annotations get")
        if not bad and request.action not in ("", "overwrite"):
            bad = _refusal("PatchAnnotationsStatus", "action",
                           f"'{request.action[:40]}' is not an action; the only one is 'overwrite'")
        if bad:
            return response(status=bad)
        user_ids = set(request.user_ids)
        codes = set(request.status_codes)
        status = status_pb2.Status(code=request.status_code,
                                   description=_annotation_status_text(request.status_code))
        count, users = 0, set()
        with self._lock:
            now = timestamp_pb2.Timestamp()
            self._now(now)
            for ann in list(self._store.values()):
                user = _author_user_id(ann)
                if (_task_of(ann) != request.task_id or (user_ids and user not in user_ids)
                        or (codes and ann.status.code not in codes)):
                    continue
                new = resources_pb2.Annotation()
                new.CopyFrom(ann)
                new.status.CopyFrom(status)
                new.modified_at.CopyFrom(now)
                self._store[new.id] = new
                count += 1
                if user:
                    users.add(user)
        return response(status=_status(SUCCESS, "Ok"), user_ids=sorted(users), updated_count=count)

    @scripted
    def GetTaskAnnotationCount(self, request, context):
        bad = self._auth_failure(context)
        if not bad and not request.task_id:
            bad = _refusal("GetTaskAnnotationCount", "task_id", "must not be empty")
        if bad:
            return service_pb2.SingleTaskCountResponse(status=bad)
        user_ids = set(request.user_ids)
        model_version_ids = set(request.model_version_ids)
        workflow_version_ids = set(request.workflow_version_ids)
        by_status = {
            status_code_pb2.ANNOTATION_PENDING: "pending",
            status_code_pb2.ANNOTATION_AWAITING_REVIEW: "awaiting_review",
            status_code_pb2.ANNOTATION_SUCCESS: "success",
            status_code_pb2.ANNOTATION_REVIEW_DENIED: "review_denied",
            status_code_pb2.ANNOTATION_AWAITING_CONSENSUS_REVIEW: "awaiting_consensus_review",
        }
        with self._lock:
            stored = list(self._store.values())
        counts: dict[str, resources_pb2.TaskStatusCountPerUser] = {}
        for ann in stored:
            worker = _author(ann)
            if _task_of(ann) != request.task_id or worker is None:
                continue
            # The union of those users' annotations and those of the model and workflow versions.
            if ((user_ids or model_version_ids or workflow_version_ids) and _author_user_id(ann) not in user_ids
                    and not _model_version_ids(ann) & model_version_ids
                    and ann.worker.workflow.version.id not in workflow_version_ids):
                continue
            key = _worker_key(worker)
            if key not in counts:
                counts[key] = resources_pb2.TaskStatusCountPerUser(user_id=worker.user.id,
                                                                   worker=worker)
            field = by_status.get(ann.status.code)
            if field:
                setattr(counts[key], field, getattr(counts[key], field) + 1)
        return service_pb2.SingleTaskCountResponse(
            status=_status(SUCCESS, "Ok"), app_id=request.user_app_id.app_id,
            task_id=request.task_id, counts=[counts[k] for k in sorted(counts)])

    @scripted
    def ListAnnotationWorkers(self, request, context):
        bad = self._auth_failure(context)
        if bad:
            return service_pb2.MultiWorkerResponse(status=bad)
        with self._lock:
            stored = list(self._store.values())
        seen: set[str] = set()
        workers = []
        for ann in stored:
            if request.trusted_only and not ann.trusted:
                continue
            worker = _author(ann)
            if worker is None or _worker_key(worker) in seen:
                continue
            seen.add(_worker_key(worker))
            if "names" not in request.additional_fields and worker.WhichOneof("worker") == "user":
                # Real names only when asked for (Worker.user in the .proto).
                worker = resources_pb2.Worker()
                worker.CopyFrom(_author(ann))
                worker.user.first_name = ""
                worker.user.last_name = ""
            workers.append(worker)
        window = _page_range(len(workers), request.page, request.per_page, DEFAULT_WORKERS_PER_PAGE)
        return service_pb2.MultiWorkerResponse(status=_status(SUCCESS, "Ok"),
                                               workers=workers[window.start:window.stop])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_args(parser)
    parser.add_argument("--record", metavar="FILE",
                        help="append one JSON line per decoded request to FILE")
    parser.add_argument("--api-key", metavar="KEY",
                        help="accept only `authorization: Key KEY` (default: any `Key <token>`)")
    parser.add_argument("--script", metavar="FILE", help="scripted outcomes of the next calls")
    parser.add_argument("--workers", type=int, default=256)
    parser.add_argument("--compression", choices=("gzip",),
                        help="compress every response message (to clients that accept it)")
    args = parser.parse_args()

    life = Lifecycle(args.max_seconds, watch_stdin=not args.no_stdin_watch)
    life.install()

    options = [
        ("grpc.max_receive_message_length", 64 * MIB),
        ("grpc.max_send_message_length", 64 * MIB),
        ("grpc.so_reuseport", 0),
    ]
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=args.workers,
                                                    thread_name_prefix="v2"),
                         options=options,
                         compression=grpc.Compression.Gzip if args.compression else None)
    servicer = V2(args.api_key, Script(args.script))
    service_pb2_grpc.add_V2Servicer_to_server(servicer, _ServerProxy(server, Recorder(args.record)))
    address = "127.0.0.1:0"
    if args.tls:
        cert, key = args.tls
        creds = grpc.ssl_server_credentials([(read_file_bytes(key), read_file_bytes(cert))])
        port = server.add_secure_port(address, creds)
    else:
        port = server.add_insecure_port(address)
    if not port:
        log("could not bind 127.0.0.1:0")
        hard_exit(2)
    server.start()
    log(f"listening on 127.0.0.1:{port} ({'TLS' if args.tls else 'h2c'}), "
        f"record={args.record or '-'}, max {args.max_seconds:g} s")
    stdout_line(f"PORT {port}")

    reason = life.wait()
    log(f"stopping: {reason}")
    summary = servicer.streams.summary()  # before the stop cancels the calls still running
    server.stop(grace=None)
    stdout_line(summary)
    hard_exit(0)


if __name__ == "__main__":
    main()
