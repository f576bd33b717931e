#!/usr/bin/env python3
"""A Clarifai `V2` gRPC server on the OFFICIAL clarifai-grpc stubs, with an in-memory store.

Implements PostAnnotations, ListAnnotations, GetAnnotation, PatchAnnotations,
DeleteAnnotation and DeleteAnnotations (`/clarifai.api.V2/<Method>`); every other V2 method
answers UNIMPLEMENTED (the stubs' own V2Servicer behaviour).

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

Prints `PORT <n>` once listening; see peer_common.py for the lifecycle.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import sys
import threading
import time
import uuid
from concurrent import futures

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import grpc  # noqa: E402
from clarifai_grpc.grpc.api import resources_pb2, service_pb2, service_pb2_grpc  # noqa: E402,F401
from clarifai_grpc.grpc.api.status import status_code_pb2, status_pb2  # noqa: E402

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


_CODES = {c.value[0]: c for c in grpc.StatusCode}


class V2(service_pb2_grpc.V2Servicer):
    def __init__(self, api_key: str | None, script: Script) -> None:
        self._api_key = api_key
        self._script = script
        self._lock = threading.Lock()
        self._store: dict[str, resources_pb2.Annotation] = {}  # insertion-ordered

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_args(parser)
    parser.add_argument("--record", metavar="FILE",
                        help="append one JSON line per decoded request to FILE")
    parser.add_argument("--api-key", metavar="KEY",
                        help="accept only `authorization: Key KEY` (default: any `Key <token>`)")
    parser.add_argument("--script", metavar="FILE", help="scripted outcomes of the next calls")
    parser.add_argument("--workers", type=int, default=256)
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
                         options=options)
    service_pb2_grpc.add_V2Servicer_to_server(V2(args.api_key, Script(args.script)),
                                              _ServerProxy(server, Recorder(args.record)))
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
    server.stop(grace=None)
    hard_exit(0)


if __name__ == "__main__":
    main()
