#!/usr/bin/env python3
"""Checks the test peers themselves (not the Swift client): `python3 Tests/Peers/selfcheck.py`.

Starts every peer as the Swift tests will (stdin a pipe, read `PORT <n>`), drives it with
grpcio clients and a raw hyper-h2 client over h2c and TLS (certificates from make_certs.sh
in a temp dir), and checks the contracts in README.md. Exit status 0 when all pass.
Prints one line per check; also records what is seen on the wire (e.g. how grpcio encodes
grpc-message) for the record.
"""

from __future__ import annotations

import base64
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PY = sys.executable

import grpc  # noqa: E402
import h2.config  # noqa: E402
import h2.connection  # noqa: E402
import h2.events  # noqa: E402

FAILURES: list[str] = []
SPECIAL = "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n"


def check(name: str, ok: bool, detail: str = "") -> None:
    print(f"{'PASS' if ok else 'FAIL'}  {name}{('  -- ' + detail) if detail else ''}", flush=True)
    if not ok:
        FAILURES.append(name)


class Peer:
    """A peer subprocess, started the way the Swift tests do it."""

    def __init__(self, script: str, *args: str, stdin_pipe: bool = True) -> None:
        self.proc = subprocess.Popen(
            [PY, os.path.join(HERE, script), *args],
            stdin=subprocess.PIPE if stdin_pipe else subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.stderr_lines: list[str] = []
        threading.Thread(target=self._drain, daemon=True).start()
        line = self.proc.stdout.readline()
        if not line.startswith("PORT "):
            self.proc.kill()
            raise RuntimeError(f"{script}: expected PORT line, got {line!r}; "
                               f"stderr: {''.join(self.stderr_lines)}")
        self.port = int(line.split()[1])

    def _drain(self) -> None:
        for line in self.proc.stderr:
            self.stderr_lines.append(line)

    def stop(self, sig=signal.SIGTERM, timeout: float = 5) -> tuple[int, str]:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        rc = self.proc.wait(timeout)
        rest = self.proc.stdout.read()
        return rc, rest

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


# ---------------------------------------------------------------------------------------------
# A raw HTTP/2 client (hyper-h2), enough to see exactly what a peer puts on the wire.
# ---------------------------------------------------------------------------------------------

class RawResult:
    def __init__(self) -> None:
        self.streams: dict[int, dict] = {}
        self.goaway = None  # (error_code, last_stream_id)
        self.closed = False  # TCP EOF seen
        self.alpn = None
        self.remote_settings: dict = {}

    def s(self, sid: int) -> dict:
        return self.streams.setdefault(sid, {"headers": None, "data": b"", "trailers": None,
                                             "reset": None, "ended": False})


def raw_h2(port: int, requests: list[tuple[list, bytes]], *, tls_ca: str | None = None,
           timeout: float = 5.0, stop_when_done: bool = True, between: float = 0.0,
           wait_settings: bool = True, cancel_after: float | None = None) -> RawResult:
    """Sends the requests ((headers, body) pairs) on one connection, returns what came back.
    between > 0: send the next request only when the previous stream is finished, waiting that
    long first."""
    res = RawResult()
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    if tls_ca:
        ctx = ssl.create_default_context(cafile=tls_ca)
        ctx.set_alpn_protocols(["h2"])
        sock = ctx.wrap_socket(sock, server_hostname="localhost")
        res.alpn = sock.selected_alpn_protocol()
    conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True,
                                                                header_encoding="utf-8"))
    conn.initiate_connection()
    sock.sendall(conn.data_to_send())
    deadline = time.monotonic() + timeout
    todo = list(requests)
    sent: list[int] = []
    got_settings = not wait_settings

    pending: dict[int, bytearray] = {}

    def pump() -> None:
        for sid in list(pending):
            data = pending[sid]
            while data:
                n = min(len(data), conn.local_flow_control_window(sid),
                        conn.max_outbound_frame_size)
                if n <= 0:
                    break
                chunk = bytes(data[:n])
                del data[:n]
                conn.send_data(sid, chunk, end_stream=not data)
            if not data:
                del pending[sid]

    def send_next() -> None:
        headers, body = todo.pop(0)
        sid = conn.get_next_available_stream_id()
        conn.send_headers(sid, headers, end_stream=not body)
        if body:
            pending[sid] = bytearray(body)
            pump()
        sent.append(sid)
        res.s(sid)

    def done(sid: int) -> bool:
        st = res.streams[sid]
        return st["ended"] or st["reset"] is not None

    cancel_at = None
    while time.monotonic() < deadline:
        if cancel_after is not None and sent and not todo:
            if cancel_at is None:
                cancel_at = time.monotonic() + cancel_after
            elif time.monotonic() >= cancel_at:
                for sid in sent:
                    if not done(sid):
                        conn.reset_stream(sid, error_code=8)  # CANCEL
                        res.streams[sid]["reset"] = "sent CANCEL"
                conn.ping(b"selfchck")
                sock.sendall(conn.data_to_send())
                time.sleep(0.2)
                break
        if got_settings and todo and (between == 0 or all(done(x) for x in sent)):
            if between and sent:
                time.sleep(between)
            while todo:
                send_next()
                if between:
                    break
        out = conn.data_to_send()
        if out:
            sock.sendall(out)
        if stop_when_done and not todo and sent and all(done(x) for x in sent):
            break
        sock.settimeout(max(0.01, min(0.2, deadline - time.monotonic())))
        try:
            data = sock.recv(65536)
        except (socket.timeout, TimeoutError):
            continue
        except (ConnectionResetError, ssl.SSLError, OSError):
            res.closed = True
            break
        if not data:
            res.closed = True
            break
        for ev in conn.receive_data(data):
            if isinstance(ev, h2.events.RemoteSettingsChanged):
                got_settings = True
                res.remote_settings.update({getattr(k, "name", k): v.new_value
                                            for k, v in ev.changed_settings.items()})
            elif isinstance(ev, h2.events.WindowUpdated):
                pump()
            elif isinstance(ev, h2.events.ResponseReceived):
                res.s(ev.stream_id)["headers"] = ev.headers
            elif isinstance(ev, h2.events.DataReceived):
                res.s(ev.stream_id)["data"] += ev.data
                conn.acknowledge_received_data(ev.flow_controlled_length, ev.stream_id)
            elif isinstance(ev, h2.events.TrailersReceived):
                res.s(ev.stream_id)["trailers"] = ev.headers
            elif isinstance(ev, h2.events.StreamEnded):
                res.s(ev.stream_id)["ended"] = True
            elif isinstance(ev, h2.events.StreamReset):
                res.s(ev.stream_id)["reset"] = int(ev.error_code)
            elif isinstance(ev, h2.events.ConnectionTerminated):
                res.goaway = (int(ev.error_code), ev.last_stream_id)
        out = conn.data_to_send()
        if out:
            try:
                sock.sendall(out)
            except OSError:
                pass
    try:
        sock.close()
    except OSError:
        pass
    return res


def grpc_req(path: str, extra=(), timeout: str | None = None) -> list:
    h = [(":method", "POST"), (":scheme", "http"), (":path", path),
         (":authority", "localhost")]
    if timeout:
        h.append(("grpc-timeout", timeout))
    h += [("content-type", "application/grpc"), ("te", "trailers"),
          ("user-agent", "selfcheck/1.0")]
    h += list(extra)
    return h


def frame(payload: bytes) -> bytes:
    return b"\x00" + len(payload).to_bytes(4, "big") + payload


# ---------------------------------------------------------------------------------------------

def check_certs(certs: str) -> None:
    t = time.monotonic()
    subprocess.run(["bash", os.path.join(HERE, "make_certs.sh"), certs], check=True)
    dt = time.monotonic() - t
    names = ["ca", "server", "selfsigned", "expired", "wrong-host"]
    check("make_certs.sh: all files", all(
        os.path.getsize(os.path.join(certs, f"{n}.{e}")) > 0 for n in names for e in ("pem", "key")),
        f"{dt:.2f} s")

    def verify(*args):
        p = subprocess.run(["openssl", "verify", *args], capture_output=True, text=True)
        return p.returncode, (p.stdout + p.stderr).strip().replace("\n", " | ")

    c = lambda n: os.path.join(certs, n)  # noqa: E731
    rc, out = verify("-CAfile", c("ca.pem"), "-verify_hostname", "localhost", c("server.pem"))
    check("server.pem verifies against ca.pem for localhost", rc == 0, out)
    rc, out = verify("-CAfile", c("ca.pem"), "-verify_ip", "127.0.0.1", c("server.pem"))
    check("server.pem verifies for IP 127.0.0.1", rc == 0, out)
    rc, out = verify("-CAfile", c("ca.pem"), c("expired.pem"))
    check("expired.pem: 'certificate has expired'", rc != 0 and "has expired" in out, out)
    rc, out = verify("-CAfile", c("ca.pem"), "-verify_hostname", "localhost", c("wrong-host.pem"))
    check("wrong-host.pem: 'hostname mismatch'", rc != 0 and "hostname mismatch" in out, out)
    rc, out = verify(c("selfsigned.pem"))
    check("selfsigned.pem: 'self-signed certificate' by default", rc != 0 and "self-signed" in out, out)
    rc, out = verify("-CAfile", c("selfsigned.pem"), c("selfsigned.pem"))
    check("selfsigned.pem trusted as its own caFile", rc == 0, out)
    t = time.monotonic()
    subprocess.run(["bash", os.path.join(HERE, "make_certs.sh"), certs], check=True)
    check("make_certs.sh second run is a no-op", time.monotonic() - t < 0.2)


def interop_channel(port: int, certs: str | None):
    if certs:
        ca = open(os.path.join(certs, "ca.pem"), "rb").read()
        return grpc.secure_channel(f"localhost:{port}", grpc.ssl_channel_credentials(ca))
    return grpc.insecure_channel(f"127.0.0.1:{port}")


def check_interop(certs: str) -> None:
    for tls in (False, True):
        tag = "interop/" + ("tls" if tls else "h2c")
        args = ["--tls", os.path.join(certs, "server.pem"), os.path.join(certs, "server.key")] if tls else []
        with Peer("grpc_interop_server.py", *args) as peer:
            ch = interop_channel(peer.port, certs if tls else None)
            u = lambda m: ch.unary_unary("/interop.Test/" + m)  # noqa: E731
            check(f"{tag} empty_unary", u("EmptyCall")(b"", timeout=5) == b"")
            r = u("UnaryCall")(bytes(271828), timeout=10)
            check(f"{tag} large_unary", len(r) == 314159 and not any(r))
            r, call = u("UnaryCall").with_call(b"x", timeout=5, metadata=[
                ("x-grpc-test-echo-initial", "test_initial_metadata_value"),
                ("x-grpc-test-echo-trailing-bin", b"\xab\xab\xab")])
            check(f"{tag} custom_metadata",
                  ("x-grpc-test-echo-initial", "test_initial_metadata_value") in
                  [(m.key, m.value) for m in call.initial_metadata()] and
                  ("x-grpc-test-echo-trailing-bin", b"\xab\xab\xab") in
                  [(m.key, m.value) for m in call.trailing_metadata()])
            for code, msg in ((2, "test status message"), (2, SPECIAL), (16, "no key")):
                try:
                    u("Status")(json.dumps({"code": code, "message": msg}).encode(), timeout=5)
                    check(f"{tag} status {code}", False, "no error")
                except grpc.RpcError as e:
                    check(f"{tag} status {code} {msg[:12]!r}...",
                          e.code().value[0] == code and e.details() == msg)
            for m, label in (("/interop.Test/UnimplementedCall", "unimplemented_method"),
                             ("/interop.UnimplementedService/UnimplementedCall",
                              "unimplemented_service")):
                try:
                    ch.unary_unary(m)(b"", timeout=5)
                    check(f"{tag} {label}", False)
                except grpc.RpcError as e:
                    check(f"{tag} {label}", e.code() == grpc.StatusCode.UNIMPLEMENTED)
            t = time.monotonic()
            try:
                u("Sleep")(b'{"ms": 5000}', timeout=0.3)
                check(f"{tag} timeout", False)
            except grpc.RpcError as e:
                dt = time.monotonic() - t
                check(f"{tag} timeout_on_sleeping_server",
                      e.code() == grpc.StatusCode.DEADLINE_EXCEEDED and dt < 0.6, f"{dt:.3f} s")
            r = u("Sized")(b'{"bytes": 1000000}', timeout=10)
            check(f"{tag} Sized", len(r) == 1000000 and r[250] == 250 and r[251] == 0)
            r = json.loads(u("Metadata")(b"", timeout=5, metadata=[
                ("authorization", "Key abc"), ("x-b-bin", b"\x00\x01"), ("x-multi", "1"),
                ("x-multi", "2")]))
            check(f"{tag} Metadata", r.get("authorization") == "Key abc" and
                  r.get("x-b-bin") == "AAE=" and r.get("x-multi") == ["1", "2"] and
                  "user-agent" in r and ":time-remaining-ms" in r, json.dumps(r))

            # 300 concurrent Sleep calls finish together (thread pool big enough).
            futs = [u("Sleep").future(b'{"ms": 300}', timeout=10) for _ in range(300)]
            t = time.monotonic()
            ok = all(f.result() == b"ok" for f in futs)
            dt = time.monotonic() - t
            check(f"{tag} 300 concurrent Sleep(300ms)", ok and dt < 3.0, f"{dt:.2f} s")

            if not tls:
                # What is on the wire, seen by a raw HTTP/2 client.
                res = raw_h2(peer.port, [
                    (grpc_req("/interop.Test/Status"),
                     frame(json.dumps({"code": 2, "message": SPECIAL}).encode())),
                    (grpc_req("/interop.Test/Metadata", [
                        ("authorization", "Key raw"), ("x-custom", "v"),
                        ("x-unpadded-bin", "AAE")], timeout="5S"), frame(b"")),
                    (grpc_req("/interop.Test/EmptyCall"), frame(b"")),
                    (grpc_req("/interop.Test/Nope"), frame(b"")),
                ])
                st = res.streams[1]
                allh = dict((st["headers"] or []) + (st["trailers"] or []))
                print(f"      wire: Status -> headers {st['headers']} trailers {st['trailers']}")
                check(f"{tag} grpc-message percent-encoded on the wire",
                      allh.get("grpc-message") ==
                      "%09%0Atest with whitespace%0D%0Aand Unicode BMP %E2%98%BA and non-BMP "
                      "%F0%9F%98%88%09%0A", allh.get("grpc-message", ""))
                st = res.streams[3]
                md = json.loads(st["data"][5:])
                print(f"      wire: Metadata exposes {sorted(md)}")
                check(f"{tag} Metadata via raw h2 (unpadded -bin accepted)",
                      md.get("authorization") == "Key raw" and md.get("x-custom") == "v" and
                      md.get("user-agent", "").startswith("selfcheck/1.0") and
                      md.get("x-unpadded-bin") == "AAE=", json.dumps(md))
                st = res.streams[5]
                print(f"      wire: EmptyCall -> headers {st['headers']} data {st['data']!r} "
                      f"trailers {st['trailers']}")
                st = res.streams[7]
                print(f"      wire: unknown method -> headers {st['headers']} "
                      f"trailers {st['trailers']}")
            rc, _ = peer.stop()
            check(f"{tag} SIGTERM exit", rc == 0, f"rc={rc}")


def check_v2(certs: str, tmp: str) -> None:
    from clarifai_grpc.grpc.api import resources_pb2, service_pb2
    from clarifai_grpc.grpc.api.status import status_pb2

    types = {"PostAnnotations": (service_pb2.MultiAnnotationResponse),
             "ListAnnotations": service_pb2.MultiAnnotationResponse,
             "PatchAnnotations": service_pb2.MultiAnnotationResponse,
             "GetAnnotation": service_pb2.SingleAnnotationResponse,
             "DeleteAnnotation": status_pb2.BaseResponse,
             "DeleteAnnotations": status_pb2.BaseResponse}

    for tls in (False, True):
        tag = "v2/" + ("tls" if tls else "h2c")
        record = os.path.join(tmp, f"v2-{tag.replace('/', '-')}.jsonl")
        args = ["--record", record]
        if tls:
            args += ["--tls", os.path.join(certs, "server.pem"), os.path.join(certs, "server.key")]
        with Peer("clarifai_v2_server.py", *args) as peer:
            ch = interop_channel(peer.port, certs if tls else None)

            def call(method, req, md=(("authorization", "Key test-key"),)):
                return ch.unary_unary(f"/clarifai.api.V2/{method}",
                                      request_serializer=lambda m: m.SerializeToString(),
                                      response_deserializer=types[method].FromString)(
                    req, metadata=list(md), timeout=5)

            uai = resources_pb2.UserAppIDSet(user_id="me", app_id="app")
            post = service_pb2.PostAnnotationsRequest(user_app_id=uai, annotations=[
                resources_pb2.Annotation(input_id="in1", data=resources_pb2.Data(
                    concepts=[resources_pb2.Concept(id="cat", value=1.0)]))])
            r = call("PostAnnotations", post)
            ann = r.annotations[0] if r.annotations else None
            check(f"{tag} PostAnnotations", r.status.code == 10000 and ann is not None and
                  ann.id and ann.status.code == 24150 and ann.created_at.seconds > 0,
                  f"status {r.status.code}")
            aid = ann.id if ann else ""
            r = call("ListAnnotations", service_pb2.ListAnnotationsRequest(
                user_app_id=uai, page=1, per_page=10))
            check(f"{tag} ListAnnotations", [a.id for a in r.annotations] == [aid])
            r = call("GetAnnotation", service_pb2.GetAnnotationRequest(
                user_app_id=uai, input_id="in1", annotation_id=aid))
            check(f"{tag} GetAnnotation", r.status.code == 10000 and r.annotation.id == aid)
            r = call("PatchAnnotations", service_pb2.PatchAnnotationsRequest(
                user_app_id=uai, action="merge", annotations=[resources_pb2.Annotation(
                    id=aid, data=resources_pb2.Data(concepts=[resources_pb2.Concept(id="dog")]))]))
            check(f"{tag} PatchAnnotations merge",
                  [c.id for c in r.annotations[0].data.concepts] == ["cat", "dog"])
            r = call("DeleteAnnotation", service_pb2.DeleteAnnotationRequest(
                user_app_id=uai, input_id="in1", annotation_id=aid))
            check(f"{tag} DeleteAnnotation", r.status.code == 10000)
            r = call("GetAnnotation", service_pb2.GetAnnotationRequest(annotation_id=aid))
            check(f"{tag} GetAnnotation after delete -> 11101", r.status.code == 11101)
            call("PostAnnotations", post)
            r = call("DeleteAnnotations", service_pb2.DeleteAnnotationsRequest(input_ids=["in1"]))
            r2 = call("ListAnnotations", service_pb2.ListAnnotationsRequest())
            check(f"{tag} DeleteAnnotations", r.status.code == 10000 and not r2.annotations)
            r = call("PostAnnotations", post, md=())
            check(f"{tag} no authorization -> 11008", r.status.code == 11008)
            r = call("ListAnnotations", service_pb2.ListAnnotationsRequest(),
                     md=(("authorization", "Bearer x"),))
            check(f"{tag} 'Bearer x' -> 11008", r.status.code == 11008)
            rc, _ = peer.stop()
            check(f"{tag} SIGTERM exit", rc == 0)
        lines = [json.loads(x) for x in open(record)]
        first = lines[0]
        decoded = service_pb2.PostAnnotationsRequest.FromString(base64.b64decode(first["request_b64"]))
        check(f"{tag} --record", len(lines) == 11 and first["method"] == "PostAnnotations" and
              decoded == post and base64.b64decode(first["raw_b64"]) == post.SerializeToString()
              and first["metadata"].get("authorization") == "Key test-key",
              f"{len(lines)} lines, metadata keys {sorted(first['metadata'])}")


def check_fault(certs: str, tmp: str) -> None:
    ca = os.path.join(certs, "ca.pem")
    tls_args = ["--tls", os.path.join(certs, "server.pem"), os.path.join(certs, "server.key")]
    req = lambda: (grpc_req("/x.Echo/Call"), frame(b"hello"))  # noqa: E731

    for tls in (False, True):
        tag = "fault/" + ("tls" if tls else "h2c")
        targs = tls_args if tls else []
        cafile = ca if tls else None

        with Peer("h2_fault_server.py", "--mode", "ok", *targs) as p:
            r = raw_h2(p.port, [req(), (grpc_req("/x.Echo/Call"), b"")], tls_ca=cafile)
            s1, s3 = r.streams[1], r.streams[3]
            check(f"{tag} ok echo", dict(s1["headers"]).get(":status") == "200" and
                  s1["data"] == frame(b"hello") and dict(s1["trailers"]) == {"grpc-status": "0"}
                  and s3["data"] == frame(b""), f"alpn={r.alpn}")
            r = raw_h2(p.port, [([(":method", "PUT"), (":scheme", "http"), (":path", "/p?q=1"),
                                  (":authority", "x"), ("content-type", "text/plain")], b"hi")],
                       tls_ca=cafile)
            h = dict(r.streams[1]["headers"])
            check(f"{tag} ok plain HTTP echo", h.get("x-echo-method") == "PUT" and
                  h.get("x-echo-path") == "/p?q=1" and r.streams[1]["data"] == b"hi")
            big = bytes(range(256)) * 4000  # 1 MB each way through flow control
            r = raw_h2(p.port, [(grpc_req("/x.Echo/Big"), frame(big))], tls_ca=cafile)
            check(f"{tag} ok 1 MB echo", r.streams[1]["data"] == frame(big))

        with Peer("h2_fault_server.py", "--mode", "close-mid-response", *targs) as p:
            r = raw_h2(p.port, [req()], tls_ca=cafile, stop_when_done=False)
            s = r.streams[1]
            check(f"{tag} close-mid-response", r.closed and s["headers"] is not None and
                  0 < len(s["data"]) < 1005 and not s["ended"], f"{len(s['data'])} bytes then EOF")

        with Peer("h2_fault_server.py", "--mode", "goaway", "--close-delay", "0.3", *targs) as p:
            r = raw_h2(p.port, [req(), req(), req()], tls_ca=cafile, between=0.05,
                       stop_when_done=False, timeout=3)
            check(f"{tag} goaway", r.streams[1]["ended"] and r.goaway == (0, 1) and r.closed
                  and not r.streams[3]["ended"], f"goaway={r.goaway} closed={r.closed}")
            r = raw_h2(p.port, [req(), req()], tls_ca=cafile, stop_when_done=False, timeout=3)
            check(f"{tag} goaway (concurrent, new connection)", r.streams[1]["ended"] and
                  r.goaway == (0, 1) and r.closed, f"goaway={r.goaway}")

        for mode, code in (("refuse", 7), ("rst-cancel", 8), ("rst-enhance-your-calm", 11),
                           ("rst-internal", 2)):
            with Peer("h2_fault_server.py", "--mode", mode, *targs) as p:
                r = raw_h2(p.port, [req(), req()], tls_ca=cafile)
                check(f"{tag} {mode}", r.streams[1]["reset"] == code and
                      r.streams[3]["reset"] == code, str(r.streams[1]["reset"]))
            if mode == "refuse":
                with Peer("h2_fault_server.py", "--mode", mode, "--early", *targs) as p:
                    r = raw_h2(p.port, [req()], tls_ca=cafile)
                    check(f"{tag} {mode} --early", r.streams[1]["reset"] == code)

        for n in ("404", "503", "200"):
            with Peer("h2_fault_server.py", "--mode", "http-status", n, *targs) as p:
                r = raw_h2(p.port, [req()], tls_ca=cafile)
                s = r.streams[1]
                check(f"{tag} http-status {n}", s["headers"] == [(":status", n)] and s["ended"]
                      and s["trailers"] is None and s["data"] == b"", str(s["headers"]))

        with Peer("h2_fault_server.py", "--mode", "trailers-only", "5", SPECIAL, *targs) as p:
            r = raw_h2(p.port, [req()], tls_ca=cafile)
            s = r.streams[1]
            h = dict(s["headers"] or [])
            check(f"{tag} trailers-only", s["ended"] and s["data"] == b"" and
                  h.get("grpc-status") == "5" and h.get(":status") == "200" and
                  h.get("grpc-message") == "%09%0Atest with whitespace%0D%0Aand Unicode BMP "
                  "%E2%98%BA and non-BMP %F0%9F%98%88%09%0A", str(s["headers"]))

        record = os.path.join(tmp, f"silent-{tls}.jsonl")
        with Peer("h2_fault_server.py", "--mode", "silent", "--record", record, *targs) as p:
            t = time.monotonic()
            r = raw_h2(p.port, [req()], tls_ca=cafile, timeout=0.7)
            check(f"{tag} silent", not r.streams[1]["ended"] and r.streams[1]["headers"] is None
                  and not r.closed and time.monotonic() - t >= 0.6)
            r = raw_h2(p.port, [req()], tls_ca=cafile, timeout=3, cancel_after=0.2)
            time.sleep(0.1)
        events = [json.loads(x) for x in open(record)]
        rst = [e for e in events if e["event"] == "rst-received"]
        reqs = [e for e in events if e["event"] == "request"]
        check(f"{tag} silent --record: request headers in wire order, RST CANCEL, PING",
              [h[0] for h in reqs[0]["headers"]] == [h[0] for h in req()[0]] and
              len(rst) == 1 and rst[0]["error_code"] == 8 and rst[0]["conn"] == 2 and
              any(e["event"] == "ping" for e in events), f"{len(events)} events")

        with Peer("h2_fault_server.py", "--mode", "blackhole", *targs) as p:
            check(f"{tag} blackhole: SETTINGS, then no PING ack", blackhole_probe(p.port, cafile))

        record = os.path.join(tmp, f"mc-{tls}.jsonl")
        with Peer("h2_fault_server.py", "--mode", "max-concurrent", "3", "--record", record,
                  *targs) as p:
            # A polite client: waits for SETTINGS, keeps <= 3 open.
            raw_h2(p.port, [req() for _ in range(3)], tls_ca=cafile, timeout=3)
            t = time.monotonic()
            r = raw_h2(p.port, [req() for _ in range(3)], tls_ca=cafile, timeout=3)
            dt = time.monotonic() - t
            check(f"{tag} max-concurrent advertises 3, answers after ~50 ms",
                  r.remote_settings.get("MAX_CONCURRENT_STREAMS") == 3 and
                  all(s["ended"] for s in r.streams.values()) and dt >= 0.05, f"{dt:.3f} s")
            rc, rest = p.stop()
            check(f"{tag} max-concurrent polite -> MAXOPEN 3", rc == 0 and rest.strip() == "MAXOPEN 3",
                  repr(rest))
        with Peer("h2_fault_server.py", "--mode", "max-concurrent", "3", *targs) as p:
            # An impolite client: sends 5 streams before reading the server's SETTINGS.
            r = raw_h2(p.port, [req() for _ in range(5)], tls_ca=cafile, timeout=3,
                       wait_settings=False)
            refused = sum(1 for s in r.streams.values() if s["reset"] == 7)
            rc, rest = p.stop()
            check(f"{tag} max-concurrent overshoot -> REFUSED_STREAM + MAXOPEN 5",
                  refused == 2 and rest.strip() == "MAXOPEN 5", f"{refused} refused, {rest!r}")

        if tls:
            # A TLS server that only offers http/1.1.
            with Peer("h2_fault_server.py", "--mode", "ok", "--alpn", "http/1.1", *targs) as p:
                ctx = ssl.create_default_context(cafile=ca)
                ctx.set_alpn_protocols(["h2"])
                with ctx.wrap_socket(socket.create_connection(("127.0.0.1", p.port), timeout=5),
                                     server_hostname="localhost") as s:
                    selected = s.selected_alpn_protocol()
                check(f"{tag} --alpn http/1.1: client offering only h2 gets no ALPN",
                      selected is None, repr(selected))
                ctx = ssl.create_default_context(cafile=ca)
                ctx.set_alpn_protocols(["h2", "http/1.1"])
                with ctx.wrap_socket(socket.create_connection(("127.0.0.1", p.port), timeout=5),
                                     server_hostname="localhost") as s:
                    selected = s.selected_alpn_protocol()
                check(f"{tag} --alpn http/1.1: client offering h2,http/1.1 gets http/1.1",
                      selected == "http/1.1", repr(selected))
            # Certificates that a verifying client must reject.
            for name, expect in (("selfsigned", "self-signed"), ("expired", "expired"),
                                 ("wrong-host", "match")):
                with Peer("h2_fault_server.py", "--mode", "ok", "--tls",
                          os.path.join(certs, f"{name}.pem"), os.path.join(certs, f"{name}.key")) as p:
                    ctx = ssl.create_default_context(cafile=ca)
                    try:
                        ctx.wrap_socket(socket.create_connection(("127.0.0.1", p.port), timeout=5),
                                        server_hostname="localhost").close()
                        check(f"{tag} {name}.pem rejected", False)
                    except ssl.SSLCertVerificationError as e:
                        check(f"{tag} {name}.pem rejected", expect in str(e), str(e))


def blackhole_probe(port: int, cafile: str | None) -> bool:
    """True when the server sends SETTINGS, acks ours, then ignores a PING for 0.7 s."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    if cafile:
        ctx = ssl.create_default_context(cafile=cafile)
        ctx.set_alpn_protocols(["h2"])
        sock = ctx.wrap_socket(sock, server_hostname="localhost")
    conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
    conn.initiate_connection()
    sock.sendall(conn.data_to_send())
    settings = acked = ping_acked = False
    pinged_at = None
    end = time.monotonic() + 3
    sock.settimeout(0.1)
    while time.monotonic() < end:
        if settings and acked and pinged_at is None:
            conn.ping(b"blackhol")
            pinged_at = time.monotonic()
            end = pinged_at + 0.7
        out = conn.data_to_send()
        if out:
            sock.sendall(out)
        try:
            data = sock.recv(65536)
        except (socket.timeout, TimeoutError):
            continue
        if not data:
            break
        for ev in conn.receive_data(data):
            settings |= isinstance(ev, h2.events.RemoteSettingsChanged)
            acked |= isinstance(ev, h2.events.SettingsAcknowledged)
            ping_acked |= isinstance(ev, h2.events.PingAckReceived)
    sock.close()
    return settings and acked and pinged_at is not None and not ping_acked


def check_lifecycle() -> None:
    p = Peer("h2_fault_server.py", "--mode", "ok")
    p.proc.stdin.close()
    try:
        rc = p.proc.wait(3)
        check("lifecycle: stdin closed -> exit", rc == 0, f"rc={rc}")
    except subprocess.TimeoutExpired:
        p.proc.kill()
        check("lifecycle: stdin closed -> exit", False)
    for script in ("grpc_interop_server.py", "clarifai_v2_server.py", "h2_fault_server.py"):
        extra = ["--mode", "silent"] if script.startswith("h2") else []
        t = time.monotonic()
        p = Peer(script, "--max-seconds", "1", *extra)
        try:
            rc = p.proc.wait(5)
            dt = time.monotonic() - t
            check(f"lifecycle: {script} --max-seconds 1", rc == 0 and dt < 3, f"{dt:.2f} s")
        except subprocess.TimeoutExpired:
            p.proc.kill()
            check(f"lifecycle: {script} --max-seconds 1", False)
        p = Peer(script, *extra, stdin_pipe=False)  # stdin /dev/null: must NOT exit at once
        time.sleep(0.5)
        alive = p.proc.poll() is None
        rc, _ = p.stop(signal.SIGINT)
        check(f"lifecycle: {script} stdin=/dev/null keeps running, SIGINT exits", alive and rc == 0)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="peers-selfcheck-") as tmp:
        certs = os.path.join(tmp, "certs")
        check_certs(certs)
        check_lifecycle()
        check_interop(certs)
        check_v2(certs, tmp)
        check_fault(certs, tmp)
    print(f"\n{'ALL PASSED' if not FAILURES else 'FAILED: ' + ', '.join(FAILURES)}")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
